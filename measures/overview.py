"""The "op koers" overview as arithmetic on plain data.

This module is the one place where the overview's money is added up. The web page, the
exports, the management command and the report all call `compute_overview`; none of
them sums on its own. It knows nothing of requests, templates or the ORM: the loader in
`measures.overview_data` turns database rows into the dataclasses below.

All amounts are whole euros (int). A target is either an amount, PM (exists, amount
unknown, counts as 0) or absent (no target that year); the three stay distinguishable
all the way to the output.

The rows show one `Series` of figures per measure: the targets (the seed's table, with
the savings task, adjustments and balance under it), the forecasts, the realisations or
the deviation of forecast from target. The totals of every series are computed whichever
the rows show, so that a chart and a table of the same series cannot differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Amount:
    """A figure in a cell: euros, flagged PM when every part of it is PM."""

    euros: int
    is_pm: bool = False

    @classmethod
    def pm(cls) -> Amount:
        return cls(0, is_pm=True)


def add_amounts(amounts: list[Amount]) -> Amount | None:
    """Sum cells; None when there is nothing to sum, PM when there are only PMs."""
    if not amounts:
        return None
    return Amount(
        sum(amount.euros for amount in amounts),
        is_pm=all(amount.is_pm for amount in amounts),
    )


class Series(StrEnum):
    """Which figure of each measure the rows show; the values are the words of the page's
    `?reeks=` and of the exports and the command."""

    TARGET = "taakstelling"
    # The approved forecast where the measure gave one, else its target: a measure that
    # reported no deviation is expected to deliver what it must.
    FORECAST = "prognose"
    # The approved (hard) realised saving, only in years for which one was reported.
    REALISED = "realisatie"
    # Forecast minus target: positive is favourable (voordeel), negative not (nadeel). It
    # is PM where the forecast is PM, since then it is not known either.
    DEVIATION = "afwijking"


@dataclass(frozen=True)
class StatusData:
    id: int
    label: str
    icon: str
    colour: str
    counts_as_on_course: bool
    description: str = ""


@dataclass(frozen=True)
class MeasureData:
    id: int
    number: str
    title: str
    targets: dict[int, Amount]
    status: StatusData | None = None
    parent_id: int | None = None
    is_heading: bool = False
    # The status comes from an update still waiting for approval, not the approved state.
    is_draft: bool = False
    # Approved forecast and (hard) realised saving per year, where the loader was asked.
    forecasts: dict[int, Amount] = field(default_factory=dict)
    realised: dict[int, int] = field(default_factory=dict)

    def figures(self, series: Series) -> dict[int, Amount]:
        """The measure's figure per year in `series` (see `Series`); a year without one
        is absent, as a year without a target is."""
        if series is Series.TARGET:
            return self.targets
        if series is Series.REALISED:
            return {year: Amount(euros) for year, euros in self.realised.items()}
        expected = {**self.targets, **self.forecasts}
        if series is Series.FORECAST:
            return expected
        return {
            year: Amount.pm()
            if forecast.is_pm
            else Amount(forecast.euros - self.targets.get(year, Amount(0)).euros)
            for year, forecast in expected.items()
        }


@dataclass(frozen=True)
class PlanData:
    id: int
    name: str
    decision_reference: str
    measures: list[MeasureData]


@dataclass(frozen=True)
class AdjustmentData:
    label: str
    year: int
    euros: int


@dataclass(frozen=True)
class OverviewInput:
    years: list[int]
    target_year: int
    plans: list[PlanData]
    other_measures: list[MeasureData]
    savings_task: dict[int, int]
    adjustments: list[AdjustmentData]
    # False when the measures are a filtered selection: the programme's task, adjustments
    # and balance then do not apply to what is shown, so their rows are left out.
    is_complete: bool = True


class RowKind(StrEnum):
    PLAN = "plan"
    MEASURE = "measure"
    SUBTOTAL = "subtotal"
    TOTAL = "total"
    ON_COURSE = "on_course"
    SAVINGS_TASK = "savings_task"
    ADJUSTMENT = "adjustment"
    BALANCE = "balance"


@dataclass
class Row:
    """One line of the overview, in the order it is shown."""

    kind: RowKind
    label: str
    number: str = ""
    cells: dict[int, Amount | None] = field(default_factory=dict)
    status: StatusData | None = None
    measure_id: int | None = None
    depth: int = 0
    is_heading: bool = False
    is_draft: bool = False


@dataclass(frozen=True)
class BalanceTerm:
    """One of the figures the balance adds up, signed as it counts: the on-course total,
    the (negative) savings task and each adjustment of the target year."""

    kind: RowKind
    label: str
    euros: int

    @property
    def magnitude(self) -> int:
        return abs(self.euros)


@dataclass
class Overview:
    years: list[int]
    target_year: int
    rows: list[Row]
    plan_subtotals: dict[str, dict[int, Amount | None]]
    total: dict[int, Amount | None]
    on_course_total: int
    savings_task: dict[int, int]
    adjustments: list[AdjustmentData]
    balance: int
    balance_terms: list[BalanceTerm]
    labels: OverviewLabels
    series: Series = Series.TARGET
    # Per series the total over all shown measures; `total` is that of `series`.
    totals: dict[Series, dict[int, Amount | None]] = field(default_factory=dict)
    is_complete: bool = True

    @property
    def series_name(self) -> str:
        return self.labels.series[self.series]

    @property
    def savings_task_in_target_year(self) -> int:
        return self.savings_task.get(self.target_year, 0)

    @property
    def measure_rows(self) -> list[Row]:
        return [row for row in self.rows if row.kind is RowKind.MEASURE and not row.is_heading]

    def status_counts(self, levels: list[StatusData]) -> list[tuple[StatusData | None, int]]:
        """How many measures have each status, in the scale's order; None is "not assessed"."""
        return count_statuses([row.status for row in self.measure_rows], levels)


