"""Fixtures for the report tests: Almelo's closed period and the open one after it."""

import pytest

from measures.models import ReportingPeriod
from reports.models import ReportLayout


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


@pytest.fixture(autouse=True)
def _default_layouts(request):
    """The report tests see the sequence a report has without a layout; the demo's layouts
    (each seed's sections and headings) only where a test asks for them with
    @pytest.mark.seed_layouts (tests/reports/test_seed_reports.py)."""
    # Only inside a test's transaction, which rolls the deletion back.
    if "db" not in request.fixturenames or "transactional_db" in request.fixturenames:
        return
    if request.node.get_closest_marker("seed_layouts") is None:
        request.getfixturevalue("db")
        ReportLayout.objects.all().delete()
