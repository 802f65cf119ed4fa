"""The variance explanations of a period (issue 11 item 3): which products' differences
pass the organisation's threshold, which explanation covers each, what remains
unexplained, and the explanations' workflow (write, submit, approve under four eyes,
send back).

Every view checks its permission on the server; budgets.services checks it again, with
the closed period, the threshold and four eyes. No difference is computed here: they
come from budgets.data.Money.variances (budgets.statement)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from measures.constants import UpdateState
from measures.exports import XLSX_CONTENT_TYPE, attachment
from measures.keys import can_be_key
from measures.models import PeriodClosedError, ReportingPeriod, period_closed_error
from measures.services import ConcurrentUpdateError, changed_by
from measures.workflow_views import add_errors

from . import page_exports, services
from .data import load_money
from .explanation_forms import ExplanationForm, ReturnExplanationForm
from .models import VarianceExplanation
from .page_views import export_format_of
from .table import threshold_text

CAN_READ = "budgets.view_varianceexplanation"
CAN_WRITE = "budgets.change_varianceexplanation"
CAN_DELETE = "budgets.delete_varianceexplanation"
CAN_APPROVE = services.CAN_APPROVE


def period_of(pk: int) -> ReportingPeriod:
    """The period with its programme, of the active organisation (else 404)."""
    return get_object_or_404(
        ReportingPeriod.objects.select_related("programme").defer("frozen_report"), pk=pk
    )


def explanation_of(pk: int) -> VarianceExplanation:
    explanation = get_object_or_404(
        VarianceExplanation.objects.select_related("period", "period__programme").defer(
            "period__frozen_report"
        ),
        pk=pk,
    )
    explanation.product_ids = list(explanation.products.values_list("pk", flat=True))
    return explanation


def closed_message(period: ReportingPeriod) -> str:
    return period_closed_error(period.name).messages[0]


def page_context(request, period: ReportingPeriod, *, refusal: list[str] | None = None) -> dict:
    """What the explanations page shows. `refusal`: the messages of a refused submit,
    at the top and, for an unexplained product, next to it."""
    money = load_money(period)
    labels: dict[int, list[str]] = {}
    for explanation in money.explanations:
        for product_id in explanation.product_ids:
            labels.setdefault(product_id, []).append(explanation.label)
    variances = money.variances()
    unexplained = [variance for variance in variances if variance.unexplained]
    # The service's messages name the unexplained products in the order of variances().
    at_product = {}
    if refusal and len(refusal) >= len(unexplained):
        at_product = {
            variance.product_id: message
            for variance, message in zip(unexplained, refusal, strict=False)
        }
    names = {product.pk: product for product in money.products}
    rows = [
        {
            "product": names[variance.product_id],
            "variance": variance,
            "explained_by": labels.get(variance.product_id, []),
            "refusal": at_product.get(variance.product_id, ""),
        }
        for variance in variances
    ]
    products = {product.pk: product.name for product in money.products}
    explanations = [
        (explanation, [products[pk] for pk in explanation.product_ids if pk in products])
        for explanation in money.explanations
    ]
    submitted = [e.pk for e in money.explanations if e.state == UpdateState.SUBMITTED]
    user = request.user
    writable = not period.is_closed
    return {
        "period": period,
        "programme": period.programme,
        "money": money,
        "threshold": threshold_text(money.layout),
        "rows": rows,
        "unexplained": [row for row in rows if row["variance"].unexplained],
        "explanations": explanations,
        "submitted": submitted,
        "waiting": [
            e.pk for e in money.explanations if e.state in (UpdateState.DRAFT, UpdateState.RETURNED)
        ],
        "own": changed_by(user, submitted, VarianceExplanation) if submitted else set(),
        "refusal": refusal or [],
        "may_write": writable and user.has_perm(CAN_WRITE),
        "may_delete": writable and user.has_perm(CAN_DELETE),
        "may_approve": writable and user.has_perm(CAN_APPROVE),
        "closed_message": closed_message(period) if period.is_closed else "",
    }


def render_page(request, period, *, refusal=None):
    """The page; after a refused submit or approval, with its messages (answered as a
    form with errors is: 200, the page says what went wrong and nothing changed)."""
    return render(
        request, "budgets/explanations.html", page_context(request, period, refusal=refusal)
    )


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def explanations(request, period_pk: int):
    """The period's products with their difference and explanation, and the explanations."""
    return render_page(request, period_of(period_pk))


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def explanations_export(request, period_pk: int):
    """The period's explanations and each product's difference, as CSV (the page's texts)
    or XLSX (euros, the explanations' total as a formula)."""
    export_format = export_format_of(request)
    period = period_of(period_pk)
    money = load_money(period)
    names = {product.pk: product.name for product in money.products}
    explanations = [
        (explanation, [names[pk] for pk in explanation.product_ids if pk in names])
        for explanation in money.explanations
    ]
    variances = [(names[v.product_id], v) for v in money.variances()]
    file_name = f"toelichtingen-{slugify(period.programme.name)}-{slugify(period.name)}"
    if export_format == "csv":
        body = page_exports.explanations_csv(explanations, variances)
        return attachment(body, "text/csv; charset=utf-8", f"{file_name}.csv")
    title = _("Toelichtingen op afwijkingen: %(programme)s, %(period)s") % {
        "programme": period.programme.name,
        "period": period.name,
    }
    body = page_exports.explanations_xlsx(explanations, variances, title)
    return attachment(body, XLSX_CONTENT_TYPE, f"{file_name}.xlsx")


