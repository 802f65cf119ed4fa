from django import template

from ..money import format_cell, format_euros, format_thousands
from ..overview import Amount

register = template.Library()


@register.filter
def thousands(euros: int) -> str:
    """Whole euros as thousands with Dutch separators: 1580000 -> 1.580."""
    if not isinstance(euros, int) or isinstance(euros, bool):
        raise TypeError(f"thousands expects whole euros as int, got {euros!r}")
    return format_thousands(euros)


@register.filter
def euros(value: int) -> str:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"euros expects whole euros as int, got {value!r}")
    return format_euros(value)


@register.filter
def target_cell(target) -> str:
    """A YearTarget (or None) as the overview shows it."""
    if target is None:
        return ""
    return format_cell(Amount.pm() if target.is_pm else Amount(target.amount))


@register.filter
def target_euros(target) -> str:
    """A YearTarget (or None) in whole euros, as the update form shows it next to the
    amounts typed in euros: "120.000" or "PM"."""
    if target is None:
        return ""
    if target.is_pm:
        return "PM"
    return format_euros(target.amount).removeprefix("€ ")


@register.filter
def cell(amount) -> str:
    """An overview Amount (or None) as the overview shows it: thousands, "PM" or empty."""
    if amount is not None and not isinstance(amount, Amount):
        raise TypeError(f"cell expects an Amount or None, got {amount!r}")
    return format_cell(amount)
