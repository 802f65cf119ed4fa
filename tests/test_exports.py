"""CSV and XLSX exports of the overview, and the `overview` management command."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from measures.exports import neutralise
from measures.models import Measure, ReportingPeriod
from tests.reference import EXPECTED, REFERENCE, YEARS, euros, measure_lines


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
    assert by_title(rows, "Totaal verwachte besparingen")[2:6] == [
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


def midterm_id():
    return ReportingPeriod.objects.get(name="Midterm review 2020").pk


def test_csv_export_has_every_figure_as_a_number(almelo, manager_client):
    response = manager_client.get(reverse("overview"), {"periode": midterm_id(), "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="op-koers-programma-zorg-midterm-review-2020.csv"'
        in response["Content-Disposition"]
    )
    rows = csv_rows(response.content)
    assert rows[0] == ["Volgnr", "Omschrijving", *YEARS, "Op koers", "Regel"]
    check_figures(rows, str)


def test_xlsx_export_has_every_figure_as_a_number_shown_in_thousands(almelo, manager_client):
    response = manager_client.get(reverse("overview"), {"periode": midterm_id(), "_export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Programma Zorg: Midterm review 2020"
    assert sheet.freeze_panes == "C4"
    values = [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert values[0] == ["Volgnr", "Omschrijving", *YEARS, "Op koers", "Regel"]
    rows = [["" if v is None else v for v in row] for row in values[1:]]
    check_figures(rows, lambda value: value)
    saldo_row = next(row for row in sheet.iter_rows(min_row=4) if row[1].value == "Saldo")
    assert saldo_row[5].data_type == "n" and saldo_row[5].number_format == "#,##0,;-#,##0,"


def test_export_follows_the_filters(almelo, manager_client):
    rows = csv_rows(
        manager_client.get(reverse("overview"), {"plan": "buiten", "_export": "csv"}).content
    )
    assert [row[1] for row in rows[1:]] == [
        "Gecertificeerde instellingen",
        "Totaal verwachte besparingen (selectie)",
    ]


def test_unknown_export_format_is_not_found(almelo, manager_client):
    assert manager_client.get(reverse("overview"), {"_export": "pdf"}).status_code == 404


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_exports_neutralise_formulas_in_text(almelo, manager_client, title):
    Measure.objects.filter(title="Peuteropvang").update(title=title)
    rows = csv_rows(manager_client.get(reverse("overview"), {"_export": "csv"}).content)
    assert "'" + title in [row[1] for row in rows]
    sheet = load_workbook(
        io.BytesIO(manager_client.get(reverse("overview"), {"_export": "xlsx"}).content)
    ).active
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
    assert "Bedragen x € 1.000" in out
    subtotal_1 = next(line for line in out.splitlines() if "Subtotaal Maatregelenplan 1" in line)
    assert subtotal_1.split()[-4:] == ["1.440", "3.041", "4.580", "5.330"]
    subtotal_2 = next(line for line in out.splitlines() if "Subtotaal Maatregelenplan 2" in line)
    assert subtotal_2.split()[-4:] == ["140", "864", "964", "964"]
    total = next(line for line in out.splitlines() if "Totaal verwachte besparingen" in line)
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
