"""A closed period cannot change through any path: form, admin, services, models, querysets."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.urls import reverse

from measures import services
from measures.constants import UpdateState
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


# --- The chapter's rows (issue 10): texts, action points' statuses, indicator values. ---


@pytest.fixture
def chapter_closed(almelo):
    """A programme whose first period has a text, a status and a value, and was closed
    through the service; its second period is open, with rows of subjects added since."""
    from datetime import date

    from chapters.models import ActionPoint, ActionPointStatus, Text, TextVersion
    from indicators.models import Indicator, IndicatorValue
    from tests.chapter_data import chapter_in, demo_user
    from tests.factories import make_programme

    period = make_programme(1, name="Programma Hoofdstuk")
    chapter = chapter_in(period)
    value = IndicatorValue.objects.create(
        indicator=chapter.indicator, period=period, year=2023, kind="realisatie", value=7
    )
    controller = demo_user("controller")
    services.close_period(period=period, user=controller)
    later = ReportingPeriod.objects.create(
        programme=period.programme,
        name="Jaarverantwoording",
        kind="jaarverantwoording",
        reference_date=date(2024, 12, 31),
    )
    programme = period.programme
    new_text = Text.objects.create(programme=programme, kind="terugblik")
    new_point = ActionPoint.objects.create(programme=programme, number="12", title="Nieuw")
    new_indicator = Indicator.objects.create(programme=programme, name="Nieuw", decimals=0)
    return {
        "closed": ReportingPeriod.objects.get(pk=period.pk),
        "text": chapter.text,
        "point": chapter.point,
        "indicator": chapter.indicator,
        "version": TextVersion.objects.get(pk=chapter.version.pk),
        "status": ActionPointStatus.objects.get(pk=chapter.status.pk),
        "value": value,
        "new_text": new_text,
        "new_point": new_point,
        "new_indicator": new_indicator,
        "open_version": TextVersion.objects.create(text=new_text, period=later),
        "open_status": ActionPointStatus.objects.create(action_point=new_point, period=later),
        "open_value": IndicatorValue.objects.create(
            indicator=new_indicator, period=later, year=2024, kind="realisatie", value=1
        ),
    }


def chapter_snapshot(period):
    from chapters.models import ActionPointStatus, TextVersion
    from indicators.models import IndicatorValue

    return (
        sorted(
            TextVersion._base_manager.filter(period=period).values_list(
                "pk", "heading", "body", "state", "version", "approved_body"
            )
        ),
        sorted(
            ActionPointStatus._base_manager.filter(period=period).values_list(
                "pk", "status_id", "explanation", "state", "version"
            )
        ),
        sorted(
            IndicatorValue._base_manager.filter(period=period).values_list(
                "pk", "year", "kind", "value", "qualifier"
            )
        ),
    )


def _chapter_doors():
    from chapters.models import ActionPointStatus as S
    from chapters.models import TextVersion as T
    from indicators.models import IndicatorValue as V

    return {
        "text: save": lambda r, p: replace_field(r["version"], body="achteraf").save(),
        "text: save_base": lambda r, p: replace_field(r["version"], body="x").save_base(),
        "text: delete": lambda r, p: r["version"].delete(),
        "text: queryset update": lambda r, p: T.objects.filter(period=p).update(body="x"),
        "text: base manager update": lambda r, p: T._base_manager.filter(pk=r["version"].pk).update(
            state=UpdateState.APPROVED
        ),
        "text: queryset delete": lambda r, p: T.objects.filter(period=p).delete(),
        "text: bulk_create": lambda r, p: T.objects.bulk_create([T(text=r["new_text"], period=p)]),
        "text: bulk_update": lambda r, p: T.objects.bulk_update(
            [replace_field(r["version"], body="x")], ["body"]
        ),
        "text: create": lambda r, p: T.objects.create(text=r["new_text"], period=p),
        "text: update_or_create": lambda r, p: T.objects.update_or_create(
            pk=r["version"].pk, defaults={"body": "x"}
        ),
        "text: move in": lambda r, p: T.objects.filter(pk=r["open_version"].pk).update(period=p),
        "text: save moves a row in": lambda r, p: replace_field(r["open_version"], period=p).save(),
        "text: related manager add": lambda r, p: p.text_versions.add(r["open_version"]),
        "text: related manager update": lambda r, p: p.text_versions.update(body="x"),
        "status: save": lambda r, p: replace_field(r["status"], explanation="x").save(),
        "status: delete": lambda r, p: r["status"].delete(),
        "status: queryset update": lambda r, p: S.objects.filter(period=p).update(explanation="x"),
        "status: base manager delete": lambda r, p: S._base_manager.filter(period=p).delete(),
        "status: bulk_create": lambda r, p: S.objects.bulk_create(
            [S(action_point=r["new_point"], period=p)]
        ),
        "status: bulk_update": lambda r, p: S.objects.bulk_update(
            [replace_field(r["status"], explanation="x")], ["explanation"]
        ),
        "status: move in": lambda r, p: S.objects.filter(pk=r["open_status"].pk).update(
            period_id=Value(p.pk)
        ),
        "status: save moves a row out": lambda r, p: replace_field(
            r["status"], period=r["open_status"].period
        ).save(),
        "status: related manager update": lambda r, p: p.action_point_statuses.update(
            explanation="x"
        ),
        "value: save": lambda r, p: replace_field(r["value"], value=8).save(),
        "value: delete": lambda r, p: r["value"].delete(),
        "value: queryset update": lambda r, p: V.objects.filter(period=p).update(value=9),
        "value: base manager update": lambda r, p: V._base_manager.filter(period=p).update(value=9),
        "value: queryset delete": lambda r, p: V.objects.filter(period=p).delete(),
        "value: create": lambda r, p: V.objects.create(
            indicator=r["indicator"], period=p, year=2024, kind="realisatie", value=1
        ),
        "value: bulk_create": lambda r, p: V.objects.bulk_create(
            [V(indicator=r["indicator"], period=p, year=2024, kind="realisatie", value=1)]
        ),
        "value: bulk_update": lambda r, p: V.objects.bulk_update(
            [replace_field(r["value"], value=1)], ["value"]
        ),
        "value: move in": lambda r, p: V.objects.filter(pk=r["open_value"].pk).update(period=p),
        "value: related manager add": lambda r, p: p.indicator_values.add(r["open_value"]),
        "value: related manager create": lambda r, p: r["indicator"].values.create(
            period=p, year=2025, kind="streefwaarde", value=1
        ),
        "value: update_or_create": lambda r, p: V.objects.update_or_create(
            pk=r["value"].pk, defaults={"value": 2}
        ),
    }


CHAPTER_DOORS = [
    "text: save", "text: save_base", "text: delete", "text: queryset update",
    "text: base manager update", "text: queryset delete", "text: bulk_create",
    "text: bulk_update", "text: create", "text: update_or_create", "text: move in",
    "text: save moves a row in", "text: related manager add", "text: related manager update",
    "status: save", "status: delete", "status: queryset update", "status: base manager delete",
    "status: bulk_create", "status: bulk_update", "status: move in",
    "status: save moves a row out", "status: related manager update",
    "value: save", "value: delete", "value: queryset update", "value: base manager update",
    "value: queryset delete", "value: create", "value: bulk_create", "value: bulk_update",
    "value: move in", "value: related manager add", "value: related manager create",
    "value: update_or_create",
]  # fmt: skip


def test_every_chapter_door_is_listed():
    assert sorted(CHAPTER_DOORS) == sorted(_chapter_doors())


@pytest.mark.parametrize("door", CHAPTER_DOORS)
def test_no_orm_write_path_changes_a_closed_periods_chapter(door, chapter_closed):
    closed = chapter_closed["closed"]
    before = chapter_snapshot(closed)
    refused = pytest.raises(PeriodClosedError, match="Tussenrapportage is afgesloten")
    with refused, transaction.atomic():
        _chapter_doors()[door](chapter_closed, closed)
    assert chapter_snapshot(closed) == before


def test_the_chapter_services_refuse_a_closed_period(chapter_closed, django_user_model):
    from decimal import Decimal

    from chapters import services as chapter_services
    from chapters.models import ActionPointStatus, TextVersion
    from indicators import services as indicator_services
    from indicators.services import ValueRow

    controller = django_user_model.objects.get(username="controller")
    owner = django_user_model.objects.get(username="invoerder")
    closed = chapter_closed["closed"]
    before = chapter_snapshot(closed)
    version, status = chapter_closed["version"], chapter_closed["status"]
    calls = [
        lambda: chapter_services.save_row(
            model=TextVersion,
            row_id=version.pk,
            user=owner,
            expected_version=version.version,
            content={"body": "x"},
        ),
        lambda: chapter_services.submit_row(model=ActionPointStatus, row_id=status.pk, user=owner),
        lambda: chapter_services.approve_rows(
            model=TextVersion, row_ids=[version.pk], user=controller
        ),
        lambda: chapter_services.return_row(
            model=ActionPointStatus, row_id=status.pk, user=controller, reason="x"
        ),
        lambda: chapter_services.row_for(
            TextVersion, subject=chapter_closed["new_text"], period=closed, user=owner
        ),
        lambda: indicator_services.save_values(
            indicator=chapter_closed["indicator"],
            period=closed,
            user=owner,
            rows=[ValueRow(chapter_closed["value"].pk, None, 2023, "realisatie", Decimal(5))],
        ),
    ]
    for call in calls:
        with pytest.raises(PeriodClosedError), transaction.atomic():
            call()
    assert chapter_snapshot(closed) == before


def test_closing_is_refused_while_a_text_waits_for_approval(almelo, django_user_model):
    from chapters import services as chapter_services
    from chapters.models import TextVersion
    from tests.chapter_data import chapter_in
    from tests.factories import make_programme

    period = make_programme(1, name="Programma Wachtend")
    chapter = chapter_in(period)
    chapter_services.save_row(
        model=TextVersion,
        row_id=chapter.version.pk,
        user=chapter.owner,
        expected_version=chapter.version.version,
        content={"body": "Klaar."},
    )
    chapter_services.submit_row(model=TextVersion, row_id=chapter.version.pk, user=chapter.owner)
    controller = django_user_model.objects.get(username="controller")
    with pytest.raises(ValidationError, match="Er wachten nog 1 updates op goedkeuring"):
        services.close_period(period=period, user=controller)
    assert not ReportingPeriod.objects.get(pk=period.pk).is_closed


def test_opening_a_period_carries_texts_and_statuses_over(almelo, django_user_model):
    from datetime import date

    from chapters import services as chapter_services
    from chapters.models import ActionPointStatus, TextVersion
    from tests.chapter_data import chapter_in, demo_user, level
    from tests.factories import make_programme

    period = make_programme(1, name="Programma Doorschuiven")
    chapter = chapter_in(period)
    owner, controller = chapter.owner, demo_user("controller")
    off = level(period, on_course=False)
    for model, row, content in [
        (TextVersion, chapter.version, {"heading": "Resultaten 2024", "body": "- één"}),
        (ActionPointStatus, chapter.status, {"status": off, "explanation": "Vertraagd"}),
    ]:
        chapter_services.save_row(
            model=model, row_id=row.pk, user=owner, expected_version=row.version, content=content
        )
        chapter_services.submit_row(model=model, row_id=row.pk, user=owner)
        chapter_services.approve_rows(model=model, row_ids=[row.pk], user=controller)
    services.close_period(period=period, user=controller)

    new = services.open_period(
        programme=period.programme,
        name="Jaarverantwoording 2024",
        kind="jaarverantwoording",
        reference_date=date(2024, 12, 31),
        user=controller,
    )
    text = TextVersion.objects.get(period=new, text=chapter.text)
    assert (text.heading, text.body) == ("Resultaten 2024", "- één")
    assert (text.approved_body, text.approved_by, text.state) == (
        "- één",
        controller,
        UpdateState.DRAFT,
    )
    status = ActionPointStatus.objects.get(period=new, action_point=chapter.point)
    assert (status.status, status.explanation, status.approved_status) == (off, "Vertraagd", off)
    assert status.updated_by is None  # opening is not editing: four eyes look at editors


CHAPTER_RAW_SQL = {
    "a text's version": "UPDATE chapters_textversion SET body = 'x' WHERE period_id = %(p)s",
    "an action point's status": (
        "UPDATE chapters_actionpointstatus SET explanation = 'x' WHERE period_id = %(p)s"
    ),
    "an indicator value": "UPDATE indicators_indicatorvalue SET value = 1 WHERE period_id = %(p)s",
    "a deleted indicator value": "DELETE FROM indicators_indicatorvalue WHERE period_id = %(p)s",
    "a text's version added": (
        "INSERT INTO chapters_textversion (text_id, period_id, state, return_reason, version, "
        "updated_at, heading, body, approved_heading, approved_body) SELECT id, %(p)s, "
        "'draft', '', 1, now(), '', '', '', '' FROM chapters_text WHERE heading = 'Later'"
    ),
}


@pytest.mark.postgresql
@pytest.mark.parametrize("statement", CHAPTER_RAW_SQL)
def test_raw_sql_cannot_change_a_closed_periods_chapter(statement, db):
    """The database's guard covers the chapter's rows and indicator values too."""
    from chapters.models import ActionPoint, Text, TextKind
    from chapters.services import carry_over
    from indicators.models import Indicator, IndicatorValue
    from measures import services
    from measures.constants import Role
    from tests.conftest import make_user
    from tests.factories import make_programme

    period = make_programme(1, name="Programma Trigger")
    programme = period.programme
    controller = make_user("sluiter", Role.CONTROLLER)
    Text.objects.create(programme=programme, kind=TextKind.SUMMARY, heading="Samenvatting")
    ActionPoint.objects.create(programme=programme, number="1", title="Actiepunt")
    carry_over(period=period, previous=None, user=controller)
    indicator = Indicator.objects.create(programme=programme, name="Indicator", decimals=1)
    IndicatorValue.objects.create(
        indicator=indicator, period=period, year=2024, kind="realisatie", value="47.7"
    )
    services.close_period(period=period, user=controller)
    Text.objects.create(programme=programme, kind=TextKind.OTHER, heading="Later")
    refused = pytest.raises(IntegrityError, match="Tussenrapportage is afgesloten")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CHAPTER_RAW_SQL[statement], {"p": period.pk})
    assert IndicatorValue.objects.get(indicator=indicator).value == Decimal("47.7")
