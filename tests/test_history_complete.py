"""Every change to what a report shows is in the history with who, when and the old and
new value: admin edits of goals, plans, status scales and programmes, `update()` on any
historied queryset, role (group) membership, and writes from the command line."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.urls import reverse

from measures.audit import SYSTEM_USERNAME, HistoriedQuerySet, acting_user
from measures.constants import Role
from measures.models import (
    Adjustment,
    Assessment,
    AssessmentYear,
    Goal,
    GroupMembershipChange,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    StatusScale,
    UpdateYear,
    YearTarget,
)
from organisations.models import Membership
from tests.conftest import make_user


class FormReader(HTMLParser):
    """The fields a browser would submit from a page's main form, with their values."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        kind = attrs.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            checkable = kind in ("checkbox", "radio")
            if checkable and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or ("on" if checkable else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the one newline that follows <textarea>.
            self.data[self._textarea][-1] = self.data[self._textarea][-1].removeprefix("\n")
            self._textarea = None


def submit_admin_change(client, url: str, changes: dict[str, str]):
    """GET an admin change page and POST its form back as a browser would, with `changes`."""
    page = client.get(url)
    assert page.status_code == 200
    reader = FormReader()
    reader.feed(page.content.decode())
    data = {name: values for name, values in reader.data.items() if not name.startswith("_")}
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Opslaan"]
    return client.post(url, data)


def admin_errors(response) -> str:
    context = response.context
    errors = [context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in context.get("inline_admin_formsets", [])]
    return str(errors)


@pytest.fixture
def superuser(db):
    return make_user("sam", is_superuser=True, is_staff=True)


def change_url(obj) -> str:
    return reverse(f"admin:measures_{obj._meta.model_name}_change", args=[obj.pk])


ADMIN_CHANGES = [
    # (role, object, the admin page it is changed on, field on that page, new value)
    (
        Role.CONTROLLER,
        lambda: Goal.objects.get(programme__name="Programma Zorg", number=3),
        None,
        "title",
        "Een nieuwe titel",
    ),
    (
        Role.CONTROLLER,
        lambda: MeasurePlan.objects.get(name="Maatregelenplan 2"),
        None,
        "name",
        "Plan twee",
    ),
    (
        Role.BEHEERDER,
        lambda: StatusScale.objects.get(name__startswith="Almelo"),
        None,
        "name",
        "Almelo: Ja/Nee",
    ),
    (
        Role.BEHEERDER,
        lambda: StatusLevel.objects.get(scale__name__startswith="Almelo", label="Nee"),
        lambda level: level.scale,
        "levels-{index}-label",
        "Niet op koers",
    ),
    (
        Role.BEHEERDER,
        lambda: Programme.objects.get(name="Programma Zorg"),
        None,
        "name",
        "Programma Zorg en Welzijn",
    ),
]


@pytest.mark.parametrize(
    "role, get_object, get_page, field, value",
    ADMIN_CHANGES,
    ids=["goal", "plan", "status scale", "status level", "programme"],
)
def test_admin_changes_are_in_the_history_with_who_and_old_and_new_value(
    almelo, client, role, get_object, get_page, field, value
):
    user = make_user("hanna", role)
    client.force_login(user)
    obj = get_object()
    page_object = get_page(obj) if get_page else obj
    if "{index}" in field:
        index = list(page_object.levels.order_by("order", "pk")).index(obj)
        field = field.format(index=index)
    response = submit_admin_change(client, change_url(page_object), {field: value})
    assert response.status_code == 302, admin_errors(response)
    record = obj.history.latest()
    assert record.history_type == "~" and record.history_user == user
    (change,) = record.diff_against(record.prev_record).changes
    assert change.new == value and change.old == getattr(record.prev_record, change.field)
    assert change.old != value


UPDATES = [
    # (model, rows, field, value): a row set and one change, per historied model.
    (Programme, {"name": "Programma Zorg"}, "target_year", 2021),
    (Goal, {"number__in": [1, 2]}, "description", "Bijgewerkt"),
    (MeasurePlan, {"programme__name": "Programma Zorg"}, "decision_reference", "BW-1"),
    (StatusScale, {"name__startswith": "Enschede"}, "name", "Enschede"),
    (StatusLevel, {"label__in": ["Ja", "Nee"]}, "description", "Bijgewerkt"),
    (Measure, {"plan__name": "Maatregelenplan 2"}, "volume_unit", "casussen"),
    (YearTarget, {"year": 2022, "is_pm": False}, "amount", 1_000),
    (SavingsTask, {"year": 2022}, "amount", 1_000),
    (Adjustment, {}, "amount", 1_000),
    (
        ReportingPeriod,
        {"is_closed": False, "programme__name": "Programma Zorg"},
        "kind",
        "tussenrapportage",
    ),
    (Assessment, {"period__is_closed": False}, "explanation", "Bijgewerkt"),
    (MeasureUpdate, {"period__is_closed": False}, "explanation", "Bijgewerkt"),
    (AssessmentYear, {"parent__period__is_closed": False}, "volume_planned", 7),
    (UpdateYear, {"parent__period__is_closed": False}, "volume_planned", 7),
]


@pytest.mark.parametrize(
    "model, rows, field, value", UPDATES, ids=[model.__name__ for model, *_ in UPDATES]
)
def test_queryset_update_leaves_a_history_row_per_object_with_user_and_value(
    almelo, controller, model, rows, field, value
):
    queryset = model.objects.filter(**rows)
    ids = set(queryset.values_list("pk", flat=True))
    assert ids, "the demo has rows to update"
    before = model.history.count()
    with acting_user(controller):
        assert queryset.update(**{field: value}) == len(ids)
    records = model.history.order_by("-history_id")[: len(ids)]
    assert model.history.count() == before + len(ids)
    assert {record.id for record in records} == ids
    for record in records:
        assert record.history_type == "~" and record.history_user == controller
        assert getattr(record, field) == value
        assert getattr(record.prev_record, field) != value


def test_update_through_a_related_manager_leaves_history_too(almelo, controller):
    measure = Measure.objects.get(title="Peuteropvang")
    with acting_user(controller):
        measure.targets.filter(year=2022).update(amount=123_000)
    record = YearTarget.history.filter(measure_id=measure.pk, year=2022).latest()
    assert (record.amount, record.prev_record.amount, record.history_user) == (
        123_000,
        150_000,
        controller,
    )


def test_every_historied_model_has_a_queryset_whose_update_leaves_history():
    historied = [
        model
        for model in apps.get_models()
        if hasattr(model._meta, "simple_history_manager_attribute")
    ]
    assert {model.__name__ for model in historied} >= {m.__name__ for m, *_ in UPDATES}
    for model in historied:
        assert issubclass(model._default_manager._queryset_class, HistoriedQuerySet), model
    assert not [error for error in checks.run_checks() if error.id == "measures.E001"]


def test_role_changes_in_the_admin_are_logged_with_who_and_when(almelo, client, superuser):
    """Roles are held per organisation (Membership), edited in the roles inline of the
    user's page; its history names who granted, changed or removed each role."""
    user = make_user("vera", Role.INVOERDER)
    client.force_login(superuser)
    url = reverse("admin:auth_user_change", args=[user.pk])
    response = submit_admin_change(client, url, {"memberships-0-role": Role.CONTROLLER.value})
    assert response.status_code == 302, admin_errors(response)
    log = Membership.history.filter(user_id=user.pk).order_by("history_id")
    assert [(r.history_type, r.role, r.history_user) for r in log] == [
        ("+", "invoerder", None),  # made by the test itself, outside any request
        ("~", "controller", superuser),
    ]
    page = client.get(url).content.decode()
    assert "Rollen-geschiedenis bij Almelo" in page and "sam" in page


def test_role_changes_from_either_side_are_logged_only_when_something_changed(
    almelo, controller, beheerder
):
    user = make_user("vera")
    group = Group.objects.get(name=Role.MANAGER.value)
    with acting_user(beheerder):
        group.user_set.add(user)
        user.groups.add(group)  # already a member: nothing changes
        group.user_set.remove(controller)  # not a member: nothing changes
        user.groups.clear()
        user.groups.set([group])
        group.user_set.clear()
    log = GroupMembershipChange.objects.filter(user=user).order_by("pk")
    assert [(c.action, c.group_name, c.changed_by) for c in log] == [
        ("added", "manager", beheerder),
        ("removed", "manager", beheerder),
        ("added", "manager", beheerder),
        ("removed", "manager", beheerder),
    ]


def test_no_history_row_of_the_demo_lacks_a_user(almelo):
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_user"):
            assert not model.objects.filter(history_user__isnull=True).exists(), model
    assert not GroupMembershipChange.objects.filter(changed_by__isnull=True).exists()
    systeem = Membership.history.filter(history_user__username=SYSTEM_USERNAME)
    assert systeem.filter(user__username="controller", history_type="+").exists()
    assert Goal.history.filter(history_user__username=SYSTEM_USERNAME).exists()


def test_the_system_user_cannot_log_in(almelo, client, django_user_model):
    system = django_user_model.objects.get(username=SYSTEM_USERNAME)
    assert not system.is_active and not system.has_usable_password()


def test_load_demo_refuses_an_unknown_user(almelo):
    with pytest.raises(CommandError, match="Gebruiker niemand niet gevonden"):
        call_command("load_demo", "--user", "niemand")


def test_import_from_the_command_line_needs_a_user(almelo, tmp_path):
    path = tmp_path / "maatregelen.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_measures", str(path), "--programme", "Programma Zorg")


