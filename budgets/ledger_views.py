"""The ledger import's pages (upload, preview, confirm, result, template) and the page of
the organisation's ledger codes, all for who holds `budgets.import_budgetfigures`
(controllers). Periods, records and codes are found through the scoped managers, so
another organisation's answer 404."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from imports.models import ImportKind, ImportRecord, ImportStatus
from imports.period_views import record_page
from imports.preview import Cell
from imports.reading import MAX_FILE_BYTES
from measures.exports import XLSX_CONTENT_TYPE, attachment
from measures.keys import can_be_key
from measures.models import ReportingPeriod

from . import ledger_services as services
from .ledger import ACTION_LABELS, MAX_ROWS, Column, LedgerPlan, RowPlan, template_xlsx
from .ledger_forms import LedgerCodeForm, LedgerImportForm
from .models import Category, LedgerCode
from .models import Column as FigureColumn

IMPORT_PERMISSION = services.IMPORT_PERMISSION


def _period(pk) -> ReportingPeriod:
    if not pk or not can_be_key(ReportingPeriod, pk):
        raise Http404(_("Dit rapportagemoment bestaat niet."))
    return get_object_or_404(ReportingPeriod.objects.select_related("programme"), pk=pk)


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def ledger_template(request, period_pk: int):
    period = _period(period_pk)
    return attachment(
        template_xlsx(period),
        XLSX_CONTENT_TYPE,
        f"sjabloon-begrotingsbedragen-{slugify(period.programme.name)}-{slugify(period.name)}.xlsx",
    )


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def ledger_import(request, period_pk: int):
    """Upload a ledger export for the period; a valid one goes on to its preview,
    otherwise every problem is shown at its row and column."""
    period = _period(period_pk)
    outcome = None
    if request.method == "POST":
        form = LedgerImportForm(request.POST, request.FILES)
        if form.is_valid():
            outcome = services.preview_ledger_import(
                content=form.content(),
                file_name=form.cleaned_data["file"].name,
                period=period,
                user=request.user,
            )
            if outcome.record.status == ImportStatus.PREVIEW:
                return redirect("budgets:ledger_import_record", pk=outcome.record.pk)
    else:
        form = LedgerImportForm()
    return render(
        request,
        "budgets/ledger_import.html",
        {
            "period": period,
            "form": form,
            "outcome": outcome,
            "plan": outcome.plan if outcome else None,
            "rows": preview_rows(outcome.plan) if outcome and outcome.plan else [],
            "recent": ImportRecord.objects.filter(
                user=request.user, kind=ImportKind.BUDGET_FIGURES, period=period
            )[:5],
            "limits": {"max_megabytes": MAX_FILE_BYTES // (1024 * 1024), "max_rows": MAX_ROWS},
        },
    )


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def ledger_import_record(request, pk: int):
    """A previewed import to confirm (POST), or what an earlier one did."""
    return record_page(
        request,
        pk,
        period_import=services.LEDGER_IMPORT,
        url_name="budgets:ledger_import_record",
        result_template="budgets/ledger_result.html",
        preview_template="budgets/ledger_preview.html",
        preview_rows=preview_rows,
        start_url=lambda record: (
            reverse("budgets:ledger_import", args=[record.period_id]) if record.period_id else None
        ),
        outdated_notice=_(
            "Er is intussen iets veranderd aan deze bedragen, dus er is nog niets "
            "geïmporteerd. Hieronder staat wat de import nu zou doen; bevestig opnieuw."
        ),
    )


def preview_rows(plan: LedgerPlan) -> list[dict]:
    """A table row per file row: each cell as the import reads it, or what is wrong."""
    return [_preview_row(plan, row) for row in plan.rows]


def _preview_row(plan: LedgerPlan, row: RowPlan) -> dict:
    by_column: dict[int | None, list[str]] = {}
    for problem in row.problems:
        by_column.setdefault(problem.column, []).append(problem.message)

    def cell(column: Column, text: str, before: str | None = None) -> Cell:
        here = by_column.pop(plan.columns[column], []) if column in plan.columns else []
        if here:
            raw = row.raw.get(column, "")
            return Cell(text=raw, problem=" ".join(here), raw=raw)
        return Cell(text=text, before=before)

    code = row.raw.get(Column.CODE, "")
    return {
        "line": row.line,
        "action": row.action.value,
        "action_label": ACTION_LABELS[row.action],
        "code": cell(Column.CODE, f"{code} → {row.target}" if row.target else code),
        "category": cell(Column.CATEGORY, Category(row.category).label if row.category else ""),
        "column": cell(Column.COLUMN, FigureColumn(row.column).label if row.column else ""),
        "year": cell(Column.YEAR, str(row.year or "")),
        "amount": cell(Column.AMOUNT, row.after, row.before),
        "reserve": cell(Column.RESERVE, row.reserve),
        # Problems of no shown column: a duplicate row.
        "problems": [message for messages in by_column.values() for message in messages],
    }


# -- Ledger codes -------------------------------------------------------------------


def _codes_page(request, form, editing=None):
    return render(
        request,
        "budgets/ledger_codes.html",
        {
            "codes": LedgerCode.objects.filter(organisation=request.organisation).select_related(
                "product__programme", "task_field"
            ),
            "form": form,
            "editing": editing,
        },
    )


def _save_code(request, form, editing=None):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        services.save_ledger_code(
            organisation=request.organisation,
            user=request.user,
            code=data["code"],
            product=data.get("product"),
            task_field=data.get("task_field"),
            ledger_code_id=editing.pk if editing else None,
        )
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None
    messages.success(request, _("Grootboekcode %(code)s is opgeslagen.") % {"code": data["code"]})
    return redirect("budgets:ledger_codes")


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def ledger_codes(request):
    """The organisation's ledger codes, and a form to add one."""
    if request.method == "POST":
        form = LedgerCodeForm(request.POST, organisation=request.organisation)
        return _save_code(request, form) or _codes_page(request, form)
    return _codes_page(request, LedgerCodeForm(organisation=request.organisation))


def _ledger_code(request, pk) -> LedgerCode:
    if not can_be_key(LedgerCode, pk):
        raise Http404(_("Deze grootboekcode bestaat niet."))
    return get_object_or_404(LedgerCode, pk=pk, organisation=request.organisation)


@permission_required(IMPORT_PERMISSION, raise_exception=True)
def ledger_code_edit(request, pk: int):
    found = _ledger_code(request, pk)
    if request.method == "POST":
        form = LedgerCodeForm(request.POST, organisation=request.organisation)
        return _save_code(request, form, found) or _codes_page(request, form, found)
    form = LedgerCodeForm(
        organisation=request.organisation,
        initial={"code": found.code, "product": found.product, "task_field": found.task_field},
    )
    return _codes_page(request, form, found)


@require_POST
@permission_required(IMPORT_PERMISSION, raise_exception=True)
def ledger_code_delete(request, pk: int):
    found = _ledger_code(request, pk)
    services.delete_ledger_code(
        organisation=request.organisation, user=request.user, ledger_code_id=found.pk
    )
    messages.success(request, _("Grootboekcode %(code)s is verwijderd.") % {"code": found.code})
    return redirect("budgets:ledger_codes")
