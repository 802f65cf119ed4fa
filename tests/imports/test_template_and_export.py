"""The template explains itself and imports once filled in; the measures export is laid
out for controllers and neutralises formulas."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from measures.exports import THOUSANDS_FORMAT
from measures.models import Measure, ReportingPeriod
from tests.imports import formulas
from tests.imports.conftest import almelo_rows, preview_and_confirm, upload
from tests.imports.test_import_almelo import assert_reference_figures, overview_rows

TEMPLATE_HEADER = [
    "Maatregelenplan",
    "Besluitnummer",
    "Volgnr",
    "Titel",
    "Beleidsterrein",
    "2019",
    "2020",
    "2021",
    "2022",
    "Op koers",
    "Toelichting",
    "Eigenaar",
]


def template(client, programme):
    response = client.get(reverse("imports:template", args=[programme.pk]))
    assert response.status_code == 200
    assert (
        'filename="sjabloon-maatregelen-programma-zorg-nieuw.xlsx"'
        in (response["Content-Disposition"])
    )
    return load_workbook(io.BytesIO(response.content))


def test_template_explains_itself(zorg, controller_client):
    workbook = template(controller_client, zorg)
    assert workbook.sheetnames == ["Maatregelen", "Uitleg", "Keuzelijsten"]
    sheet = workbook["Maatregelen"]
    assert sheet["A1"].value == "Maatregelen importeren: Programma Zorg (nieuw) (Almelo)"
    assert (sheet["A2"].value, sheet["B2"].value) == ("Eenheid bedragen:", "x € 1.000")
    assert "PM als het bedrag nog niet bekend is" in sheet["A3"].value
    assert [cell.value for cell in sheet[4]] == TEMPLATE_HEADER
    assert sheet.freeze_panes == "E5"
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert validations["B2"] == '"x € 1.000,euro"'
    assert validations["E5:E304"] == "'Keuzelijsten'!$D$2:$D$5"
    assert validations["J5:J304"].startswith("'Keuzelijsten'!$F$2:")
    explanation = {row[0]: row for row in workbook["Uitleg"].iter_rows(values_only=True)}
    assert "Een lege cel haalt een bestaande taakstelling weg." in explanation["2019 … 2022"][2]
    assert "Hoogstens 500 maatregelen, 100 kolommen en 2 MB" in explanation["Regels"][2]
    lists = workbook["Keuzelijsten"]
    statuses = [lists.cell(row, 6).value for row in range(2, 5)]
    assert statuses == ["Ja", "Nee", "-"]


def test_a_filled_in_template_imports(zorg, controller_client):
    period = ReportingPeriod.objects.create(
        programme=zorg,
        name="Midterm review 2020",
        kind="midterm_review",
        reference_date="2020-07-01",
    )
    workbook = template(controller_client, zorg)
    sheet = workbook["Maatregelen"]
    for line, row in enumerate(almelo_rows()[4:], start=5):
        plan, decision, number, title, *amounts, status = row
        for column, value in enumerate([plan, decision, number, title, None, *amounts, status], 1):
            sheet.cell(line, column, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = preview_and_confirm(
        controller_client, buffer.getvalue(), programme=zorg, period=period
    )
    assert "Import uitgevoerd" in result.content.decode()
    assert_reference_figures(overview_rows(controller_client, period))


def test_an_empty_template_says_there_is_nothing_to_import(zorg, controller_client):
    workbook = template(controller_client, zorg)
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(controller_client, buffer.getvalue(), programme=zorg).content.decode()
    assert "Onder de kopregel staan geen maatregelen." in page


def test_measures_export_lists_every_measure_for_controllers(almelo, manager_client):
    period = almelo.periods.get(name="Najaarsrapportage 2020")
    response = manager_client.get(reverse("imports:measures_export"), {"periode": period.pk})
    assert (
        'filename="maatregelen-programma-zorg-najaarsrapportage-2020.xlsx"'
        in (response["Content-Disposition"])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Maatregelen", "Op koers"]
    sheet = workbook["Maatregelen"]
    assert (sheet["A2"].value, sheet["B2"].value) == ("Eenheid bedragen:", "euro")
    # The template's columns, with the assessment's other texts and yearly figures
    # (tests/imports/test_measures_export_figures.py).
    header = [cell.value for cell in sheet[4]]
    assert header[:11] == TEMPLATE_HEADER[:11] and "Eigenaar" in header
    assert sheet.freeze_panes == "E5" and sheet.auto_filter.ref == "A4:AJ19"
    rows = {row[3].value: row for row in sheet.iter_rows(min_row=5)}
    assert len(rows) == 15
    doorbraak = rows["Doorbraakmethode"]
    assert [cell.value for cell in doorbraak[:5]] == [
        "Maatregelenplan 1",
        "BW-6696",
        "1",
        "Doorbraakmethode",
        Measure.objects.get(title="Doorbraakmethode").get_domain_display(),
    ]
    assert [cell.value for cell in doorbraak[5:9]] == [750_000, 2_251_000, 3_750_000, 4_500_000]
    assert doorbraak[6].number_format == THOUSANDS_FORMAT and doorbraak[6].data_type == "n"
    assert doorbraak[9].value == "Ja" and doorbraak[10].value
    assert [cell.value for cell in rows["Onderzoeken gebruik scootmobielen"][5:9]] == [
        None,
        "PM",
        "PM",
        "PM",
    ]
    overview = workbook["Op koers"]
    saldo = next(row[1].row for row in overview.iter_rows(min_row=4) if row[1].value == "Saldo")
    assert overview[f"F{saldo}"].value.startswith("=SUM(")
    assert isinstance(formulas.value(overview, f"F{saldo}"), int)


def test_measures_csv_neutralises_formulas(almelo, manager_client):
    Measure.objects.filter(title="Peuteropvang").update(title='=HYPERLINK("http://x","y")')
    response = manager_client.get(reverse("imports:measures_export"), {"formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["Eenheid bedragen:", "euro"]
    assert '\'=HYPERLINK("http://x","y")' in [row[3] for row in rows[3:]]


def test_measures_export_of_an_unknown_period_or_format_is_not_found(almelo, manager_client):
    url = reverse("imports:measures_export")
    assert manager_client.get(url, {"periode": "999999"}).status_code == 404
    assert manager_client.get(url, {"periode": "x"}).status_code == 404
    assert manager_client.get(url, {"formaat": "pdf"}).status_code == 404
