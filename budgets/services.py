"""Writes of budget figures and variance explanations, keyword-only and atomic, with the
rules of measures.services: the period's row is share-locked first (lock_periods) and a
closed period is refused on the locked row; every row is full_clean'ed and saved with its
history in the user's name.

The one rule of this app that guards the workflow lives here, in `refuse_unexplained`:
once a period's explanations go to the controller, every product whose difference passes
the organisation's threshold has one. It is asked when explanations are submitted or
approved, and when figures are written to a period whose explanations are already
submitted or approved (the form and the ledger import alike), so that no path leaves a
submitted account with an unexplained variance.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chapters import services as reviewed
from measures.constants import UpdateState
from measures.models import ReportingPeriod
from measures.money import format_euros
from measures.services import claim_version, lock_periods, require

from .data import load_money
from .models import BudgetFigure, Product, TaskField, VarianceExplanation

CAN_APPROVE = "measures.approve_measureupdate"


# -- The threshold ------------------------------------------------------------------


def unexplained_messages(period: ReportingPeriod) -> list[str]:
    """A Dutch line per product whose difference passes the threshold without an
    explanation in the period."""
    money = load_money(period)
    names = {product.pk: product.name for product in money.products}
    return [
        _(
            "%(product)s wijkt %(amount)s af van de begroting; dat is boven de drempel en "
            "vraagt een toelichting."
        )
        % {"product": names[variance.product_id], "amount": format_euros(variance.difference)}
        for variance in money.variances()
        if variance.unexplained
    ]


def refuse_unexplained(period: ReportingPeriod) -> None:
    messages = unexplained_messages(period)
    if messages:
        # A list of errors each with its code: Django drops a code given with a list.
        raise ValidationError([ValidationError(m, code="unexplained") for m in messages])


def explanations_sent(period: ReportingPeriod) -> bool:
    """Whether the period's explanations went to the controller (submitted or approved)."""
    return VarianceExplanation.objects.filter(
        period=period, state__in=(UpdateState.SUBMITTED, UpdateState.APPROVED)
    ).exists()


# -- Figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One amount to store: of a product, a taakveld or (both None) the programme. An
    `amount` of None removes the stored one."""

    year: int
    category: str
    column: str
    amount: int | None
    product: Product | None = None
    task_field: TaskField | None = None
    reserve: str = ""

    @property
    def key(self) -> tuple:
        return (
            self.product.pk if self.product else None,
            None if self.product else (self.task_field.pk if self.task_field else None),
            self.year,
            self.category,
            self.reserve,
            self.column,
        )


def figure_key(figure: BudgetFigure) -> tuple:
    return (
        figure.product_id,
        figure.task_field_id,
        figure.year,
        figure.category,
        figure.reserve,
        figure.column,
    )


class FigureRowsError(ValidationError):
    """Figures refused, with the errors of each row (`by_row`: index -> {field: messages});
    nothing was stored."""

    def __init__(self, by_row: dict[int, dict[str, list[str]]]):
        self.by_row = by_row
        super().__init__(
            [
                _("Rij %(n)s: %(message)s") % {"n": index + 1, "message": message}
                for index, errors in sorted(by_row.items())
                for messages in errors.values()
                for message in messages
            ]
        )


@transaction.atomic
def save_figures(*, period: ReportingPeriod, user, rows: list[FigureRow]) -> dict[str, int]:
    """Store amounts as `period` states them, all or nothing: a row with the key of a
    stored amount changes it (or removes it, amount None), others are added. Returns how
    many were added, changed, removed and left as they were."""
    require(user, "budgets.change_budgetfigure")
    return write_figures(period=period, user=user, rows=rows)


def write_figures(*, period: ReportingPeriod, user, rows: list[FigureRow]) -> dict[str, int]:
    """save_figures without the permission check, for the import's confirmation, which
    checked its own. Inside the caller's transaction."""
    locked = lock_periods([period.pk])[period.pk]
    locked.refuse_if_closed()
    stored = {
        figure_key(figure): figure
        for figure in BudgetFigure.objects.filter(period=locked).select_for_update(of=("self",))
    }
    counts = {"added": 0, "changed": 0, "removed": 0, "unchanged": 0}
    by_row: dict[int, dict[str, list[str]]] = {}
    seen: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        if row.key in seen:
            by_row[index] = {
                "__all__": [_("Dit bedrag staat ook in rij %(n)s.") % {"n": seen[row.key] + 1}]
            }
            continue
        seen[row.key] = index
        figure = stored.get(row.key)
        if row.amount is None:
            if figure is not None:
                figure._history_user = user
                figure.delete()
                counts["removed"] += 1
            continue
        if figure is not None and figure.amount == row.amount:
            counts["unchanged"] += 1
            continue
        if figure is None:
            figure = BudgetFigure(
                period=locked,
                product=row.product,
                task_field=None if row.product else row.task_field,
                year=row.year,
                category=row.category,
                reserve=row.reserve,
                column=row.column,
            )
            counts["added"] += 1
        else:
            counts["changed"] += 1
        figure.amount = row.amount
        figure.updated_by = user
        figure._history_user = user
        try:
            figure.full_clean()
        except ValidationError as error:
            by_row[index] = error.message_dict
            continue
        figure.save()
    if by_row:
        raise FigureRowsError(by_row)
    if explanations_sent(locked):
        refuse_unexplained(locked)
    return counts


