from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles_again(sender, **kwargs):
    """The role groups are synced when the measures app has migrated, which is before this
    app's permissions exist on a fresh database; sync once more now that they do."""
    from measures.roles import sync_role_groups

    sync_role_groups()


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("Importeren")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(sync_roles_again, sender=self)
