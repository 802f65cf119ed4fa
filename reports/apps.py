from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_role_groups(sender, **kwargs):
    from measures.roles import sync_role_groups

    sync_role_groups()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Rapporten")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # measures syncs the role groups after its own migrations, before this app's
        # permissions exist on a fresh database; syncing again here gives the controller
        # group the permission to publish.
        post_migrate.connect(sync_role_groups, sender=self)
