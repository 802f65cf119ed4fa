"""The record page of an import into one period (imports.period_import): the preview to
confirm, or what an earlier import did. Each import gives its kind, templates and how it
shows its plan's rows."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .models import ImportRecord
from .parsing import Problem
from .period_import import ImportNotPending, PeriodImport
from .reading import UnreadableFile


def record_page(
    request,
    pk: int,
    *,
    period_import: PeriodImport,
    url_name: str,
    result_template: str,
    preview_template: str,
    preview_rows: Callable,
    outdated_notice: str,
    start_url: Callable[[ImportRecord], str | None],
):
    """Confirms the previewed import (POST) or shows it; a finished one shows its
    result. Only the user who uploaded it sees it. `start_url` gives the page to upload
    another file (None: none to offer)."""
    found = get_object_or_404(
        ImportRecord.objects.select_related("programme", "period", "user"),
        pk=pk,
        user=request.user,
        kind=period_import.kind,
    )
    if not found.can_be_confirmed or found.period is None:
        return render(
            request,
            result_template,
            {
                "record": found,
                "problems": [Problem(**p) for p in found.problems],
                "start_url": start_url(found),
            },
        )
    notice = ""
    if request.method == "POST":
        try:
            outcome = period_import.confirm(
                record_id=found.pk,
                user=request.user,
                expected_digest=request.POST.get("digest", ""),
            )
        except ImportNotPending:
            return redirect(url_name, pk=found.pk)
        if outcome.applied:
            messages.success(request, _("De import is uitgevoerd."))
        if not outcome.outdated:
            return redirect(url_name, pk=found.pk)
        notice = outdated_notice
        plan = outcome.plan
    else:
        try:
            plan = period_import.plan(found.file_bytes(), period=found.period)
        except UnreadableFile:
            raise Http404(_("Dit importbestand kan niet meer worden gelezen.")) from None
    return render(
        request,
        preview_template,
        {
            "record": found,
            "plan": plan,
            "rows": preview_rows(plan),
            "notice": notice,
            "start_url": start_url(found),
        },
    )
