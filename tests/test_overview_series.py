"""The overview shows one series at a time (taakstelling, prognose, realisatie, afwijking),
named for what it is, on the page, in both exports and in the command; the arithmetic is
measures.overview's, tested here on plain data first."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from measures.models import ReportingPeriod
from measures.overview import (
    AdjustmentData,
    Amount,
    MeasureData,
    OverviewInput,
    PlanData,
    RowKind,
    Series,
    StatusData,
    compute_overview,
)
from measures.overview_data import overview_labels
from tests.imports import formulas
from tests.reference import EXPECTED, YEARS, euros, shown
from tests.test_overview_page import row_by_label, table_rows

YES = StatusData(1, "Ja", "smiley", "#1d6b2f", counts_as_on_course=True)
LABELS = overview_labels(separates_hard_soft=True)


def sample(is_complete=True) -> OverviewInput:
    """One plan: a measure with a forecast below its target in 2022 and a realisation in
    2021; a PM measure without forecast; a heading whose figures never count."""
    first = MeasureData(
        1,
        "1",
        "Wijkteams",
        {2021: Amount(100_000), 2022: Amount(200_000)},
        YES,
        forecasts={2022: Amount(150_000)},
        realised={2021: 90_000},
    )
    pm = MeasureData(2, "2", "Verordening", {2022: Amount.pm()}, YES)
    heading = MeasureData(
        3, "3", "Kop", {2022: Amount(999)}, is_heading=True, forecasts={2021: Amount(7)}
    )
    extra = MeasureData(4, "", "Vervangend", {}, YES, forecasts={2021: Amount(5_000)})
    return OverviewInput(
        years=[2021, 2022],
        target_year=2022,
        plans=[PlanData(1, "Plan", "", [first, pm, heading])],
        other_measures=[extra],
        savings_task={2022: 400_000},
        adjustments=[AdjustmentData("Extra middelen", 2022, 30_000)],
        is_complete=is_complete,
    )


def cells(overview, number):
    return next(
        row.cells for row in overview.rows if row.kind is RowKind.MEASURE and row.number == number
    )


def test_target_series_is_the_seed_table_and_the_default():
    overview = compute_overview(sample(), labels=LABELS)
    assert overview.series is Series.TARGET
    assert cells(overview, "1") == {2021: Amount(100_000), 2022: Amount(200_000)}
    total = next(row for row in overview.rows if row.kind is RowKind.TOTAL)
    assert total.label == "Totaal taakstelling maatregelen"
    assert total.cells == {2021: Amount(100_000), 2022: Amount(200_000)}
    assert RowKind.BALANCE in {row.kind for row in overview.rows}


def test_forecast_series_takes_the_forecast_where_given_else_the_target():
    overview = compute_overview(sample(), labels=LABELS, series=Series.FORECAST)
    assert cells(overview, "1") == {2021: Amount(100_000), 2022: Amount(150_000)}
    assert cells(overview, "2") == {2022: Amount.pm()}
    assert overview.total == {2021: Amount(105_000), 2022: Amount(150_000)}
    total = next(row for row in overview.rows if row.kind is RowKind.TOTAL)
    assert total.label == "Totaal prognose"


def test_realised_series_shows_only_reported_realisations():
    overview = compute_overview(sample(), labels=LABELS, series=Series.REALISED)
    assert cells(overview, "1") == {2021: Amount(90_000)}
    assert cells(overview, "2") == {}
    assert overview.total == {2021: Amount(90_000), 2022: None}
    assert next(r for r in overview.rows if r.kind is RowKind.TOTAL).label == (
        "Totaal realisatie (hard)"
    )


def test_deviation_is_forecast_minus_target_favourable_positive():
    overview = compute_overview(sample(), labels=LABELS, series=Series.DEVIATION)
    assert cells(overview, "1") == {2021: Amount(0), 2022: Amount(-50_000)}
    # A PM target without forecast: the deviation is not known either.
    assert cells(overview, "2") == {2022: Amount.pm()}
    # A forecast without target is all gain.
    assert cells(overview, "") == {2021: Amount(5_000)}
    assert overview.total == {2021: Amount(5_000), 2022: Amount(-50_000)}
    subtotal = next(row for row in overview.rows if row.kind is RowKind.SUBTOTAL)
    assert subtotal.cells == {2021: Amount(0), 2022: Amount(-50_000)}


def test_deviation_total_is_forecast_total_minus_target_total():
    overview = compute_overview(sample(), labels=LABELS)
    totals = overview.totals
    for year in (2021, 2022):
        assert (
            totals[Series.DEVIATION][year].euros
            == totals[Series.FORECAST][year].euros - totals[Series.TARGET][year].euros
        )


def test_every_series_total_is_computed_whatever_series_the_rows_show():
    for series in Series:
        overview = compute_overview(sample(), labels=LABELS, series=series)
        assert overview.totals[series] == overview.total
        assert overview.totals[Series.FORECAST] == {2021: Amount(105_000), 2022: Amount(150_000)}
        assert overview.totals[Series.REALISED] == {2021: Amount(90_000), 2022: None}


def test_task_adjustments_and_balance_rows_belong_to_the_target_series_only():
    for series in (Series.FORECAST, Series.REALISED, Series.DEVIATION):
        overview = compute_overview(sample(), labels=LABELS, series=series)
        kinds = [row.kind for row in overview.rows]
        assert kinds[-1] is RowKind.TOTAL
        # The balance itself does not depend on the series shown.
        assert overview.balance == 200_000 - 400_000 + 30_000


def test_selection_total_names_its_series():
    overview = compute_overview(sample(is_complete=False), labels=LABELS, series=Series.FORECAST)
    assert overview.rows[-1].label == "Totaal prognose (selectie)"


# Through the real client, on the open Najaarsrapportage 2020: Jeugdhulp in het onderwijs
# (Maatregelenplan 2, 8) forecasts 0 against its targets of 175 in 2020 to 2022.


@pytest.fixture
def najaars(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Najaarsrapportage 2020")


@pytest.fixture
def midterm(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Midterm review 2020")


def page(client, period, **params):
    response = client.get(reverse("overview"), {"periode": period.pk, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_page_offers_the_series_as_a_choice_with_the_current_one_marked(najaars, manager_client):
    html = page(manager_client, najaars, reeks="prognose")
    for word, name in [
        ("taakstelling", "Taakstelling maatregelen"),
        ("prognose", "Prognose"),
        ("realisatie", "Realisatie (hard)"),
        ("afwijking", "Afwijking (prognose − taakstelling)"),
    ]:
        assert f"reeks={word}" in html and name in html
    assert 'aria-current="page">Prognose<' in html
    assert '<input type="hidden" name="reeks" value="prognose">' in html


def test_page_without_choice_shows_the_seed_table_with_the_total_named_for_targets(
    midterm, manager_client
):
    rows = table_rows(page(manager_client, midterm))
    assert row_by_label(rows, "Totaal taakstelling maatregelen")[2:6] == [
        shown(EXPECTED["total_expected_savings"][year]) for year in YEARS
    ]
    assert row_by_label(rows, "Saldo")[5] == "82"


def test_page_shows_forecasts_per_measure_and_in_the_totals(najaars, manager_client):
    rows = table_rows(page(manager_client, najaars, reeks="prognose"))
    assert row_by_label(rows, "Jeugdhulp in het onderwijs")[2:6] == ["58", "0", "0", "0"]
    assert row_by_label(rows, "Doorbraakmethode")[2:6] == ["750", "1.800", "3.750", "4.500"]
    assert row_by_label(rows, "Totaal prognose")[5] == "6.219"
    titles = [row[1] for row in rows if len(row) > 1]
    assert "Saldo" not in titles and "Totaal taakstelling maatregelen" not in titles


def test_page_shows_deviations_per_measure_and_in_the_totals(najaars, manager_client):
    rows = table_rows(page(manager_client, najaars, reeks="afwijking"))
    assert row_by_label(rows, "Jeugdhulp in het onderwijs")[2:6] == ["0", "-175", "-175", "-175"]
    assert row_by_label(rows, "Doorbraakmethode")[2:6] == ["0", "-451", "0", "0"]
    assert row_by_label(rows, "Totaal afwijking")[2:6] == ["0", "-626", "-175", "-175"]


def test_page_shows_realisations(najaars, manager_client):
    rows = table_rows(page(manager_client, najaars, reeks="realisatie"))
    assert row_by_label(rows, "Doorbraakmethode")[2:6] == ["750", "", "", ""]
    # 2019: Doorbraakmethode 750, Dagstructurering 300 and the netwerkcoach 40 (hard).
    assert row_by_label(rows, "Totaal realisatie (hard)")[2:6] == ["1.090", "", "", ""]


def test_an_unknown_series_gets_a_dutch_message_at_the_choice(najaars, manager_client):
    html = page(manager_client, najaars, reeks="winst")
    assert "Kies taakstelling, prognose, realisatie of afwijking." in html
    assert "Totaal taakstelling maatregelen" in html
    response = manager_client.get(
        reverse("overview"), {"periode": najaars.pk, "reeks": "winst", "_export": "csv"}
    )
    assert response.status_code == 404


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_csv_export_carries_the_chosen_series_and_names_it(najaars, manager_client):
    response = manager_client.get(
        reverse("overview"), {"periode": najaars.pk, "reeks": "afwijking", "_export": "csv"}
    )
    assert "najaarsrapportage-2020-afwijking.csv" in response["Content-Disposition"]
    rows = csv_rows(response.content)
    assert rows[0][-1] == "Reeks"
    jeugdhulp = next(row for row in rows if row[1] == "Jeugdhulp in het onderwijs")
    assert jeugdhulp[2:6] == ["0", "-175000", "-175000", "-175000"]
    assert jeugdhulp[-1] == "Afwijking (prognose − taakstelling)"
    assert next(row for row in rows if row[1] == "Totaal afwijking")[5] == "-175000"


def test_xlsx_export_names_the_series_and_its_formulas_give_the_series_figures(
    najaars, manager_client
):
    response = manager_client.get(
        reverse("overview"), {"periode": najaars.pk, "reeks": "prognose", "_export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "Programma Zorg: Najaarsrapportage 2020 · Prognose"
    titles = {row[1].value: row[1].row for row in sheet.iter_rows(min_row=4)}
    total = titles["Totaal prognose"]
    assert sheet[f"F{total}"].value.startswith("=SUM(")
    assert formulas.value(sheet, f"F{total}") == 6_219_000
    assert "Saldo" not in titles


def test_target_exports_keep_the_seed_figures(midterm, manager_client):
    response = manager_client.get(
        reverse("overview"), {"periode": midterm.pk, "reeks": "taakstelling", "_export": "csv"}
    )
    rows = csv_rows(response.content)
    total = next(row for row in rows if row[1] == "Totaal taakstelling maatregelen")
    assert total[2:6] == [str(euros(EXPECTED["total_expected_savings"][y])) for y in YEARS]
    assert total[-1] == "Taakstelling maatregelen"


def test_command_prints_the_chosen_series(almelo, capsys):
    call_command("overview", "--period", "Najaarsrapportage 2020", "--series", "prognose")
    out = capsys.readouterr().out
    assert "Prognose, bedragen x € 1.000" in out
    total = next(line for line in out.splitlines() if "Totaal prognose" in line)
    assert total.split()[-1] == "6.219"
    call_command(
        "overview", "--period", "Najaarsrapportage 2020", "--series", "afwijking", "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert next(row for row in rows if row[1] == "Totaal afwijking")[5] == "-175000"
