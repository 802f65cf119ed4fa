"""CSV and XLSX of the doelenboom and of the "Wat heeft het gekost?" statement, through
the measures exports' helpers (which neutralise text a spreadsheet could run).

The CSV holds the texts of the page (budgets.table: thousands, Dutch separators). The
XLSX is for controllers who keep calculating, like the overview export: amounts in
euros shown in thousands by their number format, and every figure that budgets.statement
derives written as a formula over the cells it comes from, so that a changed amount
carries through:
- statement: the saldo rows and the result over the category rows, the layout's way
  round (baten - lasten for Venlo, lasten - baten for Enschede); the percentage as
  actual / budget of the same row; the difference, voordeel positive, as budget - actual
  for lasten and storting and actual - budget for baten and onttrekking, a total row's
  the sum of its parts' (budgets.statement's docstring). A part counts only where the
  statement counts it (both figures there); where a formula cannot be written from the
  sheet's cells (a category the layout does not print) the sheet holds the computed euros.
- doelenboom: each theme's and goal's lasten and baten as SUM over its products' cells.
Where the page shows nothing, the sheet shows nothing.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from measures.exports import (
    THOUSANDS_FORMAT,
    TOTAL_FILL,
    append_row,
    csv_document,
    workbook_bytes,
)
from measures.money import format_thousands

from . import statement, table

FIRST_ROW = 4  # title, unit, header, then the rows
PERCENT_FORMAT = "0%"
# What a sheet's title may not hold (Excel); the statement's title is the organisation's.
SHEET_TITLE_UNSAFE = re.compile(r"[\\/?*\[\]:]")


class Formula(str):
    """A formula of ours, as opposed to text that happens to start with "="."""


def _text(euros: int | None) -> str:
    return "" if euros is None else format_thousands(euros)


def _header(sheet, values: list) -> None:
    append_row(sheet, values)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _title(sheet, title: str, note: str) -> None:
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [note])


def _append(sheet, excel_row: int, values: list) -> None:
    """A row: text and numbers through append_row (which neutralises text), then the
    formulas, which append_row would neutralise, into their cells."""
    append_row(sheet, [None if _is_formula(value) else value for value in values])
    for column, value in enumerate(values, start=1):
        if _is_formula(value):
            sheet.cell(excel_row, column, value)


def _is_formula(value) -> bool:
    return isinstance(value, Formula)


def _emphasise(sheet, excel_row: int, columns: int) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(excel_row, column)
        cell.font = Font(bold=True)
        cell.fill = TOTAL_FILL


# -- The doelenboom ---------------------------------------------------------------------


def doelenboom_header() -> list[str]:
    return [_("Niveau"), _("Omschrijving"), _("Lasten"), _("Baten")]


def doelenboom_csv(rows) -> bytes:
    return csv_document(
        [
            doelenboom_header(),
            *([row.level_name, row.label, _text(row.lasten), _text(row.baten)] for row in rows),
        ]
    )


def _ranges(column: str, excel_rows: list[int]) -> str:
    """Consecutive rows as one range each: "C5:C7,C9"."""
    runs: list[list[int]] = []
    for row in sorted(excel_rows):
        if runs and row == runs[-1][-1] + 1:
            runs[-1].append(row)
        else:
            runs.append([row])
    return ",".join(
        f"{column}{run[0]}" if len(run) == 1 else f"{column}{run[0]}:{column}{run[-1]}"
        for run in runs
    )


def doelenboom_xlsx(rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Doelenboom")
    _title(
        sheet,
        title,
        _(
            "Bedragen in euro's, weergegeven x € 1.000. De totalen per thema en "
            "doelstelling zijn formules over hun producten."
        ),
    )
    _header(sheet, doelenboom_header())
    for index, row in enumerate(rows):
        excel_row = FIRST_ROW + index
        values = [row.level_name, row.label]
        for amount, column in ((row.lasten, "C"), (row.baten, "D")):
            if amount is None:
                values.append(None)
            elif row.level == "product":
                values.append(amount)
            else:
                parts = [FIRST_ROW + part for part in row.parts]
                values.append(Formula(f"=SUM({_ranges(column, parts)})"))
        _append(sheet, excel_row, values)
        for column in (3, 4):
            sheet.cell(excel_row, column).number_format = THOUSANDS_FORMAT
        if row.level != "product":
            _emphasise(sheet, excel_row, 4)
    for letter, width in (("A", 14), ("B", 60), ("C", 14), ("D", 14)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"C{FIRST_ROW}"
    return workbook_bytes(workbook)


# -- The statement ----------------------------------------------------------------------


def statement_csv(table_: statement.Statement) -> bytes:
    return csv_document([table.header(table_), *table.text_rows(table_)])


class _StatementSheet:
    """Where each row and column of the statement landed, to write formulas over them."""

    def __init__(self, table_: statement.Statement, layout: statement.Layout):
        self.table = table_
        self.layout = layout
        self.rows = {line.code: FIRST_ROW + index for index, line in enumerate(table_.lines)}
        self.letters = {
            code: get_column_letter(2 + index)
            for index, (code, _label) in enumerate(table_.columns)
        }

    def ref(self, row: str, column: str) -> str:
        return f"{self.letters[column]}{self.rows[row]}"

    def has(self, row: str, column: str) -> bool:
        return row in self.rows and column in self.letters

    def value(self, row: str, column: str) -> int | None:
        return self.table.line(row).euros(column, self.table.columns)

    def amount(self, line: statement.Line, column: str, cell: statement.Cell):
        """A figure of an amount column: the euros of a category, a saldo as a formula."""
        if cell.euros is None or line.code in statement.CATEGORIES:
            return cell.euros
        parts = statement.ROW_PARTS[line.code]
        if not all(self.has(part, column) for part in parts):
            return cell.euros
        way = 1 if self.layout.saldo == statement.BATEN_MINUS_LASTEN else -1
        terms = [(way * statement.FAVOURABLE_SIGN[part], self.ref(part, column)) for part in parts]
        return Formula("=" + _signed_sum(terms))

    def percentage(self, line: statement.Line, cell: statement.Cell):
        if cell.percent is None:
            return None
        budget, actual = self.layout.budget_column, self.layout.actual_column
        if not (self.has(line.code, budget) and self.has(line.code, actual)):
            return Decimal(cell.percent) / 100
        return Formula(f"={self.ref(line.code, actual)}/{self.ref(line.code, budget)}")

    def difference(self, line: statement.Line, cell: statement.Cell):
        """Voordeel positive, the sum of the parts' differences that the statement counts
        (those with both a budget and an actual figure)."""
        if cell.euros is None:
            return None
        budget, actual = self.layout.budget_column, self.layout.actual_column
        parts = statement.ROW_PARTS[line.code]
        if not all(self.has(part, budget) and self.has(part, actual) for part in parts):
            return cell.euros
        terms = []
        for part in parts:
            if self.value(part, budget) is None or self.value(part, actual) is None:
                continue
            more, less = (
                (actual, budget) if statement.FAVOURABLE_SIGN[part] > 0 else (budget, actual)
            )
            terms += [(1, self.ref(part, more)), (-1, self.ref(part, less))]
        return Formula("=" + _signed_sum(terms))

    def cells(self, line: statement.Line) -> list:
        values = []
        for (code, _label), cell in zip(self.table.columns, line.cells, strict=True):
            if code == statement.PERCENTAGE:
                values.append(self.percentage(line, cell))
            elif code == statement.DIFFERENCE:
                values.append(self.difference(line, cell))
            else:
                values.append(self.amount(line, code, cell))
        return values


def _signed_sum(terms: list[tuple[int, str]]) -> str:
    """ "B4-B5+B7" from [(1, "B4"), (-1, "B5"), (1, "B7")]."""
    positive = next((index for index, (sign, _ref) in enumerate(terms) if sign > 0), 0)
    terms = [terms[positive], *terms[:positive], *terms[positive + 1 :]]
    text = ""
    for sign, ref in terms:
        text += ("-" if sign < 0 else ("+" if text else "")) + ref
    return text


def statement_xlsx(table_: statement.Statement, layout: statement.Layout, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE_UNSAFE.sub("", table_.title)[:31].strip() or _("Financiën")
    _title(
        sheet,
        title,
        _(
            "Bedragen in euro's, weergegeven x € 1.000. Saldi, resultaat, percentages en "
            "verschillen zijn formules over de bedragen."
        ),
    )
    header = table.header(table_)
    _header(sheet, header)
    placed = _StatementSheet(table_, layout)
    for index, line in enumerate(table_.lines):
        excel_row = FIRST_ROW + index
        _append(sheet, excel_row, [line.label, *placed.cells(line)])
        for position, (code, _label) in enumerate(table_.columns, start=2):
            sheet.cell(excel_row, position).number_format = (
                PERCENT_FORMAT if code == statement.PERCENTAGE else THOUSANDS_FORMAT
            )
        if line.is_total:
            _emphasise(sheet, excel_row, len(header))
    sheet.column_dimensions["A"].width = 48
    for position in range(2, len(header) + 1):
        sheet.column_dimensions[get_column_letter(position)].width = 16
    sheet.freeze_panes = f"B{FIRST_ROW}"
    return workbook_bytes(workbook)


# -- The variance explanations --------------------------------------------------------


def explanation_header() -> list[str]:
    return [
        _("Onderwerp"),
        _("Producten"),
        _("Bedrag (+ voordeel, - nadeel)"),
        _("Stand"),
        _("Toelichting"),
    ]


def variance_header() -> list[str]:
    return [_("Product"), _("Verschil op het resultaat"), _("Boven de drempel"), _("Toegelicht")]


def explanations_csv(explanations, variances) -> bytes:
    """The explanations (amounts x € 1.000, as the page), then each product's difference:
    `explanations` as (explanation, product names), `variances` as (product name,
    ProductVariance)."""
    rows = [explanation_header()]
    rows += [
        [e.label, ", ".join(names), _text(e.amount), e.get_state_display(), e.text]
        for e, names in explanations
    ]
    rows += [[], variance_header()]
    rows += [
        [name, _text(v.difference), _yes_no(v.needs_explanation), _yes_no(v.explained)]
        for name, v in variances
    ]
    return csv_document(rows)


def _yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nee")


def explanations_xlsx(explanations, variances, title: str) -> bytes:
    """As the CSV, with the amounts in euros and their total as a formula."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Toelichtingen")
    _title(sheet, title, _("Bedragen in euro's, weergegeven x € 1.000; positief is voordeel."))
    _header(sheet, explanation_header())
    excel_row = FIRST_ROW
    for explanation, names in explanations:
        _append(
            sheet,
            excel_row,
            [
                explanation.label,
                ", ".join(names),
                explanation.amount,
                explanation.get_state_display(),
                explanation.text,
            ],
        )
        sheet.cell(excel_row, 3).number_format = THOUSANDS_FORMAT
        excel_row += 1
    if explanations:
        total = Formula(f"=SUM(C{FIRST_ROW}:C{excel_row - 1})")
        _append(sheet, excel_row, [_("Totaal toegelicht"), None, total])
        sheet.cell(excel_row, 3).number_format = THOUSANDS_FORMAT
        _emphasise(sheet, excel_row, 5)
        excel_row += 1
    excel_row += 1
    _append(sheet, excel_row, variance_header())
    for cell in sheet[excel_row]:
        cell.font = Font(bold=True)
    for name, variance in variances:
        excel_row += 1
        _append(
            sheet,
            excel_row,
            [
                name,
                variance.difference,
                _yes_no(variance.needs_explanation),
                _yes_no(variance.explained),
            ],
        )
        sheet.cell(excel_row, 2).number_format = THOUSANDS_FORMAT
    for letter, width in (("A", 40), ("B", 40), ("C", 16), ("D", 14), ("E", 70)):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)
