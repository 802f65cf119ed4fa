"""CSV and XLSX exports of the overview, and the `overview` management command.

The XLSX's subtotals and totals are formulas; the tests check the cells they refer to
and evaluate them (tests/imports/formulas.py) against the seed's figures."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from measures.exports import THOUSANDS_FORMAT, neutralise, to_xlsx
from measures.models import Measure, ReportingPeriod
from measures.overview import (
    AdjustmentData,
    Amount,
    MeasureData,
    OverviewInput,
    PlanData,
    compute_overview,
)
from measures.overview_data import overview_labels
from measures.tables import OverviewTable
from tests.imports import formulas
from tests.reference import EXPECTED, REFERENCE, YEARS, euros, measure_lines

HEADER = ["Volgnr", "Omschrijving", *YEARS, "Op koers", "Regel", "Reeks"]


@pytest.fixture
def midterm(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Midterm review 2020")


def export(client, period, export_format, **filters):
    return client.get(
        reverse("overview"), {"periode": period.pk, "_export": export_format, **filters}
    )


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def by_title(rows, title):
    return next(row for row in rows if row[1] == title)


def check_figures(rows, number):
    """Every reference figure in export rows: Volgnr, Omschrijving, years, Op koers, Regel."""
    for _, nr, title, targets, status in measure_lines():
        row = by_title(rows, title)
        assert row[0] == nr and row[6] == status
        assert row[2:6] == [number(euros(targets[y])) if y in targets else "" for y in YEARS]
    for plan in REFERENCE["plans"]:
        row = by_title(rows, f"Subtotaal {plan['name']}")
        assert row[2:6] == [number(euros(plan["expected_subtotal"][y])) for y in YEARS]
    assert by_title(rows, "Totaal taakstelling maatregelen")[2:6] == [
        number(euros(EXPECTED["total_expected_savings"][y])) for y in YEARS
    ]
    assert by_title(rows, "Inventarisatie invulling taakstelling per 2022")[5] == number(5_832_000)
    assert by_title(rows, "Te realiseren besparingen")[2:6] == [
        number(-1_150_000),
        number(-3_150_000),
        number(-5_150_000),
        number(-7_550_000),
    ]
    assert by_title(rows, "Saldo")[5] == number(82_000)


def evaluated_rows(sheet) -> list[list]:
    """The sheet from row 4 on, with every formula replaced by what Excel computes."""
    rows = []
    for row in sheet.iter_rows(min_row=4):
        rows.append(
            [
                "" if cell.value is None else formulas.value(sheet, cell.coordinate)
                for cell in row[: len(HEADER)]
            ]
        )
    return rows


def test_csv_export_has_every_figure_as_a_number(midterm, manager_client):
    response = export(manager_client, midterm, "csv")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="op-koers-programma-zorg-midterm-review-2020-taakstelling.csv"'
        in response["Content-Disposition"]
    )
    rows = csv_rows(response.content)
    assert rows[0] == HEADER
    check_figures(rows, str)


def test_xlsx_totals_are_formulas_that_give_the_figures_of_the_page(midterm, manager_client):
    sheet = load_workbook(io.BytesIO(export(manager_client, midterm, "xlsx").content)).active
    assert sheet["A1"].value == "Programma Zorg: Midterm review 2020 · Taakstelling maatregelen"
    assert sheet.freeze_panes == "C4"
    assert [cell.value for cell in sheet[3]] == [*HEADER, "Telt als op koers"]
    check_figures(evaluated_rows(sheet), lambda value: value)


def test_xlsx_subtotals_add_up_the_rows_of_their_plan(midterm, manager_client):
    sheet = load_workbook(io.BytesIO(export(manager_client, midterm, "xlsx").content)).active
    titles = {row[1].value: row[1].row for row in sheet.iter_rows(min_row=4)}
    plan_1 = [titles[title] for title in ("Doorbraakmethode", "Peuteropvang")]
    subtotal_1 = titles["Subtotaal Maatregelenplan 1"]
    assert sheet[f"C{subtotal_1}"].value == f"=SUM(C{plan_1[0]}:C{plan_1[1]})"
    assert sheet[f"F{subtotal_1}"].value == f"=SUM(F{plan_1[0]}:F{plan_1[1]})"
    subtotal_2 = titles["Subtotaal Maatregelenplan 2"]
    first_2 = titles["Invoeren nieuwe Verordening en beleid"]
    last_2 = titles["Jeugdhulp in het onderwijs"]
    assert sheet[f"D{subtotal_2}"].value == f"=SUM(D{first_2}:D{last_2})"
    total = titles["Totaal taakstelling maatregelen"]
    other = titles["Gecertificeerde instellingen"]
    assert sheet[f"F{total}"].value == f"=SUM(F{subtotal_1},F{subtotal_2},F{other}:F{other})"
    on_course = titles["Inventarisatie invulling taakstelling per 2022"]
    first = titles["Doorbraakmethode"]
    assert sheet[f"F{on_course}"].value == f"=SUMIF(J${first}:J${other},1,F${first}:F${other})"
    saldo = titles["Saldo"]
    assert sheet[f"F{saldo}"].value == f"=SUM(F{on_course}:F{saldo - 1})"
    for coordinate in (f"C{subtotal_1}", f"F{total}", f"F{on_course}", f"F{saldo}"):
        assert sheet[coordinate].number_format == THOUSANDS_FORMAT
    flags = {sheet[f"B{row}"].value: sheet[f"J{row}"].value for row in titles.values()}
    assert flags["Doorbraakmethode"] == 1 and flags["Uitbreiden kinder- en pubercoach"] is None
    assert flags["Versterken voorliggend veld"] is None and flags["Saldo"] is None


def test_xlsx_shows_pm_and_empty_totals_as_the_page_does():
    """A subtotal of only PM is "PM" and one of nothing is empty, not a formula giving 0."""
    pm_only = MeasureData(1, "1", "Verordening", {2019: Amount.pm()})
    amounts = MeasureData(2, "2", "Tarieven", {2020: Amount(100_000)})
    data = OverviewInput(
        years=[2019, 2020, 2021],
        target_year=2021,
        plans=[PlanData(1, "Plan A", "", [pm_only]), PlanData(2, "Plan B", "", [amounts])],
        other_measures=[],
        savings_task={2021: 50_000},
        adjustments=[AdjustmentData("Extra", 2021, 10_000)],
    )
    table = OverviewTable(compute_overview(data, labels=overview_labels()), for_export=True)
    sheet = load_workbook(io.BytesIO(to_xlsx(table, "Test"))).active
    titles = {row[1].value: row[1].row for row in sheet.iter_rows(min_row=4)}
    subtotal_a = titles["Subtotaal Plan A"]
    assert [sheet.cell(subtotal_a, column).value for column in (3, 4, 5)] == ["PM", None, None]
    total = titles["Totaal taakstelling maatregelen"]
    assert sheet.cell(total, 3).value == "PM"
    assert formulas.value(sheet, f"D{total}") == 100_000
    assert formulas.value(sheet, f"E{titles['Saldo']}") == -40_000


def test_export_follows_the_filters(midterm, manager_client):
    rows = csv_rows(export(manager_client, midterm, "csv", plan="buiten").content)
    assert [row[1] for row in rows[1:]] == [
        "Gecertificeerde instellingen",
        "Totaal taakstelling maatregelen (selectie)",
    ]
    sheet = load_workbook(
        io.BytesIO(export(manager_client, midterm, "xlsx", plan="buiten").content)
    ).active
    assert formulas.value(sheet, "F5") == 100_000


def test_unknown_export_format_is_not_found(almelo, manager_client):
    assert manager_client.get(reverse("overview"), {"_export": "pdf"}).status_code == 404


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_exports_neutralise_formulas_in_text(almelo, manager_client, title):
    Measure.objects.filter(title="Peuteropvang").update(title=title)
    period = almelo.periods.get(name="Najaarsrapportage 2020")
    rows = csv_rows(export(manager_client, period, "csv").content)
    assert "'" + title in [row[1] for row in rows]
    sheet = load_workbook(io.BytesIO(export(manager_client, period, "xlsx").content)).active
    cell = next(row[1] for row in sheet.iter_rows(min_row=4) if str(row[1].value).endswith(title))
    assert cell.data_type == "s" and cell.value == "'" + title


def test_neutralise_leaves_numbers_and_a_lone_dash_alone():
    assert neutralise(-1_150_000) == -1_150_000
    assert neutralise("-") == "-"
    assert neutralise("Saldo") == "Saldo"


def test_command_prints_the_table_as_text(almelo, capsys):
    call_command("overview", "--period", "Midterm review 2020", "--programme", "Programma Zorg")
    out = capsys.readouterr().out
    lines = {line.split("  ")[0].strip() or line.strip(): line for line in out.splitlines()}
    assert "Taakstelling maatregelen, bedragen x € 1.000" in out
    subtotal_1 = next(line for line in out.splitlines() if "Subtotaal Maatregelenplan 1" in line)
    assert subtotal_1.split()[-4:] == ["1.440", "3.041", "4.580", "5.330"]
    subtotal_2 = next(line for line in out.splitlines() if "Subtotaal Maatregelenplan 2" in line)
    assert subtotal_2.split()[-4:] == ["140", "864", "964", "964"]
    total = next(line for line in out.splitlines() if "Totaal taakstelling maatregelen" in line)
    assert total.split()[-4:] == ["1.580", "3.905", "5.544", "6.394"]
    assert (
        next(line for line in out.splitlines() if "Inventarisatie" in line).split()[-1] == "5.832"
    )
    assert (
        next(line for line in out.splitlines() if line.strip().startswith("Saldo")).split()[-1]
        == "82"
    )
    assert "6.1" in lines and "PM" in out


def test_command_prints_csv(almelo, capsys):
    call_command("overview", "--period", "Midterm review 2020", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    check_figures(rows, str)


def test_command_refuses_an_unknown_period(almelo):
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("overview", "--period", "Bestaat niet")
