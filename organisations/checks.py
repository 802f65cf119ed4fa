"""A model of our apps that is not scoped to an organisation is an error, unless it is
named here with the reason: a new model cannot forget the boundary."""

from django.apps import apps
from django.core import checks

from .scoping import is_scoped

OUR_APPS = {
    "organisations",
    "measures",
    "chapters",
    "indicators",
    "budgets",
    "imports",
    "reports",
    "notifications",
}

# Models that belong to no single organisation, and why.
NOT_SCOPED = {
    # The regions are shared by their members; the region page reads members through
    # organisation_scope(*members).
    "organisations.region": "shared by its members",
    "organisations.regionmember": "shared by the region's members",
    # A person's own mail settings, whatever organisations they work for.
    "notifications.notificationsettings": "a user's own settings",
    # The national BBV set: the same definitions for every municipality.
    "indicators.nationalindicator": "shared reference data (the BBV set)",
    # The Iv3 taakvelden: the same list for every municipality.
    "budgets.taskfield": "shared reference data (Iv3)",
    # Role changes before organisations existed; kept as they were recorded.
    "measures.groupmembershipchange": "history of the installation-wide roles",
}


@checks.register(checks.Tags.models)
def every_model_is_scoped(app_configs, **kwargs):
    errors = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label not in OUR_APPS or label in NOT_SCOPED:
            continue
        if hasattr(model, "instance_type"):  # a history table of django-simple-history
            continue
        if not is_scoped(model):
            errors.append(
                checks.Error(
                    f"{label} belongs to no organisation scope: give it organisation_path "
                    "and organisations.scoping.scoped_manager() as its default manager, or "
                    "name it with the reason in organisations.checks.NOT_SCOPED.",
                    obj=model,
                    id="koersmonitor.E002",
                )
            )
    return errors
