"""The template for the indicator import: the import's columns, a row per indicator (and
per part of a composite) of the period's programme, a choice list for the kind and a
sheet that explains the columns."""

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from measures.exports import append_row, workbook_bytes

from .figures import indicators_of
from .importing import HEADERS, Column
from .models import ValueKind
from .table import indicator_number

ORDER = [
    Column.NUMBER,
    Column.INDICATOR,
    Column.PART,
    Column.YEAR,
    Column.KIND,
    Column.VALUE,
    Column.QUALIFIER,
]
WIDTHS = [9, 60, 36, 8, 14, 12, 20]


def template_xlsx(period) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicatorwaarden"
    append_row(sheet, [str(HEADERS[column]) for column in ORDER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    year = period.reference_date.year
    rows = 1
    for indicator in indicators_of([period.programme_id]):
        if indicator.is_discontinued:
            continue
        parts = [part.label for part in indicator.parts.all()] or [""]
        for part in parts:
            append_row(sheet, [indicator_number(indicator), indicator.display_name, part, year])
            rows += 1
    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(kind.value for kind in ValueKind) + '"',
        allow_blank=True,
    )
    sheet.add_data_validation(kinds)
    kinds.add(f"E2:E{max(rows, 2) + 200}")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    explanation = workbook.create_sheet("Uitleg")
    for line in [
        ["Kolom", "Wat erin hoort"],
        ["Nummer of Indicator", "Het nummer of de naam van de indicator, zoals in Koersmonitor."],
        ["Deel", "Alleen bij een samengestelde indicator: welk deel (de omschrijving)."],
        ["Jaar", "Het jaar waarover de waarde gaat, bijvoorbeeld 2018."],
        ["Soort", "streefwaarde, realisatie of nulmeting."],
        ["Waarde", "Zoals u het typt: 47,7 of 6.626 of 76%; komma voor decimalen."],
        ["Kanttekening", "Mag leeg; bijvoorbeeld 'cijfers 2016'."],
    ]:
        append_row(explanation, line)
    explanation["A1"].font = explanation["B1"].font = Font(bold=True)
    explanation.column_dimensions["A"].width = 22
    explanation.column_dimensions["B"].width = 80
    return workbook_bytes(workbook)
