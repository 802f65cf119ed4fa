"""Indicator values to text and back: the one place for both.

A value is a Decimal, shown with its indicator's decimals in Dutch notation: a comma for
decimals and a point between thousands (47,7; 1,17; 6.626; 7,00), rounded half away from
zero. Where the indicator shows its unit with each value (Indicator.value_suffix) it
follows the figure ("76%"); the parts of a composite are joined by "; " ("76%; 80%;
76%"). A qualifier follows in brackets ("6.626 (2016)").

`parse_value` reads what a Dutch user types or a spreadsheet holds: "47,7", "6.626",
"1.234,5", "76%", "-0,8"; a point followed by exactly three digits separates thousands, as
the reports write them.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

VALUE_TEXT = re.compile(
    r"(?P<sign>[-−]?)(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<fraction>[0-9]+))?"
)
# Larger than any figure an indicator reports: a typing error.
MAX_VALUE = Decimal(10) ** 11


class ValueError_(ValueError):
    """Text that is not an indicator value; `message` says in Dutch what to type."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def format_number(value: Decimal, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}"
    text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return f"-{text}" if rounded < 0 else text


def format_value(
    value: Decimal | None, *, decimals: int, suffix: str = "", qualifier: str = ""
) -> str:
    """One value as the report prints it; "–" for none. `suffix` is the indicator's
    value_suffix ("%" where the unit is shown with each value)."""
    if value is None:
        return "–"
    text = format_number(value, decimals) + suffix
    if qualifier:
        text += f" ({qualifier})"
    return text


def format_values(
    values: list[Decimal | None], *, decimals: int, suffix: str = "", qualifier: str = ""
) -> str:
    """The parts of a composite indicator, in order: "76%; 80%; 76%"."""
    text = "; ".join(format_value(value, decimals=decimals, suffix=suffix) for value in values)
    return f"{text} ({qualifier})" if qualifier else text


def parse_value(text: str, *, decimals: int) -> Decimal:
    """A Decimal from a value as typed, else ValueError_ with a Dutch message."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    match = VALUE_TEXT.fullmatch(cleaned)
    if match is None:
        raise ValueError_(_("Vul een getal in zoals 47,7 of 6.626 (komma voor decimalen)."))
    try:
        value = Decimal(f"{match['whole'].replace('.', '')}.{match['fraction'] or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the pattern admits only digits
        raise ValueError_(_("Vul een getal in.")) from error
    if match["sign"]:
        value = -value
    if abs(value) >= MAX_VALUE:
        raise ValueError_(_("Dit getal is onwaarschijnlijk groot."))
    if len((match["fraction"] or "").rstrip("0")) > decimals:
        raise ValueError_(
            _("Deze indicator heeft %(n)s decimalen; rond af op %(n)s cijfers na de komma.")
            % {"n": decimals}
            if decimals
            else _("Deze indicator kent geen decimalen; vul een heel getal in.")
        )
    return value
