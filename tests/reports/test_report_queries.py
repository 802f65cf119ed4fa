"""Building a report runs a fixed number of queries, whatever the number of measures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures.changes import changes_since_previous
from measures.models import ReportingPeriod
from measures.overview_data import load_overview
from reports.builder import build_report_data
from tests.factories import make_programme

# The report's own queries, on top of those of load_overview and changes_since_previous:
# the goals, the assessments' texts, their yearly figures, and the replacements.
OWN_QUERIES = 4
# An open period without a previous one: load_overview reads the measures, the status
# levels, the yearly targets, the savings task with the adjustments and the approved
# forecasts and realisations for the chart (5), the report its own (4), and
# changes_since_previous looks for the previous period (1).
OPEN_PERIOD_WITHOUT_PREVIOUS = 10


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


@pytest.mark.parametrize("measures", [5, 60])
def test_report_of_a_generated_programme_takes_the_same_queries_for_any_size(
    measures, db, django_assert_num_queries
):
    period = ReportingPeriod.objects.select_related("programme").get(pk=make_programme(measures).pk)
    with django_assert_num_queries(OPEN_PERIOD_WITHOUT_PREVIOUS):
        data = build_report_data(period, built_at=timezone.now())
    assert data.measure_count == measures


def test_report_adds_only_its_own_queries_to_the_overview_and_the_changes(period, previous_period):
    expected = (
        count_queries(lambda: load_overview(period))
        + count_queries(lambda: changes_since_previous(period))
        + OWN_QUERIES
    )
    assert count_queries(lambda: build_report_data(period, built_at=timezone.now())) == expected
