"""The upload form of the indicator import: which open period, which file."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.reading import MAX_FILE_BYTES, too_large_message
from measures.models import PeriodClosedError, ReportingPeriod


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