@require_POST
@permission_required(CAN_WRITE, raise_exception=True)
def submit(request, period_pk: int):
    """Indienen: the period's explanations to the controller, all or none."""
    period = period_of(period_pk)
    try:
        count = services.submit_explanations(period=period, user=request.user)
    except ValidationError as error:
        # Refused: nothing changed; the page says why, next to the products too.
        return render_page(request, period, refusal=error.messages)
    messages.success(
        request,
        ngettext(
            "%(count)s toelichting is ingediend ter goedkeuring.",
            "%(count)s toelichtingen zijn ingediend ter goedkeuring.",
            count,
        )
        % {"count": count},
    )
    return redirect("budgets:explanations", period.pk)


@require_POST
@permission_required(CAN_APPROVE, raise_exception=True)
def approve(request, period_pk: int):
    """Goedkeuren: the submitted explanations the controller saw, all or none."""
    period = period_of(period_pk)
    ids = [
        int(pk) for pk in request.POST.getlist("explanation") if can_be_key(VarianceExplanation, pk)
    ]
    if not ids:
        messages.error(request, _("Er is geen ingediende toelichting om goed te keuren."))
        return redirect("budgets:explanations", period.pk)
    if VarianceExplanation.objects.filter(pk__in=ids, period=period).count() != len(set(ids)):
        raise PermissionDenied(_("Deze toelichting hoort bij een ander rapportagemoment."))
    try:
        count = services.approve_explanations(period=period, row_ids=ids, user=request.user)
    except ValidationError as error:
        return render_page(request, period, refusal=error.messages)
    messages.success(
        request,
        ngettext(
            "%(count)s toelichting goedgekeurd.", "%(count)s toelichtingen goedgekeurd.", count
        )
        % {"count": count},
    )
    return redirect("budgets:explanations", period.pk)


@permission_required(CAN_APPROVE, raise_exception=True)
def return_explanation(request, pk: int):
    """Terugsturen: a submitted or approved explanation back to its writer, with a reason."""
    explanation = explanation_of(pk)
    period = explanation.period
    form = ReturnExplanationForm(request.POST or None)
    context = {"form": form, "explanation": explanation, "period": period}
    if period.is_closed:
        return render(
            request,
            "budgets/explanation_return.html",
            {**context, "read_only": True, "closed_message": closed_message(period)},
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.return_explanation(
                explanation_id=explanation.pk,
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(s)s is teruggestuurd.") % {"s": explanation.label})
            return redirect("budgets:explanations", period.pk)
    return render(request, "budgets/explanation_return.html", context)


@permission_required(CAN_WRITE, raise_exception=True)
def add_explanation(request, period_pk: int):
    period = period_of(period_pk)
    return edit(request, period, None)


@permission_required(CAN_WRITE, raise_exception=True)
def change_explanation(request, pk: int):
    explanation = explanation_of(pk)
    return edit(request, explanation.period, explanation)


def edit(request, period: ReportingPeriod, explanation: VarianceExplanation | None):
    """The add and edit form: saved as a draft (a changed approved one too), submitted
    with the others on the explanations page."""
    products = list(period.programme.products.all())
    form = ExplanationForm(request.POST or None, products=products, explanation=explanation)
    context = {"form": form, "period": period, "explanation": explanation}
    template = "budgets/explanation_form.html"
    if period.is_closed:
        # Frozen: shown as it was reported, and nothing posted is stored.
        names = {product.pk: product.name for product in products}
        chosen = [names[pk] for pk in (explanation.product_ids if explanation else [])]
        return render(
            request,
            template,
            {
                **context,
                "read_only": True,
                "closed_message": closed_message(period),
                "chosen": chosen,
            },
        )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_explanation(
                period=period,
                user=request.user,
                label=form.cleaned_data["label"],
                amount=form.cleaned_data["amount"],
                text=form.cleaned_data["text"],
                products=form.chosen_products(),
                explanation_id=explanation.pk if explanation else None,
                expected_version=form.cleaned_data["version"] if explanation else None,
            )
        except ConcurrentUpdateError as error:
            form.add_error(None, error)
            form.data = form.data.copy()
            form.data["version"] = error.current.version
            return render(request, template, {**context, "conflict": error.current}, status=409)
        except PeriodClosedError as error:
            form.add_error(None, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("De toelichting %(s)s is opgeslagen als concept.") % {"s": saved.label}
            )
            return redirect("budgets:explanations", period.pk)
    return render(request, template, context)


@permission_required(CAN_DELETE, raise_exception=True)
def delete_explanation(request, pk: int):
    """Asks first (GET), deletes on the confirmation (POST)."""
    explanation = explanation_of(pk)
    period = explanation.period
    context = {"explanation": explanation, "period": period, "errors": []}
    if period.is_closed:
        context["errors"] = [closed_message(period)]
    elif request.method == "POST":
        try:
            services.delete_explanation(explanation_id=explanation.pk, user=request.user)
        except ValidationError as error:
            context["errors"] = error.messages
        else:
            messages.success(
                request, _("De toelichting %(s)s is verwijderd.") % {"s": explanation.label}
            )
            return redirect("budgets:explanations", period.pk)
    elif explanation.is_approved:
        context["errors"] = [_("Een goedgekeurde toelichting blijft bewaard.")]
    return render(request, "budgets/explanation_delete.html", context)
