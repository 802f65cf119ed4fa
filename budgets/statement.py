"""The "Wat heeft het gekost?" statement, the doelenboom's sums, the product boxes and the
variance threshold, as arithmetic on plain data.

This module is the one place where budget money is added up: the pages, the CSV and
XLSX exports, the command and the report all call it, none sums on its own. It knows
nothing of requests, templates or the ORM; budgets.data turns rows into the dataclasses
below.

Amounts are whole euros (int) and stay euros to the end: a page or a PDF rounds each
figure to thousands only when it prints it (measures.money), so a saldo or a difference
is the rounding of the exact one, as the published reports are (46.237 - 66.877 shows as
-20.641, not -20.640).

The rules, one each:
- Difference ("verschil", "saldo (- = nadeel)"): positive where it is favourable
  (voordeel). For lasten and storting that is budget - actual, for baten and onttrekking
  actual - budget (FAVOURABLE_SIGN). A saldo's or the result's difference is the sum of
  its parts' differences, so it does not depend on which way the saldo is printed.
- Saldo: baten - lasten (Venlo) or lasten - baten (Enschede), as the organisation's
  StatementLayout says; the saldo of reserve mutations follows the same way (onttrekking
  counts with baten, storting with lasten); the result is the two saldi added.
- Percentage in the statement: the actual as a share of the budget, whole percent half
  up (away from zero): 66.877 / 46.237 = 145%.
- Percentage in Venlo's product boxes ("Begroot vs Realisatie"): the seed follows no
  single rule (reference/seed_tables_more.json). We take the one that fits 7 of the 8
  product figures: the nadeel as a share of the realisation, (realisatie - begroot) /
  realisatie for lasten and (begroot - realisatie) / realisatie for baten. It differs
  from what the seed prints for Sociale Wijkteams: its baten show 6 in the product block
  and in the header (139 / 2.179, a share of the budget; the rule gives 7), and the
  header shows -31 for its lasten where the product block shows 31 for the same figures.
  The box's afwijking is begroot - realisatie for both, as Venlo prints it.
- Threshold (financiële verordening): a product's difference on its result must be
  explained when its size is more than the amount and, if a percentage is set, more than
  that share of the product's budgeted lasten (so "5% with a floor of € 15.000" is the
  larger of the two).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

LASTEN = "lasten"
BATEN = "baten"
STORTING = "storting"
ONTTREKKING = "onttrekking"
CATEGORIES = (LASTEN, BATEN, STORTING, ONTTREKKING)

PRIMAIR = "primair"
NA_WIJZIGING = "na_wijziging"
PROGNOSE = "prognose"
REALISATIE = "realisatie"
AMOUNT_COLUMNS = (PRIMAIR, NA_WIJZIGING, PROGNOSE, REALISATIE)
PERCENTAGE = "percentage"
DIFFERENCE = "verschil"

SALDO = "saldo"
SALDO_RESERVES = "saldo_reserves"
RESULT = "resultaat"

BATEN_MINUS_LASTEN = "baten_min_lasten"
LASTEN_MINUS_BATEN = "lasten_min_baten"

# +1 where more is favourable to the municipality, -1 where less is.
FAVOURABLE_SIGN = {LASTEN: -1, BATEN: 1, STORTING: -1, ONTTREKKING: 1}


@dataclass(frozen=True)
class Figure:
    """One stored amount (budgets.models.BudgetFigure)."""

    product_id: int | None
    year: int
    category: str
    column: str
    amount: int
    task_field_id: int | None = None
    reserve: str = ""


@dataclass(frozen=True)
class Layout:
    """An organisation's StatementLayout: rows and columns as (code, label) in order."""

    saldo: str
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...]
    budget_column: str = NA_WIJZIGING
    title: str = "Wat heeft het gekost?"
    show_product_boxes: bool = False
    threshold_percent: Decimal | None = None
    threshold_amount: int = 100_000

    @property
    def actual_column(self) -> str:
        """The column the difference compares with the budget: the realisation where the
        table shows one, else the forecast."""
        codes = [code for code, _label in self.columns]
        return REALISATIE if REALISATIE in codes or PROGNOSE not in codes else PROGNOSE


