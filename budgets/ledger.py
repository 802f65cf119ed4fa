"""Reading and planning an import of the financial system's ledger export into one
reporting period: budget and realisation figures in whole euros.

The file is read by the measure import's reader (imports.reading: the file's type by its
content, zip bombs and formulas refused) and its cells are checked as text by
imports.parsing; problems are imports.parsing.Problem, per row and column, so the same
templates show them. A row is one amount: a ledger code (LedgerCode of the organisation,
else a taakveld's code, else a product's exact name), a category, a column, a year, the
amount in euros (measures.money.parse_amount, no PM) and optionally a reserve.

Nothing here writes; `plan_ledger` reads the organisation's ledger codes, the
programme's products, the taakvelden and the figures the period already has (four
queries), and budgets.ledger_services writes a valid plan through
budgets.services.write_figures.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from imports.columns import Unit
from imports.parsing import CellProblem, Problem, amount_value, text_value
from imports.reading import Formula, Sheet
from imports.sheet_plan import Columns, filled, normalise, read_year, rows_under_header, shown
from measures.exports import append_row, workbook_bytes
from measures.money import AmountError, format_euros, parse_amount

from .models import BudgetFigure, Category, LedgerCode, Product, TaskField
from .models import Column as FigureColumn
from .services import FigureRow, figure_key

HEADER_SEARCH_ROWS = 30
# A ledger export has a row per amount: a programme of 50 products with four categories,
# four columns and a few years stays well below this.
MAX_ROWS = 5_000
MAX_TEXT = 200
MAX_RESERVE = BudgetFigure._meta.get_field("reserve").max_length


class Column(StrEnum):
    CODE = "code"
    CATEGORY = "category"
    COLUMN = "column"
    YEAR = "year"
    AMOUNT = "amount"
    RESERVE = "reserve"


HEADERS = {
    Column.CODE: gettext_lazy("Code"),
    Column.CATEGORY: gettext_lazy("Categorie"),
    Column.COLUMN: gettext_lazy("Kolom"),
    Column.YEAR: gettext_lazy("Jaar"),
    Column.AMOUNT: gettext_lazy("Bedrag"),
    Column.RESERVE: gettext_lazy("Reserve"),
}
ORDER = list(Column)
REQUIRED = [Column.CODE, Column.CATEGORY, Column.COLUMN, Column.YEAR, Column.AMOUNT]
# Other names for the same columns (normalised), as ledger exports spell them.
ALIASES = {
    Column.CODE: [
        "grootboekcode",
        "grootboek",
        "product",
        "productcode",
        "taakveld",
        "kostenplaats",
    ],
    Column.CATEGORY: ["soort", "lasten/baten"],
    Column.COLUMN: ["begrotingskolom", "kolomsoort", "versie"],
    Column.YEAR: ["boekjaar", "begrotingsjaar"],
    Column.AMOUNT: ["bedrag in euro's", "bedrag in euros", "bedrag (euro)", "euro"],
    Column.RESERVE: ["naam reserve", "reservenaam"],
}

CATEGORIES = {
    "lasten": Category.LASTEN,
    "last": Category.LASTEN,
    "baten": Category.BATEN,
    "bate": Category.BATEN,
    "storting": Category.STORTING,
    "stortingen": Category.STORTING,
    "storting reserve": Category.STORTING,
    "storting reserves": Category.STORTING,
    "storting in reserve": Category.STORTING,
    "toevoeging reserve": Category.STORTING,
    "toevoeging aan reserves": Category.STORTING,
    "toevoegingen aan reserves": Category.STORTING,
    "onttrekking": Category.ONTTREKKING,
    "onttrekkingen": Category.ONTTREKKING,
    "onttrekking reserve": Category.ONTTREKKING,
    "onttrekking reserves": Category.ONTTREKKING,
    "onttrekking aan reserve": Category.ONTTREKKING,
    "onttrekking aan reserves": Category.ONTTREKKING,
    "onttrekkingen aan reserves": Category.ONTTREKKING,
}
COLUMNS = {
    "primair": FigureColumn.PRIMAIR,
    "begroting primair": FigureColumn.PRIMAIR,
    "primaire begroting": FigureColumn.PRIMAIR,
    "begroting (primair)": FigureColumn.PRIMAIR,
    "na wijziging": FigureColumn.NA_WIJZIGING,
    "na_wijziging": FigureColumn.NA_WIJZIGING,
    "begroting na wijziging": FigureColumn.NA_WIJZIGING,
    "begroting (na wijziging)": FigureColumn.NA_WIJZIGING,
    "gewijzigde begroting": FigureColumn.NA_WIJZIGING,
    "prognose": FigureColumn.PROGNOSE,
    "realisatie": FigureColumn.REALISATIE,
    "rekening": FigureColumn.REALISATIE,
    "werkelijk": FigureColumn.REALISATIE,
}
# Columns of other exports that the import reads past.
EXPORT_ONLY = ["omschrijving", "naam", "programma", "toelichting"]


SHEET = Columns(
    headers=HEADERS,
    aliases=ALIASES,
    required=tuple(REQUIRED),
    is_header=lambda found: Column.CODE in found and Column.AMOUNT in found,
    export_only=tuple(EXPORT_ONLY),
)


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"
    PROBLEM = "problem"


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("Toevoegen"),
    Action.CHANGE: gettext_lazy("Wijzigen"),
    Action.UNCHANGED: gettext_lazy("Ongewijzigd"),
    Action.PROBLEM: gettext_lazy("Fout"),
}


@dataclass
class RowPlan:
    """One row of the file: which product or taakveld, what amount, what is wrong."""

    line: int
    raw: dict = field(default_factory=dict)
    product: Product | None = None
    task_field: TaskField | None = None
    year: int | None = None
    category: str = ""
    column: str = ""
    reserve: str = ""
    amount: int | None = None
    existing: BudgetFigure | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def action(self) -> Action:
        if self.problems:
            return Action.PROBLEM
        if self.existing is None:
            return Action.CREATE
        if self.existing.amount == self.amount:
            return Action.UNCHANGED
        return Action.CHANGE

    @property
    def target(self) -> str:
        return str(self.product or self.task_field or "")

    @property
    def after(self) -> str:
        return format_euros(self.amount) if self.amount is not None else ""

    @property
    def before(self) -> str | None:
        if self.existing is None or self.action is not Action.CHANGE:
            return None
        return format_euros(self.existing.amount)

    def figure_row(self) -> FigureRow:
        return FigureRow(
            year=self.year,
            category=self.category,
            column=self.column,
            amount=self.amount,
            product=self.product,
            task_field=None if self.product else self.task_field,
            reserve=self.reserve,
        )


@dataclass
class LedgerPlan:
    period: object
    columns: dict[Column, int] = field(default_factory=dict)
    header_row: int | None = None
    rows: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [problem for row in self.rows for problem in row.problems]

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.all_problems

    def counts(self) -> dict:
        counts = {action.value: 0 for action in Action}
        for row in self.rows:
            counts[row.action.value] += 1
        return {"rows": len(self.rows), **counts}

    @property
    def has_changes(self) -> bool:
        return any(row.action in (Action.CREATE, Action.CHANGE) for row in self.rows)

    def figure_rows(self) -> list[FigureRow]:
        """What write_figures stores: every row of a valid plan (unchanged ones stay)."""
        return [row.figure_row() for row in self.rows]

    @property
    def digest(self) -> str:
        """What the plan would write and what it found: the confirmation applies only the
        plan that was previewed."""
        state = [
            [
                row.line,
                row.product.pk if row.product else None,
                row.task_field.pk if row.task_field else None,
                row.year,
                row.category,
                row.column,
                row.reserve,
                row.amount,
                [row.existing.pk, row.existing.amount] if row.existing else None,
            ]
            for row in self.rows
        ]
        payload = json.dumps([self.period.pk, state, [str(p) for p in self.all_problems]])
        return hashlib.sha256(payload.encode()).hexdigest()

    def change_log(self) -> list[dict]:
        return [
            {
                "line": row.line,
                "subject": row.target,
                "changes": [
                    f"{row.year} {Category(row.category).label}"
                    + (f" ({row.reserve})" if row.reserve else "")
                    + f", {FigureColumn(row.column).label}: "
                    + (f"{row.before} → {row.after}" if row.before else row.after)
                ],
            }
            for row in self.rows
            if row.action in (Action.CREATE, Action.CHANGE)
        ]

    def header(self, column: Column) -> str:
        return str(HEADERS[column])

    def problem(self, row: RowPlan, column: Column, message: str) -> Problem:
        return Problem(
            message, row=row.line, column=self.columns.get(column), header=self.header(column)
        )


@dataclass(frozen=True)
class Targets:
    """What a code may name in the period: the organisation's ledger codes, the
    programme's products by name, the taakvelden by code."""

    ledger_codes: dict[str, LedgerCode]
    products: dict[str, Product]
    task_fields: dict[str, TaskField]
    programme_id: int


