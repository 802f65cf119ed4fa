"""Back-up and restore (`manage.py backup`, `manage.py restore`): a restore into an empty
database gives the same overview, the same reports and the same history, closed and
published periods included, on SQLite and PostgreSQL."""

import gzip
import json
from datetime import UTC, datetime
from io import BytesIO, StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from pypdf import PdfReader

from measures.audit import acting_user
from measures.constants import Role
from measures.models import (
    Assessment,
    GroupMembershipChange,
    Measure,
    ReportingPeriod,
    YearTarget,
)
from organisations.models import Membership
from reports import documents
from reports.builder import build_report_data
from reports.services import publish_report, report_pdf
from tests.conftest import make_user

BUILT_AT = datetime(2020, 11, 30, 12, 0, tzinfo=UTC)


def overview_text(period) -> str:
    out = StringIO()
    call_command(
        "overview",
        "--period",
        period.name,
        "--programme",
        period.programme.name,
        "--organisation",
        period.programme.organisation.cbs_code,
        "--format",
        "text",
        stdout=out,
    )
    return out.getvalue()


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def history_rows() -> dict:
    """Every row of every history table, and the log of role changes."""
    models = [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical") or model is GroupMembershipChange
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def snapshot() -> dict:
    periods = ReportingPeriod.objects.select_related("programme__organisation").order_by("pk")
    open_period = periods.get(name="Najaarsrapportage 2020")
    return {
        "overviews": {period.name: overview_text(period) for period in periods},
        "web reports": {
            period.name: documents.web_html(build_report_data(period, built_at=BUILT_AT))
            for period in periods
        },
        "open report": pdf_text(
            documents.render_pdf(build_report_data(open_period, built_at=BUILT_AT)).content
        ),
        "published report": report_pdf(periods.get(name="Midterm review 2020")).content,
        "history": history_rows(),
        "roles": {
            group.name: (
                sorted(user.username for user in group.user_set.all()),
                sorted(permission.codename for permission in group.permissions.all()),
            )
            for group in Group.objects.all()
        },
    }


def empty_the_database() -> None:
    """The database as `migrate` leaves it: no data, the roles created again, content
    types and permissions with other ids than before."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending from rows this
        # test's transaction wrote: have them run first.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("flush", interactive=False, verbosity=0)
    assert not Measure.objects.exists() and Group.objects.exists()


@pytest.fixture
def backup(almelo, tmp_path, django_user_model):
    """A backup of the demo with a published report of the closed period, a role change
    and a bulk update in its history."""
    controller = django_user_model.objects.get(username="controller")
    midterm = almelo.periods.get(name="Midterm review 2020")
    publish_report(period=midterm, user=controller)
    with acting_user(controller):
        make_user("vera", Role.MANAGER)
        YearTarget.objects.filter(measure__title="Peuteropvang", year=2022).update(amount=1)
    path = tmp_path / "koersmonitor.json.gz"
    call_command("backup", "--output", str(path), verbosity=0)
    return path


def test_restore_into_an_empty_database_gives_the_same_overview_reports_and_history(backup):
    before = snapshot()
    empty_the_database()
    call_command("restore", str(backup), verbosity=0)
    after = snapshot()
    for key in before:
        assert after[key] == before[key], key
    assert ReportingPeriod.objects.get(name="Midterm review 2020").is_closed


def test_a_restored_database_keeps_working(backup, client):
    empty_the_database()
    call_command("restore", str(backup), verbosity=0)
    controller = Membership.objects.get(role=Role.CONTROLLER, user__username="controller").user
    target = YearTarget.objects.filter(is_pm=False).order_by("pk").first()
    with acting_user(controller):
        target.amount += 1
        target.save()
        Measure.objects.create(programme=target.measure.programme, title="Na het herstel")
    assert target.history.latest().history_user == controller
    client.force_login(controller)
    assert client.get("/").status_code == 200


def test_a_backup_is_gzipped_json_with_what_it_holds(backup):
    content = json.loads(gzip.decompress(backup.read_bytes()))
    assert content["format"] == "koersmonitor-backup"
    assert content["counts"]["measures.measure"] == Measure.objects.count()
    assert "contenttypes.contenttype" not in content["counts"]
    assert len(content["objects"]) == sum(content["counts"].values())


def test_restore_refuses_a_database_that_is_not_empty(backup):
    before = Measure.history.count(), Assessment.objects.count()
    with pytest.raises(CommandError, match="niet leeg"):
        call_command("restore", str(backup), verbosity=0)
    assert (Measure.history.count(), Assessment.objects.count()) == before


def rewrite(path, change) -> None:
    content = json.loads(gzip.decompress(path.read_bytes()))
    change(content)
    path.write_bytes(gzip.compress(json.dumps(content).encode()))


def test_restore_refuses_a_backup_of_another_database_version(backup):
    rewrite(backup, lambda content: content["migrations"]["measures"].append("0099_later"))
    empty_the_database()
    with pytest.raises(CommandError, match="andere versie"):
        call_command("restore", str(backup), verbosity=0)
    assert not Measure.objects.exists()


def test_restore_refuses_a_backup_whose_references_do_not_hold(backup):
    def break_a_reference(content):
        row = next(o for o in content["objects"] if o["model"] == "measures.assessment")
        row["fields"]["measure"] = 999_999

    rewrite(backup, break_a_reference)
    empty_the_database()
    with pytest.raises(CommandError, match="verwijst naar"):
        call_command("restore", str(backup), verbosity=0)
    assert not Measure.objects.exists() and not Assessment.objects.exists()


@pytest.mark.postgresql
def test_restore_passes_triggers_that_refuse_writes_to_closed_periods(backup):
    """On PostgreSQL a trigger refuses writes to rows of a closed period; restoring those
    rows is no write to a closed period but putting it back, and must pass it."""
    empty_the_database()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION refuse_in_test() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_in_test BEFORE INSERT OR UPDATE OR DELETE "
            "ON measures_assessment FOR EACH ROW EXECUTE FUNCTION refuse_in_test()"
        )
    call_command("restore", str(backup), verbosity=0)
    assert Assessment.objects.filter(period__is_closed=True).exists()
    # The trigger holds again once the restore is done.
    with pytest.raises(DatabaseError, match="refused"), transaction.atomic():
        Assessment.objects.filter(period__is_closed=False).first().save()
