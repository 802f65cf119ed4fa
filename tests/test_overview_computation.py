"""The overview arithmetic on plain data, without a database."""

from measures.overview import (
    AdjustmentData,
    Amount,
    MeasureData,
    OverviewInput,
    OverviewLabels,
    PlanData,
    RowKind,
    Series,
    StatusData,
    add_amounts,
    compute_overview,
)

LABELS = OverviewLabels(
    subtotal="Subtotaal %(plan)s",
    series={series: series.value for series in Series},
    totals={series: f"Totaal {series.value}" for series in Series},
    selection_total="%(total)s selectie",
    on_course="Op koers %(year)s",
    savings_task="Taakstelling",
    balance="Saldo",
    programme_task="Taakstelling programma",
)
YES = StatusData(1, "Ja", "smiley", "#1d6b2f", counts_as_on_course=True)
NO = StatusData(2, "Nee", "frown", "#b00020", counts_as_on_course=False)


def measure(pk, number, targets, status=YES, **extra):
    return MeasureData(pk, number, f"Maatregel {number}", targets, status, **extra)


def data(plans, others=(), task=None, adjustments=(), is_complete=True):
    return OverviewInput(
        years=[2021, 2022],
        target_year=2022,
        plans=plans,
        other_measures=list(others),
        savings_task=task or {},
        adjustments=list(adjustments),
        is_complete=is_complete,
    )


def test_pm_counts_as_zero_but_stays_pm_and_differs_from_no_target():
    plan = PlanData(1, "Plan", "", [measure(1, "1", {2021: Amount.pm()})])
    result = compute_overview(data([plan]), labels=LABELS)
    subtotal = result.plan_subtotals["Plan"]
    assert subtotal[2021] == Amount(0, is_pm=True)
    assert subtotal[2022] is None
    assert result.total[2021].euros == 0


def test_sum_of_pm_and_amount_is_the_amount_and_not_pm():
    assert add_amounts([Amount.pm(), Amount(82_000)]) == Amount(82_000, is_pm=False)
    assert add_amounts([Amount(0)]) == Amount(0, is_pm=False)
    assert add_amounts([]) is None


def test_plan_subtotals_and_total_per_year():
    plan_a = PlanData(1, "A", "BW-1", [measure(1, "1", {2021: Amount(1_000), 2022: Amount(2_000)})])
    plan_b = PlanData(2, "B", "", [measure(2, "1", {2022: Amount(500)})])
    other = measure(3, "", {2022: Amount(100)})
    result = compute_overview(data([plan_a, plan_b], [other]), labels=LABELS)
    assert result.plan_subtotals["A"] == {2021: Amount(1_000), 2022: Amount(2_000)}
    assert result.plan_subtotals["B"] == {2021: None, 2022: Amount(500)}
    assert result.total == {2021: Amount(1_000), 2022: Amount(2_600)}


def test_heading_shows_no_amounts_and_is_not_summed():
    heading = measure(1, "6", {2022: Amount(999)}, is_heading=True)
    sub = measure(2, "6.1", {2022: Amount(82)}, parent_id=1)
    result = compute_overview(data([PlanData(1, "P", "", [heading, sub])]), labels=LABELS)
    heading_row = next(row for row in result.rows if row.number == "6")
    assert heading_row.cells == {} and heading_row.status is None and heading_row.is_heading
    assert next(row for row in result.rows if row.number == "6.1").depth == 1
    assert result.total[2022] == Amount(82)


def test_on_course_total_counts_only_on_course_measures_in_target_year():
    measures = [
        measure(1, "1", {2021: Amount(7), 2022: Amount(1_000)}, YES),
        measure(2, "2", {2022: Amount(500)}, NO),
        measure(3, "3", {2022: Amount(300)}, None),
        measure(4, "4", {2021: Amount(50)}, YES),
    ]
    result = compute_overview(data([PlanData(1, "P", "", measures)]), labels=LABELS)
    assert result.on_course_total == 1_000