def targets_of(period) -> Targets:
    """Three queries."""
    organisation_id = period.programme.organisation_id
    return Targets(
        ledger_codes={
            code.code.lower(): code
            for code in LedgerCode.objects.filter(organisation_id=organisation_id).select_related(
                "product", "task_field"
            )
        },
        products={
            product.name.strip(): product
            for product in Product.objects.filter(programme_id=period.programme_id)
        },
        task_fields={task_field.code: task_field for task_field in TaskField.objects.all()},
        programme_id=period.programme_id,
    )


def plan_ledger(sheet: Sheet, *, period) -> LedgerPlan:
    plan = LedgerPlan(period=period)
    data = rows_under_header(
        sheet,
        plan,
        SHEET,
        max_rows=MAX_ROWS,
        no_header=_(
            "Geen kopregel gevonden. Zet de kolomkoppen Code, Categorie, Kolom, Jaar en "
            "Bedrag in één regel boven de bedragen, zoals in het sjabloon."
        ),
        no_rows=_("Onder de kopregel staan geen bedragen."),
    )
    if not data:
        return plan
    targets = targets_of(period)
    existing = {figure_key(figure): figure for figure in BudgetFigure.objects.filter(period=period)}
    seen: dict[tuple, int] = {}
    for line, values in data:
        row = _plan_row(plan, line, values, targets)
        if not row.problems:
            key = row.figure_row().key
            if key in seen:
                row.problems.append(
                    Problem(
                        _("Dit bedrag staat ook al in regel %(line)s; laat er één over.")
                        % {"line": seen[key]},
                        row=line,
                    )
                )
            else:
                seen[key] = line
                row.existing = existing.get(key)
        plan.rows.append(row)
    return plan


