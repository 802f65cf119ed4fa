"""The forms of indicator values: the values form of an indicator in a period (one row
per value, numbers as Dutch users type them, read only by
indicators.formatting.parse_value), and the import's upload form (which open period,
which file)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.reading import MAX_FILE_BYTES, too_large_message
from measures.models import PeriodClosedError, ReportingPeriod, year_validators

from .formatting import ValueError_, format_number, parse_value
from .models import ValueKind
from .services import ValueRow


class ValueForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    part = forms.ChoiceField(label=_("Deel"), required=False)
    year = forms.IntegerField(
        label=_("Jaar"),
        validators=year_validators,
        error_messages={
            "required": _("Vul het jaar in."),
            "invalid": _("Vul een jaar in, zoals 2018."),
        },
        widget=forms.NumberInput(attrs={"class": "year-input"}),
    )
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("", _("Kies een soort")), *ValueKind.choices],
        error_messages={"required": _("Kies de soort waarde.")},
    )
    value = forms.CharField(
        label=_("Waarde"),
        max_length=30,
        error_messages={"required": _("Vul de waarde in.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    qualifier = forms.CharField(label=_("Kanttekening"), max_length=100, required=False)
    remove = forms.BooleanField(label=_("Verwijderen"), required=False)

    def __init__(self, *args, indicator, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.parts = {str(part.pk): part for part in parts}
        if parts:
            self.fields["part"].required = True
            self.fields["part"].choices = [("", _("Kies een deel"))] + [
                (str(part.pk), part.label) for part in parts
            ]
            self.fields["part"].error_messages["required"] = _("Kies het deel van de indicator.")
        else:
            del self.fields["part"]

    def clean_value(self):
        try:
            return parse_value(self.cleaned_data["value"], decimals=self.indicator.decimals)
        except ValueError_ as error:
            raise forms.ValidationError(error.message) from None

    def full_clean(self):
        # A value marked for removal needs no valid figures: it is going away.
        super().full_clean()
        if self.is_bound and self.cleaned_data.get("remove") and self.cleaned_data.get("pk"):
            self._errors = forms.utils.ErrorDict()

    def row(self) -> ValueRow:
        data = self.cleaned_data
        return ValueRow(
            pk=data.get("pk"),
            part=self.parts.get(data.get("part") or ""),
            year=data.get("year"),
            kind=data.get("kind"),
            value=data.get("value"),
            qualifier=data.get("qualifier") or "",
            remove=bool(data.get("remove")),
        )

    @staticmethod
    def initial_of(value, decimals: int) -> dict:
        return {
            "pk": value.pk,
            "part": str(value.part_id) if value.part_id else "",
            "year": value.year,
            "kind": value.kind,
            "value": format_number(value.value, decimals),
            "qualifier": value.qualifier,
        }


class BaseValueFormSet(forms.BaseFormSet):
    def clean(self):
        """Each part, year and kind once."""
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.initial:
                continue
            data = form.cleaned_data
            if not data or data.get("remove"):
                continue
            key = (data.get("part"), data["year"], data["kind"])
            if key in seen:
                form.add_error(
                    "year",
                    _(
                        "Deze soort waarde staat er voor dit jaar al; vul elk jaar en elke "
                        "soort één keer in."
                    ),
                )
            seen.add(key)

    def entered(self) -> list[ValueForm]:
        """The rows that hold a value: the stored ones and the new ones typed in."""
        return [
            form
            for form in self.forms
            if form.cleaned_data and (form.initial or form.has_changed())
        ]

    def rows(self) -> list[ValueRow]:
        return [form.row() for form in self.entered()]


ValueFormSet = forms.formset_factory(ValueForm, formset=BaseValueFormSet, extra=3)


class ValuesImportForm(forms.Form):
    period = forms.ModelChoiceField(
        ReportingPeriod.objects.none(),
        label=_("Rapportagemoment"),
        help_text=_(
            "De waarden komen in dit rapportagemoment. Afgesloten rapportagemomenten "
            "veranderen niet meer en staan er niet bij."
        ),
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een Excel-werkmap (.xlsx) of een CSV-bestand volgens het sjabloon."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The active organisation's periods (scoped manager); a closed one is refused in
        # clean_period, an other organisation's is no valid choice.
        self.fields["period"].queryset = ReportingPeriod.objects.select_related("programme")
        groups: dict[str, list] = {}
        for period in (
            ReportingPeriod.objects.select_related("programme")
            .filter(is_closed=False)
            .order_by("programme__name", "-reference_date")
        ):
            groups.setdefault(period.programme.name, []).append((period.pk, period.name))
        self.fields["period"].widget.choices = [("", "---------"), *groups.items()]

    def clean_period(self):
        period = self.cleaned_data["period"]
        try:
            period.refuse_if_closed()
        except PeriodClosedError as error:
            raise forms.ValidationError(error.messages, code="period_closed") from None
        return period

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload

    def content(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(MAX_FILE_BYTES + 1)
