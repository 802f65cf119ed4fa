"""The money pages of a programme: its doelenboom and its "Wat heeft het gekost?"
statement, each with a CSV and XLSX export.

Every role of the organisation reads them (`budgets.view_product`); the programme, its
periods and its products are found through the scoped managers, so another
organisation's answers 404. All amounts come from budgets.data's Money (one load per
request, a fixed number of queries whatever the number of products); none is added up
here.
"""

from dataclasses import dataclass, replace

from django.contrib.auth.decorators import permission_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from measures.exports import FORMATS, XLSX_CONTENT_TYPE, attachment
from measures.models import Programme, ReportingPeriod
from measures.views import choose_period

from . import page_exports, statement, table
from .data import Money, load_money
from .models import BudgetFigure, Category

CAN_READ = "budgets.view_product"


def optional_url(name: str, *args) -> str | None:
    """The URL of a page another part of the app may not have yet; None without it."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _programme(pk: int) -> Programme:
    """The programme with its goals and themes (the doelenboom's branches). Three queries."""
    return get_object_or_404(
        Programme.objects.select_related("organisation").prefetch_related("goals", "themes"),
        pk=pk,
    )


def _periods(programme: Programme) -> list[ReportingPeriod]:
    """The programme's periods, newest first, each knowing whether it states any amount.
    One query."""
    periods = list(
        ReportingPeriod.objects.filter(programme=programme)
        .defer("frozen_report")
        .annotate(has_figures=Exists(BudgetFigure.objects.filter(period=OuterRef("pk"))))
        .order_by("-reference_date", "name")
    )
    for period in periods:
        period.programme = programme
    return periods


def _period(periods: list[ReportingPeriod], requested: str | None) -> ReportingPeriod:
    """The period asked for, else the latest one with amounts, else the latest one."""
    if requested or not any(period.has_figures for period in periods):
        return choose_period(periods, requested)
    return choose_period([period for period in periods if period.has_figures], None)


@dataclass(frozen=True)
class MoneyPage:
    programme: Programme
    periods: list[ReportingPeriod]
    period: ReportingPeriod | None
    money: Money | None

    def context(self, export: str, **extra) -> dict:
        """What both pages' templates use; `export` names the page's export URL."""
        query = {}
        if self.period is not None:
            query["periode"] = self.period.pk
        if extra.get("product") is not None:
            query["product"] = extra["product"].pk
        return {
            "programme": self.programme,
            "periods": self.periods,
            "period": self.period,
            "money": self.money,
            "export_url": f"{reverse(export, args=[self.programme.pk])}?{urlencode(query)}",
            **extra,
        }


def money_page(request, pk: int) -> MoneyPage:
    programme = _programme(pk)
    periods = _periods(programme)
    if not periods:
        return MoneyPage(programme, periods, None, None)
    period = _period(periods, request.GET.get("periode"))
    return MoneyPage(programme, periods, period, load_money(period))


def export_format_of(request) -> str:
    export_format = request.GET.get("format", "xlsx")
    if export_format not in FORMATS:
        raise Http404(_("Onbekend exportformaat."))
    return export_format


def _file_name(kind: str, page: MoneyPage, extra: str = "") -> str:
    parts = [kind, page.programme.name, *([extra] if extra else []), page.period.name]
    return "-".join(slugify(part) for part in parts)


# -- The doelenboom ---------------------------------------------------------------------


def doelenboom_column(money: Money) -> str:
    """The realisation where the period states one for its year, else the amended budget."""
    if any(
        figure.column == statement.REALISATIE and figure.year == money.year
        for figure in money.figures
    ):
        return statement.REALISATIE
    return statement.NA_WIJZIGING


@dataclass(frozen=True)
class TreeRow:
    """A row of the doelenboom as the page and the exports show it."""

    level: str  # "goal", "theme" or "product"
    label: str
    lasten: int | None
    baten: int | None
    url: str | None = None
    # For a goal or theme: the positions (in the list of rows) of the products it sums.
    parts: tuple[int, ...] = ()

    @property
    def level_name(self) -> str:
        return str(LEVEL_NAMES[self.level])


LEVEL_NAMES = {
    "goal": gettext_lazy("Doelstelling"),
    "theme": gettext_lazy("Thema"),
    "product": gettext_lazy("Product"),
}


def goal_label(goal) -> str:
    return _("Doelstelling %(code)s: %(title)s") % {"code": goal.label, "title": goal.heading}


def tree_rows(money: Money, column: str) -> list[TreeRow]:
    """The doelenboom flattened: each goal, its products, then each theme with its
    products; the products under no goal last."""
    goals = {goal.pk: goal for goal in money.period.programme.goals.all()}
    rows: list[TreeRow] = []

    def add_products(entries) -> tuple[int, ...]:
        start = len(rows)
        for node, lasten, baten in entries:
            url = optional_url("budgets:product", node.id)
            rows.append(TreeRow("product", node.name, lasten, baten, url))
        return tuple(range(start, len(rows)))

    for branch in money.doelenboom(column):
        if branch.id is None:
            label = _("Producten buiten de doelstellingen")
        else:
            label = goal_label(goals[branch.id]) if branch.id in goals else branch.label
        goal_at = len(rows)
        rows.append(TreeRow("goal", label, branch.lasten, branch.baten))
        parts = add_products(branch.products)
        for theme in branch.children:
            theme_at = len(rows)
            rows.append(TreeRow("theme", str(theme.label), theme.lasten, theme.baten))
            theme_parts = add_products(theme.products)
            rows[theme_at] = replace(rows[theme_at], parts=theme_parts)
            parts += theme_parts
        rows[goal_at] = replace(rows[goal_at], parts=parts)
    return rows


def doelenboom_caption(page: MoneyPage, column: str) -> str:
    which = (
        _("realisatie %(year)s")
        if column == statement.REALISATIE
        else _("begroting na wijziging %(year)s")
    ) % {"year": page.money.year}
    return _("Doelenboom %(programme)s, %(period)s: lasten en baten per product, %(which)s") % {
        "programme": page.programme.name,
        "period": page.period.name,
        "which": which,
    }


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def doelenboom(request, pk: int):
    """Goals → themes → products with their lasten and baten in a period (`?periode=`).

    Queries, whatever the number of products: the user, their memberships and
    permissions, the programme with its goals and themes, its periods, and
    budgets.data.load_money's (figures, layout, products, explanations with their
    products)."""
    page = money_page(request, pk)
    extra = {}
    if page.money is not None:
        column = doelenboom_column(page.money)
        extra = {
            "rows": tree_rows(page.money, column),
            "caption": doelenboom_caption(page, column),
            "column": column,
        }
    return render(
        request, "budgets/doelenboom.html", page.context("budgets:doelenboom_export", **extra)
    )


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def doelenboom_export(request, pk: int):
    """The doelenboom as CSV (the texts of the page) or XLSX (euros, sums as formulas)."""
    export_format = export_format_of(request)
    page = money_page(request, pk)
    if page.money is None:
        raise Http404(_("Dit programma heeft nog geen rapportagemomenten."))
    column = doelenboom_column(page.money)
    rows = tree_rows(page.money, column)
    name = _file_name("doelenboom", page)
    if export_format == "csv":
        return attachment(
            page_exports.doelenboom_csv(rows), "text/csv; charset=utf-8", f"{name}.csv"
        )
    body = page_exports.doelenboom_xlsx(rows, doelenboom_caption(page, column))
    return attachment(body, XLSX_CONTENT_TYPE, f"{name}.xlsx")


# -- The statement -----------------------------------------------------------------------


def chosen_product(money: Money, requested: str | None):
    """The product asked for (`?product=`), of this programme; None for the programme."""
    if not requested:
        return None
    for product in money.products:
        if str(product.pk) == requested:
            return product
    raise Http404(_("Dit product bestaat niet."))


@dataclass(frozen=True)
class BoxRow:
    """A "Begroot vs Realisatie" box as printed: begroot, realisatie, afwijking, %."""

    category: str
    budget: str
    actual: str
    difference: str
    percent: str


def box_rows(boxes) -> list[BoxRow]:
    return [
        BoxRow(
            category=Category(box.category).label,
            budget=table.cell_text(statement.Cell(euros=box.budget)),
            actual=table.cell_text(statement.Cell(euros=box.actual)),
            difference=table.cell_text(statement.Cell(euros=box.difference)),
            percent=table.cell_text(statement.Cell(percent=box.percent, is_percentage=True)),
        )
        for box in boxes
    ]


def statement_caption(table_: statement.Statement, period: ReportingPeriod) -> str:
    return _("%(title)s %(name)s, %(period)s (bedragen x € 1.000)") % {
        "title": table_.title,
        "name": table_.name,
        "period": period.name,
    }


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def statement_page(request, pk: int):
    """The organisation's "Wat heeft het gekost?" table of the programme or of one of its
    products (`?product=`), in a period (`?periode=`), with Venlo's product boxes where
    the layout shows them.

    Queries, whatever the number of products: those of `doelenboom`."""
    page = money_page(request, pk)
    if page.money is None:
        return render(request, "budgets/statement.html", page.context("budgets:statement_export"))
    money = page.money
    product = chosen_product(money, request.GET.get("product"))
    table_ = money.table(product)
    extra = {
        "product": product,
        "table": table_,
        "caption": statement_caption(table_, page.period),
        "lines": [(line, [table.cell_text(cell) for cell in line.cells]) for line in table_.lines],
        # (label, size, whether it is a voordeel) of each approved explanation
        "explanations": [
            (
                explanation.approved_label,
                abs(explanation.approved_amount),
                explanation.approved_amount >= 0,
            )
            for explanation in money.explanations
            if explanation.is_approved
        ],
        "explanations_url": optional_url("budgets:explanations", page.period.pk),
    }
    if money.layout.show_product_boxes:
        extra["boxes"] = box_rows(money.boxes(product))
        extra["product_boxes"] = [
            (item, optional_url("budgets:product", item.pk), box_rows(money.boxes(item)))
            for item in money.products
        ]
    return render(
        request, "budgets/statement.html", page.context("budgets:statement_export", **extra)
    )


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def statement_export(request, pk: int):
    """The statement as CSV (the texts of the page) or XLSX (euros; saldi, result,
    percentages and differences as formulas)."""
    export_format = export_format_of(request)
    page = money_page(request, pk)
    if page.money is None:
        raise Http404(_("Dit programma heeft nog geen rapportagemomenten."))
    product = chosen_product(page.money, request.GET.get("product"))
    table_ = page.money.table(product)
    name = _file_name("wat-heeft-het-gekost", page, product.name if product else "")
    if export_format == "csv":
        return attachment(
            page_exports.statement_csv(table_), "text/csv; charset=utf-8", f"{name}.csv"
        )
    body = page_exports.statement_xlsx(
        table_, page.money.layout, statement_caption(table_, page.period)
    )
    return attachment(body, XLSX_CONTENT_TYPE, f"{name}.xlsx")
