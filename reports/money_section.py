"""The report's money section: what a period's budget figures and variance explanations
say, as text ready for the templates.

Everything comes from one `budgets.data.Money` (loaded once by reports.builder); every
figure is computed by budgets.statement and printed by budgets.table.cell_text or
measures.money, so nothing is added up here. No queries, except `doelenboom`'s two
(the programme's goals and themes), made only for a layout that shows the doelenboom.

What the section shows follows the organisation's StatementLayout, not its name:
- a layout with product boxes (Venlo) shows the programme's "Begroot vs Realisatie",
  its statement, "Producten binnen het programma" (each product's boxes, lasten and
  baten in a table each, as the seed prints them) and the statement of each product
  with figures, labelled as the layout says ("Totaal resultaat collegeproduct: ...");
- any other layout (Enschede) shows the doelenboom (goals, themes and products with
  the lasten and baten of the layout's actual column) and the programme's statement;
- both then show the financial result's explanations: only the approved ones, with their
  approved label, amount and text, and what stays unexplained over the threshold of the
  financiële verordening (by approved explanations only), or a sentence that nothing
  does.

Amounts of explanations are in thousands, signed (voordeel positive) and followed by the
word voordeel or nadeel, like every other figure of the report ("2.300 voordeel"), rather
than the seed's "2,3 miljoen": one unit across the section, so that a reader compares an
explanation with the statement's difference at a glance, and the rounding is the one of
measures.money.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from budgets import statement, table
from budgets.data import Money
from measures.money import format_thousands

CATEGORY_LABELS = {statement.LASTEN: gettext_lazy("Lasten"), statement.BATEN: gettext_lazy("Baten")}


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[str]
    is_total: bool = False


@dataclass(frozen=True)
class StatementText:
    """A "Wat heeft het gekost?" table as printed."""

    caption: str
    header: list[str]
    rows: list[TableRow]


@dataclass(frozen=True)
class BoxRow:
    """One "Begroot vs Realisatie" box as a table row: lasten or baten, or (in the
    products' tables) a product."""

    label: str
    budget: str
    actual: str
    difference: str
    percent: str


@dataclass(frozen=True)
class TreeRow:
    """A row of the doelenboom: a goal (depth 0), a theme (1) or a product (2)."""

    label: str
    lasten: str
    baten: str
    depth: int

    @property
    def kind(self) -> str:
        return ("goal", "theme", "product")[self.depth]


@dataclass(frozen=True)
class ProductStatement:
    anchor: str
    name: str
    statement: StatementText


@dataclass(frozen=True)
class ExplanationText:
    label: str
    amount: str
    text: str


@dataclass(frozen=True)
class UnexplainedText:
    product: str
    difference: str


@dataclass(frozen=True)
class MoneySection:
    title: str
    statement: StatementText
    result_difference: str
    boxes: list[BoxRow]
    products_lasten: list[BoxRow]
    products_baten: list[BoxRow]
    product_statements: list[ProductStatement]
    doelenboom: list[TreeRow]
    doelenboom_column: str
    explanations: list[ExplanationText]
    unexplained: list[UnexplainedText]
    threshold: str

    @property
    def shows_boxes(self) -> bool:
        return bool(self.boxes)


def money_section(money: Money) -> MoneySection | None:
    """The section, or None for a period without budget figures or explanations."""
    if not money.figures and not money.explanations:
        return None
    layout = money.layout
    programme_table = money.table()
    boxes, lasten, baten, statements, tree = [], [], [], [], []
    if layout.show_product_boxes:
        boxes = [box_row(str(CATEGORY_LABELS[box.category]), box) for box in money.boxes()]
        with_figures = [product for product in money.products if money.product_totals(product)]
        for product in with_figures:
            product_lasten, product_baten = money.boxes(product)
            lasten.append(box_row(product.name, product_lasten))
            baten.append(box_row(product.name, product_baten))
        statements = [
            ProductStatement(
                f"geld-product-{product.pk}", product.name, statement_text(money.table(product))
            )
            for product in with_figures
        ]
    else:
        tree = tree_rows(money.doelenboom(layout.actual_column))
    return MoneySection(
        title=layout.title,
        statement=statement_text(programme_table),
        result_difference=result_difference(programme_table),
        boxes=boxes,
        products_lasten=lasten,
        products_baten=baten,
        product_statements=statements,
        doelenboom=tree,
        doelenboom_column=column_label(layout, layout.actual_column),
        explanations=[
            ExplanationText(
                label=explanation.approved_label,
                amount=signed_thousands(explanation.approved_amount),
                text=explanation.approved_text,
            )
            for explanation in money.explanations
            if explanation.is_approved
        ],
        unexplained=unexplained(money),
        threshold=table.threshold_text(layout),
    )


def statement_text(table_: statement.Statement) -> StatementText:
    return StatementText(
        caption=_("%(title)s %(name)s (bedragen x € 1.000)")
        % {"title": table_.title, "name": table_.name},
        header=table.header(table_),
        rows=[
            TableRow(cells[0], cells[1:], line.is_total)
            for line, cells in zip(table_.lines, table.text_rows(table_), strict=True)
        ],
    )


def result_difference(table_: statement.Statement) -> str:
    """The programme's difference on its result, from the statement's result row; "" if
    the layout has no such row or column."""
    for line in table_.lines:
        if line.code != statement.RESULT:
            continue
        for (code, _label), cell in zip(table_.columns, line.cells, strict=True):
            if code == statement.DIFFERENCE and cell.euros is not None:
                return signed_thousands(cell.euros)
    return ""


def box_row(label: str, box: statement.Box) -> BoxRow:
    def text(euros):
        return "" if euros is None else format_thousands(euros)

    return BoxRow(
        label=label,
        budget=text(box.budget),
        actual=text(box.actual),
        difference=text(box.difference),
        percent="" if box.percent is None else f"{box.percent}%",
    )


def tree_rows(branches: tuple[statement.Branch, ...]) -> list[TreeRow]:
    """The doelenboom flattened in reading order; products under no goal come last,
    under "Overige producten"."""

    def text(euros):
        return "" if euros is None else format_thousands(euros)

    def products(entries):
        return [TreeRow(node.name, text(lasten), text(baten), 2) for node, lasten, baten in entries]

    rows = []
    for branch in branches:
        label = branch.label or _("Overige producten")
        rows.append(TreeRow(label, text(branch.lasten), text(branch.baten), 0))
        rows += products(branch.products)
        for theme in branch.children:
            rows.append(TreeRow(theme.label, text(theme.lasten), text(theme.baten), 1))
            rows += products(theme.products)
    return rows


def column_label(layout: statement.Layout, code: str) -> str:
    return next((label for column, label in layout.columns if column == code), code)


def signed_thousands(euros: int) -> str:
    """ "2.300 voordeel", "-300 nadeel", "0": thousands, voordeel positive."""
    text = format_thousands(euros)
    if text == "0":
        return text
    word = _("voordeel") if euros > 0 else _("nadeel")
    return f"{text} {word}"


def unexplained(money: Money) -> list[UnexplainedText]:
    names = {product.pk: product.name for product in money.products}
    return [
        UnexplainedText(names[variance.product_id], signed_thousands(variance.difference))
        for variance in money.variances(approved=True)
        if variance.unexplained
    ]
