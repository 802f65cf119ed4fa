"""Statuses per period over time: how many measures had each status, and how many left
"on course" since the period before.

The rows are the overview's: a heading carries no status and a withdrawn measure counts
only while it still has one. A period with a frozen overview (a closed one) counts what
was frozen, through `load_overview`, at no query; the open periods' approved statuses
are read in one query, whatever the number of periods and measures.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.chart import StatusColumn

from ..models import Assessment, Measure, ReportingPeriod, StatusLevel
from ..overview import StatusData, count_statuses
from ..overview_data import is_reported, load_overview, status_data


@dataclass(frozen=True)
class PeriodStatuses:
    period: ReportingPeriod
    # Every measure with a row in the period's overview, and its status there.
    statuses: dict[int, StatusData | None]


def period_statuses(
    periods: list[ReportingPeriod], measures: list[Measure], levels: list[StatusLevel]
) -> list[PeriodStatuses]:
    """The statuses of `measures` (from `load_measures`) in each of `periods`, one
    programme's, loaded with their frozen overview."""
    by_level = {level.pk: status_data(level) for level in levels}
    approved: dict[int, dict[int, int | None]] = {}
    open_ids = [period.pk for period in periods if period.frozen_report is None]
    if open_ids:
        rows = (
            Assessment.objects.filter(period_id__in=open_ids)
            .order_by()
            .values_list("period_id", "measure_id", "status_id")
        )
        for period_id, measure_id, status_id in rows:
            approved.setdefault(period_id, {})[measure_id] = status_id
    result = []
    for period in periods:
        if period.frozen_report is not None:
            overview = load_overview(period, measures=measures, levels=levels).overview
            statuses = {row.measure_id: row.status for row in overview.measure_rows}
        else:
            found = approved.get(period.pk, {})
            statuses = {
                measure.pk: by_level.get(found.get(measure.pk))
                for measure in measures
                if not measure.has_children and is_reported(measure, found.get(measure.pk))
            }
        result.append(PeriodStatuses(period, statuses))
    return result


def moved_off_course(before: PeriodStatuses, after: PeriodStatuses) -> list[int]:
    """The measures that counted as on course in `before` and no longer do in `after`
    (another status, or none); a measure new in `after` has not moved."""
    return [
        measure_id
        for measure_id, status in after.statuses.items()
        if _on_course(before.statuses.get(measure_id)) and not _on_course(status)
    ]


def _on_course(status: StatusData | None) -> bool:
    return status is not None and status.counts_as_on_course


def status_columns(history: list[PeriodStatuses], levels: list[StatusLevel]) -> list[StatusColumn]:
    """The chart's columns for `history`, oldest first; the first period is compared with
    nothing, so it has no count of measures that moved."""
    scale = [status_data(level) for level in levels]
    return [
        StatusColumn(
            label=item.period.name,
            counts=count_statuses(list(item.statuses.values()), scale),
            moved_off_course=len(moved_off_course(history[index - 1], item)) if index else None,
        )
        for index, item in enumerate(history)
    ]
