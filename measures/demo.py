"""Loads the demo dataset idempotently: four municipalities and the region they share.

One file per organisation in fixtures/ (Almelo, Venlo, Enschede, Hengelo: its
organisation, status scales, users with their role there, programme, goals and periods),
each loaded inside that organisation's scope, then fixtures/regions.json (the region
Twente and a regional team member with roles in two organisations).

Everything is looked up by its natural key and updated in place, so loading twice
changes nothing, and the demo can be loaded next to other data. Demo accounts get the
password DEMO_PASSWORD only when they are created; a changed password is left alone.

The history names who wrote each row: the demo's own users for the steps of the workflow
they take, and for the rest the given user or else the system user (measures.audit).
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from notifications import notify
from organisations.models import Membership, Organisation, Region, RegionMember
from organisations.scoping import organisation_scope

from . import services
from .audit import acting_user, system_user
from .constants import Role, UpdateState
from .models import (
    Adjustment,
    Goal,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    StatusScale,
    YearTarget,
)
from .roles import STAFF_ROLES, sync_role_groups

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEMO_FILE = FIXTURES / "almelo_demo.json"
# In loading order: the regions file names organisations by CBS code.
DEMO_FILES = (
    DEMO_FILE,
    FIXTURES / "venlo_demo.json",
    FIXTURES / "enschede_demo.json",
    FIXTURES / "hengelo_demo.json",
    FIXTURES / "regions.json",
)
DEMO_PASSWORD = "koers-demo"
CONTENT_TEXT_FIELDS = ["explanation", "cause", "consequence", "corrective_action"]


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _upsert(model, lookup: dict, values: dict):
    instance = model.objects.filter(**lookup).first() or model(**lookup)
    for field, value in values.items():
        setattr(instance, field, value)
    return _saved(instance)


@transaction.atomic
def load_demo(path: Path | None = None, *, user=None) -> Programme | None:
    """Load every demo file, or only `path`. Returns the programme of the first
    organisation file loaded: Almelo's Programma Zorg for the whole demo."""
    programmes = []
    # The demo replays the workflow; nobody needs its e-mail.
    with acting_user(user or system_user()), notify.muted():
        sync_role_groups()
        for demo_file in [path] if path else DEMO_FILES:
            data = read_demo_file(demo_file)
            if "regions" in data:
                _load_regions(data)
            else:
                programmes.append(_load_organisation_file(data))
    return programmes[0] if programmes else None


