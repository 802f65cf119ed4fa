from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def sync_roles_again(sender, **kwargs):
    """The role groups follow measures.roles once this app's permissions exist."""
    from measures.roles import sync_role_groups

    sync_role_groups()


class BudgetsConfig(AppConfig):
    name = "budgets"
    verbose_name = _("Begroting en verantwoording")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        post_migrate.connect(sync_roles_again, sender=self)
