"""Database rows into budgets.statement's plain data: the loader shared by the pages, the
exports, the command and the report. A fixed number of queries, whatever the number of
products and figures (pinned by the page, product and report tests)."""

from __future__ import annotations

from dataclasses import dataclass

from measures.models import ReportingPeriod

from . import statement
from .models import BudgetFigure, Product, Saldo, StatementLayout, VarianceExplanation

# The layout of an organisation that has not chosen one: Enschede's rows and columns.
DEFAULT_ROWS = (
    ("lasten", "Lasten"),
    ("baten", "Baten"),
    ("saldo", "Saldo van baten en lasten"),
    ("storting", "Storting reserves"),
    ("onttrekking", "Onttrekking reserves"),
    ("saldo_reserves", "Saldo van mutaties reserves"),
    ("resultaat", "Resultaat"),
)


def layout_data(stored: StatementLayout | None) -> statement.Layout:
    if stored is None:
        stored = StatementLayout(saldo=Saldo.LASTEN_MINUS_BATEN)
    return statement.Layout(
        saldo=stored.saldo,
        rows=tuple(tuple(row) for row in stored.rows),
        columns=tuple(tuple(column) for column in stored.columns),
        budget_column=stored.budget_column,
        title=stored.title,
        show_product_boxes=stored.show_product_boxes,
        threshold_percent=stored.threshold_percent,
        threshold_amount=stored.threshold_amount,
    )


def layout_of(organisation_id: int) -> statement.Layout:
    """One query."""
    return layout_data(StatementLayout.objects.filter(organisation_id=organisation_id).first())


def figures_of(period: ReportingPeriod) -> list[statement.Figure]:
    """Every amount the period states. One query."""
    return [
        statement.Figure(
            product_id=product_id,
            year=year,
            category=category,
            column=column,
            amount=amount,
            task_field_id=task_field_id,
            reserve=reserve,
        )
        for product_id, year, category, column, amount, task_field_id, reserve in (
            BudgetFigure.objects.filter(period=period).values_list(
                "product_id", "year", "category", "column", "amount", "task_field_id", "reserve"
            )
        )
    ]


def products_of(period: ReportingPeriod) -> list[Product]:
    """The programme's products in order, with taakveld, goal and theme. One query."""
    return list(
        Product.objects.filter(programme_id=period.programme_id).select_related(
            "task_field", "goal", "theme"
        )
    )


def year_of(period: ReportingPeriod) -> int:
    """The budget year a period accounts for: its reference date's year."""
    return period.reference_date.year


@dataclass(frozen=True)
class Money:
    """What the money pages and the report need of one period, loaded once."""

    period: ReportingPeriod
    year: int
    layout: statement.Layout
    products: list[Product]
    figures: list[statement.Figure]
    by_product: dict[int | None, statement.Totals]
    explanations: list[VarianceExplanation]

    @property
    def programme_totals(self) -> statement.Totals:
        return statement.totals(self.figures, year=self.year)

    def product_totals(self, product: Product) -> statement.Totals:
        return self.by_product.get(product.pk, statement.Totals())

    def table(self, product: Product | None = None) -> statement.Statement:
        """The programme's table, or one product's."""
        if product is None:
            return statement.build_statement(
                self.programme_totals,
                self.layout,
                name=self.period.programme.name,
                year=self.year,
            )
        return statement.build_statement(
            self.product_totals(product), self.layout, name=product.name, year=self.year
        )

    def boxes(self, product: Product | None = None) -> tuple[statement.Box, statement.Box]:
        totals = self.programme_totals if product is None else self.product_totals(product)
        return tuple(
            statement.box(
                totals,
                category,
                budget_column=self.layout.budget_column,
                actual_column=self.layout.actual_column,
            )
            for category in (statement.LASTEN, statement.BATEN)
        )

    def variances(self, *, approved: bool = False) -> list[statement.ProductVariance]:
        """Each product's difference and whether it is explained: by any explanation of
        the period, or (`approved`) by an approved one only, as a report shows them."""
        explained = {
            product_id
            for explanation in self.explanations
            if not approved or explanation.is_approved
            for product_id in explanation.product_ids
        }
        return statement.variances(
            self.by_product,
            [product.pk for product in self.products],
            self.layout,
            explained_product_ids=explained,
        )

    def doelenboom(self, column: str = statement.REALISATIE) -> tuple[statement.Branch, ...]:
        programme = self.period.programme
        goals = [(goal.pk, goal.heading) for goal in programme.goals.all()]
        themes = [(theme.pk, theme.goal_id, str(theme)) for theme in programme.themes.all()]
        nodes = [
            statement.ProductNode(product.pk, product.name, product.goal_id, product.theme_id)
            for product in self.products
        ]
        return statement.doelenboom(goals, themes, nodes, self.by_product, column=column)


def explanations_of(period: ReportingPeriod) -> list[VarianceExplanation]:
    """The period's explanations with the ids of their products. Two queries."""
    explanations = list(
        VarianceExplanation.objects.filter(period=period).prefetch_related("products")
    )
    for explanation in explanations:
        explanation.product_ids = [product.pk for product in explanation.products.all()]
    return explanations


def load_money(period: ReportingPeriod) -> Money:
    """Everything of a period's money; the period with its programme selected."""
    figures = figures_of(period)
    year = year_of(period)
    return Money(
        period=period,
        year=year,
        layout=layout_of(period.programme.organisation_id),
        products=products_of(period),
        figures=figures,
        by_product=statement.totals_by_product(figures, year=year),
        explanations=explanations_of(period),
    )
