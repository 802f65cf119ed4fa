"""Rounding and formatting of euro amounts: the one place that turns euros into text.

Amounts are whole euros (int). Displays show thousands ("x € 1.000") with Dutch
separators, rounded half away from zero from the stored euros.
"""

from decimal import ROUND_HALF_UP, Decimal

from .overview import Amount


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
