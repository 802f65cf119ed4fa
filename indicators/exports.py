"""The indicator values of a reporting period as CSV and XLSX (indicators.table's value
rows), through the measures exports' helpers, which neutralise text a spreadsheet could
run as a formula.

Each value is there twice: as the report prints it ("6.626", "76%") and as a number. In
the XLSX the number is a numeric cell with the indicator's decimals as its format; in the
CSV it is written without thousands separator and with a decimal comma ("6626", "47,7"),
which Dutch Excel reads as a number.
"""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from measures.exports import append_row, csv_document, workbook_bytes

from .table import ValueRow, value_headers, value_rows

SHEET_TITLE = "Indicatorwaarden"
NUMBER_COLUMN = 8  # "Getal"
WIDTHS = [9, 48, 30, 24, 7, 13, 16, 12, 18, 24]


def _plain(row: ValueRow) -> str:
    if row.value is None:
        return ""
    text = f"{row.value.quantize(_quantum(row.decimals)):f}"
    return text.replace(".", ",")


def _quantum(decimals: int) -> Decimal:
    return Decimal(1).scaleb(-decimals)


def _cells(row: ValueRow, number) -> list:
    return [
        row.number,
        row.name,
        row.part,
        row.unit,
        row.year,
        row.kind,
        row.text,
        number,
        row.qualifier,
        row.as_reported,
    ]


def to_csv(period) -> bytes:
    rows = [_cells(row, _plain(row)) for row in value_rows(period)]
    return csv_document([value_headers(), *rows])


def to_xlsx(period, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, value_headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for excel_row, row in enumerate(value_rows(period), start=3):
        number = row.value.quantize(_quantum(row.decimals)) if row.value is not None else None
        append_row(sheet, _cells(row, number))
        cell = sheet.cell(excel_row, NUMBER_COLUMN)
        cell.number_format = "#,##0" + ("." + "0" * row.decimals if row.decimals else "")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C3"
    return workbook_bytes(workbook)
