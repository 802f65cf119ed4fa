"""The report of a reporting period: its page, the PDF, the web version, and publishing.

Everyone who may view measures may read reports; only a controller (reports.publish_report)
may publish. The PDF and the web version of a published report are the stored bytes.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from measures.models import ReportingPeriod

from .documents import moment_text
from .models import PublishedReport
from .services import PublishError, publish_report, report_html, report_pdf


def _period(pk: int) -> ReportingPeriod:
    return get_object_or_404(
        ReportingPeriod.objects.select_related("programme__organisation"), pk=pk
    )


def _file_response(report_file, content_type: str, disposition: str) -> HttpResponse:
    response = HttpResponse(report_file.content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{report_file.filename}"'
    if report_file.published is not None:
        response["ETag"] = f'"{report_file.published.checksum}"'
    return response


@permission_required("measures.view_measure", raise_exception=True)
def report_detail(request, pk: int):
    """What a report is (draft or published, when, by whom, checksum) and what can be done."""
    period = _period(pk)
    published = (
        PublishedReport.objects.filter(period=period)
        .defer("pdf", "html")
        .select_related("published_by")
        .first()
    )
    return render(
        request,
        "reports/report_detail.html",
        {"period": period, "programme": period.programme, "published": published},
    )


@permission_required("measures.view_measure", raise_exception=True)
def pdf(request, pk: int):
    return _file_response(report_pdf(_period(pk)), "application/pdf", "attachment")


# The web version is one self-contained file with its stylesheet inline (published bytes
# never change, so no nonce or hash can be added): it may style itself and show the logo
# embedded on its cover (a data: URL), and do nothing else. The public pages serve it
# under the same policy (reports.public_views).
WEB_VERSION_CSP = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}


@csp(WEB_VERSION_CSP)
@permission_required("measures.view_measure", raise_exception=True)
def html(request, pk: int):
    return _file_response(report_html(_period(pk)), "text/html; charset=utf-8", "inline")


@require_http_methods(["GET", "POST"])
@permission_required("reports.publish_report", raise_exception=True)
def publish(request, pk: int):
    """Publishing can be done once and never undone, so a GET asks first."""
    period = _period(pk)
    if request.method == "GET":
        published = PublishedReport.objects.filter(period=period).exists()
        return render(
            request,
            "reports/publish_confirm.html",
            {"period": period, "programme": period.programme, "published": published},
        )
    try:
        report = publish_report(period=period, user=request.user)
    except PublishError as error:
        messages.error(request, str(error))
    else:
        moment = moment_text(report.built_at)
        messages.success(
            request, _("Het rapport is gepubliceerd, gemaakt op %(moment)s.") % {"moment": moment}
        )
    return redirect("reports:detail", pk=period.pk)
