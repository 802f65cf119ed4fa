"""Fixtures for the report tests: Almelo's closed period and the open one after it."""

import pytest

from measures.models import ReportingPeriod


@pytest.fixture
def period(almelo):
    """Almelo's Midterm review 2020, a closed period in the demo."""
    return ReportingPeriod.objects.select_related("programme__organisation").get(
        programme=almelo, name="Midterm review 2020"
    )


@pytest.fixture
def najaarsrapportage(almelo):
    """Almelo's Najaarsrapportage 2020, open, after the midterm review: its report is
    made from today's data."""
    return ReportingPeriod.objects.select_related("programme__organisation").get(
        programme=almelo, name="Najaarsrapportage 2020"
    )
