"""The four roles as Django groups with their model permissions.

`sync_role_groups` runs after every migrate (see apps.py), so the groups exist on a
fresh database and follow this table when it changes.
"""

from django.contrib.auth.models import Group, Permission

from .constants import Role

MEASURE_MODELS = [
    "programme",
    "goal",
    "measureplan",
    "measure",
    "yeartarget",
    "savingstask",
    "adjustment",
    "reportingperiod",
    "assessment",
    "assessmentyear",
    "measureupdate",
    "updateyear",
    "targetrevision",
]
SCALE_MODELS = ["statusscale", "statuslevel"]
CHAPTER_MODELS = ["theme", "actionpoint", "text", "textversion", "actionpointstatus"]
INDICATOR_MODELS = ["indicator", "indicatorpart", "indicatorvalue"]
BUDGET_MODELS = ["product", "budgetfigure", "statementlayout", "varianceexplanation"]
ALL_ACTIONS = ["view", "add", "change", "delete"]


def _codenames(models, actions):
    return {f"{action}_{model}" for model in models for action in actions}


ROLE_PERMISSIONS = {
    # Civil servants read everything and update the measures they own or are delegated;
    # the object-level rule is Measure.can_be_updated_by.
    Role.INVOERDER: {
        "measures": _codenames(MEASURE_MODELS + SCALE_MODELS, ["view"])
        | {"change_measureupdate", "change_updateyear"},
        # The object-level rules: ActionPoint/Text/Indicator.can_be_updated_by.
        "chapters": _codenames(CHAPTER_MODELS, ["view"])
        | {"change_textversion", "change_actionpointstatus"},
        "indicators": _codenames(INDICATOR_MODELS + ["nationalindicator"], ["view"])
        | {"change_indicatorvalue", "add_indicatorvalue"},
        "budgets": _codenames(BUDGET_MODELS + ["taskfield"], ["view"])
        | {"add_varianceexplanation", "change_varianceexplanation"},
    },
    Role.CONTROLLER: {
        "measures": _codenames(MEASURE_MODELS, ALL_ACTIONS)
        | _codenames(SCALE_MODELS, ["view"])
        | {"approve_measureupdate", "close_reportingperiod"},
        "chapters": _codenames(CHAPTER_MODELS, ALL_ACTIONS),
        "indicators": _codenames(INDICATOR_MODELS, ALL_ACTIONS)
        | {"view_nationalindicator", "import_indicatorvalues"},
        "budgets": _codenames(BUDGET_MODELS, ALL_ACTIONS)
        | {"view_taskfield", "import_budgetfigures"},
        "reports": {"publish_report", "view_publishedreport"}
        | _codenames(["reportlayout"], ALL_ACTIONS),
        "imports": {"import_measures", "view_importrecord"},
        "organisations": {"view_region_overview"},
    },
    Role.MANAGER: {
        "measures": _codenames(MEASURE_MODELS + SCALE_MODELS, ["view"]),
        "chapters": _codenames(CHAPTER_MODELS, ["view"]),
        "indicators": _codenames(INDICATOR_MODELS + ["nationalindicator"], ["view"]),
        "budgets": _codenames(BUDGET_MODELS + ["taskfield"], ["view"]),
        "reports": {"view_reportlayout"},
        "organisations": {"view_region_overview"},
    },
    Role.BEHEERDER: {
        "measures": _codenames(["programme", *SCALE_MODELS], ALL_ACTIONS)
        | _codenames(MEASURE_MODELS, ["view"]),
        "chapters": _codenames(CHAPTER_MODELS, ["view"]),
        "indicators": _codenames(INDICATOR_MODELS + ["nationalindicator"], ["view"]),
        "budgets": _codenames(BUDGET_MODELS + ["taskfield"], ["view"]),
        "reports": {"view_reportlayout"},
        # Groups are the roles, defined here; only a superuser changes them (admin_users.py).
        "auth": _codenames(["user"], ALL_ACTIONS) | {"view_group"},
        # Which groups of the identity provider grant which role (organisations.oidc), and
        # roles in the beheerder's own organisation (organisations.admin_memberships), and
        # the look of their own organisation; adding, deleting and renaming organisations
        # is for a superuser (organisations/admin.py).
        "organisations": _codenames(["identityprovidermapping", "membership"], ALL_ACTIONS)
        | {"view_organisation", "change_organisation"},
    },
}

# Roles that work in the admin (zorg/admin_site.py). Civil servants work in the app's own
# pages.
STAFF_ROLES = {Role.CONTROLLER, Role.MANAGER, Role.BEHEERDER}


def sync_role_groups() -> None:
    for role, apps in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = set()
        for app_label, codenames in apps.items():
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            wanted.update(found.values_list("pk", flat=True))
        group.permissions.set(wanted)
