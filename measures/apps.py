from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate
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
        from .freezing import freeze_old_closed_periods

        post_migrate.connect(
            freeze_old_closed_periods,
            sender=self,
            dispatch_uid="measures.freeze_old_closed_periods",
        )
        from django.contrib.auth import get_user_model

        from .audit import record_group_membership

        m2m_changed.connect(
            record_group_membership,
            sender=get_user_model().groups.through,
            dispatch_uid="measures.record_group_membership",
        )