def test_balance_adds_task_and_adjustments_of_target_year_only():
    plan = PlanData(1, "P", "", [measure(1, "1", {2022: Amount(5_832_000)})])
    adjustments = [
        AdjustmentData("Extra middelen", 2022, 1_800_000),
        AdjustmentData("Vorig jaar", 2021, 999),
    ]
    result = compute_overview(
        data([plan], task={2021: 5_150_000, 2022: 7_550_000}, adjustments=adjustments),
        labels=LABELS,
    )
    assert result.balance == 82_000
    task_row = next(row for row in result.rows if row.kind is RowKind.SAVINGS_TASK)
    assert task_row.cells == {2021: Amount(-5_150_000), 2022: Amount(-7_550_000)}
    assert [row.kind for row in result.rows][-1] is RowKind.BALANCE


def test_rows_come_in_the_order_of_the_seed_table():
    plan = PlanData(1, "P", "BW-1", [measure(1, "1", {2022: Amount(1)})])
    other = measure(2, "", {2022: Amount(2)})
    adjustments = [AdjustmentData("Extra", 2022, 3)]
    result = compute_overview(data([plan], [other], {2022: 4}, adjustments), labels=LABELS)
    assert [row.kind for row in result.rows] == [
        RowKind.PLAN,
        RowKind.MEASURE,
        RowKind.SUBTOTAL,
        RowKind.MEASURE,
        RowKind.TOTAL,
        RowKind.ON_COURSE,
        RowKind.SAVINGS_TASK,
        RowKind.ADJUSTMENT,
        RowKind.BALANCE,
    ]
    assert result.rows[0].label == "P (BW-1)"


def test_selection_leaves_out_task_adjustments_and_balance_rows():
    plan = PlanData(1, "P", "", [measure(1, "1", {2022: Amount(1)})])
    result = compute_overview(
        data(
            [plan], task={2022: 10}, adjustments=[AdjustmentData("X", 2022, 5)], is_complete=False
        ),
        labels=LABELS,
    )
    kinds = {row.kind for row in result.rows}
    assert RowKind.BALANCE not in kinds and RowKind.SAVINGS_TASK not in kinds
    assert RowKind.ADJUSTMENT not in kinds and RowKind.ON_COURSE not in kinds
    assert next(row for row in result.rows if row.kind is RowKind.TOTAL).label == (
        "Totaal taakstelling selectie"
    )


def test_status_counts_follow_the_scale_and_count_unassessed():
    measures = [measure(1, "1", {}, YES), measure(2, "2", {}, YES), measure(3, "3", {}, None)]
    result = compute_overview(data([PlanData(1, "P", "", measures)]), labels=LABELS)
    assert result.status_counts([YES, NO]) == [(YES, 2), (NO, 0), (None, 1)]


def test_forecast_total_takes_the_forecast_where_given_else_the_target():
    measures = [
        MeasureData(
            1, "1", "A", {2021: Amount(100), 2022: Amount(200)}, YES, forecasts={2022: Amount(150)}
        ),
        MeasureData(2, "2", "B", {2022: Amount.pm()}, YES),
        MeasureData(3, "3", "C", {}, YES, forecasts={2021: Amount(5)}),
    ]
    result = compute_overview(data([PlanData(1, "P", "", measures)]), labels=LABELS)
    assert result.totals[Series.FORECAST] == {2021: Amount(105), 2022: Amount(150)}


def test_realised_total_sums_only_reported_years():
    measures = [
        MeasureData(1, "1", "A", {2021: Amount(100)}, YES, realised={2021: 80}),
        MeasureData(2, "2", "B", {2021: Amount(50)}, YES, realised={2021: 0}),
        MeasureData(3, "3", "C", {}, YES, is_heading=True, realised={2022: 999}),
    ]
    result = compute_overview(data([PlanData(1, "P", "", measures)]), labels=LABELS)
    assert result.totals[Series.REALISED] == {2021: Amount(80), 2022: None}
