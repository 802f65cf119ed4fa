"""Rendering and publishing a report in the background (issue 12 item 2).

Both are django-tasks tasks run through jobs.services (see its module doc for the
contract): the view starts the job and sends the user to its progress page at once.

`render_report` makes a draft report's PDF. It first computes the data version (the
SHA-256 of the print HTML built with a fixed build moment, and of the stylesheets);
when a RenderedReport of that version exists it finishes at once, without rendering.
Otherwise it renders the PDF with the real build moment and writes the RenderedReport in
one transaction at the end, dropping the period's older versions beyond KEEP_VERSIONS:
an attempt that fails before that leaves nothing, and the job is retried.

`publish_report_job` calls reports.services.publish_report, which is one transaction;
an attempt that finds the report already published (an earlier attempt committed and
then lost its worker, or someone else published) is done, not failed.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tasks import task

from jobs.services import running
from measures.models import ReportingPeriod

from . import documents
from .builder import build_report_data
from .models import PublishedReport, RenderedReport
from .services import PublishError, _now, publish_report
from .static import STATIC_DIR

# How many rendered versions of a period are kept.
KEEP_VERSIONS = 3
# The build moment printed in the HTML whose hash is the data version: fixed, so that the
# moment of asking does not make a new version.
VERSION_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
# The stylesheets reports.pdf prints with: a new stylesheet makes a new version too.
VERSION_STYLESHEETS = ("fonts.css", "report.css")

RENDER_STEPS = 3


def data_version(data) -> str:
    """The SHA-256 of what the PDF would show: the print HTML of `data` with the fixed
    build moment, and the stylesheets. `data` is a ReportData."""
    digest = hashlib.sha256()
    digest.update(documents.print_html(replace(data, built_at=VERSION_MOMENT)).encode())
    for name in VERSION_STYLESHEETS:
        digest.update((STATIC_DIR / name).read_bytes())
    return digest.hexdigest()


def rendered_url(rendered: RenderedReport) -> str:
    return reverse("reports:rendered", args=[rendered.period_id, rendered.data_version])


def _period(period_id: int) -> ReportingPeriod:
    return ReportingPeriod.objects.select_related("programme__organisation").get(pk=period_id)


@task()
def render_report(job_id: str, period_id: int) -> str:
    """Render the draft PDF of a period, or find it rendered already. Returns the version."""
    with running(job_id) as job:
        period = _period(period_id)
        if PublishedReport.objects.filter(period=period).exists():
            job.finish(
                result_url=reverse("reports:pdf", args=[period.pk]),
                message=_("Dit rapport is gepubliceerd: u krijgt het gepubliceerde bestand."),
            )
            return ""
        job.progress(0, RENDER_STEPS, _("Gegevens lezen."))
        data = build_report_data(period, built_at=VERSION_MOMENT)
        job.progress(1, RENDER_STEPS, _("De opmaak maken."))
        version = data_version(data)
        cached = RenderedReport.objects.filter(period=period, data_version=version).first()
        if cached is not None:
            job.progress(
                RENDER_STEPS, RENDER_STEPS, _("Uit de cache: de gegevens zijn niet veranderd.")
            )
            job.finish(
                result_url=rendered_url(cached),
                message=_(
                    "De PDF was al gemaakt voor deze gegevens (uit de cache, %(pages)s pagina's)."
                )
                % {"pages": cached.page_count},
            )
            return version
        job.progress(2, RENDER_STEPS, _("De PDF maken."))
        built_at = _now()
        pdf = documents.render_pdf(replace(data, built_at=built_at))
        with transaction.atomic():
            rendered, _created = RenderedReport.objects.get_or_create(
                period=period,
                data_version=version,
                defaults={"pdf": pdf.content, "page_count": pdf.page_count, "built_at": built_at},
            )
            keep = RenderedReport.objects.filter(period=period).values_list("pk", flat=True)[
                :KEEP_VERSIONS
            ]
            RenderedReport.objects.filter(period=period).exclude(pk__in=list(keep)).delete()
        job.progress(RENDER_STEPS, RENDER_STEPS, _("De PDF is klaar."))
        job.finish(
            result_url=rendered_url(rendered),
            message=_("De PDF is klaar (%(pages)s pagina's).") % {"pages": rendered.page_count},
        )
        return version


@task()
def publish_report_job(job_id: str, period_id: int, user_id: int | None) -> str:
    """Publish a closed period's report (reports.services.publish_report)."""
    with running(job_id) as job:
        period = _period(period_id)
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        detail = reverse("reports:detail", args=[period.pk])
        job.progress(0, 1, _("Het rapport maken en vastleggen."))
        try:
            report = publish_report(period=period, user=user)
        except PublishError as error:
            if PublishedReport.objects.filter(period=period).exists():
                # Published already (by an earlier attempt of this job or by someone
                # else): the published report stands, unchanged; that is done.
                job.finish(result_url=detail, message=str(error))
                return "published"
            job.fail(str(error))
            return "refused"
        job.finish(
            result_url=detail,
            message=_("Het rapport is gepubliceerd, gemaakt op %(moment)s.")
            % {"moment": documents.moment_text(report.built_at)},
        )
        return "published"
