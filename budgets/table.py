"""A statement as text cells: the one place that turns budgets.statement's euros and
percentages into what a page, an export, the command and the report print (thousands
with Dutch separators, whole percents)."""

from django.utils.translation import gettext as _

from measures.exports import aligned_text
from measures.money import format_euros, format_thousands

from .statement import Cell, Layout, Statement

UNIT = "bedragen x € 1.000"


def cell_text(cell: Cell) -> str:
    if cell.is_percentage:
        return "" if cell.percent is None else f"{cell.percent}%"
    return "" if cell.euros is None else format_thousands(cell.euros)


def header(statement: Statement) -> list[str]:
    return [_("Omschrijving"), *(label for _code, label in statement.columns)]


def text_rows(statement: Statement) -> list[list[str]]:
    """The table's rows as printed: the label, then a text per column."""
    return [[line.label, *(cell_text(cell) for cell in line.cells)] for line in statement.lines]


def as_text(statement: Statement, title: str) -> str:
    """The table in fixed-width text, amounts right-aligned."""
    head = header(statement)
    lines = aligned_text(head, text_rows(statement), right=set(range(1, len(head))))
    return "\n".join([title, f"{statement.title} ({UNIT})", "", *lines]) + "\n"


def threshold_text(layout: Layout) -> str:
    """The financiële verordening's threshold in words (budgets.statement.needs_explanation
    is the rule): "een verschil van meer dan € 100.000", or with a percentage "… meer dan
    5% van de begrote lasten van het product en meer dan € 15.000"."""
    amount = format_euros(layout.threshold_amount)
    if layout.threshold_percent is None:
        return _("een verschil van meer dan %(amount)s") % {"amount": amount}
    percent = f"{layout.threshold_percent.normalize():f}".replace(".", ",")
    return _(
        "een verschil van meer dan %(percent)s%% van de begrote lasten van het product en "
        "meer dan %(amount)s"
    ) % {"percent": percent, "amount": amount}
