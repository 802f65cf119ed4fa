from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Koersmonitor beheer")
admin.site.site_title = _("Koersmonitor")
admin.site.index_title = _("Gegevens beheren")

urlpatterns = [
    path("inloggen/", auth_views.LoginView.as_view(), name="login"),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("beheer/", admin.site.urls),
    path("rapporten/", include("reports.urls")),
    path("", include("measures.urls")),
    path("", include("imports.urls")),
]
