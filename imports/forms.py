"""The upload form: which programme, which period (for statuses), which file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from measures.forms import DecisionFields
from measures.models import PeriodClosedError, Programme, ReportingPeriod

from .reading import MAX_FILE_BYTES, too_large_message


class ImportForm(forms.Form):
    # The organisation's programmes and periods, set in __init__.
    programme = forms.ModelChoiceField(
        Programme.objects.none(), label=_("Programma"), empty_label=None
    )
    period = forms.ModelChoiceField(
        ReportingPeriod.objects.none(),
        required=False,
        label=_("Rapportagemoment"),
        empty_label=_("Geen: alleen maatregelen en bedragen"),
        help_text=_(
            "Nodig om de kolommen Op koers en Toelichting in te lezen. Afgesloten "
            "rapportagemomenten veranderen niet meer en staan er niet bij."
        ),
    )
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("Een Excel-werkmap (.xlsx) of een CSV-bestand volgens het sjabloon."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.all()
        self.fields["period"].queryset = ReportingPeriod.objects.select_related("programme")
        groups: dict[str, list] = {}
        for period in (
            ReportingPeriod.objects.select_related("programme")
            .filter(is_closed=False)
            .order_by("programme__name", "-reference_date")
        ):
            groups.setdefault(period.programme.name, []).append((period.pk, period.name))
        # Offer the open periods; a closed one sent anyway is refused in clean().
        self.fields["period"].widget.choices = [
            ("", self.fields["period"].empty_label),
            *groups.items(),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(too_large_message(), code="too_large")
        return upload

    def clean(self):
        cleaned = super().clean()
        programme, period = cleaned.get("programme"), cleaned.get("period")
        if programme and period:
            if period.programme_id != programme.pk:
                self.add_error("period", _("Dit rapportagemoment hoort bij een ander programma."))
            else:
                try:
                    period.refuse_if_closed()
                except PeriodClosedError as error:
                    self.add_error("period", error)
        return cleaned

    def content(self) -> bytes:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        return upload.read(MAX_FILE_BYTES + 1)


class DecisionForm(DecisionFields):
    """On the preview: the council decision behind the targets the file changes."""

    def decision(self):
        """The decision given, or None when it is incomplete."""
        from .services import Decision

        reference = (self.cleaned_data.get("decision_reference") or "").strip()
        decided_on = self.cleaned_data.get("decided_on")
        if not reference or decided_on is None:
            return None
        return Decision(reference=reference, decided_on=decided_on)
