"""Reading the header and rows of a spreadsheet for an import into one period (indicator
values, ledger figures): the parts every such import reads the same way.

An import describes its columns with a `Columns` (their headers, the other spellings it
accepts, the headers of other exports it reads past, which ones it needs, and which ones
mark the header row); `rows_under_header` finds the header, reads it into the plan and
returns the filled rows below it as (line, values), each refusal a Problem on the plan.
A plan has `problems`, `notices`, `columns` (column -> index, from 1), `header_row` and
`header(column)` (indicators.importing.ValuesPlan, budgets.ledger.LedgerPlan).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from measures.constants import MAX_YEAR, MIN_YEAR

from .parsing import Problem
from .reading import Formula, Sheet

HEADER_SEARCH_ROWS = 30


def normalise(header) -> str:
    return re.sub(r"\s+", " ", str(header)).strip().lower().rstrip(":*").strip()


def filled(value) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def shown(value) -> str:
    """A cell as the file has it, for the preview."""
    if value is None:
        return ""
    return value.text if isinstance(value, Formula) else str(value)


@dataclass(frozen=True)
class Columns:
    headers: dict  # column -> its header as the template writes it
    aliases: dict  # column -> other spellings (normalised)
    required: tuple
    # Whether the set of columns found in a row makes it the header row.
    is_header: Callable[[set], bool]
    export_only: tuple = ()  # headers of our exports that the import reads past

    def column_for(self, header):
        name = normalise(header)
        for column, label in self.headers.items():
            if name == normalise(label) or name in self.aliases.get(column, ()):
                return column
        return None


def rows_under_header(
    sheet: Sheet,
    plan,
    columns: Columns,
    *,
    max_rows: int,
    no_header: str,
    no_rows: str,
) -> list[tuple[int, list]]:
    """The filled rows under the header as (line, values); none when the plan got a
    problem instead (no header, a missing or doubled column, too many or no rows)."""
    header_index = next(
        (
            index
            for index, values in enumerate(sheet.rows[:HEADER_SEARCH_ROWS])
            if columns.is_header(
                {columns.column_for(value) for value in values if isinstance(value, str)}
            )
        ),
        None,
    )
    if header_index is None:
        plan.problems.append(Problem(no_header))
        return []
    plan.header_row = header_index + 1
    read_header(plan, sheet.rows[header_index], columns)
    if plan.problems:
        return []
    data = [
        (index + 1, values)
        for index, values in enumerate(sheet.rows[header_index + 1 :], start=header_index + 1)
        if any(filled(value) for value in values)
    ]
    if len(data) > max_rows:
        plan.problems.append(
            Problem(
                _("Het bestand heeft %(count)s regels; hoogstens %(limit)s per bestand.")
                % {"count": len(data), "limit": max_rows}
            )
        )
        return []
    if not data:
        plan.problems.append(Problem(no_rows, row=plan.header_row))
    return data


def read_header(plan, values: list, columns: Columns) -> None:
    for index, value in enumerate(values, start=1):
        if not filled(value):
            continue
        column = columns.column_for(value)
        if column is None:
            if normalise(value) not in columns.export_only:
                plan.notices.append(
                    _("Kolom %(letter)s (%(header)s) wordt niet gelezen.")
                    % {"letter": get_column_letter(index), "header": str(value).strip()}
                )
            continue
        if column in plan.columns:
            plan.problems.append(
                Problem(
                    _("Deze kolom staat ook al in kolom %(letter)s; laat er één over.")
                    % {"letter": get_column_letter(plan.columns[column])},
                    row=plan.header_row,
                    column=index,
                    header=str(value).strip(),
                )
            )
            continue
        plan.columns[column] = index
    for column in columns.required:
        if column not in plan.columns:
            plan.problems.append(
                Problem(
                    _("De kolom %(header)s ontbreekt.") % {"header": plan.header(column)},
                    row=plan.header_row,
                )
            )


def read_year(value) -> tuple[int | None, str]:
    """A year from a cell (2018, 2018.0, "2018"), or None with what to type instead."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[0-9]{4}\s*", value):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and MIN_YEAR <= value <= MAX_YEAR:
        return value, ""
    if filled(value):
        return None, _("Vul een jaar in tussen %(first)s en %(last)s.") % {
            "first": MIN_YEAR,
            "last": MAX_YEAR,
        }
    return None, _("Vul het jaar in.")
