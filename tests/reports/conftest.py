"""Fixtures for the report tests: the Almelo period and a period before it."""

from datetime import date

import pytest

from measures.models import Assessment, ReportingPeriod, StatusLevel


@pytest.fixture
def period(almelo):
    """Almelo's Midterm review 2020, a closed period in the demo."""
    return ReportingPeriod.objects.select_related("programme").get(
        programme=almelo, name="Midterm review 2020"
    )


@pytest.fixture
def previous_period(period):
    """A voorjaarsnota before the midterm review, in which 6.2 was still on course and
    Gecertificeerde instellingen was not yet assessed."""
    previous = ReportingPeriod.objects.create(
        programme=period.programme,
        name="Voorjaarsnota 2020",
        kind="voorjaarsnota",
        reference_date=date(2020, 3, 1),
    )
    yes = StatusLevel.objects.get(scale=period.programme.status_scale, label="Ja")
    Assessment.objects.bulk_create(
        Assessment(measure_id=assessment.measure_id, period=previous, status=yes)
        for assessment in Assessment.objects.filter(period=period).select_related("measure")
        if assessment.measure.title != "Gecertificeerde instellingen"
    )
    return previous
