"""Getting a report: the frozen published one where it exists, else built from its input
(for a closed period the input frozen at closing, so the draft does not change either).

Publishing stores the PDF and the web version of a closed period's report once; from then
on `report_pdf` and `report_html` return exactly those stored bytes, so a downloaded copy
is always the published copy, whatever changes in the data afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from measures.models import ReportingPeriod

from . import documents
from .builder import build_report_data
from .models import PublishedReport
from .open_data import report_tables


class PublishError(Exception):
    """Why a report cannot be published, in Dutch for the user."""


class DocumentError(Exception):
    """Why the whole document cannot be made, in Dutch for the user."""


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    filename: str
    published: PublishedReport | None


def filename(period: ReportingPeriod, extension: str) -> str:
    return f"{slugify(f'{period.programme.name} {period.name}')}.{extension}"


def published_report(period: ReportingPeriod) -> PublishedReport | None:
    return PublishedReport.objects.filter(period=period).first()


def report_pdf(period: ReportingPeriod) -> ReportFile:
    published = published_report(period)
    if published is not None:
        return ReportFile(bytes(published.pdf), filename(period, "pdf"), published)
    data = build_report_data(period, built_at=_now())
    return ReportFile(documents.render_pdf(data).content, filename(period, "pdf"), None)


def report_html(period: ReportingPeriod) -> ReportFile:
    published = published_report(period)
    if published is not None:
        return ReportFile(published.html.encode(), filename(period, "html"), published)
    data = build_report_data(period, built_at=_now())
    return ReportFile(documents.web_html(data).encode(), filename(period, "html"), None)


def document_periods(organisation, period_name: str) -> list[ReportingPeriod]:
    """The periods named `period_name` of every programme of the organisation, in the
    programmes' order; DocumentError when there is none."""
    periods = list(
        ReportingPeriod.objects.filter(programme__organisation=organisation, name=period_name)
        .select_related("programme__organisation")
        .order_by("programme__name", "programme_id")
    )
    if not periods:
        raise DocumentError(
            _("%(organisation)s heeft geen programma met rapportagemoment %(name)r.")
            % {"organisation": organisation, "name": period_name}
        )
    return periods


def document_pdf(organisation, period_name: str) -> ReportFile:
    """The whole document: the report of every programme of the organisation that has a
    period named `period_name`, in one PDF with one contents and a bookmark per programme.
    Always built from the data (a concept), also where the programmes' reports were
    published: the published copies are the programmes' own PDFs."""
    built_at = _now()
    reports = [
        build_report_data(period, built_at=built_at)
        for period in document_periods(organisation, period_name)
    ]
    rendered = documents.render_document_pdf(reports, built_at)
    return ReportFile(rendered.content, document_filename(organisation, period_name, "pdf"), None)


def document_html(organisation, period_name: str) -> ReportFile:
    """The whole document's web version (see document_pdf)."""
    built_at = _now()
    reports = [
        build_report_data(period, built_at=built_at)
        for period in document_periods(organisation, period_name)
    ]
    return ReportFile(
        documents.document_web_html(reports, built_at).encode(),
        document_filename(organisation, period_name, "html"),
        None,
    )


def document_filename(organisation, period_name: str, extension: str) -> str:
    return f"{slugify(f'{organisation.short_name or organisation.name} {period_name}')}.{extension}"


def publish_report(*, period: ReportingPeriod, user) -> PublishedReport:
    """Build the report of a closed period and store it, frozen, with its checksum.

    The data behind its tables (reports.open_data) is taken from the same report data the
    PDF is rendered from and stored beside it, for the public pages.

    The report is built before the transaction, so that no row stays locked while
    WeasyPrint works; under the lock the period is checked again.
    """
    _check_publishable(period)
    built_at = _now()
    data = build_report_data(period, built_at=built_at, is_published=True)
    rendered = documents.render_pdf(data)
    html = documents.web_html(data)
    tables = report_tables(data)
    try:
        with transaction.atomic():
            locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
            _check_publishable(locked)
            report = PublishedReport(
                period=locked,
                pdf=rendered.content,
                html=html,
                checksum=PublishedReport.checksum_of(rendered.content),
                page_count=rendered.page_count,
                built_at=built_at,
                tables=tables,
                published_by=user,
            )
            report.full_clean(exclude=["period"])
            report.save()
    except IntegrityError as error:
        raise PublishError(_already_published(period)) from error
    return report


def _check_publishable(period: ReportingPeriod) -> None:
    if not period.is_closed:
        raise PublishError(
            _(
                "%(name)s is nog niet afgesloten. Alleen het rapport van een afgesloten "
                "rapportagemoment kan worden gepubliceerd; er is niets opgeslagen."
            )
            % {"name": period.name}
        )
    if PublishedReport.objects.filter(period=period).exists():
        raise PublishError(_already_published(period))


def _already_published(period: ReportingPeriod) -> str:
    return _(
        "Het rapport van %(name)s is al gepubliceerd; het gepubliceerde rapport blijft ongewijzigd."
    ) % {"name": period.name}


def _now() -> datetime:
    """Whole seconds: the moment is printed in the report and stored beside it."""
    return timezone.now().replace(microsecond=0)
