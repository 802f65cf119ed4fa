"""A file imported into one reporting period (indicator values, budget figures from the
ledger): the one place of its preview and its all-or-nothing confirmation.

- The preview writes only an ImportRecord of the import's kind, with the file, so that
  the confirmation needs no second upload and applies exactly the bytes previewed.
- The confirmation locks the record, then the period (measures.services.lock_periods),
  refuses a closed one, plans the stored file again and writes only when the plan is
  valid and still the one the user saw (its digest); the write runs in a savepoint, so a
  refusal leaves nothing behind, and the record says why.

An import names its kind, how a file becomes a plan (which raises UnreadableFile for no
usable spreadsheet) and how a valid plan is written (which raises WriteRefused with the
problems, or IntegrityError when someone else wrote the same rows at the same time). A
plan has `is_valid`, `digest`, `all_problems`, `notices`, `counts()` and `change_log()`
(indicators.importing.ValuesPlan, budgets.ledger.LedgerPlan).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

from measures.models import PeriodClosedError, ReportingPeriod, period_closed_error
from measures.services import lock_periods, require

from .models import ImportRecord, ImportSource, ImportStatus, checksum_of
from .parsing import Problem
from .reading import MAX_FILE_BYTES, UnreadableFile, too_large_message


@dataclass
class Outcome:
    record: ImportRecord
    plan: Any = None
    problems: list[Problem] = field(default_factory=list)
    outdated: bool = False

    @property
    def applied(self) -> bool:
        return self.record.status == ImportStatus.APPLIED


class ImportNotPending(Exception):
    """The import was applied or refused already (a second click, an old page)."""


class WriteRefused(Exception):
    """The write refused the plan (nothing was written), with the problems to show."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class PeriodImport:
    kind: str
    plan: Callable[..., Any]  # (content: bytes, *, period) -> plan
    write: Callable[..., None]  # (*, period, plan, user) -> None
    # Said when someone else changed the same rows at the same moment.
    conflict_message: str | Promise
    # Checked on both steps when set; else the caller checked who may import.
    permission: str | None = None

    def preview(
        self,
        *,
        content: bytes,
        file_name: str,
        period: ReportingPeriod,
        user,
        source=ImportSource.PAGE,
    ) -> Outcome:
        """What the file would change in `period`, recorded as a preview (or as refused,
        with every problem). Writes the record only."""
        if self.permission:
            require(user, self.permission)
        record = ImportRecord(
            organisation_id=period.programme.organisation_id,
            user=user,
            source=source,
            kind=self.kind,
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
            plan = self.plan(content, period=period)
        except UnreadableFile as error:
            return refused(record, [Problem(error.message)])
        except PeriodClosedError as error:
            return refused(record, [Problem(" ".join(error.messages))])
        valid = plan.is_valid
        record.content = content if valid else None
        record.preview_digest = plan.digest
        finish(record, ImportStatus.PREVIEW if valid else ImportStatus.REFUSED, plan)
        return Outcome(record, plan, plan.all_problems)

    def confirm(self, *, record_id: int, user, expected_digest: str) -> Outcome:
        """Applies a previewed import, all or nothing (the module's docstring)."""
        if self.permission:
            require(user, self.permission)
        with transaction.atomic():
            record = (
                ImportRecord.objects.select_for_update(of=("self",))
                .select_related("programme", "period")
                .get(pk=record_id, kind=self.kind)
            )
            if not record.can_be_confirmed or record.period_id is None:
                raise ImportNotPending
            period = lock_periods([record.period_id])[record.period_id]
            if period.is_closed:
                record.content = None
                problems = [Problem(" ".join(period_closed_error(period.name).messages))]
                return refused(record, problems)
            plan = self.plan(record.file_bytes(), period=period)
            if not plan.is_valid:
                record.content = None
                finish(record, ImportStatus.REFUSED, plan)
                return Outcome(record, plan, plan.all_problems)
            if plan.digest != expected_digest:
                record.preview_digest = plan.digest
                finish(record, ImportStatus.PREVIEW, plan)
                return Outcome(record, plan, outdated=True)
            try:
                with transaction.atomic():
                    self.write(period=period, plan=plan, user=user)
            except WriteRefused as error:
                record.content = None
                return refused(record, error.problems)
            except IntegrityError:
                record.content = None
                return refused(record, [Problem(str(self.conflict_message))])
            record.applied_at = timezone.now()
            record.changes = plan.change_log()
            finish(record, ImportStatus.APPLIED, plan)
            return Outcome(record, plan)


def refused(record: ImportRecord, problems: list[Problem]) -> Outcome:
    record.status = ImportStatus.REFUSED
    record.problems = [problem.as_dict() for problem in problems]
    record.full_clean()
    record.save()
    return Outcome(record, problems=problems)


def finish(record: ImportRecord, status, plan) -> None:
    record.status = status
    record.problems = [problem.as_dict() for problem in plan.all_problems]
    record.counts = plan.counts()
    record.notices = list(plan.notices)
    record.full_clean()
    record.save()
