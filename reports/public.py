"""The public pages' one way to the data: an active organisation from the address, and
its published reports only.

The public pages have no user, so the request's organisation scope is empty (or, for a
visitor who happens to be logged in, their own organisation's). Each public view finds
the organisation by the slug in its address and runs inside `public_scope`, which
activates that organisation's scope and nothing else; `published_reports` is the only
query set the views read reports from. A report is public only once published, and only
a closed period's report can be published (reports.services), so nothing in a draft or a
closed-but-unpublished period is reachable here.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from measures.models import Programme
from organisations.models import Organisation
from organisations.scoping import organisation_scope

from .models import PublishedReport


@contextmanager
def public_scope(slug: str) -> Iterator[Organisation]:
    """The active organisation with this slug, its scope active inside the block; 404
    for an unknown or inactive one."""
    organisation = Organisation.all_organisations.filter(slug=slug, is_active=True).first()
    if organisation is None:
        raise Http404(_("Deze organisatie heeft geen openbare rapporten."))
    with organisation_scope(organisation):
        yield organisation


def published_reports(organisation: Organisation) -> QuerySet[PublishedReport]:
    """The organisation's published reports, newest reference date first; without their
    bytes, which only the download reads."""
    return (
        PublishedReport.objects.filter(
            period__programme__organisation=organisation, period__is_closed=True
        )
        .select_related("period__programme")
        .defer("pdf", "html", "tables", "period__frozen_report")
        .order_by("period__programme__name", "-period__reference_date", "period__name")
    )


def published_report(organisation: Organisation, pk: int, *, fields: tuple = ()) -> PublishedReport:
    """One published report of the organisation, with the stored `fields` (pdf, html,
    tables) loaded; 404 for anything else."""
    report = (
        PublishedReport.objects.filter(
            pk=pk, period__programme__organisation=organisation, period__is_closed=True
        )
        .select_related("period__programme__organisation")
        .defer(*({"pdf", "html", "tables"} - set(fields)))
        .first()
    )
    if report is None:
        raise Http404(_("Dit rapport is niet (openbaar) gepubliceerd."))
    return report


def public_programme(organisation: Organisation, pk: int) -> Programme:
    """A programme of the organisation with at least one published report; 404 otherwise."""
    programme = (
        Programme.objects.filter(pk=pk, organisation=organisation)
        .filter(pk__in=published_reports(organisation).values("period__programme"))
        .first()
    )
    if programme is None:
        raise Http404(_("Dit programma heeft geen gepubliceerde rapporten."))
    return programme