# -- Adding up ----------------------------------------------------------------------


class Totals:
    """Sums of figures by (category, column); None where no figure was stated, which is
    not the same as zero: the statement prints an empty cell for it."""

    def __init__(self, sums: dict[tuple[str, str], int] | None = None):
        self._sums = dict(sums or {})

    def get(self, category: str, column: str) -> int | None:
        return self._sums.get((category, column))

    def __bool__(self) -> bool:
        return bool(self._sums)

    def __add__(self, other: Totals) -> Totals:
        sums = dict(self._sums)
        for key, amount in other._sums.items():
            sums[key] = sums.get(key, 0) + amount
        return Totals(sums)


def totals(
    figures: Iterable[Figure], *, year: int, product_ids: Iterable[int] | None = None
) -> Totals:
    """The figures of `year` added up, of the given products only if `product_ids` is
    given (else every figure: the programme's, with those of no product)."""
    wanted = None if product_ids is None else set(product_ids)
    sums: dict[tuple[str, str], int] = {}
    for figure in figures:
        if figure.year != year or (wanted is not None and figure.product_id not in wanted):
            continue
        key = (figure.category, figure.column)
        sums[key] = sums.get(key, 0) + figure.amount
    return Totals(sums)


def totals_by_product(figures: Iterable[Figure], *, year: int) -> dict[int | None, Totals]:
    """One Totals per product (None: the figures of no product), in one pass."""
    sums: dict[int | None, dict[tuple[str, str], int]] = defaultdict(dict)
    for figure in figures:
        if figure.year != year:
            continue
        bucket = sums[figure.product_id]
        key = (figure.category, figure.column)
        bucket[key] = bucket.get(key, 0) + figure.amount
    return {product_id: Totals(bucket) for product_id, bucket in sums.items()}


def _add(*amounts: int | None) -> int | None:
    present = [amount for amount in amounts if amount is not None]
    return sum(present) if present else None


def favourable_difference(category: str, budget: int | None, actual: int | None) -> int | None:
    """Actual against budget, voordeel positive; None unless both are there."""
    if budget is None or actual is None:
        return None
    return FAVOURABLE_SIGN[category] * (actual - budget)


def percentage(part: int | None, whole: int | None) -> int | None:
    """`part` as a whole percentage of `whole`, half away from zero; None without a base."""
    if part is None or not whole:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# -- The statement --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """Euros (an amount or a difference) or a percentage; None prints as empty."""

    euros: int | None = None
    percent: int | None = None
    is_percentage: bool = False


@dataclass(frozen=True)
class Line:
    code: str
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False

    def euros(self, column: str, columns: tuple[tuple[str, str], ...]) -> int | None:
        for (code, _label), cell in zip(columns, self.cells, strict=True):
            if code == column:
                return cell.euros
        raise KeyError(column)


@dataclass(frozen=True)
class Statement:
    title: str
    name: str
    year: int
    columns: tuple[tuple[str, str], ...]  # (code, label with {year} filled in)
    lines: tuple[Line, ...]

    def line(self, code: str) -> Line:
        return next(line for line in self.lines if line.code == code)


TOTAL_ROWS = {SALDO, SALDO_RESERVES, RESULT}


