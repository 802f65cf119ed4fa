"""The indicators a reporting period reported, as rows for the command and the exports.

Both read `indicators.figures.reported`, so they show each value exactly as the report
does (indicators.formatting). The command prints a row per value-entry, a composite's
parts joined ("76%; 80%; 76%"); the exports write a row per stored value (a composite's
part on a row of its own) with the figure also as a number, so that a spreadsheet can
compute with it and the file reads back into the indicator import.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from measures.exports import aligned_text

from .figures import Reported, reported
from .formatting import format_value
from .models import Indicator


def indicator_number(indicator: Indicator) -> str:
    """The organisation's number, else the BBV number of a national indicator."""
    if indicator.number:
        return indicator.number
    return str(indicator.national.number) if indicator.national_id else ""


def unit_text(indicator: Indicator) -> str:
    """The unit with the year it applies to: "Aantal per 10.000 inwoners (2018)"."""
    unit = indicator.display_unit
    if indicator.unit_year:
        return f"{unit} ({indicator.unit_year})" if unit else str(indicator.unit_year)
    return unit


@dataclass(frozen=True)
class EntryRow:
    """One year and kind of one indicator, as the report prints it."""

    number: str
    name: str
    unit: str
    year: int | None
    kind: str
    text: str


@dataclass(frozen=True)
class ValueRow:
    """One stored value: `text` as the report shows that figure, `value` the Decimal."""

    number: str
    name: str
    part: str
    unit: str
    year: int
    kind: str
    text: str
    value: Decimal | None
    decimals: int
    qualifier: str
    as_reported: str


def entry_headers() -> list[str]:
    return [_("Nummer"), _("Indicator"), _("Eenheid"), _("Jaar"), _("Soort"), _("Waarde")]


def value_headers() -> list[str]:
    return [
        _("Nummer"),
        _("Indicator"),
        _("Deel"),
        _("Eenheid"),
        _("Jaar"),
        _("Soort"),
        _("Waarde"),
        _("Getal"),
        _("Kanttekening"),
        _("Zoals gerapporteerd"),
    ]


def entry_rows(period) -> list[EntryRow]:
    """A row per indicator, year and kind the period stated, and a row "–" for an
    indicator in the period's chapter without figures (figures.Reported.in_report).
    Three queries."""
    rows = []
    for item in reported(period):
        if not item.in_report:
            continue
        number, unit = indicator_number(item.indicator), unit_text(item.indicator)
        if not item.entries:
            rows.append(EntryRow(number, item.name, unit, None, "", "–"))
        rows += [
            EntryRow(number, item.name, unit, entry.year, entry.kind_label, entry.text)
            for entry in item.entries
        ]
    return rows


def value_rows(period) -> list[ValueRow]:
    """A row per value the period stated (per part for a composite). Three queries."""
    return [row for item in reported(period) for row in _value_rows(item)]


def _value_rows(item: Reported) -> list[ValueRow]:
    indicator = item.indicator
    parts = [part.label for part in indicator.parts.all()] or [""]
    rows = []
    for entry in item.entries:
        for label, value in zip(parts, entry.values, strict=True):
            if value is None:
                continue
            rows.append(
                ValueRow(
                    number=indicator_number(indicator),
                    name=item.name,
                    part=label,
                    unit=unit_text(indicator),
                    year=entry.year,
                    kind=entry.kind_label,
                    text=format_value(
                        value, decimals=indicator.decimals, suffix=indicator.value_suffix
                    ),
                    value=value,
                    decimals=indicator.decimals,
                    qualifier=entry.qualifier,
                    as_reported=entry.text,
                )
            )
    return rows


def as_text(rows: list[EntryRow], title: str) -> str:
    """The entries as an aligned table; years and values right-aligned."""
    header = entry_headers()
    lines = [[r.number, r.name, r.unit, str(r.year or ""), r.kind, r.text] for r in rows]
    body = [title, "", *aligned_text(header, lines, right={3, 5})]
    if not lines:
        body.append(_("Dit rapportagemoment noemt geen indicatorwaarden."))
    return "\n".join(body) + "\n"