def count_statuses(
    statuses: list[StatusData | None], levels: list[StatusData]
) -> list[tuple[StatusData | None, int]]:
    """How many of `statuses` are each level, in the scale's order, then "not assessed"
    (None) when there are any."""
    counts: dict[int | None, int] = {}
    for status in statuses:
        key = status.id if status else None
        counts[key] = counts.get(key, 0) + 1
    result = [(level, counts.get(level.id, 0)) for level in levels]
    if counts.get(None):
        result.append((None, counts[None]))
    return result


def compute_overview(
    data: OverviewInput, *, labels: OverviewLabels, series: Series = Series.TARGET
) -> Overview:
    """Rows grouped by plan with subtotals, then the total; for the targets also the
    on-course total, the savings task, the adjustments and the balance.

    The rows show `series`. The on-course total counts, in the target year, the target of
    every measure whose status counts as on course; the balance adds the (negative)
    savings task and the adjustments of the target year to it. Both are about targets,
    so they are the same whichever series the rows show.
    """
    years = list(data.years)
    rows: list[Row] = []
    plan_subtotals: dict[str, dict[int, Amount | None]] = {}
    all_measures: list[MeasureData] = []

    for plan in data.plans:
        title = f"{plan.name} ({plan.decision_reference})" if plan.decision_reference else plan.name
        rows.append(Row(RowKind.PLAN, title))
        rows.extend(_measure_row(measure, series) for measure in plan.measures)
        subtotal = _sum_per_year(plan.measures, years, series)
        plan_subtotals[plan.name] = subtotal
        rows.append(Row(RowKind.SUBTOTAL, labels.subtotal % {"plan": plan.name}, cells=subtotal))
        all_measures.extend(plan.measures)

    rows.extend(_measure_row(measure, series) for measure in data.other_measures)
    all_measures.extend(data.other_measures)

    totals = {each: _sum_per_year(all_measures, years, each) for each in Series}
    total_label = labels.totals[series]
    if not data.is_complete:
        total_label = labels.selection_total % {"total": total_label}
    rows.append(Row(RowKind.TOTAL, total_label, cells=totals[series]))

    target_year = data.target_year
    on_course_total = sum(
        measure.targets[target_year].euros
        for measure in all_measures
        if not measure.is_heading
        and measure.status is not None
        and measure.status.counts_as_on_course
        and target_year in measure.targets
    )
    savings_task = {year: data.savings_task[year] for year in years if year in data.savings_task}
    balance_terms = [
        BalanceTerm(RowKind.ON_COURSE, labels.on_course % {"year": target_year}, on_course_total),
        BalanceTerm(RowKind.SAVINGS_TASK, labels.savings_task, -savings_task.get(target_year, 0)),
        *(
            BalanceTerm(RowKind.ADJUSTMENT, adjustment.label, adjustment.euros)
            for adjustment in data.adjustments
            if adjustment.year == target_year
        ),
    ]
    balance = sum(term.euros for term in balance_terms)
    if data.is_complete and series is Series.TARGET:
        rows.append(
            Row(
                RowKind.ON_COURSE,
                labels.on_course % {"year": target_year},
                cells={target_year: Amount(on_course_total)},
            )
        )
        rows.append(
            Row(
                RowKind.SAVINGS_TASK,
                labels.savings_task,
                cells={year: Amount(-euros) for year, euros in savings_task.items()},
            )
        )
        rows.extend(
            Row(RowKind.ADJUSTMENT, adj.label, cells={adj.year: Amount(adj.euros)})
            for adj in data.adjustments
        )
        rows.append(Row(RowKind.BALANCE, labels.balance, cells={target_year: Amount(balance)}))

    return Overview(
        years=years,
        target_year=target_year,
        rows=rows,
        plan_subtotals=plan_subtotals,
        total=totals[series],
        on_course_total=on_course_total,
        savings_task=savings_task,
        adjustments=list(data.adjustments),
        balance=balance,
        balance_terms=balance_terms,
        labels=labels,
        series=series,
        totals=totals,
        is_complete=data.is_complete,
    )


