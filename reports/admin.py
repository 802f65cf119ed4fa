from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from measures.admin_base import HistoryAdmin
from organisations.admin_mixins import OrganisationOwnedAdmin

from .models import PublishedReport, ReportLayout
from .sections import KINDS


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    """Read only: a published report is frozen. It is made by publishing, never here."""

    list_display = ["period", "programme", "built_at", "published_by", "page_count", "download"]
    list_select_related = ["period__programme", "published_by"]
    fields = ["period", "built_at", "published_by", "page_count", "checksum", "download"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).defer("pdf", "html")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("programma"), ordering="period__programme__name")
    def programme(self, obj):
        return obj.period.programme

    @admin.display(description=_("PDF"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:pdf", args=[obj.period_id]), _("Download")
        )


class ReportLayoutForm(forms.ModelForm):
    def validate_unique(self):
        # The organisation is no field of the form: say it for the kind.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
        except ValidationError:
            self.add_error(
                "kind",
                _("Deze organisatie heeft al een opbouw voor deze soort rapportagemoment."),
            )

    class Meta:
        model = ReportLayout
        fields = ["kind", "sections"]
        help_texts = {
            "sections": format_lazy(
                "{} {}",
                _(
                    "Een lijst van [sleutel, kop]-paren in de volgorde van het rapport, zoals "
                    '[["summary", "Samenvatting"], ["overview", "Waar staan we nu"]]. Een lege '
                    "kop neemt de gewone kop van het onderdeel. Sleutels:"
                ),
                lazy(lambda: ", ".join(f"{kind.key} ({kind.name})" for kind in KINDS), str)(),
            )
        }


@admin.register(ReportLayout)
class ReportLayoutAdmin(OrganisationOwnedAdmin, HistoryAdmin):
    """The sections of an organisation's report per kind of period; one per kind."""

    form = ReportLayoutForm
    list_display = ["__str__", "kind"]
    list_select_related = ["organisation"]
