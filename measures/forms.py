"""Form fields and forms that convert Dutch input as well as validate it."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Adjustment, Programme, SavingsTask, YearTarget
from .money import AmountError, format_target_euros, parse_amount
from .plausibility import amount_warning


@dataclass(frozen=True)
class PM:
    """A target whose amount is not known yet (pro memorie)."""

    def __str__(self) -> str:
        return "PM"


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
        try:
            amount = parse_amount(text, allow_pm=self.allow_pm)
        except AmountError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return PM() if amount.is_pm else amount.euros


class DecisionFields(forms.Form):
    """The council decision behind a changed target: asked wherever a target can change
    (the admin's targets, the import), so that the change is recorded as a revision
    (services.revise_target) and the original amount is kept."""

    decision_reference = forms.CharField(
        label=_("Besluitnummer"),
        max_length=50,
        required=False,
        help_text=_("Alleen bij een gewijzigd bedrag: het raadsbesluit, bijvoorbeeld BW-7420."),
    )
    decided_on = forms.DateField(
        label=_("Besluitdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Alleen bij een gewijzigd bedrag."),
    )

    def require_decision(self) -> None:
        """Both fields are needed: call from clean() when a target changes."""
        if not (self.cleaned_data.get("decision_reference") or "").strip():
            self.add_error(
                "decision_reference",
                _(
                    "Vul het besluitnummer van de raad in: een gewijzigde taakstelling "
                    "wordt vastgelegd als herziening."
                ),
            )
        if self.cleaned_data.get("decided_on") is None and "decided_on" not in self.errors:
            self.add_error(
                "decided_on",
                _(
                    "Vul de besluitdatum in: een gewijzigde taakstelling wordt vastgelegd "
                    "als herziening."
                ),
            )


class RevisedTargetForm(DecisionFields, forms.ModelForm):
    """A YearTarget or SavingsTask in the admin. A new one is simply saved; a changed
    amount of an existing one is a revision: it needs the decision, and the admin saves
    it through services.revise_target (measures.admin.save_targets)."""

    # Admin saves of targets name this reason; the decision reference says the rest.
    REVISION_REASON = _("Gewijzigd in beheer")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.original = (
            (instance.amount, getattr(instance, "is_pm", False)) if instance.pk else None
        )
        # The new (euros, is_pm) when this form changes an existing target's amount.
        self.revision: tuple[int | None, bool] | None = None

    def clean(self):
        cleaned = super().clean()
        if self.original is not None and "amount" in cleaned:
            amount = cleaned["amount"]
            new = (None, True) if isinstance(amount, PM) else (amount, False)
            if new != self.original:
                self.revision = new
                self.require_decision()
        return cleaned


class YearTargetForm(RevisedTargetForm):
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


class SavingsTaskForm(RevisedTargetForm):
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


class ConfirmsAmounts:
    """A form whose amounts `plausibility.amount_warning` may find implausible: such an
    amount stops the form once (`needs_confirmation`), with the warning at its field;
    the user confirms the very amounts warned about (the `CONFIRM_FIELD` checkbox carries
    `warning_token`), and a different amount typed afterwards is asked about again."""

    CONFIRM_FIELD = "bedragen_bevestigd"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: dict[str, str] = {}

    def warn(self, name: str, warning: str) -> None:
        self.warnings[name] = warning
        self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_warning"

    @property
    def warning_token(self) -> str:
        """The warned amounts as the confirmation checkbox carries them back."""
        return "|".join(f"{name}={self.cleaned_data[name]}" for name in sorted(self.warnings))

    @property
    def is_confirmed(self) -> bool:
        return bool(self.warnings) and self.data.get(self.CONFIRM_FIELD) == self.warning_token

    @property
    def needs_confirmation(self) -> bool:
        """Valid, but with implausible amounts the user has not confirmed yet."""
        return bool(self.warnings) and not self.is_confirmed


class UpdateForm(ConfirmsAmounts, forms.Form):
    """An owner's update of a measure for a period: status, explanation and yearly figures.

    The yearly fields are made per year of the measure's horizon: the forecast for every
    year, the realisation (hard and soft where the programme separates them) for years
    that are over at the period's reference date, and volumes where the measure has a
    volume unit. Amounts are whole euros as Dutch users type them, or PM for a forecast.

    Every amount on the form is in whole euros, the target next to it too: euros are
    what is stored, a realisation is an exact amount, and "1.580" typed in thousands
    would be ambiguous with Dutch separators. A changed forecast that `amount_warning`
    finds implausible waits for the owner's confirmation (ConfirmsAmounts).
    """

    status = forms.ChoiceField(label=_("Op koers"), widget=forms.RadioSelect, required=False)
    explanation = forms.CharField(
        label=_("Toelichting"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Wat is er bereikt en wat verwacht u nog? Deze tekst komt in de rapportage."),
    )
    cause = forms.CharField(
        label=_("Oorzaak"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    consequence = forms.CharField(
        label=_("Gevolg"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    corrective_action = forms.CharField(
        label=_("Bijsturing"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, update, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.update = update
        self.levels = {str(level.pk): level for level in levels}
        self.fields["status"].choices = [(str(level.pk), level.accessible_name) for level in levels]
        measure, period = update.measure, update.period
        separate = period.programme.separates_hard_soft
        self.targets = {target.year: target for target in measure.targets.all()}
        self.year_rows = []
        for year in measure.years:
            names = {"forecast": f"forecast_{year}"}
            self.fields[names["forecast"]] = EuroAmountField(
                label=_("Prognose %(year)s (€)") % {"year": year}, allow_pm=True, required=False
            )
            if year < period.reference_date.year:
                names["realised"] = f"realised_{year}"
                self.fields[names["realised"]] = EuroAmountField(
                    label=(
                        _("Realisatie hard %(year)s (€)")
                        if separate
                        else _("Realisatie %(year)s (€)")
                    )
                    % {"year": year},
                    required=False,
                )
                if separate:
                    names["realised_soft"] = f"realised_soft_{year}"
                    self.fields[names["realised_soft"]] = EuroAmountField(
                        label=_("Realisatie zacht %(year)s (€)") % {"year": year}, required=False
                    )
            if measure.volume_unit:
                for kind, label in (
                    ("volume_planned", _("%(unit)s gepland %(year)s (aantal)")),
                    ("volume_realised", _("%(unit)s gerealiseerd %(year)s (aantal)")),
                ):
                    names[kind] = f"{kind}_{year}"
                    self.fields[names[kind]] = forms.IntegerField(
                        label=label % {"unit": measure.volume_unit.capitalize(), "year": year},
                        min_value=0,
                        max_value=10**7,
                        required=False,
                        error_messages={"invalid": _("Vul een heel aantal in.")},
                    )
            self.year_rows.append((year, names))
        if not self.is_bound:
            self.initial.update(self.initial_from(update))

    @staticmethod
    def initial_from(update) -> dict:
        initial = {
            "status": str(update.status_id) if update.status_id else "",
            "explanation": update.explanation,
            "cause": update.cause,
            "consequence": update.consequence,
            "corrective_action": update.corrective_action,
            "version": update.version,
        }
        for year in update.years.all():
            initial[f"forecast_{year.year}"] = "PM" if year.forecast_is_pm else year.forecast
            for name in ("realised", "realised_soft", "volume_planned", "volume_realised"):
                initial[f"{name}_{year.year}"] = getattr(year, name)
        return initial

    # The yearly figures in the order of the form's table.
    YEAR_COLUMNS = ["forecast", "realised", "realised_soft", "volume_planned", "volume_realised"]

    def bound_year_rows(self):
        """Per year the bound fields in YEAR_COLUMNS order, for the template's table."""
        return [
            (year, [self[names[c]] if c in names else None for c in self.YEAR_COLUMNS])
            for year, names in self.year_rows
        ]

    def clean(self):
        cleaned = super().clean()
        # What the update holds now: an amount already saved was warned about (and
        # confirmed) when it was typed, and is not asked about again.
        saved = {year.year: year.forecast for year in self.update.years.all()}
        for year, names in self.year_rows:
            name = names["forecast"]
            forecast = cleaned.get(name)
            if not isinstance(forecast, int) or forecast == saved.get(year):
                continue
            warning = amount_warning(forecast, self.targets.get(year))
            if warning:
                self.warn(name, warning)
        return cleaned

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "status": self.levels.get(data["status"]),
            "explanation": data["explanation"],
            "cause": data["cause"],
            "consequence": data["consequence"],
            "corrective_action": data["corrective_action"],
        }

    def years(self) -> dict[int, dict]:
        result = {}
        for year, names in self.year_rows:
            forecast = self.cleaned_data.get(names["forecast"])
            values = {
                "forecast": None if isinstance(forecast, PM) else forecast,
                "forecast_is_pm": isinstance(forecast, PM),
            }
            for kind in ("realised", "realised_soft", "volume_planned", "volume_realised"):
                values[kind] = self.cleaned_data.get(names[kind]) if kind in names else None
            result[year] = values
        return result


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van terugsturen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De eigenaar ziet deze reden bij de maatregel."),
        error_messages={"required": _("Geef aan waarom u de update terugstuurt.")},
    )


class OpenPeriodForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programma"),
        queryset=Programme.objects.none(),  # the organisation's, set in __init__
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een bestaand programma.")},
    )
    name = forms.CharField(
        label=_("Naam"), max_length=200, help_text=_("Bijvoorbeeld Voorjaarsnota 2021.")
    )
    kind = forms.ChoiceField(
        label=_("Soort"), error_messages={"required": _("Kies de soort rapportagemoment.")}
    )
    reference_date = forms.DateField(
        label=_("Peildatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    deadline = forms.DateField(
        label=_("Uiterste invoerdatum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        from .constants import PeriodKind

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.all()
        # No kind chosen beforehand: a period opened as the wrong kind is reported as such.
        self.fields["kind"].choices = [("", _("Kies een soort")), *PeriodKind.choices]


class RevisionForm(ConfirmsAmounts, forms.Form):
    """A council decision that changes a measure's yearly target or the savings task.

    Amounts are whole euros, as on the update form, while the measure page and the
    overview show targets in thousands: the chosen target's current amount is shown in
    euros (`current`), and a new amount off it by a factor of ten is asked about."""

    CONFIRM_FIELD = "bedrag_bevestigd"

    target = forms.ChoiceField(label=_("Taakstelling"))
    new_amount = EuroAmountField(
        label=_("Nieuw bedrag (€)"),
        allow_pm=True,
        help_text=_("In hele euro's, niet in duizenden: bijvoorbeeld 1.580.000, of PM."),
    )
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_reference = forms.CharField(
        label=_("Besluitnummer"), max_length=50, help_text=_("Bijvoorbeeld BW-7420.")
    )
    decided_on = forms.DateField(
        label=_("Besluitdatum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = {}
        choices = []
        for task in programme.savings_tasks.all():
            key = f"task-{task.pk}"
            self.targets[key] = task
            label = _("Taakstelling programma %(year)s") % {"year": task.year}
            choices.append((key, f"{label}: {format_target_euros(task)}"))
        targets = YearTarget.objects.filter(measure__programme=programme).select_related(
            "measure", "measure__plan"
        )
        for target in targets.order_by("measure__plan__order", "measure__sort_key", "year"):
            key = f"target-{target.pk}"
            self.targets[key] = target
            plan = target.measure.plan.name if target.measure.plan else _("buiten de plannen")
            choices.append(
                (key, f"{target.measure} ({plan}), {target.year}: {format_target_euros(target)}")
            )
        self.fields["target"].choices = [("", _("Kies een taakstelling"))] + choices
        chosen = self.data.get("target") if self.is_bound else self.initial.get("target")
        # The chosen target, whose amount the page shows next to the new one.
        self.current = self.targets.get(chosen)

    def clean(self):
        cleaned = super().clean()
        target, amount = self.targets.get(cleaned.get("target")), cleaned.get("new_amount")
        if target is not None and isinstance(amount, int):
            warning = amount_warning(amount, target, subject=_("taakstelling"))
            if warning:
                self.warn("new_amount", warning)
        return cleaned

    @property
    def current_amount(self) -> str:
        return format_target_euros(self.current) if self.current is not None else ""

    @property
    def warning_token(self) -> str:
        # The warning depends on the target too: a confirmation covers this pair only.
        return f"{self.cleaned_data['target']}|{super().warning_token}"

    def clean_new_amount(self):
        value = self.cleaned_data["new_amount"]
        if value is None:
            raise forms.ValidationError(_("Vul het nieuwe bedrag in."))
        return value