@dataclass(frozen=True)
class OverviewLabels:
    """The Dutch names and row labels, passed in so this module stays free of translation
    machinery. `series` names each series, `totals` its total row; `selection_total`
    wraps a total's label when the measures are a selection ("%(total)s (selectie)")."""

    subtotal: str
    series: dict[Series, str]
    totals: dict[Series, str]
    selection_total: str
    on_course: str
    savings_task: str
    balance: str
    # The programme's savings task as a series of its own, in a chart or a key figure.
    programme_task: str


def _measure_row(measure: MeasureData, series: Series) -> Row:
    return Row(
        RowKind.MEASURE,
        measure.title,
        number=measure.number,
        cells={} if measure.is_heading else dict(measure.figures(series)),
        status=None if measure.is_heading else measure.status,
        measure_id=measure.id,
        depth=1 if measure.parent_id else 0,
        is_heading=measure.is_heading,
        is_draft=measure.is_draft,
    )


def _sum_per_year(
    measures: list[MeasureData], years: list[int], series: Series
) -> dict[int, Amount | None]:
    figures = [m.figures(series) for m in measures if not m.is_heading]
    return {year: add_amounts([each[year] for each in figures if year in each]) for year in years}


@dataclass(frozen=True)
class TaskGap:
    """One year's savings task against what is expected to fill it.

    `expected` is the forecast total (a measure without a forecast is expected to deliver
    its target; PM counts as 0) and `adjustments` the extra means of that year, such as
    "Inzet extra middelen jeugdhulp". `gap` follows the reports' sign: positive is a
    surplus (voordeel), negative what is still missing (nadeel).
    """

    year: int
    savings_task: int
    expected: int
    adjustments: int

    @property
    def gap(self) -> int:
        return self.expected + self.adjustments - self.savings_task


def gaps_to_savings_task(overview: Overview) -> list[TaskGap]:
    """The gap per year that has a savings task, from the overview's forecast total (the
    prognose series: a measure without a forecast counts its target). Needs the overview's
    forecasts: load it with figures, else every measure counts at its target."""
    gaps = []
    for year in overview.years:
        if year not in overview.savings_task:
            continue
        expected = overview.totals[Series.FORECAST].get(year)
        gaps.append(
            TaskGap(
                year=year,
                savings_task=overview.savings_task[year],
                expected=expected.euros if expected else 0,
                adjustments=sum(a.euros for a in overview.adjustments if a.year == year),
            )
        )
    return gaps