def _plan_row(plan: LedgerPlan, line: int, values: list, targets: Targets) -> RowPlan:
    row = RowPlan(line=line)
    cells = {
        column: values[index - 1] if index - 1 < len(values) else None
        for column, index in plan.columns.items()
    }
    row.raw = {column: shown(value) for column, value in cells.items()}

    def text(column: Column, limit: int = MAX_TEXT) -> str:
        try:
            return text_value(cells.get(column), None, limit=limit)
        except CellProblem as problem:
            row.problems.append(plan.problem(row, column, problem.message))
            return ""

    _code(plan, row, text(Column.CODE), targets)
    row.category = _choice(
        plan,
        row,
        Column.CATEGORY,
        text(Column.CATEGORY),
        CATEGORIES,
        _("Vul lasten, baten, storting reserve of onttrekking reserve in."),
    )
    row.column = _choice(
        plan,
        row,
        Column.COLUMN,
        text(Column.COLUMN),
        COLUMNS,
        _("Vul begroting primair, begroting na wijziging, prognose of realisatie in."),
    )
    row.year = _year(plan, row, cells.get(Column.YEAR))
    row.amount = _amount(plan, row, cells.get(Column.AMOUNT))
    row.reserve = text(Column.RESERVE, MAX_RESERVE)
    if row.reserve and row.category in (Category.LASTEN, Category.BATEN):
        row.problems.append(
            plan.problem(
                row,
                Column.RESERVE,
                _("Alleen een storting of onttrekking noemt een reserve; laat dit leeg."),
            )
        )
    return row


