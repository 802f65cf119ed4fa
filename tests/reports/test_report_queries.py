"""Building a report runs a fixed number of queries, whatever the number of measures."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chapters.chapter import CHAPTER_QUERIES
from measures.changes import changes_since_previous
from measures.models import ReportingPeriod
from measures.overview_data import load_overview
from reports.builder import build_report_data
from tests.factories import make_programme

# The programme's chapter (chapters.chapter.load_chapter) of a programme without
# indicators: no indicator, so no parts to prefetch and no series to read.
CHAPTER_WITHOUT_INDICATORS = CHAPTER_QUERIES - 2
# The period's money (budgets.data.load_money) of a period without variance explanations:
# the figures, the statement layout, the products and the explanations (whose products'
# prefetch runs only when there is one). Without figures there is no doelenboom to read.
MONEY_WITHOUT_EXPLANATIONS = 4
# The organisation's layout for the period's kind (reports.builder.report_layout).
LAYOUT = 1
# The report's own queries for an open period, on top of those of load_overview and
# changes_since_previous: the yearly targets, the assessments' texts, their yearly
# figures, the replacements and the goals (measures.report_input), the chapter's and the
# money's and the layout.
OWN_QUERIES = 5 + CHAPTER_WITHOUT_INDICATORS + MONEY_WITHOUT_EXPLANATIONS + LAYOUT
# An open period without a previous one: load_overview reads the measures, the status
# levels, the yearly targets, the savings task with the adjustments and the approved
# forecasts and realisations for the chart (5), the report its own (5 and the chapter's),
# the money's, the layout, and changes_since_previous looks for the previous period (1).
OPEN_PERIOD_WITHOUT_PREVIOUS = 11 + CHAPTER_WITHOUT_INDICATORS + MONEY_WITHOUT_EXPLANATIONS + LAYOUT


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


@pytest.mark.parametrize("measures", [5, 60])
def test_report_of_a_generated_programme_takes_the_same_queries_for_any_size(
    measures, db, django_assert_num_queries
):
    period = ReportingPeriod.objects.select_related("programme__organisation").get(
        pk=make_programme(measures).pk
    )
    with django_assert_num_queries(OPEN_PERIOD_WITHOUT_PREVIOUS):
        data = build_report_data(period, built_at=timezone.now())
    assert data.measure_count == measures


def test_report_adds_only_its_own_queries_to_the_overview_and_the_changes(najaarsrapportage):
    def fresh():
        # Each count from a period read anew: a programme object keeps the lists it read
        # once (measures.overview_data.programme_lines).
        return ReportingPeriod.objects.select_related("programme__organisation").get(
            pk=najaarsrapportage.pk
        )

    first, second, third = fresh(), fresh(), fresh()
    expected = (
        count_queries(lambda: load_overview(first, with_figures=True))
        + count_queries(lambda: changes_since_previous(second))
        + OWN_QUERIES
    )
    assert count_queries(lambda: build_report_data(third, built_at=timezone.now())) == expected


def test_report_of_a_closed_period_reads_only_what_was_frozen(period, django_assert_num_queries):
    """Only the programme's chapter and its money are read: their rows are the period's,
    kept as they were by the closed-period guard (chapters.chapter, budgets.models); and
    the organisation's layout, read as it is today."""
    with django_assert_num_queries(
        CHAPTER_WITHOUT_INDICATORS + MONEY_WITHOUT_EXPLANATIONS + LAYOUT
    ):
        build_report_data(period, built_at=timezone.now())
