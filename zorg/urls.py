from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from organisations import oidc
from zorg.security_txt import security_txt

urlpatterns = [
    path("inloggen/", oidc.LoginView.as_view(), name="login"),
    # Sign-in through the identity provider (404 while OIDC is off); the names are the
    # ones mozilla-django-oidc reverses.
    path(
        "oidc/authenticate/",
        login_not_required(oidc.AuthenticateView.as_view()),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        login_not_required(oidc.CallbackView.as_view()),
        name="oidc_authentication_callback",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("beheer/", admin.site.urls),
    path("rapporten/", include("reports.urls")),
    # Published reports for everyone, without a login (reports.public_views).
    path("openbaar/", include("reports.public_urls")),
    path("regio/", include("organisations.region_urls")),
    path("", include("organisations.urls")),
    path("", include("measures.urls")),
    path("", include("chapters.urls")),
    path("", include("indicators.urls")),
    path("", include("budgets.urls")),
    path("", include("imports.urls")),
    path("", include("notifications.urls")),
    path("", include("jobs.urls")),
]