def test_measure_timeline_shows_changes_to_its_goal_and_plan(almelo, client, controller):
    measure = Measure.objects.get(title="Peuteropvang")
    client.force_login(controller)
    submit_admin_change(client, change_url(measure.goal), {"title": "Beter uitkomen"})
    submit_admin_change(client, change_url(measure.plan), {"decision_reference": "BW-9999"})
    page = client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    timeline = page.split('id="tijdlijn"', 1)[1]
    assert f"Doel {measure.goal.number}</strong> gewijzigd door carl" in timeline
    assert "→ Beter uitkomen" in timeline and "→ BW-9999" in timeline


def test_a_historied_model_whose_update_would_leave_no_history_fails_the_checks(monkeypatch):
    monkeypatch.setattr(Goal._default_manager, "_queryset_class", models.QuerySet)
    errors = [error for error in checks.run_checks() if error.id == "measures.E001"]
    assert [error.obj for error in errors] == [Goal]


def test_a_goal_or_owner_in_use_cannot_be_deleted_behind_the_history(almelo, client):
    """Deleting a goal or a user would clear the measures' reference with a plain UPDATE
    that leaves no history: they are protected while a measure uses them."""
    from django.contrib.auth import get_user_model

    from measures.models import Measure

    measure = Measure.objects.exclude(goal=None).exclude(owner=None).first()
    client.force_login(get_user_model().objects.get(username="controller"))
    client.post(f"/beheer/measures/goal/{measure.goal_id}/delete/", {"post": "yes"}, follow=True)
    # A superuser for the owner, so that only the protection stands in the way.
    client.force_login(get_user_model().objects.create_superuser("root", password="x-12345!"))
    client.post(f"/beheer/auth/user/{measure.owner_id}/delete/", {"post": "yes"}, follow=True)
    after = Measure.objects.get(pk=measure.pk)
    assert (after.goal_id, after.owner_id) == (measure.goal_id, measure.owner_id)
