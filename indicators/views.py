"""The indicator values export and import pages.

The export is for every role that reads indicators; the import (upload, preview,
confirm, result, template) for who holds `indicators.import_indicatorvalues`. Both find
their period through the scoped manager, so another organisation's answers 404.
"""

from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from imports.models import ImportKind, ImportRecord, ImportStatus
from imports.period_views import record_page
from imports.preview import Cell
from imports.reading import MAX_FILE_BYTES
from measures.exports import XLSX_CONTENT_TYPE, attachment
from measures.keys import can_be_key
from measures.models import ReportingPeriod

from . import exports, services, workbooks
from .forms import ValuesImportForm
from .importing import ACTION_LABELS, MAX_ROWS, Column, RowPlan, ValuesPlan
from .models import ValueKind

IMPORT_PERMISSION = "indicators.import_indicatorvalues"


def _period(pk) -> ReportingPeriod:
    if not pk or not can_be_key(ReportingPeriod, pk):
        raise Http404(_("Dit rapportagemoment bestaat niet."))
    return get_object_or_404(ReportingPeriod.objects.select_related("programme"), pk=pk)


@permission_required("indicators.view_indicatorvalue", raise_exception=True)
def export(request):
    """The values a period stated (?periode=), as XLSX or (?format=csv) CSV."""
    period = _period(request.GET.get("periode"))
    export_format = request.GET.get("format", "xlsx")
    name = f"indicatoren-{slugify(period.programme.name)}-{slugify(period.name)}"
    if export_format == "csv":
        return attachment(exports.to_csv(period), "text/csv; charset=utf-8", f"{name}.csv")
    if export_format != "xlsx":
        raise Http404(_("Onbekend exportformaat."))
    title = f"{period.programme.name}: {period.name}"
    return attachment(exports.to_xlsx(period, title), XLSX_CONTENT_TYPE, f"{name}.xlsx")


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_template(request, period_pk: int):
    period = _period(period_pk)
    return attachment(
        workbooks.template_xlsx(period),
        XLSX_CONTENT_TYPE,
        f"sjabloon-indicatoren-{slugify(period.programme.name)}-{slugify(period.name)}.xlsx",
    )


def _limits() -> dict:
    return {"max_megabytes": MAX_FILE_BYTES // (1024 * 1024), "max_rows": MAX_ROWS}


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_start(request):
    """Upload a file; a valid one goes on to its preview, otherwise every problem is
    shown at its row and column."""
    outcome = None
    if request.method == "POST":
        form = ValuesImportForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = services.preview_values_import(
                content=form.content(),
                file_name=form.cleaned_data["file"].name,
                period=form.cleaned_data["period"],
                user=request.user,
            )
            if outcome.record.status == ImportStatus.PREVIEW:
                return redirect("indicators:import_record", pk=outcome.record.pk)
    else:
        form = ValuesImportForm()
    return render(
        request,
        "indicators/import_start.html",
        {
            "form": form,
            "outcome": outcome,
            "plan": outcome.plan if outcome else None,
            "rows": preview_rows(outcome.plan) if outcome and outcome.plan else [],
            "open_periods": ReportingPeriod.objects.select_related("programme")
            .filter(is_closed=False)
            .order_by("programme__name", "-reference_date"),
            "recent": ImportRecord.objects.filter(
                user=request.user, kind=ImportKind.INDICATOR_VALUES
            ).select_related("period")[:5],
            "limits": _limits(),
        },
    )


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def import_record(request, pk: int):
    """A previewed import to confirm (POST), or what an earlier one did."""
    return record_page(
        request,
        pk,
        period_import=services.VALUES_IMPORT,
        url_name="indicators:import_record",
        result_template="indicators/import_result.html",
        preview_template="indicators/import_preview.html",
        preview_rows=preview_rows,
        start_url=lambda record: reverse("indicators:import_start"),
        outdated_notice=_(
            "Er is intussen iets veranderd aan deze waarden, dus er is nog niets "
            "geïmporteerd. Hieronder staat wat de import nu zou doen; bevestig opnieuw."
        ),
    )


def preview_rows(plan: ValuesPlan) -> list[dict]:
    """A table row per file row: each cell as the import reads it, or what is wrong."""
    return [_preview_row(plan, row) for row in plan.rows]


def _preview_row(plan: ValuesPlan, row: RowPlan) -> dict:
    by_column: dict[int | None, list[str]] = {}
    for problem in row.problems:
        by_column.setdefault(problem.column, []).append(problem.message)

    def cell(column: Column, text: str, before: str | None = None) -> Cell:
        here = by_column.pop(plan.columns[column], []) if column in plan.columns else []
        if here:
            raw = row.raw.get(column, "")
            return Cell(text=raw, problem=" ".join(here), raw=raw)
        return Cell(text=text, before=before)

    by_number = Column.NUMBER in plan.columns and row.raw.get(Column.NUMBER)
    return {
        "line": row.line,
        "action": row.action.value,
        "action_label": ACTION_LABELS[row.action],
        "indicator": cell(
            Column.NUMBER if by_number else Column.INDICATOR,
            str(row.indicator) if row.indicator else "",
        ),
        "part": cell(Column.PART, str(row.part or "")),
        "year": cell(Column.YEAR, str(row.year or "")),
        "kind": cell(Column.KIND, ValueKind(row.kind).label if row.kind else ""),
        "value": cell(Column.VALUE, row.after if row.value is not None else "", row.before),
        "qualifier": cell(Column.QUALIFIER, row.qualifier),
        # Problems of no shown column: a duplicate row, a column the file lacks.
        "problems": [message for messages in by_column.values() for message in messages],
    }
