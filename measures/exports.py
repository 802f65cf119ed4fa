"""CSV and XLSX versions of the overview table.

Both take the header and values from the django-tables2 table (`OverviewTable.as_values`),
so they show exactly the figures of the page: whole euros as numbers, "PM" as text.

The XLSX is laid out for controllers who keep calculating: the cells hold the exact euros
and show thousands through their number format, like the page; plan subtotals, totals,
the on-course inventory and the balance are formulas over the cells above them, so a
changed figure carries through. Where the page shows "PM" or nothing for a total, the
sheet shows the same instead of a formula that would give 0. A column "Telt als op koers"
holds 1 for each measure whose status counts, which the inventory formula sums over.
"""

import csv
import io
import re

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .overview import Amount, RowKind

FORMATS = {"csv", "xlsx"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Thousands with a thousands separator; Excel shows "1.580" for 1580000 in a Dutch locale.
THOUSANDS_FORMAT = "#,##0,;-#,##0,"

# What a spreadsheet runs as a formula when a cell starts with it (OWASP; ASVS 1.2.10).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
PRINTED_NUMBER = re.compile(r"-[0-9]{1,3}(?:\.[0-9]{3})*(?:,[0-9]+)?%?")
FIRST_DATA_ROW = 4
TOTAL_KINDS = {RowKind.SUBTOTAL, RowKind.TOTAL, RowKind.ON_COURSE, RowKind.BALANCE}
TOTAL_FILL = PatternFill("solid", fgColor="EEF1F5")


def neutralise(value):
    """Text that a spreadsheet could run as a formula gets a leading apostrophe, also when
    spaces come first. Every export writes its text through `append_row` or
    `csv_document`, which call this for each cell, titles included.

    A lone "-" (Almelo's "not assessed") and a negative amount or percentage as we print
    them ("-20.641", "-9%") cannot be formulas and are left as they are.
    """
    if (
        isinstance(value, str)
        and value != "-"
        and not PRINTED_NUMBER.fullmatch(value)
        and value.lstrip(" ").startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def append_row(sheet, values) -> None:
    """A row of an XLSX export, every text neutralised (openpyxl turns text that starts
    with "=" into a live formula)."""
    sheet.append([neutralise(value) for value in values])


def csv_document(rows) -> bytes:
    """A CSV export, every text neutralised: semicolons, as Dutch Excel expects, and a
    BOM so that it reads the file as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows([neutralise(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_csv(table) -> bytes:
    return csv_document(table.as_values())


def to_xlsx(table, title: str) -> bytes:
    workbook = Workbook()
    write_overview_sheet(workbook.active, table, title)
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_overview_sheet(sheet, table, title: str) -> None:
    """The overview on a sheet: title with the series, unit line, header in row 3, rows
    from row 4."""
    overview = table.overview
    sheet.title = _("Op koers")[:31]
    append_row(sheet, [f"{title} · {overview.series_name}"])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(
        sheet,
        [
            _(
                "Bedragen in euro's, weergegeven x € 1.000; PM telt als 0. Subtotalen en totalen "
                "zijn formules; de inventarisatie telt de maatregelen met een 1 in de kolom "
                "Telt als op koers."
            )
        ],
    )
    header, *values = table.as_values()
    on_course_column = len(header) + 1
    append_row(sheet, [*header, _("Telt als op koers")])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
    year_columns = {year: 3 + index for index, year in enumerate(overview.years)}
    layout = _Layout(year_columns, on_course_column, overview.target_year)
    # Rows are counted here: sheet.max_row and sheet[n] scan every cell, which made a
    # thousand-row export take seconds.
    for excel_row, (row, row_values) in enumerate(
        zip(overview.rows, values, strict=True), start=FIRST_DATA_ROW
    ):
        append_row(sheet, row_values)
        layout.place(sheet, row, excel_row)
        cells = next(
            sheet.iter_rows(min_row=excel_row, max_row=excel_row, max_col=on_course_column)
        )
        for cell in cells:
            if isinstance(cell.value, int) or (
                isinstance(cell.value, str) and cell.value.startswith("=")
            ):
                cell.number_format = THOUSANDS_FORMAT
            elif isinstance(cell.value, str):
                cell.data_type = "s"
            if row.kind in TOTAL_KINDS:
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
    sheet.freeze_panes = f"C{FIRST_DATA_ROW}"
    widths = {1: 9, 2: 48, len(header): 12, on_course_column: 11}
    for index in range(1, on_course_column + 1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(index, 12)
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


class _Layout:
    """Remembers where the measures of each plan landed, and turns the computed rows into
    formulas over them as they are written."""

    def __init__(self, year_columns: dict[int, int], on_course_column: int, target_year: int):
        self.year_columns = year_columns
        self.on_course_column = on_course_column
        self.target_year = target_year
        self.plan_rows: list[int] = []
        self.in_plan = False
        self.subtotals: list[int] = []
        self.others: list[int] = []
        self.measures: list[int] = []
        self.on_course_row: int | None = None

    def place(self, sheet, row, excel_row: int) -> None:
        kind = row.kind
        if kind is RowKind.PLAN:
            self.in_plan, self.plan_rows = True, []
        elif kind is RowKind.MEASURE:
            self.measures.append(excel_row)
            (self.plan_rows if self.in_plan else self.others).append(excel_row)
            if row.status and row.status.counts_as_on_course and not row.is_heading:
                sheet.cell(excel_row, self.on_course_column, 1)
        elif kind is RowKind.SUBTOTAL:
            self.in_plan = False
            self.subtotals.append(excel_row)
            self._formulas(sheet, row, excel_row, lambda c: f"SUM({_span(c, self.plan_rows)})")
        elif kind is RowKind.TOTAL:
            self._formulas(sheet, row, excel_row, self._total)
        elif kind is RowKind.ON_COURSE:
            self.on_course_row = excel_row
            flags = get_column_letter(self.on_course_column)
            self._formulas(
                sheet,
                row,
                excel_row,
                lambda c: (
                    f"SUMIF({_span(flags, self.measures, absolute=True)},1,"
                    f"{_span(c, self.measures, absolute=True)})"
                ),
            )
        elif kind is RowKind.BALANCE:
            first = self.on_course_row
            self._formulas(sheet, row, excel_row, lambda c: f"SUM({c}{first}:{c}{excel_row - 1})")

    def _total(self, column: str) -> str:
        parts = [f"{column}{row}" for row in self.subtotals]
        if self.others:
            parts.append(_span(column, self.others))
        return f"SUM({','.join(parts)})"

    def _formulas(self, sheet, row, excel_row: int, formula) -> None:
        """A formula in each year cell that has a figure; PM and empty stay as they are."""
        for year, column in self.year_columns.items():
            amount: Amount | None = row.cells.get(year)
            if amount is not None and not amount.is_pm:
                sheet.cell(excel_row, column, "=" + formula(get_column_letter(column)))


def _span(column: str, rows: list[int], *, absolute: bool = False) -> str:
    """The cells of `rows` in a column as one range: they are consecutive on the sheet,
    apart from the plan headings and subtotals in between, which hold no figures."""
    mark = "$" if absolute else ""
    return f"{column}{mark}{min(rows)}:{column}{mark}{max(rows)}"


def response(table, period, programme_name: str, export_format: str) -> HttpResponse:
    """The overview as a file; `programme_name` as the period shows it (frozen when closed)."""
    filename = (
        f"op-koers-{slugify(programme_name)}-{slugify(period.name)}-"
        f"{table.overview.series.value}.{export_format}"
    )
    if export_format == "csv":
        body, content_type = to_csv(table), "text/csv; charset=utf-8"
    else:
        title = f"{programme_name}: {period.name}"
        body, content_type = to_xlsx(table, title), XLSX_CONTENT_TYPE
    return attachment(body, content_type, filename)


def attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
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
    unit = _("%(series)s, bedragen x € 1.000") % {"series": table.overview.series_name}
    rendered = aligned_text(header, lines, right=set(range(2, len(header) - 1)))
    return "\n".join([title, unit, "", *rendered]) + "\n"


def aligned_text(header: list, lines: list[list], *, right: set[int]) -> list[str]:
    """A header, a rule and the lines in fixed-width columns, the `right` ones (amounts,
    years) right-aligned: the text tables of the management commands."""
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]

    def render(line):
        return "  ".join(
            str(value).rjust(widths[i]) if i in right else str(value).ljust(widths[i])
            for i, value in enumerate(line)
        ).rstrip()

    return [render(header), "-" * len(render(header)), *(render(line) for line in lines)]
