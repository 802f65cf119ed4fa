"""The history of imports in the admin, read-only, with the import itself reachable from
the list ("Maatregelen importeren"): the same upload and preview as the site's page,
inside the admin's frame."""

from dataclasses import replace

from django.contrib import admin
from django.urls import path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from measures.admin import CheckedDateHierarchy

from . import views
from .models import ImportRecord, ImportSource
from .parsing import Problem

ADMIN_FRAME = views.Frame(
    source=ImportSource.ADMIN,
    start_template="admin/imports/importrecord/import_start.html",
    preview_template="admin/imports/importrecord/import_preview.html",
    start_url="admin:imports_importrecord_import",
    record_url="admin:imports_importrecord_import_record",
    result_url="admin:imports_importrecord_change",
)


@admin.register(ImportRecord)
class ImportRecordAdmin(CheckedDateHierarchy, admin.ModelAdmin):
    list_display = [
        "created_at",
        "user",
        "kind",
        "file_name",
        "programme",
        "period",
        "status",
        "summary",
    ]
    list_filter = ["kind", "status", "source", "programme"]
    list_select_related = ["user", "programme", "period"]
    search_fields = ["file_name", "checksum", "user__username"]
    date_hierarchy = "created_at"
    fields = [
        "created_at",
        "applied_at",
        "user",
        "source",
        "kind",
        "programme",
        "period",
        "file_name",
        "file_size",
        "checksum",
        "status",
        "unit",
        "summary",
        "change_list",
        "problem_list",
        "notice_list",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def framed(view):
            def wrapper(request, **kwargs):
                frame = replace(ADMIN_FRAME, context=self._context(request))
                return view(request, frame=frame, **kwargs)

            return self.admin_site.admin_view(wrapper)

        return [
            path("importeren/", framed(views.start), name="imports_importrecord_import"),
            path(
                "importeren/<int:pk>/",
                framed(views.record),
                name="imports_importrecord_import_record",
            ),
            *super().get_urls(),
        ]

    def _context(self, request) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Maatregelen importeren"),
        }

    @admin.display(description=_("samenvatting"))
    def summary(self, record):
        counts = record.counts or {}
        if not counts:
            return ""
        return _("%(created)s nieuw, %(changed)s gewijzigd, %(unchanged)s ongewijzigd") % {
            "created": counts.get("created", 0),
            "changed": counts.get("changed", 0),
            "unchanged": counts.get("unchanged", 0),
        }

    @admin.display(description=_("wijzigingen"))
    def change_list(self, record):
        return format_html_join(
            "",
            "<p><strong>{}</strong>{}</p>",
            (
                (
                    entry.get("measure") or entry.get("indicator", ""),
                    format_html_join("", "<br>{}", ((c,) for c in entry["changes"])),
                )
                for entry in record.changes
            ),
        )

    @admin.display(description=_("fouten"))
    def problem_list(self, record):
        if not record.problems:
            return ""
        problems = (Problem(**problem) for problem in record.problems)
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((str(p),) for p in problems))
        )

    @admin.display(description=_("opmerkingen"))
    def notice_list(self, record):
        return format_html_join("", "<p>{}</p>", ((n,) for n in record.notices))
