"""The import pages (upload, preview, confirm, result), the template download and the
measures export. The admin shows the same upload and preview inside its own frame
(imports.admin), through the `Frame` it passes in."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from measures.exports import XLSX_CONTENT_TYPE, attachment
from measures.keys import can_be_key
from measures.models import Programme, ReportingPeriod

from . import preview, services, workbooks
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
        ImportRecord.objects.select_related("programme", "period", "user"),
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
    notice = ""
    decision_form = DecisionForm(request.POST or None)
    if request.method == "POST" and decision_form.is_valid():
        try:
            outcome = services.confirm_import(
                record_id=found.pk,
                user=request.user,
                expected_digest=request.POST.get("digest", ""),
                decision=decision_form.decision(),
            )
        except services.ImportNotPending:
            return redirect(frame.record_url, pk=found.pk)
        except services.DecisionRequired:
            decision_form.require_decision()
            outcome = None
    else:
        outcome = None
    if outcome is not None:
        if outcome.applied:
            messages.success(request, _("De import is uitgevoerd."))
            return redirect(frame.result_url, found.pk)
        if not outcome.outdated:
            return redirect(frame.record_url, pk=found.pk)
        notice = _(
            "Er is intussen iets veranderd aan deze maatregelen, dus er is nog niets "
            "geïmporteerd. Hieronder staat wat de import nu zou doen; bevestig opnieuw."
        )
        plan = outcome.plan
    else:
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
            "notice": notice,
            "frame": frame,
        },
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