# -- Variance explanations ----------------------------------------------------------


@transaction.atomic
def save_explanation(
    *,
    period: ReportingPeriod,
    user,
    label: str,
    amount: int,
    text: str,
    products: list[Product],
    explanation_id: int | None = None,
    expected_version: int | None = None,
) -> VarianceExplanation:
    """Add an explanation to the period, or change one (as a draft again)."""
    require(user, "budgets.change_varianceexplanation")
    locked = lock_periods([period.pk])[period.pk]
    locked.refuse_if_closed()
    foreign = [product for product in products if product.programme_id != locked.programme_id]
    if foreign:
        raise ValidationError({"products": _("Kies producten van het eigen programma.")})
    if explanation_id is None:
        row = VarianceExplanation(period=locked, updated_by=user)
    else:
        row = reviewed.locked_row(VarianceExplanation, explanation_id)
        if row.period_id != locked.pk:
            raise ValidationError(_("Deze toelichting hoort bij een ander rapportagemoment."))
        claim_version(row, expected_version)
    row.label, row.amount, row.text = label.strip(), amount, text.strip()
    row.state = UpdateState.DRAFT
    row.updated_by = user
    row._history_user = user
    row.full_clean()
    row.save()
    row.products.set(products)
    return row


@transaction.atomic
def delete_explanation(*, explanation_id: int, user) -> None:
    require(user, "budgets.delete_varianceexplanation")
    row = reviewed.locked_row(VarianceExplanation, explanation_id)
    if row.state == UpdateState.APPROVED or row.is_approved:
        raise ValidationError(_("Een goedgekeurde toelichting blijft bewaard."))
    row._history_user = user
    row.products.clear()
    row.delete()


@transaction.atomic
def submit_explanations(*, period: ReportingPeriod, user) -> int:
    """Send the period's explanations (drafts and returned ones) to the controller, all or
    none: refused while a product over the threshold has none, or one is incomplete.
    Returns how many were submitted."""
    require(user, "budgets.change_varianceexplanation")
    locked = lock_periods([period.pk])[period.pk]
    locked.refuse_if_closed()
    refuse_unexplained(locked)
    waiting = list(
        VarianceExplanation.objects.filter(
            period=locked, state__in=(UpdateState.DRAFT, UpdateState.RETURNED)
        ).values_list("pk", flat=True)
    )
    for row_id in waiting:
        reviewed.submit_row(model=VarianceExplanation, row_id=row_id, user=user)
    return len(waiting)


@transaction.atomic
def approve_explanations(*, period: ReportingPeriod, row_ids: list[int], user) -> int:
    """Approve submitted explanations (four eyes: measures.services.approval_refusal),
    all or none, and only while every variance over the threshold is explained."""
    require(user, CAN_APPROVE)
    locked = lock_periods([period.pk])[period.pk]
    locked.refuse_if_closed()
    if VarianceExplanation.objects.filter(pk__in=row_ids).exclude(period=locked).exists():
        raise PermissionDenied(_("Deze toelichting hoort bij een ander rapportagemoment."))
    refuse_unexplained(locked)
    return len(reviewed.approve_rows(model=VarianceExplanation, row_ids=row_ids, user=user))


def return_explanation(*, explanation_id: int, user, reason: str) -> VarianceExplanation:
    return reviewed.return_row(
        model=VarianceExplanation, row_id=explanation_id, user=user, reason=reason
    )
