"""The import pages (upload, preview, confirm, result), the template download and the
measures export. The admin shows the same upload and preview inside its own frame
(imports.admin), through the `Frame` it passes in. Confirming starts a background job
(imports.tasks) and shows its progress page, which links to the result when it is done."""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jobs.services import start_job
from measures.exports import XLSX_CONTENT_TYPE, attachment
from measures.keys import can_be_key
from measures.models import Programme, ReportingPeriod

from . import preview, services, tasks, workbooks
from .forms import DecisionForm, ImportForm
from .models import ImportKind, ImportRecord, ImportSource, ImportStatus
from .parsing import Problem
from .reading import MAX_COLUMNS, MAX_FILE_BYTES, MAX_MEASURE_ROWS, UnreadableFile

IMPORT_PERMISSION = "imports.import_measures"


@dataclass(frozen=True)
class Frame:
    """Where the import pages are shown: the site itself or the admin."""

    source: ImportSource
    start_template: str
    preview_template: str
    start_url: str
    record_url: str
    result_url: str
    context: dict = field(default_factory=dict)


SITE = Frame(
    source=ImportSource.PAGE,
    start_template="imports/start.html",
    preview_template="imports/preview.html",
    start_url="imports:start",
    record_url="imports:record",
    result_url="imports:record",
)


def limits() -> dict:
    return {
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "max_rows": f"{MAX_MEASURE_ROWS:,}".replace(",", "."),
        "max_columns": MAX_COLUMNS,
    }


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def start(request, frame: Frame = SITE):
    """Upload a file. A readable, valid file goes on to its preview; otherwise the form
    comes back with every problem, at the row and cell where it is."""
    outcome = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = services.preview_import(
                content=form.content(),
                file_name=form.cleaned_data["file"].name,
                programme=form.cleaned_data["programme"],
                period=form.cleaned_data["period"],
                user=request.user,
                source=frame.source,
            )
            if outcome.record.status == ImportStatus.PREVIEW:
                return redirect(frame.record_url, pk=outcome.record.pk)
    else:
        form = ImportForm()
    programmes = list(
        Programme.objects.prefetch_related(
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("-reference_date"))
        )
    )
    return render(
        request,
        frame.start_template,
        {
            **frame.context,
            "form": form,
            "outcome": outcome,
            "rows": preview.preview_rows(outcome.plan) if outcome and outcome.plan else [],
            "plan": outcome.plan if outcome else None,
            "programmes": programmes,
            "recent": ImportRecord.objects.filter(
                user=request.user, kind=ImportKind.MEASURES
            ).select_related("programme", "period")[:5],
            "limits": limits(),
            "frame": frame,
        },
    )


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def record(request, pk: int, frame: Frame = SITE):
    """A previewed import to confirm (POST), or what an earlier import did."""
    found = get_object_or_404(
        ImportRecord.objects.select_related("programme", "period", "user", "organisation"),
        pk=pk,
        user=request.user,
        kind=ImportKind.MEASURES,
    )
    if not found.can_be_confirmed or found.programme is None:
        if frame.result_url != frame.record_url:
            return redirect(frame.result_url, found.pk)
        return render(
            request,
            "imports/result.html",
            {
                **frame.context,
                "record": found,
                "problems": [Problem(**problem) for problem in found.problems],
                "frame": frame,
            },
        )
    decision_form = DecisionForm(request.POST or None)
    if request.method == "POST" and decision_form.is_valid():
        decision = decision_form.decision()
        if decision is None and found.counts.get("targets_revised"):
            decision_form.require_decision()
        else:
            return redirect("jobs:detail", _start_confirmation(request, found, decision, frame).pk)
    try:
        plan = services.build_plan(
            found.file_bytes(),
            programme=found.programme,
            period=found.period,
            user=request.user,
        )
    except UnreadableFile:
        raise Http404(_("Dit importbestand kan niet meer worden gelezen.")) from None
    return render(
        request,
        frame.preview_template,
        {
            **frame.context,
            "record": found,
            "plan": plan,
            "rows": preview.preview_rows(plan),
            "summary": preview.summary(plan),
            "has_changes": preview.has_changes(plan),
            "decision_form": decision_form,
            "frame": frame,
        },
    )


def _start_confirmation(request, found: ImportRecord, decision, frame: Frame):
    """The job that confirms the import (imports.tasks); its page shows the progress and
    then links to the result, or back to the preview when there is nothing applied."""
    return start_job(
        organisation=found.organisation,
        user=request.user,
        kind=tasks.KIND,
        title=_("Import van %(file)s") % {"file": found.file_name},
        task=tasks.confirm_import,
        args=[
            found.pk,
            request.user.pk,
            request.POST.get("digest", ""),
            tasks.decision_arguments(decision),
            reverse(frame.record_url, kwargs={"pk": found.pk}),
            reverse(frame.result_url, args=[found.pk]),
        ],
        # A confirmation is all or nothing: a failed attempt wrote nothing and is retried.
    )


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def template(request, programme_pk: int):
    programme = get_object_or_404(Programme, pk=programme_pk)
    return attachment(
        workbooks.template_xlsx(programme),
        XLSX_CONTENT_TYPE,
        f"sjabloon-maatregelen-{slugify(programme.name)}.xlsx",
    )


@permission_required("measures.view_measure", raise_exception=True)
def measures_export(request):
    """The measures of a period (the latest one unless ?periode= says which) with their
    targets and statuses, as XLSX or (?formaat=csv) CSV."""
    periods = ReportingPeriod.objects.select_related("programme")
    requested = request.GET.get("periode")
    if requested:
        if not can_be_key(ReportingPeriod, requested):
            raise Http404(_("Dit rapportagemoment bestaat niet."))
        period = get_object_or_404(periods, pk=requested)
    else:
        period = periods.order_by("-reference_date", "-pk").first()
        if period is None:
            raise Http404(_("Er is nog geen rapportagemoment."))
    export_format = request.GET.get("formaat", "xlsx")
    name = f"maatregelen-{slugify(period.programme.name)}-{slugify(period.name)}"
    if export_format == "csv":
        return attachment(workbooks.measures_csv(period), "text/csv; charset=utf-8", f"{name}.csv")
    if export_format != "xlsx":
        raise Http404(_("Onbekend exportformaat."))
    return attachment(workbooks.measures_xlsx(period), XLSX_CONTENT_TYPE, f"{name}.xlsx")
