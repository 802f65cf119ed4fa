"""When an amount looks like a slip of the unit rather than a figure someone meant.

One rule for every place an amount is typed against a target or shown beside one: the
update form's forecasts, the target revision and the Goedkeuren page. It warns, it does
not refuse: the forms save a warned amount once the user confirms it.
"""

from django.utils.translation import gettext_lazy as _

from .money import format_euros

FORECAST = _("prognose")


def amount_warning(amount: int, target, *, subject=FORECAST) -> str | None:
    """Why `amount` looks like a slip, or None: negative, or off `target` (a YearTarget,
    a SavingsTask or None) by a factor of ten or more, as when thousands are typed where
    euros are asked, or the other way round. `subject` names the amount in the negative
    case ("prognose", "taakstelling"). Zero is left alone: "this measure delivers
    nothing" is a figure people mean."""
    if amount < 0:
        return _(
            "Let op: een negatieve %(subject)s (%(amount)s) betekent dat de maatregel geld "
            "kost in plaats van bespaart. Klopt dit bedrag?"
        ) % {"subject": subject, "amount": format_euros(amount)}
    reference = None if target is None or getattr(target, "is_pm", False) else target.amount
    if amount == 0 or not reference or reference < 0:
        return None
    amounts = {"amount": format_euros(amount), "target": format_euros(reference)}
    if amount * 10 <= reference:
        message = (
            _("Let op: %(amount)s is een tiende of minder van de taakstelling van %(target)s.")
            % amounts
        )
        if reference < amount * 1000 * 10 and amount * 1000 < reference * 10:
            message += " " + _("Bedragen zijn in hele euro's: bedoelde u %(meant)s?") % {
                "meant": format_euros(amount * 1000)
            }
        return message
    if amount >= reference * 10:
        return (
            _(
                "Let op: %(amount)s is tien keer de taakstelling van %(target)s of meer. "
                "Klopt dit bedrag?"
            )
            % amounts
        )
    return None
