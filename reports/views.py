"""The report of a reporting period: its page, the PDF, the web version, and publishing.

Everyone who may view measures may read reports; only a controller (reports.publish_report)
may publish. The PDF and the web version of a published report are the stored bytes.

A draft PDF is never rendered in the request (a 500-measure one takes 15 s): "PDF maken"
starts a background job (reports.tasks.render_report) and sends the user to its progress
page at once; the job's result is a RenderedReport, downloaded from `rendered`. The old
address of the draft PDF sends the user to the report page, which offers the job and the
last PDF made, with its build moment (a stale file is never served under the draft's
name). Publishing is a job too. The web version stays in the request: it is HTML only.
"""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobs.services import start_job
from measures.models import ReportingPeriod

from .models import PublishedReport, RenderedReport
from .services import PublishError, filename, report_html, report_pdf
from .services import _check_publishable as check_publishable
from .tasks import publish_report_job, render_report


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
    rendered = None
    if published is None:
        rendered = RenderedReport.objects.filter(period=period).defer("pdf").first()
    return render(
        request,
        "reports/report_detail.html",
        {
            "period": period,
            "programme": period.programme,
            "published": published,
            "rendered": rendered,
        },
    )


@permission_required("measures.view_measure", raise_exception=True)
def pdf(request, pk: int):
    """The published PDF; for a draft, the report page (its PDF is made in the background)."""
    period = _period(pk)
    if not PublishedReport.objects.filter(period=period).exists():
        messages.info(
            request,
            _(
                "Dit rapport is nog niet gepubliceerd. Kies \u201cPDF maken\u201d: de PDF wordt "
                "op de achtergrond gemaakt uit de gegevens van nu."
            ),
        )
        return redirect("reports:detail", pk=period.pk)
    return _file_response(report_pdf(period), "application/pdf", "attachment")


@require_POST
@permission_required("measures.view_measure", raise_exception=True)
def make_pdf(request, pk: int):
    """Start rendering the draft PDF in the background and show its progress at once."""
    period = _period(pk)
    job = start_job(
        organisation=period.programme.organisation,
        user=request.user,
        kind="report_pdf",
        title=_("Rapport %(name)s, %(programme)s (PDF)")
        % {"name": period.name, "programme": period.programme.name},
        task=render_report,
        args=[period.pk],
    )
    return redirect("jobs:detail", pk=job.pk)


@permission_required("measures.view_measure", raise_exception=True)
def rendered(request, pk: int, version: str):
    """A draft PDF made by a job, by its period and data version."""
    found = (
        RenderedReport.objects.filter(period_id=pk, data_version=version)
        .select_related("period__programme")
        .first()
    )
    if found is None:
        raise Http404(_("Deze PDF bestaat niet (meer): maak hem opnieuw."))
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    name = filename(found.period, "pdf").removesuffix(".pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-concept.pdf"'
    response["ETag"] = f'"{found.data_version}"'
    return response


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
        check_publishable(period)
    except PublishError as error:
        messages.error(request, str(error))
        return redirect("reports:detail", pk=period.pk)
    job = start_job(
        organisation=period.programme.organisation,
        user=request.user,
        kind="report_publish",
        title=_("Rapport %(name)s, %(programme)s publiceren")
        % {"name": period.name, "programme": period.programme.name},
        task=publish_report_job,
        args=[period.pk, request.user.pk],
    )
    return redirect("jobs:detail", pk=job.pk)