def _code(plan: LedgerPlan, row: RowPlan, code: str, targets: Targets) -> None:
    if not code:
        row.problems.append(plan.problem(row, Column.CODE, _("Vul de code in.")))
        return
    mapped = targets.ledger_codes.get(code.lower())
    if mapped is not None:
        if mapped.product_id and mapped.product.programme_id != targets.programme_id:
            row.problems.append(
                plan.problem(
                    row,
                    Column.CODE,
                    _(
                        "Code %(code)r is gekoppeld aan product %(product)s van een ander "
                        "programma dan %(programme)s."
                    )
                    % {
                        "code": code,
                        "product": mapped.product.name,
                        "programme": plan.period.programme.name,
                    },
                )
            )
            return
        row.product, row.task_field = mapped.product, mapped.task_field
        return
    if code in targets.task_fields:
        row.task_field = targets.task_fields[code]
        return
    if code in targets.products:
        row.product = targets.products[code]
        return
    row.problems.append(
        plan.problem(
            row,
            Column.CODE,
            _(
                "Onbekende code %(code)r: geen grootboekcode van uw organisatie, geen "
                "taakveld en geen product van %(programme)s. Koppel de code aan een product "
                "of taakveld op de pagina Grootboekcodes."
            )
            % {"code": code, "programme": plan.period.programme.name},
        )
    )


def _choice(plan, row, column: Column, text: str, choices: dict, hint: str) -> str:
    found = choices.get(normalise(text)) if text else None
    if found is None:
        row.problems.append(plan.problem(row, column, hint))
        return ""
    return found.value


def _year(plan, row, value) -> int | None:
    year, message = read_year(value)
    if year is None:
        row.problems.append(plan.problem(row, Column.YEAR, message))
    return year


def _amount(plan, row, value) -> int | None:
    """Whole euros: a number cell, or text as a Dutch user types it (no PM)."""
    try:
        if not filled(value):
            raise CellProblem(_("Vul het bedrag in."))
        if isinstance(value, Formula):
            raise CellProblem(
                _("Deze cel bevat een formule. Zet er het bedrag in (plakken als waarden).")
            )
        if isinstance(value, bool | datetime | date | time):
            raise CellProblem(_("Vul een bedrag in hele euro's in, zoals 1.580.000."))
        if isinstance(value, str):
            try:
                amount = parse_amount(value, allow_pm=False)
            except AmountError as error:
                raise CellProblem(error.message) from None
        else:
            amount = amount_value(value, Unit.EUROS)
        return int(amount.euros)
    except CellProblem as problem:
        row.problems.append(plan.problem(row, Column.AMOUNT, problem.message))
        return None


# -- The template -------------------------------------------------------------------

WIDTHS = [16, 22, 26, 8, 16, 24]


def template_xlsx(period) -> bytes:
    """The import's columns, a row per product of the period's programme (its name as
    code), a choice list for category and column, and a sheet that explains them."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Begrotingsbedragen"
    append_row(sheet, [str(HEADERS[column]) for column in ORDER])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    year = period.reference_date.year
    rows = 1
    for product in Product.objects.filter(programme_id=period.programme_id):
        append_row(sheet, [product.code or product.name, "lasten", "realisatie", year])
        rows += 1
    for letter, choices in (
        ("B", [c.value for c in Category]),
        ("C", ["primair", "na wijziging", "prognose", "realisatie"]),
    ):
        validation = DataValidation(
            type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True
        )
        sheet.add_data_validation(validation)
        validation.add(f"{letter}2:{letter}{max(rows, 2) + 500}")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    explanation = workbook.create_sheet("Uitleg")
    for line in [
        ["Kolom", "Wat erin hoort"],
        [
            "Code",
            "De grootboekcode (gekoppeld op de pagina Grootboekcodes), de code van een "
            "taakveld (6.71) of de precieze naam van een product.",
        ],
        ["Categorie", "lasten, baten, storting reserve of onttrekking reserve."],
        ["Kolom", "begroting primair, begroting na wijziging, prognose of realisatie (rekening)."],
        ["Jaar", "Het begrotingsjaar, bijvoorbeeld 2018."],
        ["Bedrag", "In hele euro's, zoals 1.580.000; geen PM, geen formules."],
        ["Reserve", "Mag leeg; alleen bij een storting of onttrekking: de naam van de reserve."],
    ]:
        append_row(explanation, line)
    explanation["A1"].font = explanation["B1"].font = Font(bold=True)
    explanation.column_dimensions["A"].width = 14
    explanation.column_dimensions["B"].width = 90
    return workbook_bytes(workbook)