def read_demo_file(path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _load_organisation_file(data: dict) -> Programme:
    """The organisation of one file with its scales, users and programmes; returns its
    main programme (`programme`; `other_programmes` are loaded after it)."""
    organisation = load_organisation(data["organisation"])
    with organisation_scope(organisation):
        scales = {
            scale["name"]: _load_scale(scale, organisation) for scale in data["status_scales"]
        }
        users = {entry["username"]: _load_user(entry) for entry in data["users"]}
        for entry in data["users"]:
            _add_role(users[entry["username"]], organisation, entry["role"])
        # The periods are opened and closed by the organisation's first controller.
        controller = next(
            users[entry["username"]] for entry in data["users"] if entry["role"] == Role.CONTROLLER
        )
        programme = _load_programme(data["programme"], organisation, scales, users, controller)
        for other in data.get("other_programmes", []):
            _load_programme(other, organisation, scales, users, controller)
        # Imported here: the reports app builds on this one.
        from reports.demo import load_report_layouts

        load_report_layouts(organisation, data.get("report_layouts", []))
        return programme


def _load_regions(data: dict) -> None:
    organisations = {org.cbs_code: org for org in Organisation.all_organisations.all()}
    for region_data in data["regions"]:
        region, _ = Region.objects.get_or_create(name=region_data["name"])
        for member in region_data["members"]:
            _upsert(
                RegionMember,
                {"region": region, "organisation": organisations[member["organisation"]]},
                {
                    "is_centre": member.get("is_centre", False),
                    "centre_tasks": member.get("centre_tasks", ""),
                },
            )
        for shared in region_data.get("shared_programmes", []):
            organisation = organisations[shared["organisation"]]
            with organisation_scope(organisation):
                programme = Programme.objects.get(name=shared["programme"])
                if not programme.shared_with_regions.filter(pk=region.pk).exists():
                    programme.shared_with_regions.add(region)
    for entry in data["users"]:
        user = _load_user(entry)
        for membership in entry["memberships"]:
            organisation = organisations[membership["organisation"]]
            with organisation_scope(organisation):
                _add_role(user, organisation, membership["role"])


def load_organisation(data: dict) -> Organisation:
    organisation = Organisation.all_organisations.filter(
        cbs_code=data["cbs_code"]
    ).first() or Organisation(cbs_code=data["cbs_code"])
    for field in ("name", "short_name", "slug"):
        setattr(organisation, field, data[field])
    return _saved(organisation)


def _load_scale(data: dict, organisation: Organisation) -> StatusScale:
    scale, _ = StatusScale.objects.get_or_create(organisation=organisation, name=data["name"])
    for level in data["levels"]:
        _upsert(
            StatusLevel,
            {"scale": scale, "label": level["label"]},
            {
                key: level[key]
                for key in ("description", "colour", "icon", "counts_as_on_course", "order")
            },
        )
    return scale


def _load_user(data: dict):
    user_model = get_user_model()
    user = user_model.objects.filter(username=data["username"]).first()
    if user is None:
        user = user_model(username=data["username"])
        if data["demo_login"]:
            user.set_password(DEMO_PASSWORD)
        else:
            user.set_unusable_password()
    user.first_name = data["first_name"]
    user.last_name = data["last_name"]
    # Addresses in the reserved .example domain: the demo's mail is printed, never sent.
    user.email = data.get("email", "")
    user.save()
    return user


def _add_role(user, organisation: Organisation, role: str) -> None:
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    # Staff (the admin site) for a staff role in any organisation: a regional team
    # member may hold one in another organisation than the file being loaded.
    is_staff = Membership.all_memberships.filter(user=user, role__in=STAFF_ROLES).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def _load_programme(
    data: dict, organisation: Organisation, scales: dict, users: dict, controller
) -> Programme:
    programme = _upsert(
        Programme,
        {"organisation": organisation, "name": data["name"]},
        {
            "first_year": data["first_year"],
            "last_year": data["last_year"],
            "target_year": data["target_year"],
            "status_scale": scales[data["status_scale"]],
            "separates_hard_soft": data.get("separates_hard_soft", False),
        },
    )
    goals = {
        goal["number"]: _upsert(
            Goal,
            {"programme": programme, "number": goal["number"]},
            {"title": goal["title"], "description": goal.get("description", "")},
        )
        for goal in data["goals"]
    }
    for year, amount in data["savings_task"].items():
        _upsert(SavingsTask, {"programme": programme, "year": int(year)}, {"amount": amount})
    for adjustment in data["adjustments"]:
        _upsert(
            Adjustment,
            {"programme": programme, "label": adjustment["label"], "year": adjustment["year"]},
            {"amount": adjustment["amount"], "order": adjustment["order"]},
        )
    context = {"programme": programme, "goals": goals, "users": users}

    measures = {}
    for plan_data in data["plans"]:
        plan = _upsert(
            MeasurePlan,
            {"programme": programme, "name": plan_data["name"]},
            {
                key: plan_data[key]
                for key in ("decision_reference", "first_year", "last_year", "order")
            },
        )
        for measure_data in plan_data["measures"]:
            lookup = {"programme": programme, "plan": plan, "number": measure_data["number"]}
            parent = measures.get((plan.name, measure_data.get("parent")))
            measures[(plan.name, measure_data["number"])] = _load_measure(
                lookup, measure_data, context, parent
            )
    for measure_data in data["other_measures"]:
        lookup = {"programme": programme, "plan": None, "title": measure_data["title"]}
        measure = _load_measure(lookup, measure_data, context, None)
        measure.replaces.set([measures[tuple(key)] for key in measure_data.get("replaces", [])])
        measures[measure_data["title"]] = measure
    for period_data in data["periods"]:
        _load_period(programme, period_data, measures, controller)
    return programme


def _load_period(programme: Programme, data: dict, measures: dict, controller) -> None:
    """Walk a period through the real workflow: open, update, submit, approve, close.

    A period that exists is left as it is, so loading twice changes nothing.
    """
    if ReportingPeriod.objects.filter(programme=programme, name=data["name"]).exists():
        return
    period = services.open_period(
        programme=programme,
        name=data["name"],
        kind=data["kind"],
        reference_date=date.fromisoformat(data["reference_date"]),
        deadline=date.fromisoformat(data["deadline"]) if data["deadline"] else None,
        user=controller,
    )
    levels = {level.label: level for level in programme.status_scale.levels.all()}
    to_approve = []
    for key, values in data["updates"].items():
        measure = measures[tuple(key.split("/", 1)) if "/" in key else key]
        update = MeasureUpdate.objects.get(measure=measure, period=period)
        owner = measure.owner or controller
        content = {name: values.get(name, "") for name in CONTENT_TEXT_FIELDS}
        content["status"] = levels[values["status"]]
        years = {int(year): figures for year, figures in values.get("years", {}).items()}
        update = services.save_update(
            update_id=update.pk,
            user=owner,
            expected_version=update.version,
            content=content,
            years=years,
        )
        if values["state"] != UpdateState.DRAFT:
            services.submit_update(update_id=update.pk, user=owner)
        if values["state"] == UpdateState.APPROVED:
            to_approve.append(update.pk)
        elif values["state"] == UpdateState.RETURNED:
            services.return_update(
                update_id=update.pk, user=controller, reason=values["return_reason"]
            )
    services.approve_updates(update_ids=to_approve, user=controller)
    # The chapter of the period (texts, action points, indicators), before it closes.
    from chapters.demo import load_period_chapter

    load_period_chapter(period)
    # Its money (products, figures, explanations), likewise before it closes.
    from budgets.demo import load_period_money

    load_period_money(period)
    if data["close"]:
        services.close_period(period=period, user=controller)


def _load_measure(lookup: dict, data: dict, context: dict, parent) -> Measure:
    measure = _upsert(
        Measure,
        lookup,
        {
            "title": data["title"],
            "description": data.get("description", ""),
            "domain": data.get("domain", ""),
            "goal": context["goals"].get(data.get("goal")),
            "owner": context["users"].get(data.get("owner")),
            "parent": parent,
            "volume_unit": data.get("volume_unit", ""),
        },
    )
    for year, amount in data["targets"].items():
        is_pm = amount == "PM"
        _upsert(
            YearTarget,
            {"measure": measure, "year": int(year)},
            {"is_pm": is_pm, "amount": None if is_pm else amount},
        )
    return measure
