"""Loads what the product page shows: the product's budget figures of a period (from
budgets.data) next to the savings measures linked to it (from the op-koers overview's
loader and computation), and their comparison (budgets.savings).

A fixed number of queries, whatever the number of products and measures (pinned in
tests/budgets/test_product_page.py): those of budgets.data.load_money, then the
programme's measures, its status levels, the ids of the measures linked to the product,
and those of measures.overview_data.period_input (for an open period the targets, the
savings task with the adjustments and the approved forecasts and realisations; for a
closed one its frozen overview).
"""

from __future__ import annotations

from dataclasses import dataclass

from measures.models import ReportingPeriod, StatusLevel
from measures.overview import (
    Amount,
    Overview,
    RowKind,
    Series,
    StatusData,
    compute_overview,
)
from measures.overview_data import (
    load_measures,
    overview_labels,
    period_input,
    programme_data,
    select,
)

from . import savings, statement
from .data import Money, load_money
from .models import Product

# The figures of the budget table, in the order shown.
BUDGET_COLUMNS = (
    statement.PRIMAIR,
    statement.NA_WIJZIGING,
    statement.PROGNOSE,
    statement.REALISATIE,
)
SAVING_SERIES = (Series.TARGET, Series.FORECAST, Series.REALISED)


@dataclass(frozen=True)
class MeasureSaving:
    """One linked measure's figures of the year, as the overview computes them."""

    id: int
    plan: str
    number: str
    title: str
    status: StatusData | None
    target: Amount | None
    forecast: Amount | None
    realised: Amount | None


@dataclass(frozen=True)
class ProductSavings:
    product: Product
    period: ReportingPeriod
    year: int
    money: Money
    measures: list[MeasureSaving]
    # The linked measures' total per series of the year (None: no figure that year).
    totals: dict[Series, Amount | None]
    comparison: savings.Comparison

    @property
    def budget_rows(self) -> list[tuple[str, list[int | None]]]:
        """(category, [amount per BUDGET_COLUMNS]) for lasten and baten."""
        totals = self.money.product_totals(self.product)
        return [
            (category, [totals.get(category, column) for column in BUDGET_COLUMNS])
            for category in (statement.LASTEN, statement.BATEN)
        ]


def plan_of_rows(overview: Overview) -> dict[int, str]:
    """The plan heading each measure row falls under ("" outside the plans)."""
    plans, current = {}, ""
    for row in overview.rows:
        if row.kind is RowKind.PLAN:
            current = row.label
        elif row.kind is RowKind.SUBTOTAL:
            current = ""
        elif row.measure_id is not None:
            plans[row.measure_id] = current
    return plans


def load_product_savings(period: ReportingPeriod, product: Product) -> ProductSavings:
    """The product's money in the period's year and its linked measures' savings; the
    period with its programme (and organisation) selected."""
    money = load_money(period)
    year = money.year
    measures = load_measures(period)
    levels = list(StatusLevel.objects.filter(scale_id=period.programme.status_scale_id))
    linked = set(product.measures.values_list("pk", flat=True))
    data = select(period_input(period, measures, levels, with_figures=True), linked)
    labels = overview_labels(separates_hard_soft=programme_data(period).separates_hard_soft)
    overviews = {
        series: compute_overview(data, labels=labels, series=series) for series in SAVING_SERIES
    }
    target_overview = overviews[Series.TARGET]
    plans = plan_of_rows(target_overview)
    cells = {
        series: {row.measure_id: row.cells.get(year) for row in overview.measure_rows}
        for series, overview in overviews.items()
    }
    rows = [
        MeasureSaving(
            id=row.measure_id,
            plan=plans.get(row.measure_id, ""),
            number=row.number,
            title=row.label,
            status=row.status,
            target=cells[Series.TARGET][row.measure_id],
            forecast=cells[Series.FORECAST][row.measure_id],
            realised=cells[Series.REALISED][row.measure_id],
        )
        for row in target_overview.measure_rows
    ]
    totals = {series: target_overview.totals[series].get(year) for series in SAVING_SERIES}
    lasten = money.product_totals(product)
    target, forecast = totals[Series.TARGET], totals[Series.FORECAST]
    comparison = savings.compare(
        year=year,
        budget=lasten.get(statement.LASTEN, statement.NA_WIJZIGING),
        realised=lasten.get(statement.LASTEN, statement.REALISATIE),
        forecast_lasten=lasten.get(statement.LASTEN, statement.PROGNOSE),
        target=None if target is None else target.euros,
        forecast=None if forecast is None else forecast.euros,
    )
    return ProductSavings(
        product=product,
        period=period,
        year=year,
        money=money,
        measures=rows,
        totals=totals,
        comparison=comparison,
    )
