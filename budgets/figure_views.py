"""The figures form of a product in a period: the year's amounts of each category and
column, typed in whole euros and stored all or nothing by budgets.services.save_figures
(which refuses a closed period, and unexplained differences once the period's
explanations went to the controller)."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .data import year_of
from .explanation_forms import GRID_COLUMNS, FiguresForm
from .explanation_views import closed_message, period_of
from .models import BudgetFigure

CAN_CHANGE = "budgets.change_budgetfigure"


def chosen_product(products: list, requested: str | None):
    """The product of `?product=`, else the first; 404 for one of another programme."""
    if not requested:
        return products[0] if products else None
    for product in products:
        if str(product.pk) == requested:
            return product
    raise Http404(_("Dit product bestaat niet in dit programma."))


@permission_required(CAN_CHANGE, raise_exception=True)
def figures_form(request, period_pk: int):
    period = period_of(period_pk)
    year = year_of(period)
    products = list(period.programme.products.all())
    product = chosen_product(products, request.GET.get("product"))
    context = {
        "period": period,
        "programme": period.programme,
        "year": year,
        "products": products,
        "product": product,
        "columns": GRID_COLUMNS,
    }
    if product is None:
        return render(request, "budgets/figures_form.html", context)
    stored = {
        (figure.category, figure.column): figure.amount
        for figure in BudgetFigure.objects.filter(
            period=period, product=product, year=year, reserve=""
        )
    }
    form = FiguresForm(request.POST or None, product=product, year=year, stored=stored)
    context["form"] = form
    if period.is_closed:
        context.update(read_only=True, closed_message=closed_message(period))
        return render(request, "budgets/figures_form.html", context)
    if request.method == "POST" and form.is_valid():
        rows = form.rows()
        try:
            counts = services.save_figures(
                period=period, user=request.user, rows=[row for _name, row in rows]
            )
        except services.FigureRowsError as error:
            for index, errors in error.by_row.items():
                for field_errors in errors.values():
                    form.add_error(rows[index][0], field_errors)
        except ValidationError as error:
            # The unexplained refusal, or the period closed meanwhile: about the whole form.
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "De bedragen van %(product)s zijn opgeslagen: %(added)s toegevoegd, "
                    "%(changed)s gewijzigd, %(removed)s verwijderd."
                )
                % {"product": product.name, **counts},
            )
            url = reverse("budgets:figures_form", args=[period.pk])
            return redirect(f"{url}?product={product.pk}")
    return render(request, "budgets/figures_form.html", context)
