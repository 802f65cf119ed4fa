"""Everything the dashboard shows of one period, in a fixed number of queries.

The queries, whatever the number of measures (the view's own are listed there):

1. the periods of the status history with their frozen overviews,
2. the programme's measures with plan, owner and status (`load_measures`),
3. the status levels,
4-6. for an open period: the targets, the savings task with the adjustments, and the
   approved forecasts and realisations (`load_overview`; a closed period's are frozen),
7. the open periods' statuses for the history (only when one is open; `statuses`),
8-11. the changes since the previous period (`changes_since_previous`: the previous
   period, the assessments of both, their yearly figures, the measures),
12. the overdue updates (only for an open period whose deadline has passed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F

from reports.chart import BarChart, savings_chart, status_chart

from ..changes import ChangeKind, MeasureChange, changes_since_previous
from ..constants import UpdateState
from ..models import Measure, MeasureUpdate, ReportingPeriod, StatusLevel
from ..overview import Overview, StatusData, TaskGap, gaps_to_savings_task
from ..overview_data import load_measures, load_overview, status_data
from .statuses import period_statuses, status_columns

# Periods in the status chart: the chosen one and those before it. One more is read, so
# that the first column, too, can say how many measures left "on course".
HISTORY_LENGTH = 6


@dataclass(frozen=True)
class StatusChange:
    """A measure whose status changed since the previous period, with both statuses."""

    change: MeasureChange
    before: StatusData | None
    after: StatusData | None


@dataclass
class Dashboard:
    period: ReportingPeriod
    previous: ReportingPeriod | None
    overview: Overview
    measures: list[Measure]
    levels: list[StatusData]
    savings_chart: BarChart
    gaps: list[TaskGap]
    status_chart: BarChart
    status_counts: list[tuple[StatusData | None, int]]
    # Measures that counted as on course in the previous period and no longer do.
    moved_off_course: int | None
    status_changes: list[StatusChange]
    overdue: list[MeasureUpdate]

    @property
    def measure_count(self) -> int:
        return sum(count for _status, count in self.status_counts)

    @property
    def on_course_count(self) -> int:
        return sum(
            count for status, count in self.status_counts if status and status.counts_as_on_course
        )

    @property
    def target_year_gap(self) -> TaskGap | None:
        return next((gap for gap in self.gaps if gap.year == self.overview.target_year), None)


def history_of(period: ReportingPeriod, periods: list[ReportingPeriod]) -> list[int]:
    """Ids of the periods of the chart, oldest first: the programme's up to `period`, and
    the one before those."""
    earlier = sorted(
        (
            p
            for p in periods
            if p.programme_id == period.programme_id
            and (p.reference_date, p.pk) <= (period.reference_date, period.pk)
        ),
        key=lambda p: (p.reference_date, p.pk),
    )
    return [p.pk for p in earlier[-(HISTORY_LENGTH + 1) :]]


def build_dashboard(history_ids: list[int], *, today: date) -> Dashboard:
    """The dashboard of the last period in `history_ids` (see `history_of`)."""
    loaded = ReportingPeriod.objects.select_related("programme__organisation").in_bulk(history_ids)
    history = [loaded[pk] for pk in history_ids]
    period = history[-1]
    measures = load_measures(period)
    level_rows = list(StatusLevel.objects.filter(scale_id=period.programme.status_scale_id))
    levels = [status_data(level) for level in level_rows]
    overview = load_overview(
        period, measures=measures, levels=level_rows, with_figures=True
    ).overview
    statuses = period_statuses(history, measures, level_rows)
    columns = status_columns(statuses, level_rows)
    shown = columns[-HISTORY_LENGTH:]
    return Dashboard(
        period=period,
        previous=history[-2] if len(history) > 1 else None,
        overview=overview,
        measures=measures,
        levels=levels,
        savings_chart=savings_chart(overview, key="besparingen"),
        gaps=gaps_to_savings_task(overview),
        status_chart=status_chart(shown),
        status_counts=shown[-1].counts,
        moved_off_course=shown[-1].moved_off_course,
        status_changes=status_changes(period, levels),
        overdue=overdue_updates(period, today=today),
    )


def status_changes(period: ReportingPeriod, levels: list[StatusData]) -> list[StatusChange]:
    """The measures whose approved status differs from the previous period's."""
    result = changes_since_previous(period)
    if result is None:
        return []
    by_label = {level.label: level for level in levels}
    return [
        StatusChange(change, by_label.get(change.before), by_label.get(change.after))
        for change in result.changes
        if change.kind is ChangeKind.STATUS
    ]


def overdue_updates(period: ReportingPeriod, *, today: date) -> list[MeasureUpdate]:
    """The updates of an open period whose deadline has passed and that are not approved
    yet (drafts, returned and submitted ones), in plan and number order."""
    if period.is_closed or period.deadline is None or period.deadline >= today:
        return []
    return list(
        MeasureUpdate.objects.filter(period=period)
        .exclude(state=UpdateState.APPROVED)
        .select_related("measure", "measure__plan", "measure__owner")
        .order_by(
            F("measure__plan__order").asc(nulls_last=True), "measure__sort_key", "measure__title"
        )
    )
