"""Previewing and applying imports. Every attempt is recorded; an import is applied in
one transaction, all or nothing, with full_clean on every object it saves.

The preview changes no measure: it reads the file, plans and stores the record (with
the file, so the confirmation needs no second upload). The confirmation plans again
inside the transaction, with the reporting period locked, and applies only when the
plan is still valid and still the one that was previewed. It takes its locks in the
order of measures.services (the period shared, then the updates it approves, in
primary-key order), so it runs alongside owners who save; the statuses it sets are
approved through measures.services.approve, with four eyes, in the importer's name.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import services
from measures.models import Measure, MeasurePlan, MeasureUpdate, ReportingPeriod, YearTarget
from measures.services import approve, lock_periods, lock_updates, save_checked

from .models import ImportKind, ImportRecord, ImportSource, ImportStatus, checksum_of
from .parsing import Problem, parse_sheet
from .planning import Action, ImportPlan, RowPlan, plan_import
from .reading import MAX_FILE_BYTES, UnreadableFile, read_sheet, too_large_message


@dataclass
class Outcome:
    record: ImportRecord
    plan: ImportPlan | None = None
    problems: list[Problem] = field(default_factory=list)
    # The data changed between preview and confirmation: nothing applied, a new preview.
    outdated: bool = False

    @property
    def applied(self) -> bool:
        return self.record.status == ImportStatus.APPLIED


class ImportNotPending(Exception):
    """The import was applied or refused already (a second click, an old page)."""


@dataclass(frozen=True)
class Decision:
    """The council decision behind the targets an import changes."""

    reference: str
    decided_on: date
    reason: str = ""


class DecisionRequired(Exception):
    """The file changes existing targets and no decision was given: nothing is applied,
    and the import can be confirmed again with one."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


def build_plan(content: bytes, *, programme, period, user) -> ImportPlan:
    """Reads and plans a file for `user` to apply; raises UnreadableFile when it is no
    usable spreadsheet."""
    return plan_import(
        parse_sheet(read_sheet(content)), programme=programme, period=period, user=user
    )


def preview_import(
    *,
    content: bytes,
    file_name: str,
    programme,
    period: ReportingPeriod | None,
    user,
    source: ImportSource,
) -> Outcome:
    """What the file would change, recorded as a preview (or as refused, with every
    problem). Writes the record only."""
    record = ImportRecord(
        organisation_id=programme.organisation_id,
        user=user,
        source=source,
        programme=programme,
        period=period,
        file_name=file_name[:255],
        file_size=len(content),
        checksum=checksum_of(content),
    )
    try:
        if len(content) > MAX_FILE_BYTES:
            raise UnreadableFile(too_large_message())
        plan = build_plan(content, programme=programme, period=period, user=user)
    except UnreadableFile as error:
        problems = [Problem(error.message)]
        _finish(record, status=ImportStatus.REFUSED, problems=problems)
        return Outcome(record, problems=problems)
    valid = plan.is_valid
    record.content = content if valid else None
    record.preview_digest = plan.digest
    _finish(
        record,
        status=ImportStatus.PREVIEW if valid else ImportStatus.REFUSED,
        plan=plan,
        problems=plan.all_problems,
    )
    return Outcome(record, plan, plan.all_problems)


def confirm_import(
    *, record_id: int, user, expected_digest: str, decision: Decision | None = None
) -> Outcome:
    """Applies a previewed import, all or nothing.

    `expected_digest` is the digest of the plan the user saw. Nothing is applied when the
    plan is no longer valid (say the period closed) or no longer what they saw (someone
    changed a target meanwhile): the record then says so, and the caller shows the new
    state to confirm again. A file that changes existing targets needs the `decision`
    behind them (else DecisionRequired); each such change is recorded as a revision.
    """
    with transaction.atomic():
        record = (
            ImportRecord.objects.select_for_update(of=("self",))
            .select_related("programme", "period")
            .get(pk=record_id, kind=ImportKind.MEASURES)
        )
        if not record.can_be_confirmed:
            raise ImportNotPending
        if record.period_id:
            # Serialises with closing the period; the plan refuses a closed one.
            lock_periods([record.period_id])
        plan = build_plan(
            record.file_bytes(), programme=record.programme, period=record.period, user=user
        )
        if not plan.is_valid:
            record.content = None
            _finish(record, status=ImportStatus.REFUSED, plan=plan, problems=plan.all_problems)
            return Outcome(record, plan, plan.all_problems)
        if plan.digest != expected_digest:
            record.preview_digest = plan.digest
            _finish(record, status=ImportStatus.PREVIEW, plan=plan, problems=[])
            return Outcome(record, plan, outdated=True)
        if plan.revised_target_count and decision is None:
            raise DecisionRequired(plan.revised_target_count)
        _lock_updates_to_approve(plan)
        try:
            with transaction.atomic():
                _apply(plan, user, decision, record.file_name)
        except _Refused as refused:
            record.content = None
            _finish(record, status=ImportStatus.REFUSED, plan=plan, problems=refused.problems)
            return Outcome(record, plan, refused.problems)
        record.applied_at = timezone.now()
        record.changes = plan.change_log()
        _finish(record, status=ImportStatus.APPLIED, plan=plan, problems=[])
        return Outcome(record, plan)


