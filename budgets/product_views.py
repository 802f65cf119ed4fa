"""The product pages: a programme's products, and one product's budget next to the
savings measures linked to it. Read-only, GET only, for whoever may see products."""

from django.contrib.auth.decorators import permission_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from measures.models import Programme, ReportingPeriod
from measures.views import choose_period

from .models import Column, Product
from .product_data import BUDGET_COLUMNS, load_product_savings

CAN_READ = "budgets.view_product"


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def products(request, pk: int):
    """A programme's products, each linked to its page, with how many measures are
    linked to it. Queries besides the user's: the programme, its products."""
    programme = get_object_or_404(Programme, pk=pk)
    rows = list(
        Product.objects.filter(programme=programme)
        .select_related("task_field", "goal", "theme")
        .annotate(measure_count=Count("measures"))
    )
    return render(request, "budgets/products.html", {"programme": programme, "products": rows})


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def product(request, pk: int):
    """A product in one period (`?periode=`, else the most recent): its budget figures
    of the period's year, the savings of its measures and their comparison. Queries,
    whatever the number of products and measures: the user's, the product with its
    programme, the programme's periods and those of budgets.product_data."""
    product = get_object_or_404(
        Product.objects.select_related(
            "programme__organisation", "programme__status_scale", "task_field", "goal", "theme"
        ),
        pk=pk,
    )
    programme = product.programme
    periods = list(
        ReportingPeriod.objects.filter(programme=programme)
        .defer("frozen_report")
        .order_by("-reference_date", "name")
    )
    context = {"product": product, "programme": programme, "periods": periods}
    if periods:
        period = choose_period(periods, request.GET.get("periode"))
        period.programme = programme
        context.update(
            period=period,
            page=load_product_savings(period, product),
            budget_headers=[Column(column).label for column in BUDGET_COLUMNS],
        )
    return render(request, "budgets/product.html", context)
