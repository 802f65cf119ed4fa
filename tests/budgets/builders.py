"""Money for the budget tests, built row by row next to the demo's: a programme with
products and their figures in a period (year 2024, the factories' period), in an
organisation with its own statement layout."""

from budgets.models import BudgetFigure, Product, StatementLayout, TaskField
from tests.factories import make_programme

YEAR = 2024


def figures(period, product, **by_category) -> list[BudgetFigure]:
    """`lasten={"na_wijziging": 100_000, "realisatie": 120_000}`, and so on per category."""
    return BudgetFigure.objects.bulk_create(
        BudgetFigure(
            period=period,
            product=product,
            year=YEAR,
            category=category,
            column=column,
            amount=amount,
        )
        for category, columns in by_category.items()
        for column, amount in columns.items()
    )


def make_money(
    *,
    products: int = 3,
    measures: int = 0,
    organisation=None,
    name: str = "Programma Geld",
    threshold_percent=None,
    threshold_amount: int = 100_000,
):
    """A period of a new programme whose products each have lasten and baten budgeted and
    realised: product i has lasten 1.000.000 + i x 10.000 budgeted and 50.000 more
    realised (a nadeel), baten 100.000 both. Returns the period; its products in order."""
    period = make_programme(measures, name=name, organisation=organisation)
    programme = period.programme
    StatementLayout.objects.update_or_create(
        organisation=programme.organisation,
        defaults={
            "threshold_percent": threshold_percent,
            "threshold_amount": threshold_amount,
        },
    )
    task_field = TaskField.objects.get(code="6.6")
    made = Product.objects.bulk_create(
        Product(programme=programme, name=f"Product {i}", order=i, task_field=task_field)
        for i in range(products)
    )
    BudgetFigure.objects.bulk_create(
        BudgetFigure(
            period=period,
            product=product,
            year=YEAR,
            category=category,
            column=column,
            amount=amount,
        )
        for i, product in enumerate(made)
        for category, column, amount in (
            ("lasten", "na_wijziging", 1_000_000 + i * 10_000),
            ("lasten", "realisatie", 1_050_000 + i * 10_000),
            ("baten", "na_wijziging", 100_000),
            ("baten", "realisatie", 100_000),
        )
    )
    return period