def import_file(
    *,
    content: bytes,
    file_name: str,
    programme,
    period: ReportingPeriod | None,
    user,
    source: ImportSource,
    dry_run: bool,
    decision: Decision | None = None,
) -> Outcome:
    """Preview and, unless it is a dry run or something is wrong, apply at once."""
    outcome = preview_import(
        content=content,
        file_name=file_name,
        programme=programme,
        period=period,
        user=user,
        source=source,
    )
    if dry_run or outcome.record.status != ImportStatus.PREVIEW:
        return outcome
    return confirm_import(
        record_id=outcome.record.pk,
        user=user,
        expected_digest=outcome.record.preview_digest,
        decision=decision,
    )


def _finish(record: ImportRecord, *, status, plan: ImportPlan | None = None, problems) -> None:
    record.status = status
    record.problems = [problem.as_dict() for problem in problems]
    if plan is not None:
        record.unit = plan.parsed.unit or ""
        record.counts = plan.counts()
        record.notices = list(plan.parsed.notices)
    record.full_clean()
    record.save()


def _lock_updates_to_approve(plan: ImportPlan) -> None:
    """All at once and in primary-key order, as the lock order asks, before any is written."""
    measures = [row.measure for row in plan.rows if row.assessment_changes and row.measure]
    if measures:
        lock_updates(MeasureUpdate.objects.filter(period=plan.period, measure__in=measures))


def _apply(plan: ImportPlan, user, decision: Decision | None, file_name: str) -> None:
    """Writes the plan. Parents are saved before their sub-measures; unchanged rows are
    not saved at all, so a second import of the same file leaves no trace in the history."""
    programme = plan.programme
    new_plans = {}
    problems: list[Problem] = []
    for new_plan in plan.new_plans:
        measure_plan = MeasurePlan(
            programme=programme,
            name=new_plan.name,
            decision_reference=new_plan.decision_reference,
            first_year=programme.first_year,
            last_year=programme.last_year,
            order=new_plan.order,
        )
        try:
            save_checked(measure_plan, user)
        except ValidationError as error:
            problems.append(Problem(f"{new_plan.name}: {' '.join(error.messages)}"))
        new_plans[new_plan.name.lower()] = measure_plan
    if problems:
        raise _Refused(problems)
    saved: dict[int, Measure] = {}
    now = timezone.now()

    def revise(target: YearTarget, after) -> None:
        reason = decision.reason or _("Gewijzigd bij import van %(file)s") % {"file": file_name}
        try:
            services.revise_target(
                target=target,
                new=services.NewAmount(None if after.is_pm else after.euros, is_pm=after.is_pm),
                reason=reason,
                decision_reference=decision.reference,
                decided_on=decision.decided_on,
                user=user,
            )
        except PermissionDenied as error:
            raise ValidationError(str(error)) from None

    for row in sorted(plan.rows, key=lambda row: row.depth):
        if isinstance(row.parent, RowPlan) and id(row.parent) not in saved:
            continue  # its heading failed, and said so
        try:
            saved[id(row)] = _apply_row(row, plan, new_plans, saved, user, now, revise)
        except ValidationError as error:
            problems.append(Problem(" ".join(error.messages), row=row.row.line))
        except IntegrityError:
            raise _Refused(
                [
                    Problem(
                        _(
                            "Iemand anders wijzigde tegelijk dezelfde maatregelen. Er is niets "
                            "geïmporteerd; probeer het opnieuw."
                        )
                    )
                ]
            ) from None
    if problems:
        raise _Refused(problems)


def _apply_row(row: RowPlan, plan: ImportPlan, new_plans, saved, user, now, revise) -> Measure:
    measure = row.measure or Measure(programme=plan.programme)
    if row.action is Action.UNCHANGED:
        return measure
    measure.plan = new_plans[row.new_plan.name.lower()] if row.new_plan else row.plan
    measure.number = row.number
    for name, value in row.fields.items():
        setattr(measure, name, value)
    parent = row.parent
    measure.parent = saved[id(parent)] if isinstance(parent, RowPlan) else parent
    save_checked(measure, user)

    existing = {target.year: target for target in measure.targets.all()} if row.measure else {}
    for year, (_before, after) in sorted(row.target_changes.items()):
        target = existing.get(year)
        if after is None:
            target._history_user = user
            target.delete()
            continue
        if target is not None:
            revise(target, after)  # a council decision: the original is kept
            continue
        target = YearTarget(measure=measure, year=year)
        target.is_pm = after.is_pm
        target.amount = None if after.is_pm else after.euros
        save_checked(target, user)

    if row.assessment_changes:
        # The importing user approves the statuses the file brings, with four eyes.
        approve(measure=measure, period=plan.period, user=user, now=now, imported=row.assessment)
    return measure
