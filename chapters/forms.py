"""Forms of the chapter's rows under four eyes: a text per period and an action point's
status per period. They convert and validate; the workflow is chapters.services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

# The body rule of chapters.body, as the writer reads it under the field.
BODY_HELP = _(
    "Gewone tekst, geen opmaakcodes. Een lege regel begint een nieuwe alinea. Een regel "
    "die begint met '- ' (streepje en spatie) is een opsommingsteken; opeenvolgende "
    "regels met een streepje vormen één lijst."
)


class VersionedForm(forms.Form):
    """The row's version as the form was opened: saving compares it (claim_version)."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class TextVersionForm(VersionedForm):
    heading = forms.CharField(
        label=_("Kop"),
        max_length=300,
        required=False,
        help_text=_("Leeg: de soort tekst, bijvoorbeeld 'Behaalde resultaten'."),
        error_messages={"max_length": _("Een kop heeft ten hoogste 300 tekens.")},
    )
    body = forms.CharField(
        label=_("Tekst"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=BODY_HELP,
    )

    def __init__(self, *args, row, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(heading=row.heading, body=row.body, version=row.version)

    def content(self) -> dict:
        return {"heading": self.cleaned_data["heading"], "body": self.cleaned_data["body"]}


class ActionPointStatusForm(VersionedForm):
    status = forms.ChoiceField(label=_("Status"), widget=forms.RadioSelect, required=False)
    explanation = forms.CharField(
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Wat is er gedaan en wat volgt nog? Verplicht als het actiepunt niet op koers is."
        ),
    )

    def __init__(self, *args, row, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {str(level.pk): level for level in levels}
        self.fields["status"].choices = [(str(level.pk), level.accessible_name) for level in levels]
        self.fields["status"].error_messages["invalid_choice"] = _(
            "Kies een status van de schaal van het programma."
        )
        if not self.is_bound:
            self.initial.update(
                status=str(row.status_id) if row.status_id else "",
                explanation=row.explanation,
                version=row.version,
            )

    def status_choices(self):
        """Each radio with its level, so that the page shows the level's icon by its label."""
        return [
            (radio, self.levels[str(radio.data["value"])]) for radio in self["status"].subwidgets
        ]

    def content(self) -> dict:
        return {
            "status": self.levels.get(self.cleaned_data["status"]),
            "explanation": self.cleaned_data["explanation"],
        }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van terugsturen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De schrijver ziet deze reden bij de tekst of het actiepunt."),
        error_messages={"required": _("Geef aan waarom u dit terugstuurt.")},
    )
