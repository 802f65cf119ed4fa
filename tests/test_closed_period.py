"""A closed period cannot change through any path: form, admin, services, models, querysets."""

import pytest
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
        lambda: services.ensure_period_open(closed),
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
