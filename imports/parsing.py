"""From raw cells to typed values: finds the header and the unit, converts each cell the
way a Dutch controller types it, and says per cell what is wrong.

Nothing here reads the database; `imports.planning` matches the result against it.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from measures.models import MAX_AMOUNT
from measures.money import AmountError, amount_hint, parse_amount
from measures.overview import Amount

from . import columns
from .columns import Field, Unit
from .reading import MAX_MEASURE_ROWS, Formula, Sheet

# The header is looked for in the first rows, below a title and a unit line.
HEADER_SEARCH_ROWS = 30

# Rows the overview computes itself; importing them would count their amounts twice.
COMPUTED_ROWS = re.compile(
    r"^(subtotaal|totaal|inventarisatie invulling|te realiseren besparingen|saldo)\b", re.I
)
PLAN_HEADING = re.compile(r"^maatregelenplan\b", re.I)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
HTML = re.compile(r"<\s*/?\s*[a-z!?]", re.I)
FORMULA_STARTS = ("=", "+", "@")


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: a cell, a row, a column or the whole file."""

    message: str
    row: int | None = None
    column: int | None = None
    header: str = ""

    @property
    def cell(self) -> str:
        if self.row and self.column:
            return f"{get_column_letter(self.column)}{self.row}"
        return ""

    @property
    def place(self) -> str:
        """Where, in words: "Regel 7, kolom D (2020)"."""
        parts = []
        if self.row:
            parts.append(_("Regel %(row)s") % {"row": self.row})
        if self.column:
            column = _("kolom %(letter)s") % {"letter": get_column_letter(self.column)}
            parts.append(f"{column} ({self.header})" if self.header else column)
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "message": self.message,
        }


