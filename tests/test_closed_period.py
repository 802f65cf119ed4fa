"""A closed period cannot change through any path: form, admin, services, models, querysets."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.urls import reverse

from measures import services
from measures.models import (
    Assessment,
    AssessmentYear,
    Measure,
    MeasureUpdate,
    PeriodClosedError,
    ReportingPeriod,
    UpdateYear,
)


@pytest.fixture
def closed(almelo):
    return ReportingPeriod.objects.get(name="Midterm review 2020")


@pytest.fixture
def closed_update(closed):
    return MeasureUpdate.objects.get(period=closed, measure__title="Stoppen met dienstencheques")


def snapshot(period):
    return (
        sorted(
            Assessment.objects.filter(period=period).values_list(
                "measure_id", "status_id", "explanation"
            )
        ),
        sorted(
            AssessmentYear.objects.filter(parent__period=period).values_list(
                "parent_id", "year", "forecast"
            )
        ),
        sorted(
            MeasureUpdate.objects.filter(period=period).values_list(
                "pk", "state", "version", "explanation"
            )
        ),
    )


def test_the_update_form_refuses_a_closed_period(closed, closed_update, controller_client):
    before = snapshot(closed)
    url = reverse("update_form", args=[closed_update.pk])
    response = controller_client.post(
        url, {"explanation": "te laat", "version": closed_update.version, "save": "1"}, follow=True
    )
    assert "is afgesloten; de update kan niet meer veranderen" in response.content.decode()
    assert (
        controller_client.post(reverse("submit_unchanged", args=[closed_update.pk])).status_code
        == 302
    )
    assert snapshot(closed) == before


def test_the_admin_shows_closed_periods_read_only(closed, closed_update, controller_client):
    assessment = Assessment.objects.filter(period=closed).first()
    for url, data in [
        (reverse("admin:measures_assessment_change", args=[assessment.pk]), {"explanation": "x"}),
        (
            reverse("admin:measures_measureupdate_change", args=[closed_update.pk]),
            {"explanation": "x"},
        ),
        (reverse("admin:measures_reportingperiod_change", args=[closed.pk]), {"name": "x"}),
        (reverse("admin:measures_reportingperiod_delete", args=[closed.pk]), {"post": "yes"}),
        (reverse("admin:measures_assessment_delete", args=[assessment.pk]), {"post": "yes"}),
    ]:
        assert controller_client.post(url, data).status_code == 403, url
    assert ReportingPeriod.objects.get(pk=closed.pk).name == "Midterm review 2020"


def test_a_measure_with_reported_assessments_cannot_be_deleted(closed, controller_client):
    measure = Measure.objects.get(title="Stoppen met dienstencheques")
    response = controller_client.post(
        reverse("admin:measures_measure_delete", args=[measure.pk]), {"post": "yes"}
    )
    assert response.status_code == 200 and "kan niet worden verwijderd" in response.content.decode()
    assert Measure.objects.filter(pk=measure.pk).exists()


def test_services_refuse_a_closed_period(closed, closed_update, django_user_model):
    controller = django_user_model.objects.get(username="controller")
    owner = django_user_model.objects.get(username="invoerder")
    before = snapshot(closed)
    calls = [
        lambda: services.save_update(
            update_id=closed_update.pk,
            user=owner,
            expected_version=closed_update.version,
            content={"explanation": "x"},
            years={},
        ),
        lambda: services.submit_update(update_id=closed_update.pk, user=owner),
        lambda: services.return_update(update_id=closed_update.pk, user=controller, reason="x"),
        lambda: services.close_period(period=closed, user=controller),
        closed.refuse_if_closed,
    ]
    for call in calls:
        with pytest.raises(PeriodClosedError):
            call()
    with pytest.raises(Exception, match="afgesloten"):
        services.approve_updates(update_ids=[closed_update.pk], user=controller)
    assert snapshot(closed) == before


def test_models_refuse_saves_and_deletes_in_a_closed_period(closed, closed_update):
    assessment = Assessment.objects.filter(period=closed).first()
    year = AssessmentYear.objects.filter(parent__period=closed).first()
    update_year = UpdateYear.objects.filter(parent__period=closed).first()
    for instance in (assessment, closed_update, year, update_year, closed):
        with pytest.raises(PeriodClosedError):
            instance.save()
        with pytest.raises(PeriodClosedError):
            instance.delete()
    with pytest.raises(PeriodClosedError):
        Assessment(measure=assessment.measure, period=closed).save()


def test_querysets_refuse_bulk_writes_in_a_closed_period(closed):
    before = snapshot(closed)
    for queryset in (
        Assessment.objects.filter(period=closed),
        MeasureUpdate.objects.filter(period=closed),
        AssessmentYear.objects.filter(parent__period=closed),
        UpdateYear.objects.filter(parent__period=closed),
        ReportingPeriod.objects.filter(pk=closed.pk),
    ):
        with pytest.raises(PeriodClosedError):
            queryset.update(pk=queryset.first().pk)
        with pytest.raises(PeriodClosedError):
            queryset.delete()
    assert snapshot(closed) == before


def test_bulk_writes_in_an_open_period_still_work(almelo):
    period = ReportingPeriod.objects.get(name="Najaarsrapportage 2020")
    assert (
        MeasureUpdate.objects.filter(period=period, measure__title="Peuteropvang").update(
            explanation="ok"
        )
        == 1
    )


def test_bulk_create_and_moves_into_or_out_of_a_closed_period_are_refused(closed, almelo):
    from measures.models import Measure

    open_period = ReportingPeriod.objects.get(name="Najaarsrapportage 2020")
    measure = Measure.objects.get(title="Stoppen met dienstencheques")
    extra = Measure.objects.create(programme=almelo, title="Nieuw na afsluiten")
    with pytest.raises(PeriodClosedError):
        Assessment.objects.bulk_create([Assessment(measure=extra, period=closed)])
    closed_assessment = Assessment.objects.get(period=closed, measure=measure)
    with pytest.raises(PeriodClosedError):
        AssessmentYear.objects.bulk_create([AssessmentYear(parent=closed_assessment, year=2022)])
    open_assessment = Assessment.objects.get(period=open_period, measure=measure)
    with pytest.raises(PeriodClosedError):
        Assessment.objects.filter(pk=open_assessment.pk).update(period=closed)
    closed_assessment.period = open_period
    with pytest.raises(PeriodClosedError):
        closed_assessment.save()
    assert not Assessment.objects.filter(measure=extra).exists()


# --- Side doors: every write path that bypasses save() on the default manager. ---


@pytest.fixture
def open_period(almelo):
    return ReportingPeriod.objects.get(name="Najaarsrapportage 2020")


@pytest.fixture
def rows(closed, open_period, almelo):
    """A row of each kind in the closed period, and rows of a measure added since, which
    has rows in the open period only (so a move into the closed period breaks no
    uniqueness and only the guard can refuse it)."""
    measure = Measure.objects.get(title="Doorbraakmethode")
    assessment = Assessment.objects.get(period=closed, measure=measure)
    update = MeasureUpdate.objects.get(period=closed, measure=measure)
    added = Measure.objects.create(programme=almelo, title="Nieuw na afsluiten")
    open_assessment = Assessment.objects.create(measure=added, period=open_period)
    return {
        "assessment": assessment,
        "update": update,
        "assessment_year": assessment.years.first(),
        "update_year": update.years.first(),
        "added": added,
        "open_assessment": open_assessment,
        "open_update": MeasureUpdate.objects.create(measure=added, period=open_period),
        "open_assessment_year": AssessmentYear.objects.create(
            parent=open_assessment, year=2030, forecast=5
        ),
    }


def full_snapshot(period):
    """Everything stored for a period: its row, its rows, and which rows it has."""
    period_row = ReportingPeriod.objects.filter(pk=period.pk).values_list(
        "name", "is_closed", "reference_date"
    )
    return (
        list(period_row),
        snapshot(period),
        sorted(
            UpdateYear.objects.filter(parent__period=period).values_list(
                "pk", "parent_id", "year", "forecast"
            )
        ),
        sorted(
            AssessmentYear.objects.filter(parent__period=period).values_list(
                "pk", "parent_id", "year", "forecast", "realised"
            )
        ),
        Assessment.objects.filter(period=period).count(),
        MeasureUpdate.objects.filter(period=period).count(),
    )


SIDE_DOORS = {
    "base manager update": lambda r, p: Assessment._base_manager.filter(
        pk=r["assessment"].pk
    ).update(explanation="achteraf"),
    "base manager update of a year": lambda r, p: AssessmentYear._base_manager.filter(
        pk=r["assessment_year"].pk
    ).update(forecast=1),
    "base manager update of an update": lambda r, p: MeasureUpdate._base_manager.filter(
        pk=r["update"].pk
    ).update(explanation="achteraf"),
    "base manager update of an update year": lambda r, p: UpdateYear._base_manager.filter(
        pk=r["update_year"].pk
    ).update(forecast=1),
    "base manager update of the period": lambda r, p: ReportingPeriod._base_manager.filter(
        pk=p.pk
    ).update(name="Hernoemd"),
    "base manager reopens the period": lambda r, p: ReportingPeriod._base_manager.filter(
        pk=p.pk
    ).update(is_closed=False),
    "base manager delete": lambda r, p: Assessment._base_manager.filter(
        pk=r["assessment"].pk
    ).delete(),
    "base manager delete of a year": lambda r, p: AssessmentYear._base_manager.filter(
        pk=r["assessment_year"].pk
    ).delete(),
    "base manager bulk_create": lambda r, p: Assessment._base_manager.bulk_create(
        [Assessment(measure=r["added"], period=p)]
    ),
    "base manager bulk_create of a year": lambda r, p: AssessmentYear._base_manager.bulk_create(
        [AssessmentYear(parent=r["assessment"], year=2030, forecast=1)]
    ),
    "related manager add moves a row in": lambda r, p: p.assessments.add(r["open_assessment"]),
    "related manager add moves an update in": lambda r, p: p.updates.add(r["open_update"]),
    "related manager add moves a year out": lambda r, p: r["open_assessment"].years.add(
        r["assessment_year"]
    ),
    "related manager add moves a year in": lambda r, p: r["assessment"].years.add(
        r["open_assessment_year"]
    ),
    "related manager create": lambda r, p: r["assessment"].years.create(year=2030, forecast=1),
    "related manager update": lambda r, p: p.assessments.update(explanation="achteraf"),
    "related manager delete": lambda r, p: r["update"].years.all().delete(),
    "queryset update": lambda r, p: Assessment.objects.filter(period=p).update(explanation="x"),
    "queryset update moves a row in": lambda r, p: Assessment.objects.filter(
        pk=r["open_assessment"].pk
    ).update(period=p),
    "queryset update moves a row in by expression": lambda r, p: Assessment.objects.filter(
        pk=r["open_assessment"].pk
    ).update(period_id=Value(p.pk)),
    "queryset delete": lambda r, p: MeasureUpdate.objects.filter(period=p).delete(),
    "bulk_create": lambda r, p: MeasureUpdate.objects.bulk_create(
        [MeasureUpdate(measure=r["added"], period=p)]
    ),
    "bulk_update": lambda r, p: Assessment.objects.bulk_update(
        [replace_field(r["assessment"], explanation="achteraf")], ["explanation"]
    ),
    "bulk_update moves a row in": lambda r, p: Assessment.objects.bulk_update(
        [replace_field(r["open_assessment"], period=p)], ["period"]
    ),
    "save": lambda r, p: replace_field(r["assessment"], explanation="achteraf").save(),
    "save with update_fields": lambda r, p: replace_field(r["update_year"], forecast=1).save(
        update_fields=["forecast"]
    ),
    "save_base": lambda r, p: replace_field(r["assessment"], explanation="x").save_base(),
    "save moves a row out": lambda r, p: replace_field(
        r["assessment"], period=ReportingPeriod.objects.get(name="Najaarsrapportage 2020")
    ).save(),
    "save moves a year in": lambda r, p: replace_field(
        r["open_assessment_year"], parent=r["assessment"]
    ).save(),
    "save of a new object with a closed row's key": lambda r, p: Assessment(
        pk=r["assessment"].pk, measure=r["added"], period=r["open_assessment"].period
    ).save(),
    "create": lambda r, p: UpdateYear.objects.create(parent=r["update"], year=2030, forecast=1),
    "update_or_create": lambda r, p: Assessment.objects.update_or_create(
        pk=r["assessment"].pk, defaults={"explanation": "achteraf"}
    ),
    "delete": lambda r, p: r["assessment_year"].delete(),
    "delete of the period": lambda r, p: p.delete(),
    "save of the period": lambda r, p: replace_field(p, name="Hernoemd").save(),
}


def replace_field(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    return instance


@pytest.mark.parametrize("door", SIDE_DOORS)
def test_no_orm_write_path_changes_a_closed_period(door, closed, rows):
    before = full_snapshot(closed)
    refused = pytest.raises(PeriodClosedError, match="Midterm review 2020 is afgesloten")
    with refused, transaction.atomic():
        SIDE_DOORS[door](rows, closed)
    assert full_snapshot(closed) == before


RAW_SQL = {
    "update": "UPDATE measures_assessment SET explanation = 'achteraf' WHERE period_id = %(p)s",
    "update of a year": (
        "UPDATE measures_assessmentyear SET forecast = 1 WHERE parent_id IN "
        "(SELECT id FROM measures_assessment WHERE period_id = %(p)s)"
    ),
    "update of an update": (
        "UPDATE measures_measureupdate SET state = 'draft' WHERE period_id = %(p)s"
    ),
    "update of an update year": (
        "UPDATE measures_updateyear SET forecast = 1 WHERE parent_id IN "
        "(SELECT id FROM measures_measureupdate WHERE period_id = %(p)s)"
    ),
    "move in": "UPDATE measures_assessment SET period_id = %(p)s WHERE period_id = %(o)s",
    "move out": "UPDATE measures_measureupdate SET period_id = %(o)s WHERE period_id = %(p)s",
    "move a year in": (
        "UPDATE measures_assessmentyear SET parent_id = "
        "(SELECT min(id) FROM measures_assessment WHERE period_id = %(p)s) "
        "WHERE parent_id IN (SELECT id FROM measures_assessment WHERE period_id = %(o)s)"
    ),
    "delete": "DELETE FROM measures_assessmentyear WHERE parent_id IN "
    "(SELECT id FROM measures_assessment WHERE period_id = %(p)s)",
    "delete of an update": "DELETE FROM measures_updateyear WHERE parent_id IN "
    "(SELECT id FROM measures_measureupdate WHERE period_id = %(p)s)",
    "insert": (
        "INSERT INTO measures_assessment (measure_id, period_id, explanation, cause, "
        "consequence, corrective_action) SELECT id, %(p)s, '', '', '', '' FROM measures_measure "
        "WHERE title = 'Nieuw na afsluiten'"
    ),
    "insert of a year": (
        "INSERT INTO measures_updateyear (parent_id, year, forecast_is_pm) "
        "SELECT min(id), 2030, false FROM measures_measureupdate WHERE period_id = %(p)s"
    ),
    "rename the period": "UPDATE measures_reportingperiod SET name = 'x' WHERE id = %(p)s",
    "reopen the period": "UPDATE measures_reportingperiod SET is_closed = false WHERE id = %(p)s",
    "delete the period": "DELETE FROM measures_reportingperiod WHERE id = %(p)s",
}


@pytest.mark.postgresql
@pytest.mark.parametrize("statement", RAW_SQL)
def test_raw_sql_cannot_change_a_closed_period(statement, closed, open_period, almelo):
    Measure.objects.create(programme=almelo, title="Nieuw na afsluiten")
    before = full_snapshot(closed)
    refused = pytest.raises(IntegrityError, match="Midterm review 2020 is afgesloten")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RAW_SQL[statement], {"p": closed.pk, "o": open_period.pk})
    assert full_snapshot(closed) == before


@pytest.mark.postgresql
def test_raw_sql_still_changes_an_open_period(open_period):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE measures_assessment SET explanation = 'bijgewerkt' WHERE period_id = %s",
            [open_period.pk],
        )
        assert cursor.rowcount == Assessment.objects.filter(period=open_period).count() > 0


@pytest.mark.postgresql
def test_the_trigger_is_ordinary_so_a_restore_in_replica_mode_can_load_closed_periods(closed):
    """A restore (loaddata of closed periods) sets session_replication_role = replica;
    an ordinary trigger does not fire then, a trigger enabled ALWAYS would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tgenabled FROM pg_trigger WHERE tgname LIKE 'measures_closed_period_%'"
        )
        assert cursor.fetchall() == [("O",)]
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(
                "UPDATE measures_assessment SET explanation = 'hersteld' WHERE period_id = %s",
                [closed.pk],
            )
            assert cursor.rowcount > 0
            transaction.set_rollback(True)


def test_loaddata_may_restore_the_rows_of_a_closed_period(closed, tmp_path):
    """A restore loads closed periods with loaddata (raw saves), which the models let
    through; on PostgreSQL the restore runs in replica mode, so the trigger does too."""
    pks = Assessment.objects.filter(period=closed).values_list("pk", flat=True)
    dump = tmp_path / "closed.json"
    call_command(
        "dumpdata", "measures.assessment", "--pks", ",".join(map(str, pks)), "-o", str(dump)
    )
    before = full_snapshot(closed)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        call_command("loaddata", str(dump), verbosity=0)
    assert full_snapshot(closed) == before
