from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zorg.security_txt import security_txt

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("beheer/", admin.site.urls),
    path("rapporten/", include("reports.urls")),
    path("", include("organisations.urls")),
    path("", include("measures.urls")),
    path("", include("imports.urls")),
    path("", include("notifications.urls")),
]
