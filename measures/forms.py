"""Form fields and forms that convert Dutch input as well as validate it."""

import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_AMOUNT, Adjustment, SavingsTask, YearTarget


@dataclass(frozen=True)
class PM:
    """A target whose amount is not known yet (pro memorie)."""

    def __str__(self) -> str:
        return "PM"


# 1580000, 1.580.000, -82.000, € 1.580.000, 1.580.000,00 or 1.580.000,-
AMOUNT_PATTERN = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,(00|-))?$")


def parse_euros(text: str) -> int:
    """Whole euros from Dutch input; raises ValueError for anything else."""
    cleaned = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not AMOUNT_PATTERN.match(cleaned):
        raise ValueError(text)
    return int(cleaned.split(",")[0].replace(".", ""))


def format_input_euros(euros: int) -> str:
    """Whole euros the way a Dutch user types them: 1580000 -> 1.580.000."""
    text = f"{abs(euros):,}".replace(",", ".")
    return f"-{text}" if euros < 0 else text


class EuroAmountField(forms.CharField):
    """An amount in whole euros as Dutch users type it, or PM where allowed."""

    def __init__(self, *, allow_pm: bool = False, **kwargs):
        self.allow_pm = allow_pm
        super().__init__(**kwargs)
        # No max_length: CharField would validate the length of the converted int.
        self.widget.attrs.setdefault("maxlength", "30")
        self.widget.attrs.setdefault("autocomplete", "off")
        self.widget.attrs.setdefault("class", "amount-input")

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_input_euros(value)
        return "" if value is None else value

    def to_python(self, value):
        text = super().to_python(value).strip()
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(_("Dit bedrag is onwaarschijnlijk groot."), code="max")
        if text.upper() == "PM":
            if self.allow_pm:
                return PM()
            raise forms.ValidationError(
                _("PM is hier niet mogelijk; vul een bedrag in."), code="pm"
            )
        try:
            euros = parse_euros(text)
        except ValueError:
            message = (
                _("Vul een bedrag in hele euro's in, zoals 1.580.000, of PM.")
                if self.allow_pm
                else _("Vul een bedrag in hele euro's in, zoals 1.580.000.")
            )
            raise forms.ValidationError(message, code="invalid") from None
        if abs(euros) > MAX_AMOUNT:
            raise forms.ValidationError(_("Dit bedrag is onwaarschijnlijk groot."), code="max")
        return euros


class YearTargetForm(forms.ModelForm):
    amount = EuroAmountField(
        label=_("Bedrag (€)"),
        allow_pm=True,
        help_text=_(
            "In hele euro's, bijvoorbeeld 1.580.000; PM als het bedrag nog niet bekend is."
        ),
    )

    class Meta:
        model = YearTarget
        fields = ["year", "amount"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_pm:
            self.initial["amount"] = "PM"

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        self.instance.is_pm = isinstance(amount, PM)
        if self.instance.is_pm:
            cleaned["amount"] = None
        return cleaned


class SavingsTaskForm(forms.ModelForm):
    amount = EuroAmountField(
        label=_("Te besparen (€)"), help_text=_("Positief bedrag in hele euro's.")
    )

    class Meta:
        model = SavingsTask
        fields = ["year", "amount"]


class AdjustmentForm(forms.ModelForm):
    amount = EuroAmountField(
        label=_("Bedrag (€)"), help_text=_("Positief als het de taakstelling verlicht.")
    )

    class Meta:
        model = Adjustment
        fields = ["label", "year", "amount", "order"]
