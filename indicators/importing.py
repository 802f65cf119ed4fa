"""Reading and planning an import of indicator values into one reporting period.

The file is read by the measure import's reader (imports.reading: the file's type by
its content, zip bombs and formulas refused) and its cells are checked as text by
imports.parsing; problems are imports.parsing.Problem, per row and column, so the same
templates show them. What is specific to indicators is here: the columns, matching an
indicator (by number or name) of the period's programme, its part, the year, the kind
and the value, read by indicators.formatting.parse_value with the indicator's decimals.

Nothing here writes; `plan_values` reads the indicators and the values the period
already has (three queries), and indicators.services writes a valid plan.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.parsing import CellProblem, Problem, text_value
from imports.reading import MAX_MEASURE_ROWS, Formula, Sheet
from imports.sheet_plan import Columns, filled, read_year, rows_under_header, shown

from .formatting import MAX_VALUE, ValueError_, format_value, parse_value
from .models import Indicator, IndicatorValue, ValueKind
from .table import indicator_number

HEADER_SEARCH_ROWS = 30
MAX_ROWS = MAX_MEASURE_ROWS
MAX_TEXT = 500
MAX_QUALIFIER = IndicatorValue._meta.get_field("qualifier").max_length


class Column(StrEnum):
    NUMBER = "number"
    INDICATOR = "indicator"
    PART = "part"
    YEAR = "year"
    KIND = "kind"
    VALUE = "value"
    QUALIFIER = "qualifier"


HEADERS = {
    Column.NUMBER: gettext_lazy("Nummer"),
    Column.INDICATOR: gettext_lazy("Indicator"),
    Column.PART: gettext_lazy("Deel"),
    Column.YEAR: gettext_lazy("Jaar"),
    Column.KIND: gettext_lazy("Soort"),
    Column.VALUE: gettext_lazy("Waarde"),
    Column.QUALIFIER: gettext_lazy("Kanttekening"),
}
# Other names for the same columns (normalised).
ALIASES = {
    Column.NUMBER: ["nr", "nummer indicator"],
    Column.INDICATOR: ["naam", "naam indicator", "indicatornaam"],
    Column.PART: ["deelindicator", "onderdeel"],
    Column.YEAR: [],
    Column.KIND: ["soort waarde"],
    Column.VALUE: ["score"],
    Column.QUALIFIER: ["toevoeging"],
}
# Columns of the indicators export that the import reads past.
EXPORT_ONLY = ["eenheid", "getal", "zoals gerapporteerd"]
KINDS = {kind.value: kind for kind in ValueKind} | {
    str(kind.label).lower(): kind for kind in ValueKind
}


SHEET = Columns(
    headers=HEADERS,
    aliases=ALIASES,
    required=(Column.YEAR, Column.KIND, Column.VALUE),
    is_header=lambda found: (
        Column.VALUE in found and bool(found & {Column.INDICATOR, Column.NUMBER})
    ),
    export_only=tuple(EXPORT_ONLY),
)


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"
    PROBLEM = "problem"


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("Nieuw"),
    Action.CHANGE: gettext_lazy("Wijzigen"),
    Action.UNCHANGED: gettext_lazy("Ongewijzigd"),
    Action.PROBLEM: gettext_lazy("Fout"),
}


@dataclass
class RowPlan:
    """One row of the file: what it names, what it sets, what it finds wrong."""

    line: int
    raw: dict = field(default_factory=dict)
    indicator: Indicator | None = None
    part: object = None
    year: int | None = None
    kind: str = ""
    value: Decimal | None = None
    qualifier: str = ""
    existing: IndicatorValue | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def action(self) -> Action:
        if self.problems:
            return Action.PROBLEM
        if self.existing is None:
            return Action.CREATE
        if self.existing.value == self.value and self.existing.qualifier == self.qualifier:
            return Action.UNCHANGED
        return Action.CHANGE

    def text(self, value: Decimal | None, qualifier: str) -> str:
        indicator = self.indicator
        return format_value(
            value, decimals=indicator.decimals, suffix=indicator.value_suffix, qualifier=qualifier
        )

    @property
    def after(self) -> str:
        return self.text(self.value, self.qualifier) if self.indicator else ""

    @property
    def before(self) -> str | None:
        if self.existing is None or self.action is not Action.CHANGE:
            return None
        return self.text(self.existing.value, self.existing.qualifier)

    @property
    def label(self) -> str:
        if self.indicator is None:
            return ""
        name = str(self.indicator)
        return f"{name} · {self.part}" if self.part else name


@dataclass
class ValuesPlan:
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

    @property
    def digest(self) -> str:
        """What the plan would write and what it found: the confirmation applies only the
        plan that was previewed."""
        state = [
            [
                row.line,
                row.indicator.pk if row.indicator else None,
                row.part.pk if row.part else None,
                row.year,
                row.kind,
                str(row.value),
                row.qualifier,
                [row.existing.pk, str(row.existing.value), row.existing.qualifier]
                if row.existing
                else None,
            ]
            for row in self.rows
        ]
        payload = json.dumps([self.period.pk, state, [str(p) for p in self.all_problems]])
        return hashlib.sha256(payload.encode()).hexdigest()

    def change_log(self) -> list[dict]:
        return [
            {
                "line": row.line,
                "indicator": row.label,
                "changes": [
                    f"{row.year} {ValueKind(row.kind).label}: "
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


def plan_values(sheet: Sheet, *, period) -> ValuesPlan:
    plan = ValuesPlan(period=period)
    data = rows_under_header(
        sheet,
        plan,
        SHEET,
        max_rows=MAX_ROWS,
        no_header=_(
            "Geen kopregel gevonden. Zet de kolomkoppen Indicator (of Nummer), Jaar, Soort en "
            "Waarde in één regel boven de waarden, zoals in het sjabloon."
        ),
        no_rows=_("Onder de kopregel staan geen waarden."),
    )
    if not data:
        return plan
    indicators = list(
        Indicator.objects.filter(programme_id=period.programme_id)
        .select_related("national")
        .prefetch_related("parts")
    )
    existing = {
        (value.indicator_id, value.part_id, value.year, value.kind): value
        for value in IndicatorValue.objects.filter(period=period)
    }
    seen: dict[tuple, int] = {}
    for line, values in data:
        row = _plan_row(plan, line, values, indicators)
        if not row.problems:
            key = (row.indicator.pk, row.part.pk if row.part else None, row.year, row.kind)
            if key in seen:
                row.problems.append(
                    Problem(
                        _("Deze waarde staat ook al in regel %(line)s; laat er één over.")
                        % {"line": seen[key]},
                        row=line,
                    )
                )
            else:
                seen[key] = line
                row.existing = existing.get(key)
        plan.rows.append(row)
    return plan


def _plan_row(plan: ValuesPlan, line: int, values: list, indicators) -> RowPlan:
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

    number, name = text(Column.NUMBER), text(Column.INDICATOR)
    part_text = text(Column.PART)
    row.qualifier = text(Column.QUALIFIER, MAX_QUALIFIER)
    row.indicator = _indicator(plan, row, number, name, indicators)
    if row.indicator is not None:
        row.part = _part(plan, row, part_text)
    row.year = _year(plan, row, cells.get(Column.YEAR))
    row.kind = _kind(plan, row, text(Column.KIND))
    if row.indicator is not None:
        row.value = _value(plan, row, cells.get(Column.VALUE))
    return row


def _indicator(plan, row, number: str, name: str, indicators) -> Indicator | None:
    if not number and not name:
        column = Column.INDICATOR if Column.INDICATOR in plan.columns else Column.NUMBER
        row.problems.append(plan.problem(row, column, _("Vul het nummer of de naam in.")))
        return None
    if number:
        found = [i for i in indicators if indicator_number(i).lower() == number.lower()]
        column, given = Column.NUMBER, number
    else:
        found = [i for i in indicators if i.display_name.strip().lower() == name.lower()]
        column, given = Column.INDICATOR, name
    if len(found) == 1:
        return found[0]
    programme = plan.period.programme.name
    message = (
        _("Indicator %(name)r bestaat niet in %(programme)s.")
        if not found
        else _("Meer indicatoren in %(programme)s heten %(name)r; gebruik de kolom Nummer.")
    )
    row.problems.append(
        plan.problem(row, column, message % {"name": given, "programme": programme})
    )
    return None


def _part(plan, row, text: str):
    parts = list(row.indicator.parts.all())
    if not parts:
        if text:
            row.problems.append(
                plan.problem(row, Column.PART, _("Deze indicator heeft geen delen; laat dit leeg."))
            )
        return None
    if not text:
        row.problems.append(
            plan.problem(
                row,
                Column.PART,
                _("Deze indicator bestaat uit delen; vul in welk: %(parts)s.")
                % {"parts": "; ".join(part.label for part in parts)},
            )
        )
        return None
    for position, part in enumerate(parts, start=1):
        if part.label.strip().lower() == text.lower() or text == str(position):
            return part
    row.problems.append(
        plan.problem(
            row,
            Column.PART,
            _("Onbekend deel. Kies uit: %(parts)s.")
            % {"parts": "; ".join(part.label for part in parts)},
        )
    )
    return None


def _year(plan, row, value) -> int | None:
    year, message = read_year(value)
    if year is None:
        row.problems.append(plan.problem(row, Column.YEAR, message))
    return year


def _kind(plan, row, text: str) -> str:
    kind = KINDS.get(text.lower())
    if kind is None:
        row.problems.append(
            plan.problem(row, Column.KIND, _("Vul streefwaarde, realisatie of nulmeting in."))
        )
        return ""
    return kind.value


def _value(plan, row, value) -> Decimal | None:
    decimals = row.indicator.decimals
    try:
        if isinstance(value, Formula):
            raise ValueError_(
                _("Deze cel bevat een formule. Zet er de waarde in (plakken als waarden).")
            )
        if isinstance(value, bool) or not filled(value):
            raise ValueError_(_("Vul de waarde in."))
        if isinstance(value, int | float):
            return _number(value, decimals)
        return parse_value(str(value), decimals=decimals)
    except ValueError_ as error:
        row.problems.append(plan.problem(row, Column.VALUE, error.message))
        return None


def _number(value: int | float, decimals: int) -> Decimal:
    """A number cell: exactly the figure the sheet shows (a float's shortest repr)."""
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError_(_("Vul een getal in.")) from None
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise ValueError_(_("Dit getal is onwaarschijnlijk groot."))
    if -number.normalize().as_tuple().exponent > decimals:
        raise ValueError_(
            _("Deze indicator heeft %(n)s decimalen; rond af op %(n)s cijfers na de komma.")
            % {"n": decimals}
            if decimals
            else _("Deze indicator kent geen decimalen; vul een heel getal in.")
        )
    return number
