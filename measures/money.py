"""Euro amounts and text: the one place that turns euros into text, and text into euros.

Amounts are whole euros (int). Displays show thousands ("x € 1.000") with Dutch
separators, rounded half away from zero from the stored euros. What users type is read
by `parse_amount`, for the update form, the admin and the import alike.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from .models import MAX_AMOUNT
from .overview import Amount

PM_SPELLINGS = frozenset({"PM", "P.M.", "P.M"})
# "1.580.000", "1580000", "-82", "€ 1.580.000", "€ -82", "1.580.000,00", "1.580.000,-",
# "82,5" (in thousands). Only the ASCII digits: Python's \d and int() also read
# Arabic-Indic, fullwidth and other digits, which look like ours but are not typed by
# anyone entering a budget. One sign at most, before or after the euro sign.
AMOUNT_TEXT = re.compile(
    r"(?P<sign>-?)(?:€[ \u00a0]*(?P<sign_after_euro>-?))?"
    r"(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)"
    r"(?:,(?P<fraction>[0-9]+|-))?"
)
SURROUNDING_SPACE = " \t\r\n\u00a0"
# More digits than any amount up to MAX_AMOUNT has: refused before int() reads them.
MAX_DIGITS = 16


class AmountError(ValueError):
    """Text that is not an amount; `message` says in Dutch what to type instead."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def parse_amount(text: str, *, in_thousands: bool = False, allow_pm: bool = True) -> Amount:
    """Whole euros (or PM) from an amount as a Dutch user types it, else AmountError.

    In thousands (an import whose file says so), up to three decimals are whole euros:
    "82,5" is € 82.500. In euros, decimals must be zero ("1.580.000,00").
    """
    cleaned = text.strip(SURROUNDING_SPACE)
    if cleaned.upper() in PM_SPELLINGS:
        if not allow_pm:
            raise AmountError(_("PM is hier niet mogelijk; vul een bedrag in."), "pm")
        return Amount.pm()
    match = AMOUNT_TEXT.fullmatch(cleaned)
    decimals = 3 if in_thousands else 0
    fraction = (match["fraction"] or "").replace("-", "") if match else ""
    if (
        match is None
        or (match["sign"] and match["sign_after_euro"])
        or fraction[decimals:].strip("0")
    ):
        raise AmountError(amount_hint(in_thousands=in_thousands, allow_pm=allow_pm), "invalid")
    digits = match["whole"].replace(".", "")
    if len(digits.lstrip("0")) > MAX_DIGITS:
        raise AmountError(_("Dit bedrag is onwaarschijnlijk groot."), "max")
    euros = int(digits) * 10**decimals + int(fraction[:decimals].ljust(decimals, "0") or 0)
    if abs(euros) > MAX_AMOUNT:
        raise AmountError(_("Dit bedrag is onwaarschijnlijk groot."), "max")
    return Amount(-euros if match["sign"] or match["sign_after_euro"] else euros)


def amount_hint(*, in_thousands: bool, allow_pm: bool = True) -> str:
    """What to type instead of something that is not an amount."""
    if in_thousands:
        return _("Vul een bedrag in duizenden euro's in, zoals 1.580 voor € 1.580.000, of PM.")
    if allow_pm:
        return _("Vul een bedrag in hele euro's in, zoals 1.580.000, of PM.")
    return _("Vul een bedrag in hele euro's in, zoals 1.580.000.")


def to_thousands(euros: int | Decimal) -> int:
    """Whole thousands, half away from zero (ROUND_HALF_UP), in integer arithmetic: the
    overview formats thousands of cells per page and Decimal costs twice the time."""
    if isinstance(euros, float):
        raise TypeError("Money is never a float.")
    if isinstance(euros, Decimal):
        return int((euros / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    thousands, rest = divmod(abs(euros), 1000)
    if rest >= 500:
        thousands += 1
    return -thousands if euros < 0 else thousands


def format_thousands(euros: int) -> str:
    """1580000 -> "1.580", -20641000 -> "-20.641"."""
    value = to_thousands(euros)
    text = f"{abs(value):,}".replace(",", ".")
    return f"-{text}" if value < 0 else text


def format_cell(amount: Amount | None) -> str:
    """A cell of the overview: empty for no target, "PM" for PM, else thousands."""
    if amount is None:
        return ""
    if amount.is_pm:
        return "PM"
    return format_thousands(amount.euros)


def format_euros(euros: int) -> str:
    """A full amount in euros: 1580000 -> "€ 1.580.000"."""
    text = f"{abs(euros):,}".replace(",", ".")
    return f"€ -{text}" if euros < 0 else f"€ {text}"


def format_target_euros(target) -> str:
    """A YearTarget or SavingsTask in full euros, where amounts are typed or compared in
    euros: "€ 120.000", or "PM"."""
    return "PM" if getattr(target, "is_pm", False) else format_euros(target.amount)
