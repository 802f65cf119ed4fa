"""Writes of the ledger import and of the ledger code mapping, keyword-only and atomic.

The import (`preview_ledger_import`, `confirm_ledger_import`) is the preview and the
all-or-nothing confirmation of imports.period_import, with this app's plan
(budgets.ledger) and write: budgets.services.write_figures, which also refuses figures
that leave a product over the threshold unexplained after the period's explanations were
submitted; then nothing is written and the record says why.

The mapping (`save_ledger_code`, `delete_ledger_code`) is kept by who may import.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.models import ImportKind
from imports.parsing import Problem
from imports.period_import import PeriodImport, WriteRefused
from imports.reading import read_sheet
from measures.models import ReportingPeriod
from measures.services import require

from .ledger import LedgerPlan, plan_ledger
from .models import LedgerCode, Product, TaskField
from .services import FigureRowsError, explanations_sent, write_figures

IMPORT_PERMISSION = "budgets.import_budgetfigures"


def build_plan(content: bytes, *, period: ReportingPeriod) -> LedgerPlan:
    """Raises UnreadableFile when the content is no usable spreadsheet."""
    plan = plan_ledger(read_sheet(content), period=period)
    if plan.is_valid and explanations_sent(period):
        plan.notices.append(
            _(
                "De toelichtingen op de afwijkingen van %(period)s zijn al ingediend. De "
                "import wordt geweigerd als een product daarna boven de drempel afwijkt "
                "zonder toelichting."
            )
            % {"period": period.name}
        )
    return plan


def write_plan(*, period: ReportingPeriod, plan: LedgerPlan, user) -> None:
    """The plan's figures through budgets.services.write_figures; its refusals (a row, a
    variance left unexplained after submission) as problems at the file's lines."""
    try:
        write_figures(period=period, user=user, rows=plan.figure_rows())
    except FigureRowsError as error:
        raise WriteRefused(_row_problems(plan, error)) from error
    except ValidationError as error:
        raise WriteRefused([Problem(message) for message in error.messages]) from error


LEDGER_IMPORT = PeriodImport(
    kind=ImportKind.BUDGET_FIGURES,
    plan=build_plan,
    write=write_plan,
    conflict_message=gettext_lazy(
        "Iemand anders wijzigde tegelijk dezelfde bedragen. Er is niets geïmporteerd; "
        "probeer het opnieuw."
    ),
    permission=IMPORT_PERMISSION,
)
# What the file would change in a period, recorded as a preview; and its all-or-nothing
# confirmation (imports.period_import).
preview_ledger_import = LEDGER_IMPORT.preview
confirm_ledger_import = LEDGER_IMPORT.confirm


def _row_problems(plan: LedgerPlan, error: FigureRowsError) -> list[Problem]:
    return [
        Problem(message, row=plan.rows[index].line)
        for index, errors in sorted(error.by_row.items())
        for messages in errors.values()
        for message in messages
    ]


# -- The mapping of ledger codes ----------------------------------------------------


@transaction.atomic
def save_ledger_code(
    *,
    organisation,
    user,
    code: str,
    product: Product | None = None,
    task_field: TaskField | None = None,
    ledger_code_id: int | None = None,
) -> LedgerCode:
    """Add a ledger code of `organisation`, or change one; refused (ValidationError at
    the field) when the code is taken or names no product or taakveld, or a product of
    another organisation."""
    require(user, IMPORT_PERMISSION)
    if ledger_code_id is None:
        row = LedgerCode(organisation=organisation)
    else:
        row = LedgerCode.objects.select_for_update().get(
            pk=ledger_code_id, organisation=organisation
        )
    row.code = code.strip()
    row.product, row.task_field = product, task_field
    row._history_user = user
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def delete_ledger_code(*, organisation, user, ledger_code_id: int) -> None:
    require(user, IMPORT_PERMISSION)
    row = LedgerCode.objects.select_for_update().get(pk=ledger_code_id, organisation=organisation)
    row._history_user = user
    row.delete()
