"""The Almelo demo data gives the seed's table to the unit, through the one computation."""

from measures.models import ReportingPeriod
from measures.overview import RowKind
from measures.overview_data import load_overview
from tests.reference import EXPECTED, REFERENCE, measure_lines


def almelo_overview():
    period = ReportingPeriod.objects.get(name="Midterm review 2020")
    return load_overview(period).overview


def thousands(amount):
    assert amount.euros % 1000 == 0
    return "PM" if amount.is_pm else amount.euros // 1000


def test_every_measure_has_the_seed_targets_and_status(almelo):
    overview = almelo_overview()
    rows = [row for row in overview.rows if row.kind is RowKind.MEASURE]
    assert len(rows) == sum(1 for _ in measure_lines())
    for row, (_, number, title, targets, status) in zip(rows, measure_lines(), strict=True):
        assert (row.number, row.label) == (number, title)
        assert {str(year): thousands(cell) for year, cell in row.cells.items()} == targets
        assert (row.status.label if row.status else "") == status


def test_plan_subtotals_match_the_seed(almelo):
    overview = almelo_overview()
    for plan in REFERENCE["plans"]:
        subtotal = overview.plan_subtotals[plan["name"]]
        assert {str(year): thousands(cell) for year, cell in subtotal.items()} == plan[
            "expected_subtotal"
        ]


def test_totals_task_and_balance_match_the_seed(almelo):
    overview = almelo_overview()
    assert {str(y): thousands(c) for y, c in overview.total.items()} == EXPECTED[
        "total_expected_savings"
    ]
    assert overview.on_course_total == EXPECTED["on_track_total_in_target_year"] * 1000
    assert {str(y): -e // 1000 for y, e in overview.savings_task.items()} == EXPECTED[
        "savings_task"
    ]
    assert [(a.label, a.year, a.euros // 1000) for a in overview.adjustments] == [
        (a["label"], a["year"], a["amount"]) for a in EXPECTED["adjustments"]
    ]
    assert overview.balance == EXPECTED["balance_in_target_year"] * 1000 == 82_000


def test_replacement_measure_replaces_six_two_seven_and_eight(almelo):
    from measures.models import Measure

    replacement = Measure.objects.get(title="Gecertificeerde instellingen")
    assert replacement.plan is None
    assert sorted(replacement.replaces.values_list("number", flat=True)) == ["6.2", "7", "8"]