def row_values(totals_: Totals, row: str, column: str, *, saldo: str) -> int | None:
    """A row's amount in a column of amounts, the saldo rows the layout's way round."""
    if row in CATEGORIES:
        return totals_.get(row, column)
    lasten, baten = totals_.get(LASTEN, column), totals_.get(BATEN, column)
    storting, onttrekking = totals_.get(STORTING, column), totals_.get(ONTTREKKING, column)
    sign = 1 if saldo == BATEN_MINUS_LASTEN else -1
    operating = None if lasten is None and baten is None else sign * ((baten or 0) - (lasten or 0))
    reserves = (
        None
        if storting is None and onttrekking is None
        else sign * ((onttrekking or 0) - (storting or 0))
    )
    if row == SALDO:
        return operating
    if row == SALDO_RESERVES:
        return reserves
    if row == RESULT:
        return _add(operating, reserves)
    raise ValueError(f"Unknown statement row {row!r}")


ROW_PARTS = {
    LASTEN: (LASTEN,),
    BATEN: (BATEN,),
    STORTING: (STORTING,),
    ONTTREKKING: (ONTTREKKING,),
    SALDO: (LASTEN, BATEN),
    SALDO_RESERVES: (STORTING, ONTTREKKING),
    RESULT: CATEGORIES,
}


def row_difference(totals_: Totals, row: str, *, budget_column: str, actual_column: str):
    """A row's difference, voordeel positive: the sum of its parts' differences; None
    when none of its parts has both a budget and an actual figure."""
    return _add(
        *(
            favourable_difference(
                category, totals_.get(category, budget_column), totals_.get(category, actual_column)
            )
            for category in ROW_PARTS[row]
        )
    )


def build_statement(totals_: Totals, layout: Layout, *, name: str, year: int) -> Statement:
    """The table as the layout prints it, every figure in euros."""
    columns = tuple((code, label.format(year=year, name=name)) for code, label in layout.columns)
    actual_column = layout.actual_column
    lines = []
    for row, label in layout.rows:
        cells = []
        for code, _label in layout.columns:
            if code == DIFFERENCE:
                cells.append(
                    Cell(
                        euros=row_difference(
                            totals_,
                            row,
                            budget_column=layout.budget_column,
                            actual_column=actual_column,
                        )
                    )
                )
            elif code == PERCENTAGE:
                cells.append(
                    Cell(
                        percent=percentage(
                            row_values(totals_, row, actual_column, saldo=layout.saldo),
                            row_values(totals_, row, layout.budget_column, saldo=layout.saldo),
                        ),
                        is_percentage=True,
                    )
                )
            else:
                cells.append(Cell(euros=row_values(totals_, row, code, saldo=layout.saldo)))
        lines.append(
            Line(
                code=row,
                label=label.format(year=year, name=name),
                cells=tuple(cells),
                is_total=row in TOTAL_ROWS,
            )
        )
    return Statement(title=layout.title, name=name, year=year, columns=columns, lines=tuple(lines))


# -- Venlo's product boxes ("Begroot vs Realisatie") --------------------------------


@dataclass(frozen=True)
class Box:
    category: str
    budget: int | None
    actual: int | None
    difference: int | None  # begroot - realisatie, as Venlo prints it
    percent: int | None  # the nadeel as a share of the realisation (see the module's doc)


def box(totals_: Totals, category: str, *, budget_column: str, actual_column: str) -> Box:
    budget = totals_.get(category, budget_column)
    actual = totals_.get(category, actual_column)
    favourable = favourable_difference(category, budget, actual)
    return Box(
        category=category,
        budget=budget,
        actual=actual,
        difference=None if budget is None or actual is None else budget - actual,
        percent=None if favourable is None else percentage(-favourable, actual),
    )


# -- Threshold and explanations -------------------------------------------------------


def needs_explanation(
    difference: int | None, *, budget_lasten: int | None, percent: Decimal | None, amount: int
) -> bool:
    """Whether a difference passes the financiële verordening's threshold."""
    if difference is None:
        return False
    size = abs(difference)
    if size <= amount:
        return False
    if percent is None:
        return True
    return size * 100 > percent * abs(budget_lasten or 0)


