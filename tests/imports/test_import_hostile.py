"""Files that are not what they claim, too big, zip bombs, formulas, HTML and absurd
figures: each gets a clear Dutch message, and nothing changes."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from imports.models import ImportRecord, ImportStatus
from imports.reading import MAX_FILE_BYTES, MAX_MEASURE_ROWS
from tests.imports.conftest import HEADER, almelo_rows, csv_bytes, upload, xlsx


def refused(client, content: bytes, programme, name="bestand.xlsx", period=None) -> str:
    response = upload(client, content, programme=programme, period=period, name=name)
    assert response.status_code == 200
    assert not programme.measures.exists() and not programme.plans.exists()
    return response.content.decode()


def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "begroting.pdf",
            "geen Excel-werkmap (.xlsx) en geen CSV",
        ),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "tabel.xlsx",
            "geen Excel-werkmap (.xlsx) en geen CSV",
        ),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "oud.xls", "oud Excel-bestand (.xls)"),
        (
            zip_with({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
            "t.ods",
            "OpenDocument",
        ),
        (zip_with({"word/document.xml": b"<w:document/>"}), "brief.docx", "geen Excel-werkmap"),
        (b"PK\x03\x04 kapot", "kapot.xlsx", "geen Excel-werkmap"),
        (
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "export.xls",
            "webpagina (HTML)",
        ),
        (b" \r\n\r\n", "leeg.csv", "Het bestand is leeg."),
    ],
    ids=["pdf", "png named xlsx", "xls", "ods", "docx", "broken zip", "html", "empty"],
)
def test_a_file_that_is_no_spreadsheet_is_refused_with_a_clear_message(
    zorg, controller_client, content, name, message
):
    assert message in refused(controller_client, content, zorg, name=name)
    record = ImportRecord.objects.get()
    assert record.status == ImportStatus.REFUSED and record.content is None


def test_an_empty_upload_is_refused_at_the_field(zorg, controller_client):
    page = refused(controller_client, b"", zorg, name="leeg.xlsx")
    assert '<p class="field-error" id="id_file-fout">Het verstuurde bestand is leeg.</p>' in page
    assert not ImportRecord.objects.exists()


def test_a_damaged_workbook_is_refused(zorg, controller_client):
    content = zip_with(
        {"xl/workbook.xml": b"<workbook><sheets><sheet", "[Content_Types].xml": b"<"}
    )
    assert "beschadigd of kan niet worden gelezen" in refused(controller_client, content, zorg)


def test_a_file_over_the_size_limit_is_refused(zorg, controller_client):
    content = b"Titel;2019\n" + b"x" * MAX_FILE_BYTES
    page = refused(controller_client, content, zorg, name="groot.csv")
    assert "Het bestand is groter dan 2 MB." in page


def test_a_zip_bomb_is_refused_before_it_is_unpacked(zorg, controller_client):
    workbook = io.BytesIO(xlsx(almelo_rows()))
    with zipfile.ZipFile(workbook, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/nul.bin", bytes(60 * 1024 * 1024))
    content = workbook.getvalue()
    assert len(content) < MAX_FILE_BYTES
    assert "pakt uit tot meer dan 20 MB" in refused(controller_client, content, zorg)


def test_an_entity_bomb_in_the_xml_is_refused(zorg, controller_client):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    original = zipfile.ZipFile(io.BytesIO(xlsx(almelo_rows())))
    members = {name: original.read(name) for name in original.namelist()}
    members["xl/workbook.xml"] = bomb
    assert "beschadigd of kan niet worden gelezen" in refused(
        controller_client, zip_with(members), zorg
    )


def test_too_many_rows_are_refused_with_the_limit(zorg, controller_client):
    rows = [["Bedragen x € 1.000"], HEADER[:5]]
    rows += [["Plan", "", str(i), f"Maatregel {i}", 1] for i in range(1, MAX_MEASURE_ROWS + 2)]
    page = refused(controller_client, xlsx(rows), zorg)
    assert "Het bestand heeft 501 regels met maatregelen; hoogstens 500 per bestand." in page


def test_too_many_columns_are_refused_with_the_limit(zorg, controller_client):
    rows = [["Bedragen x € 1.000"], [*HEADER[:5], *[f"Kolom {i}" for i in range(100)]]]
    assert "meer dan 100 kolommen" in refused(controller_client, xlsx(rows), zorg)


def test_formulas_in_cells_are_refused(zorg, midterm, controller_client):
    rows = almelo_rows()
    rows[4][5] = "=E5*3"
    rows[5][3] = '=HYPERLINK("http://example.com","Klik")'
    page = refused(controller_client, xlsx(rows), zorg, period=midterm)
    assert "Regel 5, kolom F (2020)</a>: Deze cel bevat een formule." in page
    assert "Regel 6, kolom D (Titel)</a>: Deze cel bevat een formule." in page


def test_formulas_in_a_csv_are_refused(zorg, midterm, controller_client):
    rows = almelo_rows()
    rows[4][3] = "=cmd|' /C calc'!A0"
    rows[5][3] = "@SUM(1+1)"
    page = refused(controller_client, csv_bytes(rows), zorg, name="m.csv", period=midterm)
    assert "Regel 5, kolom D (Titel)</a>: Deze cel bevat een formule." in page
    assert "Regel 6, kolom D (Titel)</a>: Deze cel bevat een formule." in page


def test_html_in_titles_is_refused(zorg, midterm, controller_client):
    rows = almelo_rows()
    rows[4][3] = "<script>alert('x')</script>Doorbraak"
    page = refused(controller_client, xlsx(rows), zorg, period=midterm)
    assert "HTML-code (zoals &lt;b&gt; of &lt;script&gt;) hoort hier niet" in page
    assert "<script>alert" not in page


def test_control_characters_are_refused(zorg, midterm, controller_client):
    rows = almelo_rows()
    rows[4][3] = "Doorbraak\x07methode"
    page = refused(controller_client, csv_bytes(rows), zorg, name="m.csv", period=midterm)
    assert "onzichtbare stuurtekens" in page


def test_absurd_amounts_and_years_are_refused(zorg, midterm, controller_client):
    rows = almelo_rows()
    rows[3] = [*rows[3][:4], 2019, 2020, 2021, 3022, "Op koers"]
    rows[4][5] = "999.999.999.999"
    rows[5][6] = 1e300
    page = refused(controller_client, xlsx(rows), zorg, period=midterm)
    assert "Regel 4, kolom H (3022)</a>: 3022 is geen jaar tussen 2000 en 2100." in page
    assert "Regel 5, kolom F (2020)</a>: Dit bedrag is onwaarschijnlijk groot" in page
    assert "Regel 6, kolom G (2021)</a>: Dit bedrag is onwaarschijnlijk groot" in page


def test_a_year_outside_the_horizon_is_refused_where_it_has_figures(
    zorg, midterm, controller_client
):
    rows = almelo_rows()
    rows[3] = [*rows[3][:8], 2023, "Op koers"]
    for row in rows[4:]:
        row.insert(8, None)
    rows[4][8] = 4500
    page = refused(controller_client, xlsx(rows), zorg, period=midterm)
    assert "2023 valt buiten de looptijd 2019–2022 van Programma Zorg (nieuw)." in page


def test_a_date_that_excel_made_of_a_number_is_explained(zorg, midterm, controller_client):
    from datetime import datetime

    rows = almelo_rows()
    rows[14][2] = datetime(2026, 1, 6)  # 6.1 typed into a date-formatted cell
    page = refused(controller_client, xlsx(rows), zorg, period=midterm)
    assert "Excel heeft hier een datum van gemaakt." in page


def test_a_sheet_named_maatregelen_is_read_even_when_it_is_not_the_first(
    zorg, midterm, controller_client
):
    workbook = Workbook()
    workbook.active.title = "Toelichting"
    workbook.active.append(["Dit blad is uitleg"])
    sheet = workbook.create_sheet("Maatregelen")
    for row in almelo_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(controller_client, buffer.getvalue(), programme=zorg, period=midterm)
    assert response.status_code == 302


def test_openpyxl_reads_uploads_through_defusedxml():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
