from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ZorgConfig(AppConfig):
    """The project package as an app, so that its signal receivers are connected before
    anyone logs in (including the test client's force_login)."""

    name = "zorg"
    verbose_name = "Koersmonitor"

    def ready(self):
        from . import session_timeout  # noqa: F401


class AdminConfig(admin_apps.AdminConfig):
    default_site = "zorg.admin_site.AdminSite"
