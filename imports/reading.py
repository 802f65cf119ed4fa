"""Turns an uploaded file into rows of raw cell values, refusing anything that is not a
plain spreadsheet before it can cost much memory or time.

The file type is decided by its content, not its name. XLSX is a zip archive: before
openpyxl opens it, the archive's declared sizes are checked (Python's zipfile never
unpacks more than a member declares, so this bounds a zip bomb), and openpyxl parses
its XML through defusedxml (installed with the app), which refuses entity tricks.
CSV is decoded as UTF-8, else as Windows-1252, the encoding of Dutch Excel's "CSV".
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

# Stated on the import page; see templates/imports/_limits.html. Applying an import runs
# full_clean on every object it saves, about 40 ms per measure with four years and a status
# on PostgreSQL: 500 measures stay well within a web request.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_MEASURE_ROWS = 500
# A measures export (imports.workbooks) has 15 columns and at most 7 per year of the
# programme's horizon (target, forecast, hard and soft realisation, two volumes): 100
# reads back the export of a twelve-year programme.
MAX_COLUMNS = 100
# Rows read at most, empty ones included, before giving up on a sheet.
MAX_SHEET_ROWS = 10_000
# What the parts of an XLSX may unpack to together; real workbooks of this size unpack
# to a few megabytes at most.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500

SHEET_NAME = "Maatregelen"


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula instead of a value."""

    text: str


@dataclass(frozen=True)
class Sheet:
    """The cells of one sheet as values: None, str, int, float, bool, datetime or Formula.

    `rows[0]` is the sheet's row 1; every row is as long as its last filled cell.
    """

    kind: str
    name: str
    rows: list[list]


def read_sheet(content: bytes) -> Sheet:
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFile(too_large_message())
    if not content.strip():
        raise UnreadableFile(_("Het bestand is leeg."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"%PDF"):
        raise _not_a_spreadsheet()
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile(
            _(
                "Dit is een oud Excel-bestand (.xls) of een bestand met een wachtwoord. "
                "Sla het in Excel op als Excel-werkmap (.xlsx) zonder wachtwoord."
            )
        )
    return _read_csv(content)


def too_large_message() -> str:
    return _("Het bestand is groter dan %(size)s MB. Splits het op in kleinere bestanden.") % {
        "size": MAX_FILE_BYTES // (1024 * 1024)
    }


def _not_a_spreadsheet() -> UnreadableFile:
    return UnreadableFile(
        _(
            "Dit bestand is geen Excel-werkmap (.xlsx) en geen CSV-bestand. Gebruik het "
            "sjabloon of sla uw werkmap op als .xlsx."
        )
    )


def _read_xlsx(content: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_spreadsheet() from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "mimetype" in names or "content.xml" in names:
            raise UnreadableFile(
                _(
                    "Dit is een OpenDocument-bestand (.ods). Sla het op als Excel-werkmap "
                    "(.xlsx) of als CSV."
                )
            )
        raise _not_a_spreadsheet()
    unpacked = sum(member.file_size for member in members)
    unusual = any(
        member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for member in members
    )
    if len(members) > MAX_ARCHIVE_MEMBERS or unpacked > MAX_UNPACKED_BYTES or unusual:
        raise UnreadableFile(
            _(
                "Deze Excel-werkmap pakt uit tot meer dan %(size)s MB of is ongewoon "
                "samengesteld. Kopieer de maatregelen naar het sjabloon en lever dat aan."
            )
            % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        try:
            return _sheet_rows(workbook)
        finally:
            workbook.close()
    except UnreadableFile:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise UnreadableFile(
            _(
                "Deze Excel-werkmap is beschadigd of kan niet worden gelezen. Open hem in "
                "Excel en sla hem opnieuw op als .xlsx."
            )
        ) from None


def _sheet_rows(workbook) -> Sheet:
    if not workbook.worksheets:
        raise UnreadableFile(_("Deze Excel-werkmap heeft geen werkblad met cellen."))
    by_name = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
    sheet = by_name.get(SHEET_NAME.lower(), workbook.worksheets[0])
    rows = []
    # One column more than allowed, to tell a wide sheet from one that just fits.
    for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
        rows.append(_checked_row([_cell_value(value) for value in values], len(rows)))
    return Sheet("xlsx", sheet.title, rows)


def _checked_row(values: list, rows_so_far: int) -> list:
    if rows_so_far >= MAX_SHEET_ROWS:
        raise UnreadableFile(too_many_rows_message())
    values = _trimmed(values)
    if len(values) > MAX_COLUMNS:
        raise UnreadableFile(
            _(
                "Het werkblad heeft meer dan %(columns)s kolommen. Haal de kolommen weg die "
                "niet in het sjabloon staan."
            )
            % {"columns": MAX_COLUMNS}
        )
    return values


def too_many_rows_message() -> str:
    return _(
        "Het bestand heeft meer dan %(rows)s regels. Lever hoogstens %(measures)s "
        "maatregelen per bestand aan."
    ) % {"rows": f"{MAX_SHEET_ROWS:,}".replace(",", "."), "measures": MAX_MEASURE_ROWS}


def _cell_value(value):
    if isinstance(value, ArrayFormula | DataTableFormula):
        return Formula(str(getattr(value, "text", "") or "="))
    if isinstance(value, str):
        return Formula(value) if value.startswith("=") and len(value) > 1 else value
    if isinstance(value, bool | int | float | datetime | date | time) or value is None:
        return value
    return str(value)


def _trimmed(values: list) -> list:
    while values and (values[-1] is None or values[-1] == ""):
        values.pop()
    return values


def _read_csv(content: bytes) -> Sheet:
    text = _decoded(content)
    if text.lstrip().startswith("<"):
        raise UnreadableFile(
            _(
                "Dit is een webpagina (HTML) en geen spreadsheet. Sla de tabel in Excel op "
                "als Excel-werkmap (.xlsx)."
            )
        )
    delimiter = _delimiter(text)
    rows = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(
                _checked_row([value if value.strip() else None for value in values], len(rows))
            )
    except csv.Error:
        raise UnreadableFile(
            _("Dit CSV-bestand kan niet worden gelezen: een cel is te lang of niet afgesloten.")
        ) from None
    return Sheet("csv", "", rows)


def _decoded(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "cp1252"]
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise _not_a_spreadsheet()


def _delimiter(text: str) -> str:
    """The separator the most lines use: ";" in Dutch Excel, "," elsewhere, a tab in
    Excel's "Unicode text"."""
    lines = [line for line in text.splitlines() if line.strip()][:30]
    counts = {candidate: sum(candidate in line for line in lines) for candidate in ";\t,"}
    return max(counts, key=lambda candidate: counts[candidate])
