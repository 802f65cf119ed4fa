"""Previewing and applying imports. Every attempt is recorded; an import is applied in
one transaction, all or nothing, with full_clean on every object it saves.

The preview changes no measure: it reads the file, plans and stores the record (with
the file, so the confirmation needs no second upload). The confirmation (run as a
background job by the page: imports.tasks) reads and plans the file before it takes any
lock, then plans again from the rows it read inside the transaction, with the reporting
period locked, and applies only when the plan is still valid and still the one that was
previewed, writing in bulk through measures.services. It takes its locks in the order of
measures.services (the period shared, then the updates it approves, in primary-key
order), so it runs alongside owners who save; the statuses it sets are approved through
measures.services.approve_imported, with four eyes, in the importer's name.
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import services
from measures.models import (
    Measure,
    MeasurePlan,
    MeasureUpdate,
    ReportingPeriod,
    YearTarget,
    natural_sort_key,
)
from measures.services import RowsInvalid, lock_periods, lock_updates

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
    *,
    record_id: int,
    user,
    expected_digest: str,
    decision: Decision | None = None,
    progress=None,
) -> Outcome:
    """Applies a previewed import, all or nothing.

    `expected_digest` is the digest of the plan the user saw. Nothing is applied when the
    plan is no longer valid (say the period closed) or no longer what they saw (someone
    changed a target meanwhile): the record then says so, and the caller shows the new
    state to confirm again. A file that changes existing targets needs the `decision`
    behind them (else DecisionRequired); each such change is recorded as a revision.

    The file is read, planned and checked before any lock is taken (a fixed number of
    queries, whatever its length); only then are the record and the period locked, the
    plan made again from the rows already read (the data may have changed meanwhile) and,
    when it is still the one previewed, written in bulk. `progress(done, total, label)`,
    when given, hears each of these steps.
    """
    steps = 3

    def step(done: int, label: str) -> None:
        if progress is not None:
            progress(done, steps, label)

    record = ImportRecord.objects.select_related("programme", "period", "period__programme").get(
        pk=record_id, kind=ImportKind.MEASURES
    )
    if not record.can_be_confirmed:
        raise ImportNotPending
    step(0, _("Bestand lezen"))
    parsed = parse_sheet(read_sheet(record.file_bytes()))
    step(1, _("Controleren"))
    plan = plan_import(parsed, programme=record.programme, period=record.period, user=user)
    if plan.is_valid and plan.digest == expected_digest:
        if plan.revised_target_count and decision is None:
            raise DecisionRequired(plan.revised_target_count)
        step(2, _("Opslaan"))
    with transaction.atomic():
        record = (
            ImportRecord.objects.select_for_update(of=("self",))
            .select_related("programme", "period", "period__programme")
            .get(pk=record_id, kind=ImportKind.MEASURES)
        )
        if not record.can_be_confirmed:
            raise ImportNotPending
        if plan.is_valid and plan.digest == expected_digest:
            if record.period_id:
                # Serialises with closing the period; the plan refuses a closed one.
                lock_periods([record.period_id])
            # Made again from the rows already read: what changed since the first plan.
            plan = plan_import(parsed, programme=record.programme, period=record.period, user=user)
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
    step(steps, _("Klaar"))
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


# The fields of a measure an import sets (imports.planning: RowPlan.fields and the rest).
MEASURE_FIELDS = ["plan", "number", "sort_key", "title", "parent", "domain", "owner"]

CONCURRENT = _(
    "Iemand anders wijzigde tegelijk dezelfde maatregelen. Er is niets geïmporteerd; "
    "probeer het opnieuw."
)


def _apply(plan: ImportPlan, user, decision: Decision | None, file_name: str) -> None:
    """Writes the plan in bulk, through measures.services, in a number of queries that
    does not grow with the rows: new plans, then the measures a level at a time (headings
    before their sub-measures), their targets, and the statuses they are given. Unchanged
    rows are not saved at all, so a second import of the same file leaves no trace in the
    history. Any row the models refuse refuses the whole import (_Refused)."""
    try:
        _write(plan, user, decision, file_name)
    except IntegrityError:
        raise _Refused([Problem(CONCURRENT)]) from None


def _write(plan: ImportPlan, user, decision: Decision | None, file_name: str) -> None:
    programme = plan.programme
    new_plans = {
        new_plan.name.lower(): MeasurePlan(
            programme=programme,
            name=new_plan.name,
            decision_reference=new_plan.decision_reference,
            first_year=programme.first_year,
            last_year=programme.last_year,
            order=new_plan.order,
        )
        for new_plan in plan.new_plans
    }
    try:
        services.save_checked_in_bulk(new_plans.values(), user, fields=[])
    except RowsInvalid as invalid:
        raise _Refused(
            [
                Problem(f"{made.name}: {' '.join(error.messages)}")
                for made, error in invalid.failures
            ]
        ) from None

    saved: dict[int, Measure] = {}
    written: list[tuple[RowPlan, Measure]] = []
    rows = sorted(plan.rows, key=lambda row: row.depth)
    attnames = {name: Measure._meta.get_field(name).attname for name in MEASURE_FIELDS}
    for _depth, level in groupby(rows, key=lambda row: row.depth):
        batch, changed = [], set()
        for row in level:
            measure = row.measure or Measure()
            saved[id(row)] = measure
            if row.action is Action.UNCHANGED:
                continue
            before = {name: getattr(measure, attname) for name, attname in attnames.items()}
            measure.programme = programme
            measure.plan = new_plans[row.new_plan.name.lower()] if row.new_plan else row.plan
            measure.number = row.number
            measure.sort_key = natural_sort_key(row.number)  # as Measure.save does
            for name, value in row.fields.items():
                setattr(measure, name, value)
            parent = row.parent
            measure.parent = saved[id(parent)] if isinstance(parent, RowPlan) else parent
            changed.update(
                name
                for name, attname in attnames.items()
                if getattr(measure, attname) != before[name]
            )
            batch.append((row, measure))
        # Only what changes is written (bulk_update's cost grows with rows times fields).
        _save_rows(batch, user, fields=sorted(changed))
        written += batch

    _write_targets(written, user, decision, file_name)
    imported = {measure: row.assessment for row, measure in written if row.assessment_changes}
    if imported:
        # The importing user approves the statuses the file brings, with four eyes.
        try:
            services.approve_imported(
                period=plan.period, user=user, imported=imported, now=timezone.now()
            )
        except ValidationError as error:
            raise _Refused([Problem(message) for message in error.messages]) from None


def _write_targets(written, user, decision: Decision | None, file_name: str) -> None:
    new_targets, revised, removed = [], [], []
    for row, measure in written:
        existing = {target.year: target for target in measure.targets.all()} if row.measure else {}
        for year, (_before, after) in sorted(row.target_changes.items()):
            target = existing.get(year)
            if after is None:
                removed.append(target)
            elif target is not None:
                # A council decision: the original is kept in a revision.
                new = services.NewAmount(None if after.is_pm else after.euros, is_pm=after.is_pm)
                revised.append((row, target, new))
            else:
                target = YearTarget(measure=measure, year=year, is_pm=after.is_pm)
                target.amount = None if after.is_pm else after.euros
                new_targets.append((row, target))
    services.delete_in_bulk(removed, user)
    if revised:
        reason = decision.reason or _("Gewijzigd bij import van %(file)s") % {"file": file_name}
        rows = {id(target): row for row, target, _new in revised}
        try:
            services.revise_targets(
                changes=[(target, new) for _row, target, new in revised],
                reason=reason,
                decision_reference=decision.reference,
                decided_on=decision.decided_on,
                user=user,
            )
        except PermissionDenied as error:
            raise _Refused([Problem(str(error))]) from None
        except RowsInvalid as invalid:
            raise _Refused(
                [
                    Problem(" ".join(error.messages), row=rows[id(target)].row.line)
                    for target, error in invalid.failures
                ]
            ) from None
    _save_rows(new_targets, user, fields=[])


def _save_rows(batch: list[tuple[RowPlan, object]], user, *, fields) -> None:
    """Saves the rows' objects in bulk; what the models refuse, at the file's row."""
    try:
        services.save_checked_in_bulk([made for _row, made in batch], user, fields=fields)
    except RowsInvalid as invalid:
        rows = {id(made): row for row, made in batch}
        raise _Refused(
            [
                Problem(" ".join(error.messages), row=rows[id(made)].row.line)
                for made, error in invalid.failures
            ]
        ) from None
