"""Writes of the ledger import and of the ledger code mapping, keyword-only and atomic.

The import (`preview_ledger_import`, `confirm_ledger_import`) has the shape of the
indicator import (indicators.services): the preview writes only an ImportRecord (of kind
"budget figures", with the file, so the confirmation needs no second upload and applies
exactly the bytes previewed). The confirmation locks the record, then the period,
refuses a closed one, plans the file again and writes only when the plan is valid and
still the one the user saw, all of it through budgets.services.write_figures, which also
refuses figures that leave a product over the threshold unexplained after the period's
explanations were submitted: then nothing is written and the record says why.

The mapping (`save_ledger_code`, `delete_ledger_code`) is kept by who may import.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.models import ImportKind, ImportRecord, ImportSource, ImportStatus, checksum_of
from imports.parsing import Problem
from imports.reading import MAX_FILE_BYTES, UnreadableFile, read_sheet, too_large_message
from measures.models import PeriodClosedError, ReportingPeriod, period_closed_error
from measures.services import lock_periods, require

from .ledger import LedgerPlan, plan_ledger
from .models import LedgerCode, Product, TaskField
from .services import FigureRowsError, explanations_sent, write_figures

IMPORT_PERMISSION = "budgets.import_budgetfigures"


@dataclass
class Outcome:
    record: ImportRecord
    plan: LedgerPlan | None = None
    problems: list[Problem] = field(default_factory=list)
    outdated: bool = False

    @property
    def applied(self) -> bool:
        return self.record.status == ImportStatus.APPLIED


class ImportNotPending(Exception):
    """The import was applied or refused already (a second click, an old page)."""


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


def preview_ledger_import(
    *, content: bytes, file_name: str, period: ReportingPeriod, user, source=ImportSource.PAGE
) -> Outcome:
    """What the file would change in `period`, recorded as a preview (or as refused, with
    every problem). Writes the record only."""
    require(user, IMPORT_PERMISSION)
    record = ImportRecord(
        organisation_id=period.programme.organisation_id,
        user=user,
        source=source,
        kind=ImportKind.BUDGET_FIGURES,
        programme=period.programme,
        period=period,
        file_name=file_name[:255],
        file_size=len(content),
        checksum=checksum_of(content),
    )
    try:
        if len(content) > MAX_FILE_BYTES:
            raise UnreadableFile(too_large_message())
        period.refuse_if_closed()
        plan = build_plan(content, period=period)
    except UnreadableFile as error:
        return _refused(record, [Problem(error.message)])
    except PeriodClosedError as error:
        return _refused(record, [Problem(" ".join(error.messages))])
    valid = plan.is_valid
    record.content = content if valid else None
    record.preview_digest = plan.digest
    _finish(record, ImportStatus.PREVIEW if valid else ImportStatus.REFUSED, plan)
    return Outcome(record, plan, plan.all_problems)


def confirm_ledger_import(*, record_id: int, user, expected_digest: str) -> Outcome:
    """Applies a previewed ledger import, all or nothing (module docstring)."""
    require(user, IMPORT_PERMISSION)
    with transaction.atomic():
        record = (
            ImportRecord.objects.select_for_update(of=("self",))
            .select_related("programme", "period")
            .get(pk=record_id, kind=ImportKind.BUDGET_FIGURES)
        )
        if not record.can_be_confirmed or record.period_id is None:
            raise ImportNotPending
        period = lock_periods([record.period_id])[record.period_id]
        if period.is_closed:
            record.content = None
            problems = [Problem(" ".join(period_closed_error(period.name).messages))]
            return _refused(record, problems)
        plan = build_plan(record.file_bytes(), period=period)
        if not plan.is_valid:
            record.content = None
            _finish(record, ImportStatus.REFUSED, plan)
            return Outcome(record, plan, plan.all_problems)
        if plan.digest != expected_digest:
            record.preview_digest = plan.digest
            _finish(record, ImportStatus.PREVIEW, plan)
            return Outcome(record, plan, outdated=True)
        try:
            with transaction.atomic():
                write_figures(period=period, user=user, rows=plan.figure_rows())
        except FigureRowsError as error:
            record.content = None
            return _refused(record, _row_problems(plan, error))
        except ValidationError as error:
            # Figures that leave a variance unexplained after submission, or a closed
            # period: nothing was written (the savepoint rolled back).
            record.content = None
            return _refused(record, [Problem(message) for message in error.messages])
        except IntegrityError:
            record.content = None
            return _refused(
                record,
                [
                    Problem(
                        _(
                            "Iemand anders wijzigde tegelijk dezelfde bedragen. Er is niets "
                            "geïmporteerd; probeer het opnieuw."
                        )
                    )
                ],
            )
        record.applied_at = timezone.now()
        record.changes = plan.change_log()
        _finish(record, ImportStatus.APPLIED, plan)
        return Outcome(record, plan)


def _row_problems(plan: LedgerPlan, error: FigureRowsError) -> list[Problem]:
    return [
        Problem(message, row=plan.rows[index].line)
        for index, errors in sorted(error.by_row.items())
        for messages in errors.values()
        for message in messages
    ]


def _refused(record: ImportRecord, problems: list[Problem]) -> Outcome:
    record.status = ImportStatus.REFUSED
    record.problems = [problem.as_dict() for problem in problems]
    record.full_clean()
    record.save()
    return Outcome(record, problems=problems)


def _finish(record: ImportRecord, status, plan: LedgerPlan) -> None:
    record.status = status
    record.problems = [problem.as_dict() for problem in plan.all_problems]
    record.counts = plan.counts()
    record.notices = list(plan.notices)
    record.full_clean()
    record.save()


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