@dataclass(frozen=True)
class ProductVariance:
    product_id: int
    difference: int | None  # on the product's result, voordeel positive
    budget_lasten: int | None
    needs_explanation: bool
    explained: bool

    @property
    def unexplained(self) -> bool:
        return self.needs_explanation and not self.explained


def variances(
    by_product: dict[int | None, Totals],
    product_ids: Iterable[int],
    layout: Layout,
    *,
    explained_product_ids: Iterable[int],
) -> list[ProductVariance]:
    """Each product's difference on its result and whether it must be, and is, explained."""
    explained = set(explained_product_ids)
    result = []
    for product_id in product_ids:
        totals_ = by_product.get(product_id, Totals())
        difference = row_difference(
            totals_, RESULT, budget_column=layout.budget_column, actual_column=layout.actual_column
        )
        budget_lasten = totals_.get(LASTEN, layout.budget_column)
        result.append(
            ProductVariance(
                product_id=product_id,
                difference=difference,
                budget_lasten=budget_lasten,
                needs_explanation=needs_explanation(
                    difference,
                    budget_lasten=budget_lasten,
                    percent=layout.threshold_percent,
                    amount=layout.threshold_amount,
                ),
                explained=product_id in explained,
            )
        )
    return result


# -- The doelenboom --------------------------------------------------------------------


@dataclass(frozen=True)
class ProductNode:
    id: int
    name: str
    goal_id: int | None
    theme_id: int | None


@dataclass(frozen=True)
class Branch:
    """A goal or theme (or the products under neither: id None) with its products' sums."""

    id: int | None
    label: str
    lasten: int | None
    baten: int | None
    products: tuple[tuple[ProductNode, int | None, int | None], ...] = ()
    children: tuple[Branch, ...] = field(default_factory=tuple)


def doelenboom(
    goals: Iterable[tuple[int, str]],
    themes: Iterable[tuple[int, int | None, str]],
    products: Iterable[ProductNode],
    by_product: dict[int | None, Totals],
    *,
    column: str,
) -> tuple[Branch, ...]:
    """Goals → themes → products, each with the lasten and baten of `column` added up from
    its products' euros. `themes` are (id, goal id, label); a product under a theme
    belongs to that theme's goal. Products under no goal come last, in a branch of id
    None; goals and themes without products are left out."""
    themes = list(themes)
    theme_goal = {theme_id: goal_id for theme_id, goal_id, _label in themes}
    theme_label = {theme_id: label for theme_id, _goal, label in themes}
    placed: dict[int | None, dict[int | None, list]] = defaultdict(lambda: defaultdict(list))
    for product in products:
        goal_id = product.goal_id
        if product.theme_id is not None:
            goal_id = theme_goal.get(product.theme_id, goal_id)
        figures = by_product.get(product.id, Totals())
        placed[goal_id][product.theme_id].append(
            (product, figures.get(LASTEN, column), figures.get(BATEN, column))
        )

    def sums(entries):
        return (
            _add(*(lasten for _p, lasten, _b in entries)),
            _add(*(baten for _p, _l, baten in entries)),
        )

    def goal_branch(goal_id, label):
        children = []
        direct = placed[goal_id].get(None, [])
        for theme_id, _goal, theme_title in themes_in_order:
            entries = placed[goal_id].get(theme_id) if theme_id is not None else None
            if entries:
                lasten, baten = sums(entries)
                children.append(Branch(theme_id, theme_title, lasten, baten, tuple(entries)))
        every = direct + [entry for child in children for entry in child.products]
        lasten, baten = sums(every)
        return Branch(goal_id, label, lasten, baten, tuple(direct), tuple(children))

    themes_in_order = [(theme_id, goal, theme_label[theme_id]) for theme_id, goal, _l in themes]
    branches = [goal_branch(goal_id, label) for goal_id, label in goals if placed.get(goal_id)]
    if placed.get(None):
        branches.append(goal_branch(None, ""))
    return tuple(branches)
