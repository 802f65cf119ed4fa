from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_role_groups(sender, **kwargs):
    from .roles import sync_role_groups

    sync_role_groups()


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Maatregelen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # After auth's own post_migrate handler has created the permissions.
        post_migrate.connect(create_role_groups, sender=self)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin with Koersmonitor's admin site (measures.admin_base.AdminSite)."""

    default_site = "measures.admin_base.AdminSite"
    # Named in INSTALLED_APPS by its path; "measures" itself stays MeasuresConfig.
    default = False
