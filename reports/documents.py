"""A report's data rendered as documents: the HTML that WeasyPrint prints, the
self-contained HTML for the municipality's website, and the PDF.

Both HTML documents are built from the same partials (templates/reports/_*.html). The
print version carries no stylesheet of its own: WeasyPrint applies the stylesheets it
parsed once (reports.pdf). The web version embeds report.css, so that it can be put on a
website as one file.
"""

from __future__ import annotations

import base64
from datetime import datetime
from functools import cache

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .builder import ReportData
from .static import STATIC_DIR


def municipality_name(municipality: str) -> str:
    """ "Almelo" -> "Gemeente Almelo", leaving a name that already says so alone."""
    if municipality.lower().startswith("gemeente"):
        return municipality
    return _("Gemeente %(name)s") % {"name": municipality}


def moment_text(moment: datetime) -> str:
    """ "22 november 2025 om 14:05", in the site's time zone."""
    local = timezone.localtime(moment)
    return _("%(date)s om %(time)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": formats.time_format(local, "H:i"),
    }


def document_title(data: ReportData) -> str:
    return _("%(report)s, %(programme)s, %(municipality)s") % {
        "report": data.period.name,
        "programme": data.programme.name,
        "municipality": municipality_name(data.programme.municipality),
    }


def cover_logo(data: ReportData) -> str:
    """The organisation's logo as a data: URL for the cover, or "" without one. One
    query, made when a document is rendered (building the report's data reads nothing for
    a closed period). The logo is the organisation's current one: a published report keeps
    the logo it was published with, a draft shows today's."""
    from organisations.models import OrganisationLogo

    logo = (
        OrganisationLogo.all_logos.filter(organisation_id=data.period.programme.organisation_id)
        .values_list("content_type", "content")
        .first()
    )
    if logo is None:
        return ""
    content_type, content = logo
    return f"data:{content_type};base64,{base64.b64encode(bytes(content)).decode('ascii')}"


def _context(data: ReportData) -> dict:
    changes_title = ""
    if data.changes is not None:
        changes_title = _("Wijzigingen sinds %(name)s") % {"name": data.changes.previous.name}
    return {
        "report": data,
        "municipality": municipality_name(data.programme.municipality),
        "logo": cover_logo(data),
        "document_title": document_title(data),
        "built_at": moment_text(data.built_at),
        "changes_title": changes_title,
    }


def print_html(data: ReportData) -> str:
    return render_to_string("reports/report_print.html", _context(data))


def web_html(data: ReportData) -> str:
    return render_to_string(
        "reports/report_web.html", {**_context(data), "stylesheet": web_stylesheet()}
    )


@cache
def web_stylesheet() -> str:
    return (STATIC_DIR / "report.css").read_text(encoding="utf-8")


def render_pdf(data: ReportData):
    """The PDF and its page count (a reports.pdf.RenderedPdf)."""
    # WeasyPrint takes about a second to import: only processes that render pay for it.
    from .pdf import renderer

    return renderer().render(print_html(data))


def document_title_of(municipality: str, period_name: str) -> str:
    return _("%(report)s, %(municipality)s") % {
        "report": period_name,
        "municipality": municipality_name(municipality),
    }


def _document_context(reports: list[ReportData], built_at: datetime) -> dict:
    first = reports[0]
    municipality = municipality_name(first.programme.municipality)
    return {
        # The first programme's report stands for the whole in the meta tags and logo.
        "report": first,
        "reports": [(f"p{index}-", report) for index, report in enumerate(reports, start=1)],
        "municipality": municipality,
        "logo": cover_logo(first),
        "document_title": document_title_of(first.programme.municipality, first.period.name),
        "built_at": moment_text(built_at),
        "period_name": first.period.name,
        "is_published": all(report.is_published for report in reports),
    }


def document_print_html(reports: list[ReportData], built_at: datetime) -> str:
    """The whole document: every programme's report of one period name, after one cover
    and one contents."""
    return render_to_string("reports/document_print.html", _document_context(reports, built_at))


def document_web_html(reports: list[ReportData], built_at: datetime) -> str:
    return render_to_string(
        "reports/document_web.html",
        {**_document_context(reports, built_at), "stylesheet": web_stylesheet()},
    )


def render_document_pdf(reports: list[ReportData], built_at: datetime):
    from .pdf import renderer

    return renderer().render(document_print_html(reports, built_at))