class CellProblem(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ParsedRow:
    """One measure row. `values` holds the fields whose column the sheet has (empty text
    for an empty cell); `targets` the year columns (None for an empty cell)."""

    line: int
    values: dict[Field, str] = field(default_factory=dict)
    targets: dict[int, Amount | None] = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ParsedFile:
    unit: Unit | None = None
    header_row: int | None = None
    columns: dict[Field, int] = field(default_factory=dict)
    years: dict[int, int] = field(default_factory=dict)
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def header(self, key: Field | int) -> str:
        return str(key) if isinstance(key, int) else str(columns.HEADERS[key])

    def column(self, key: Field | int) -> int | None:
        return self.years.get(key) if isinstance(key, int) else self.columns.get(key)

    def problem(self, row: ParsedRow | None, key: Field | int, message: str) -> Problem:
        return Problem(
            message,
            row=row.line if row else self.header_row,
            column=self.column(key),
            header=self.header(key),
        )

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + [problem for row in self.rows for problem in row.problems]


def parse_sheet(sheet: Sheet) -> ParsedFile:
    parsed = ParsedFile()
    header_index = _find_header(sheet.rows)
    if header_index is None:
        parsed.problems.append(
            Problem(
                _(
                    "Geen kopregel gevonden. Zet de kolomkoppen Maatregelenplan, Volgnr en "
                    "Titel (en een kolom per jaar) in één regel boven de maatregelen, zoals "
                    "in het sjabloon."
                )
            )
        )
        return parsed
    parsed.header_row = header_index + 1
    _read_header(parsed, sheet.rows[header_index])
    if parsed.years:
        parsed.unit = _find_unit(parsed, sheet.rows[:header_index])
    data_rows = [
        (index + 1, values)
        for index, values in enumerate(sheet.rows[header_index + 1 :], start=header_index + 1)
        if any(_is_filled(value) for value in values)
    ]
    if len(data_rows) > MAX_MEASURE_ROWS:
        parsed.problems.append(
            Problem(
                _(
                    "Het bestand heeft %(count)s regels met maatregelen; hoogstens %(limit)s "
                    "per bestand. Splits het op."
                )
                % {"count": len(data_rows), "limit": MAX_MEASURE_ROWS}
            )
        )
        return parsed
    if not data_rows and not parsed.problems:
        parsed.problems.append(
            Problem(_("Onder de kopregel staan geen maatregelen."), row=parsed.header_row)
        )
    for line, values in data_rows:
        parsed.rows.append(_parse_row(parsed, line, values))
    return parsed


def _is_filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _find_header(rows: list[list]) -> int | None:
    """The first row naming the title column and at least one other known column."""
    for index, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {columns.field_for(value) for value in values if isinstance(value, str)}
        years = [value for value in values if columns.year_in(value)]
        if Field.TITLE in fields and (len(fields - {None}) > 1 or years):
            return index
    return None


def _read_header(parsed: ParsedFile, values: list) -> None:
    seen: dict = {}
    export_only = False
    for index, value in enumerate(values, start=1):
        if not _is_filled(value):
            continue
        year = columns.year_in(value)
        key = year if year is not None else columns.field_for(value)
        place = {"row": parsed.header_row, "column": index, "header": str(value).strip()}
        if key is None and columns.is_export_only(value):
            export_only = True
            continue
        if key is None:
            parsed.notices.append(
                _("Kolom %(letter)s (%(header)s) staat niet in het sjabloon en wordt niet gelezen.")
                % {"letter": get_column_letter(index), "header": str(value).strip()}
            )
            continue
        if key in seen:
            parsed.problems.append(
                Problem(
                    _("Deze kolom staat ook al in kolom %(letter)s; laat er één over.")
                    % {"letter": get_column_letter(seen[key])},
                    **place,
                )
            )
            continue
        seen[key] = index
        if isinstance(key, int):
            if not columns.is_plausible_year(key):
                parsed.problems.append(
                    Problem(
                        _("%(year)s is geen jaar tussen 2000 en 2100.") % {"year": key}, **place
                    )
                )
                continue
            parsed.years[key] = index
        else:
            parsed.columns[key] = index
    if export_only:
        parsed.notices.append(
            _(
                "De kolommen Prognose, Realisatie, Eenheid volume, Volume, Oorzaak, Gevolg en "
                "Bijsturing worden niet ingelezen: die veranderen alleen met een update van de "
                "maatregel, die een controller goedkeurt."
            )
        )
    missing = [str(columns.HEADERS[f]) for f in columns.REQUIRED if f not in parsed.columns]
    if missing:
        parsed.problems.append(
            Problem(
                _(
                    "De kolom %(columns)s ontbreekt in de kopregel. Laat Maatregelenplan leeg "
                    "bij maatregelen buiten de plannen, maar laat de kolom staan."
                )
                % {"columns": ", ".join(missing)},
                row=parsed.header_row,
            )
        )
    parsed.years = dict(sorted(parsed.years.items()))


def _find_unit(parsed: ParsedFile, rows: list[list]) -> Unit | None:
    """The unit the lines above the header state: a cell labelled "Eenheid bedragen" with
    the unit next to it, else a line such as "bedragen x € 1.000"."""
    label = columns.normalise(columns.UNIT_LABEL)
    for values in rows:
        texts = [str(value) for value in values if _is_filled(value)]
        if texts and columns.normalise(texts[0]) == label:
            unit = columns.unit_in(" ".join(texts[1:]))
            if unit is None:
                parsed.problems.append(
                    Problem(
                        _(
                            "Bij Eenheid bedragen staat %(value)s. Kies x € 1.000 (bedragen in "
                            "duizenden euro's) of euro (hele euro's)."
                        )
                        % {"value": " ".join(texts[1:]) or _("niets")}
                    )
                )
            return unit
    found = {
        columns.unit_in(str(value)) for values in rows for value in values if _is_filled(value)
    }
    found.discard(None)
    if len(found) == 1:
        return found.pop()
    parsed.problems.append(
        Problem(
            _(
                "Het bestand zegt niet of de bedragen in hele euro's of in duizenden euro's "
                "staan. Zet boven de kopregel een regel Eenheid bedragen met x € 1.000 of euro, "
                "zoals in het sjabloon."
            )
        )
    )
    return None


def _parse_row(parsed: ParsedFile, line: int, values: list) -> ParsedRow:
    row = ParsedRow(line)

    def cell(index: int):
        return values[index - 1] if index <= len(values) else None

    for key, index in parsed.columns.items():
        value = cell(index)
        row.raw[key] = _shown(value)
        try:
            row.values[key] = text_value(value, key)
        except CellProblem as problem:
            row.problems.append(parsed.problem(row, key, problem.message))
    for year, index in parsed.years.items():
        value = cell(index)
        row.raw[year] = _shown(value)
        if parsed.unit is None:
            row.targets[year] = None
            continue
        try:
            row.targets[year] = amount_value(value, parsed.unit)
        except CellProblem as problem:
            row.problems.append(parsed.problem(row, year, problem.message))
    _check_row_kind(parsed, row)
    return row


def _check_row_kind(parsed: ParsedFile, row: ParsedRow) -> None:
    title = row.values.get(Field.TITLE, "")
    number = row.values.get(Field.NUMBER, "")
    has_amounts = any(amount is not None for amount in row.targets.values())
    if Field.TITLE in row.values and not title:
        row.problems.append(parsed.problem(row, Field.TITLE, _("De titel ontbreekt.")))
    elif not number and COMPUTED_ROWS.match(title):
        row.problems.append(
            parsed.problem(
                row,
                Field.TITLE,
                _(
                    "Dit is een regel met een (sub)totaal, taakstelling of saldo. Koersmonitor "
                    "rekent die zelf uit; haal de regel weg."
                ),
            )
        )
    elif (
        not number
        and not row.values.get(Field.PLAN)
        and not has_amounts
        and PLAN_HEADING.match(title)
    ):
        row.problems.append(
            parsed.problem(
                row,
                Field.TITLE,
                _(
                    "Dit lijkt de kopregel van een maatregelenplan. Zet de naam van het plan in "
                    "de kolom Maatregelenplan bij elke maatregel en haal deze regel weg."
                ),
            )
        )


def _shown(value) -> str:
    """A raw cell as the preview repeats it next to its error."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        return value.text
    return str(value)


def formula_message() -> str:
    return _(
        "Deze cel bevat een formule. Zet er de waarde in: kopieer de cellen en plak ze als waarden."
    )


def text_value(value, key: Field | None, *, limit: int | None = None) -> str:
    """Text as typed, or CellProblem: no formulas, HTML or control characters. `limit`
    is the longest text allowed where `key` is no measure field (the indicator import)."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        raise CellProblem(formula_message())
    if isinstance(value, bool):
        raise CellProblem(_("Hier hoort tekst, geen WAAR of ONWAAR."))
    if isinstance(value, datetime | date | time):
        raise CellProblem(
            _(
                "Excel heeft hier een datum van gemaakt. Maak de cel tekst (Celeigenschappen, "
                "Tekst) en typ de waarde opnieuw."
            )
        )
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if text.startswith("'") and text[1:2] in (*FORMULA_STARTS, "-"):
        # An apostrophe that an export put before text that looks like a formula.
        text = text[1:]
    if key is not Field.EXPLANATION:
        text = re.sub(r"\s+", " ", text)
    text = text.strip()
    if text.startswith(FORMULA_STARTS):
        raise CellProblem(formula_message())
    if CONTROL_CHARACTERS.search(text):
        raise CellProblem(_("Deze tekst bevat onzichtbare stuurtekens; typ hem opnieuw."))
    if HTML.search(text):
        raise CellProblem(_("HTML-code (zoals <b> of <script>) hoort hier niet; typ alleen tekst."))
    limit = columns.MAX_LENGTHS[key] if key is not None else limit
    if len(text) > limit:
        raise CellProblem(
            _("Deze tekst is %(length)s tekens lang; hoogstens %(limit)s.")
            % {"length": len(text), "limit": limit}
        )
    return text


def amount_value(value, unit: Unit) -> Amount | None:
    """Whole euros from a cell: a number, Dutch text ("1.580", "1580", "-82"), PM, or empty.

    Text is read by the app's one amount parser (measures.money.parse_amount). In
    thousands, up to three decimals are whole euros ("82,5" is € 82.500).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Formula):
        raise CellProblem(formula_message())
    if isinstance(value, bool | datetime | date | time):
        raise CellProblem(_not_an_amount(str(value), unit))
    if isinstance(value, str):
        try:
            return parse_amount(value, in_thousands=unit is Unit.THOUSANDS)
        except AmountError as error:
            if error.code == "max":
                raise CellProblem(_too_big()) from None
            raise CellProblem(_not_an_amount(value.strip(), unit)) from None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise CellProblem(_not_an_amount(str(value), unit)) from None
    if not number.is_finite():
        raise CellProblem(_not_an_amount(str(value), unit))
    euros = number * unit.factor
    if abs(euros) > MAX_AMOUNT:
        raise CellProblem(_too_big())
    whole = euros.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if abs(euros - whole) >= Decimal("0.005"):
        raise CellProblem(
            _("Dit bedrag komt niet uit op hele euro's; rond het af op hele euro's.")
            if unit is Unit.EUROS
            else _("Dit bedrag heeft meer dan drie decimalen; rond het af op hele euro's.")
        )
    return Amount(int(whole))


def _too_big() -> str:
    return _("Dit bedrag is onwaarschijnlijk groot; controleer de eenheid en het getal.")


def _not_an_amount(text: str, unit: Unit) -> str:
    return _("“%(value)s” is geen bedrag. %(hint)s") % {
        "value": text,
        "hint": amount_hint(in_thousands=unit is Unit.THOUSANDS),
    }
