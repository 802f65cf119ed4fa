"""CSV and XLSX versions of the overview table.

Both take the header and values from the django-tables2 table (`OverviewTable.as_values`),
so they show exactly the figures of the page: whole euros as numbers, "PM" as text.
The XLSX shows the euros in thousands through its number format, like the page, while
the cells keep the exact euros to calculate with.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMATS = {"csv", "xlsx"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Thousands with a thousands separator; Excel shows "1.580" for 1580000 in a Dutch locale.
THOUSANDS_FORMAT = "#,##0,;-#,##0,"

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet could run as a formula gets a leading apostrophe.

    A lone "-" (Almelo's "not assessed") cannot be a formula and is left as it is.
    """
    if isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def table_values(table) -> list[list]:
    return [[neutralise(value) for value in row] for row in table.as_values()]


def to_csv(table) -> bytes:
    buffer = io.StringIO()
    # Semicolons, as Dutch Excel expects; a BOM so it reads the file as UTF-8.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(table_values(table))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(table, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Op koers")[:31]
    sheet.append([title])
    sheet.append([_("Bedragen in euro's, weergegeven x € 1.000; PM telt als 0.")])
    sheet["A1"].font = Font(bold=True, size=13)
    header, *rows = table_values(table)
    sheet.append(header)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, int):
                cell.number_format = THOUSANDS_FORMAT
            elif isinstance(cell.value, str):
                cell.data_type = "s"
    sheet.freeze_panes = "C4"
    widths = {1: 9, 2: 48}
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(index, 12)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def response(table, period, export_format: str) -> HttpResponse:
    filename = f"op-koers-{slugify(period.programme.name)}-{slugify(period.name)}.{export_format}"
    if export_format == "csv":
        body, content_type = to_csv(table), "text/csv; charset=utf-8"
    else:
        title = f"{period.programme.name}: {period.name}"
        body, content_type = to_xlsx(table, title), XLSX_CONTENT_TYPE
    result = HttpResponse(body, content_type=content_type)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result


def to_text(table, title: str) -> str:
    """The table as the page shows it (thousands, Dutch separators), in fixed-width text."""
    header = [str(column.header) for column in table.columns]
    lines = []
    for section in table.page_sections():
        for page_row in section:
            row = page_row.row
            status = row.status.label if row.status else ""
            indent = "  " if row.depth else ""
            lines.append([row.number, indent + row.label, *page_row.cells, status])
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    amount_columns = range(2, len(header) - 1)

    def render(line):
        return "  ".join(
            str(value).rjust(widths[i]) if i in amount_columns else str(value).ljust(widths[i])
            for i, value in enumerate(line)
        ).rstrip()

    rule = "-" * len(render(header))
    body = [title, _("Bedragen x € 1.000"), "", render(header), rule]
    for line in lines:
        body.append(render(line))
    return "\n".join(body) + "\n"
