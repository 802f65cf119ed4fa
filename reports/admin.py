from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import PublishedReport


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
