"""Writes that touch several models, each in one transaction, each checking the rules
that must hold whatever path the write takes (form, admin, import or shell).

Closed periods are refused by the models (measures.models.PeriodBoundModel and its
queryset), whatever path a write takes; the services check the period again on its
locked row (below), so that a period cannot close between that check and the commit.

Four eyes live in `approval_refusal` and `approve`: every path that sets an approved
status goes through `approve` (Goedkeuren) or its bulk form `approve_imported` (the
import by page, admin, command and background job), which refuse, through
`approval_refusal`, whoever submitted or last changed the update, and an approval
without a user who may approve.

Bulk writes (`save_checked_in_bulk`, `approve_imported`, `revise_targets`) sit next to
their single forms and share their checks; they cost a fixed number of queries however
many rows they write, and keep a history row per row in the acting user's name.

Locks. Every write into a reporting period takes its locks in one order, so that writers
never deadlock each other and closing never slips between a check and a commit:

1. the period's row, first: FOR SHARE by every write into the period (`lock_periods`:
   saving, submitting, approving, sending back, importing), so that these run side by
   side; FOR NO KEY UPDATE by `close_period`, which so waits for the writes in progress,
   and makes the writes that come later wait and then find the period closed. Neither
   mode blocks the FOR KEY SHARE that PostgreSQL's foreign-key checks take on the period
   (FOR UPDATE would, and deadlocked imports against saves);
2. then the measure updates, FOR UPDATE, in primary-key order when there are several
   (`lock_updates`);
3. then whatever else the write changes: assessments, yearly figures, measures, targets.

Whether the period is closed is checked on the locked row, so the check holds until
the transaction ends. On SQLite, which locks the whole database for a write, step 1 is
a plain read.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from notifications import notify

from .audit import acting_user
from .constants import UpdateState
from .models import (
    Assessment,
    AssessmentContent,
    AssessmentYear,
    Measure,
    MeasureUpdate,
    PeriodBoundQuerySet,
    PeriodClosedError,
    Programme,
    ReportingPeriod,
    SavingsTask,
    TargetRevision,
    UpdateYear,
    YearFigures,
    YearTarget,
)
from .report_input import freeze_period

__all__ = [
    "ConcurrentUpdateError",
    "PeriodClosedError",
    "RowsInvalid",
    "approval_refusal",
    "approval_refusals",
    "approve",
    "approve_imported",
    "approve_updates",
    "close_period",
    "delete_in_bulk",
    "lock_periods",
    "lock_updates",
    "open_period",
    "reviewed_models",
    "return_update",
    "revise_target",
    "revise_targets",
    "save_checked",
    "save_checked_in_bulk",
    "save_update",
    "submit_update",
]


def lock_periods(period_ids) -> dict[int, ReportingPeriod]:
    """Step 1 of the lock order (module docstring): share-lock the periods a write goes
    into, in primary-key order, and return them as they are now. Refusing a closed one
    is the caller's, on the returned rows."""
    ids = set(period_ids)
    if not ids:
        return {}
    queryset = ReportingPeriod.objects.filter(pk__in=ids).order_by("pk")
    if connection.vendor == "postgresql":
        # The ORM has FOR UPDATE and FOR NO KEY UPDATE only; writers must not exclude
        # each other, just closing.
        sql, params = queryset.query.sql_with_params()
        queryset = ReportingPeriod.objects.raw(f"{sql} FOR SHARE", params)
    return {period.pk: period for period in queryset}


def lock_updates(updates) -> list[MeasureUpdate]:
    """Step 2 of the lock order: lock the given updates (a queryset), in primary-key
    order, after their periods."""
    return list(updates.select_for_update(of=("self",)).order_by("pk"))


def require(user, permission: str) -> None:
    if user is None or not user.has_perm(permission):
        raise PermissionDenied(_("U heeft geen toestemming voor deze handeling."))


class ConcurrentUpdateError(ValidationError):
    """Someone else saved the update since the form was opened; `current` is their version."""

    def __init__(self, current):
        self.current = current
        # The last write's own author, from the history: sending back or submitting moves
        # the version on without making that person the update's editor.
        last = current.history.select_related("history_user").order_by("-history_date").first()
        actor = last.history_user if last is not None else current.updated_by
        who = actor.get_full_name() or actor.username if actor else "?"
        when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")
        super().__init__(
            _(
                "%(who)s heeft deze update op %(when)s ook opgeslagen. Uw wijzigingen zijn niet "
                "opgeslagen; ze staan hieronder nog in het formulier. Vergelijk ze met de "
                "opgeslagen versie en sla opnieuw op."
            )
            % {"who": who, "when": when},
            code="concurrent_update",
        )


def copy_content(source: AssessmentContent, target: AssessmentContent) -> None:
    for name in AssessmentContent.CONTENT_FIELDS:
        setattr(target, name, getattr(source, name))


def copy_years(source_years, parent, model: type[YearFigures]) -> list[YearFigures]:
    return [
        model(
            parent=parent,
            year=year.year,
            **{n: getattr(year, n) for n in YearFigures.FIGURE_FIELDS},
        )
        for year in source_years
    ]


@transaction.atomic
def open_period(
    *, programme: Programme, name: str, kind: str, reference_date, deadline=None, user
) -> ReportingPeriod:
    """A new period in which every active measure starts from its last approved values,
    and so do the programme's texts and action points (chapters.services.carry_over).

    Each measure gets an approved assessment carried over from the previous period (so
    the overview shows the last approved state until new updates are approved) and a
    draft update holding the same values for its owner to change or submit unchanged.
    """
    require(user, "measures.add_reportingperiod")
    from .changes import previous_period

    period = ReportingPeriod(
        programme=programme, name=name, kind=kind, reference_date=reference_date, deadline=deadline
    )
    period.full_clean()
    period.save()
    previous = previous_period(period)
    carried = {}
    if previous is not None:
        carried = {
            a.measure_id: a
            for a in Assessment.objects.filter(period=previous).prefetch_related("years")
        }
    measures = Measure.objects.filter(
        programme=programme, is_withdrawn=False, children__isnull=True
    )
    assessments, updates = [], []
    for measure in measures:
        assessment = Assessment(measure=measure, period=period)
        # No updated_by: opening is not editing, and four eyes look at who edited.
        update = MeasureUpdate(measure=measure, period=period)
        base = carried.get(measure.pk)
        if base is not None:
            copy_content(base, assessment)
            copy_content(base, update)
            assessment.approved_by_id, assessment.approved_at = (
                base.approved_by_id,
                base.approved_at,
            )
        assessments.append(assessment)
        updates.append(update)
    bulk_create_with_history(assessments, Assessment, default_user=user)
    bulk_create_with_history(updates, MeasureUpdate, default_user=user)
    assessment_years, update_years = [], []
    for assessment, update in zip(assessments, updates, strict=True):
        base = carried.get(assessment.measure_id)
        if base is not None:
            assessment_years += copy_years(base.years.all(), assessment, AssessmentYear)
            update_years += copy_years(base.years.all(), update, UpdateYear)
    bulk_create_with_history(assessment_years, AssessmentYear, default_user=user)
    bulk_create_with_history(update_years, UpdateYear, default_user=user)
    # The chapter's texts and action points start from the previous period too. Imported
    # here: the chapters app builds on this one.
    from chapters.services import carry_over

    carry_over(period=period, previous=previous, user=user)
    return period


def _locked_update(update_id: int) -> MeasureUpdate:
    """The update to write, locked after its period (steps 1 and 2 of the lock order);
    refused when the period is closed."""
    period_id = MeasureUpdate.objects.values_list("period_id", flat=True).get(pk=update_id)
    lock_periods([period_id])[period_id].refuse_if_closed()
    [update] = lock_updates(
        MeasureUpdate.objects.filter(pk=update_id, period_id=period_id).select_related(
            "measure", "period", "period__programme", "status", "updated_by"
        )
    )
    return update


def claim_version(update, expected_version: int | None) -> None:
    """Compare-and-set on the version: the one UPDATE that moves it on wins, whatever
    the database's locking, so two saves of the same version can never both succeed.
    For a measure's update and every other row under four eyes (`reviewed_models`)."""
    model = type(update)
    query = model.objects.filter(pk=update.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if query.update(version=F("version") + 1) != 1:
        raise ConcurrentUpdateError(model.objects.select_related("updated_by").get(pk=update.pk))
    update.version = (expected_version or update.version) + 1


@transaction.atomic
def save_update(
    *, update_id: int, user, expected_version: int, content: dict, years: dict[int, dict]
) -> MeasureUpdate:
    """Store an owner's changes as a draft. Years whose figures are all empty are removed."""
    update = _locked_update(update_id)
    if not update.measure.can_be_updated_by(user):
        raise PermissionDenied(_("U mag deze maatregel niet bijwerken."))
    claim_version(update, expected_version)
    for name, value in content.items():
        setattr(update, name, value)
    update.state = UpdateState.DRAFT
    update.updated_by = user
    update.full_clean()
    update._history_user = user
    update.save()
    existing = {year.year: year for year in update.years.all()}
    for year, values in years.items():
        row = existing.get(year) or UpdateYear(parent=update, year=year)
        for name, value in values.items():
            setattr(row, name, value)
        row._history_user = user
        if row.is_empty:
            if row.pk:
                row.delete()
            continue
        row.full_clean()
        row.save()
    return update


def check_complete(update: MeasureUpdate) -> None:
    """A status that is not on course needs its cause, consequence and corrective action."""
    errors = {}
    if update.status_id is None:
        errors["status"] = _("Kies of de maatregel op koers is.")
    elif not update.status.counts_as_on_course:
        required = {
            "cause": _("Beschrijf de oorzaak: de maatregel is niet op koers."),
            "consequence": _("Beschrijf het gevolg: de maatregel is niet op koers."),
            "corrective_action": _("Beschrijf de bijsturing: de maatregel is niet op koers."),
        }
        errors.update(
            {name: msg for name, msg in required.items() if not getattr(update, name).strip()}
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_update(*, update_id: int, user, expected_version: int | None = None) -> MeasureUpdate:
    update = _locked_update(update_id)
    if not update.measure.can_be_updated_by(user):
        raise PermissionDenied(_("U mag deze maatregel niet bijwerken."))
    check_complete(update)
    claim_version(update, expected_version)
    update.state = UpdateState.SUBMITTED
    update.submitted_by, update.submitted_at = user, timezone.now()
    update._history_user = user
    update.save()
    notify.update_submitted(update)
    return update


def reviewed_models() -> list:
    """Every model whose rows go through four eyes: a measure's update, and the chapter's
    texts and action-point statuses (chapters.models). Each has a period, a `state`
    (UpdateState), a `version`, and who last changed and submitted it; each declares
    `four_eyes = True`. A period closes only when none of them waits for approval."""
    return [model for model in apps.get_models() if getattr(model, "four_eyes", False)]


def approval_refusal(*, update, user, changed: set[int] | None = None) -> str | None:
    """Why `user` may not approve a measure's state (or a text's, or an action point's)
    in a period, or None when they may.

    The four-eyes rule, for every path that approves: an approval is on the name of a
    real user who may approve, and nobody approves an update they submitted or changed
    themselves since it was last approved, even when someone else saved it after them.
    `update` is the row under four eyes in the period (None when it has none, as for a
    measure an import creates). `changed`, when given, is `changed_by(user, …)` read once
    for many rows (`approval_refusals`); without it the history is read for this row.
    """
    if user is None or not user.is_authenticated:
        return _("Goedkeuren kan alleen op naam van een gebruiker.")
    if not user.has_perm("measures.approve_measureupdate"):
        return _("U mag geen statussen goedkeuren.")
    if update is not None and (
        user.pk in (update.submitted_by_id, update.updated_by_id)
        or (
            changed_since_approval(update, user)
            if changed is None
            else update.pk is not None and update.pk in changed
        )
    ):
        return _("een update die u zelf indiende of wijzigde, keurt een ander goed.")
    return None


def approval_refusals(*, updates: dict, user) -> dict:
    """`approval_refusal` for many rows of one model at once: key -> refusal or None, for
    a dict of key -> update (or None). Two queries for the history, however many rows."""
    stored = [update for update in updates.values() if update is not None and update.pk]
    changed = set()
    if stored and user is not None and user.is_authenticated:
        changed = changed_by(user, [update.pk for update in stored], type(stored[0]))
    return {
        key: approval_refusal(update=update, user=user, changed=changed)
        for key, update in updates.items()
    }


def changed_since_approval(update, user) -> bool:
    """Whether `user` saved this update since its last approval (or since the period
    opened): its history keeps every save with who was its editor then."""
    return update.pk is not None and update.pk in changed_by(user, [update.pk], type(update))


def changed_by(user, update_ids, model=MeasureUpdate) -> set[int]:
    """Of these rows of `model` (a measure's update, or any of `reviewed_models`), those
    that `user` saved or submitted since their last approval: the ones four eyes keep
    them from approving. Two queries, however many rows."""
    history = model.history.filter(id__in=list(update_ids))
    approved_at = dict(
        history.filter(state=UpdateState.APPROVED)
        .order_by()
        .values("id")
        .annotate(last=Max("history_date"))
        .values_list("id", "last")
    )
    saves = history.filter(Q(updated_by_id=user.pk) | Q(submitted_by_id=user.pk)).values_list(
        "id", "history_date"
    )
    return {pk for pk, moment in saves if approved_at.get(pk) is None or moment > approved_at[pk]}


@transaction.atomic
def approve(
    *, measure: Measure, period: ReportingPeriod, user, now=None, imported: dict | None = None
) -> Assessment:
    """Make the approved state of a measure in a period: the one function that writes an
    approval, so that four eyes hold on every path.

    Without `imported`, the measure's submitted update becomes the approved state, yearly
    figures included (Goedkeuren). With it, the values an import brings (status,
    explanation) become the approved state, and the update follows them so that the
    owner's next update starts from them; an update that waits for approval is left
    alone, as the owner's newer word for Goedkeuren. Refused when the period is closed,
    when `approval_refusal` says so, or when there is no submitted update to approve.
    (Opening a period carries the previous approvals over unchanged, with their
    approver: that approves nothing new.)
    """
    now = now or timezone.now()
    lock_periods([period.pk])[period.pk].refuse_if_closed()
    updates = lock_updates(
        MeasureUpdate.objects.filter(measure=measure, period=period).prefetch_related("years")
    )
    update = updates[0] if updates else None
    submitted = update is not None and update.state == UpdateState.SUBMITTED
    refusal = approval_refusal(update=update, user=user)
    if refusal is None and imported is None and not submitted:
        refusal = _("is niet ingediend.")
    if refusal:
        raise ValidationError(
            _("%(m)s: %(refusal)s") % {"m": measure, "refusal": refusal}, code="not_approved"
        )

    assessment = Assessment.objects.filter(measure=measure, period=period).first()
    assessment = assessment or Assessment(measure=measure, period=period)
    if imported is None:
        copy_content(update, assessment)
    else:
        for name, value in imported.items():
            setattr(assessment, name, value)
    assessment.approved_by, assessment.approved_at = user, now
    save_checked(assessment, user)
    if imported is None:
        for year in assessment.years.all():
            year._history_user = user
            year.delete()
        for year in copy_years(update.years.all(), assessment, AssessmentYear):
            save_checked(year, user)
    elif submitted:
        return assessment

    update = update or MeasureUpdate(measure=measure, period=period)
    if update.pk:
        claim_version(update, update.version)
    for name, value in (imported or {}).items():
        setattr(update, name, value)
    update.state = UpdateState.APPROVED
    update.return_reason = ""
    update.reviewed_by, update.reviewed_at = user, now
    save_checked(update, user)
    return assessment


def save_checked(instance, user) -> None:
    """full_clean and save, with the history row in `user`'s name."""
    instance._history_user = user
    instance.full_clean()
    instance.save()


def delete_in_bulk(instances, user) -> None:
    """Delete rows of one model (stored, not period-bound) in `user`'s name. Their history
    rows are simple_history's, written on delete: one insert per row deleted."""
    instances = list(instances)
    if not instances:
        return
    model = type(instances[0])
    with acting_user(user):
        model._base_manager.filter(pk__in=[instance.pk for instance in instances]).delete()


class RowsInvalid(ValidationError):
    """What `save_checked_in_bulk` refused, before writing anything: `failures` holds
    (instance, ValidationError) for each row that did not pass."""

    def __init__(self, failures: list):
        self.failures = failures
        super().__init__([message for _row, error in failures for message in error.messages])


def clean_in_bulk(instance) -> None:
    """full_clean without the checks that cost a query per row: that each foreign key
    exists (bulk callers pass rows they read or create themselves), uniqueness and
    constraints (the database holds those; a violation undoes the whole transaction).
    The model's own clean() runs, so it must find its related objects already loaded."""
    relations = [field.name for field in type(instance)._meta.concrete_fields if field.is_relation]
    instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)


def save_checked_in_bulk(instances, user, *, fields, change_reason: str = "") -> None:
    """`save_checked` for many rows of one model, in a number of queries that does not
    grow with the rows (beyond the database's batches): every row is checked first
    (`clean_in_bulk`) and all failures are raised together (RowsInvalid) before anything
    is written; then new rows are created and stored ones updated (their `fields`), each
    with a history row in `user`'s name. Call it inside a transaction, after the locks.

    The history rows of updated rows hold the values of the instances given, as
    simple_history's bulk_update_with_history does (not a re-read, as
    measures.audit.HistoriedQuerySet.update does): callers pass rows they read in the
    same transaction, after its locks."""
    instances = list(instances)
    if not instances:
        return
    failures = []
    for instance in instances:
        try:
            clean_in_bulk(instance)
        except ValidationError as error:
            failures.append((instance, error))
    if failures:
        raise RowsInvalid(failures)
    model = type(instances[0])
    new = [instance for instance in instances if instance.pk is None]
    stored = [instance for instance in instances if instance.pk is not None]
    if new:
        bulk_create_with_history(new, model, default_user=user, default_change_reason=change_reason)
    if not stored:
        return
    _update_in_bulk(stored, model, fields)
    get_history_manager_for_model(model).bulk_history_create(
        stored, update=True, default_user=user, default_change_reason=change_reason
    )


def _update_in_bulk(stored: list, model, fields) -> None:
    """The UPDATE of `save_checked_in_bulk`, with the history left to it: a field that
    all rows get the same value of (who approved, when) is set in one plain UPDATE, the
    others with bulk_update's CASE, whose cost grows with rows times fields. Through a
    plain queryset, as HistoriedQuerySet would record each UPDATE once more; its guard
    of closed periods is asked here once."""
    ids = [instance.pk for instance in stored]
    if issubclass(model._base_manager._queryset_class, PeriodBoundQuerySet):
        model._base_manager.filter(pk__in=ids).refuse_if_closed()
    plain = models.QuerySet(model)
    same, varying = {}, []
    for name in fields:
        attname = model._meta.get_field(name).attname
        values = {getattr(instance, attname) for instance in stored}
        if len(values) == 1:
            same[attname] = values.pop()
        else:
            varying.append(name)
    if same:
        plain.filter(pk__in=ids).update(**same)
    if varying:
        plain.bulk_update(stored, varying)


@transaction.atomic
def approve_imported(
    *, period: ReportingPeriod, user, imported: dict[Measure, dict], now=None
) -> list[Assessment]:
    """`approve` with `imported` for many measures at once (an import's statuses and
    explanations), in a fixed number of queries: the same rules, refusals and writes.

    The period is share-locked and refused when closed, the measures' updates locked in
    primary-key order; every refusal is collected and raised together before anything is
    written. The measures are saved (they may be new, from the same import) and need their
    `programme` loaded; the values are instances (a status is a StatusLevel)."""
    if not imported:
        return []
    now = now or timezone.now()
    lock_periods([period.pk])[period.pk].refuse_if_closed()
    measures = list(imported)
    locked = lock_updates(MeasureUpdate.objects.filter(measure__in=measures, period=period))
    updates = {update.measure_id: update for update in locked}
    refusals = approval_refusals(
        updates={measure.pk: updates.get(measure.pk) for measure in measures}, user=user
    )
    errors = [
        _("%(m)s: %(refusal)s") % {"m": measure, "refusal": refusals[measure.pk]}
        for measure in measures
        if refusals[measure.pk]
    ]
    if errors:
        raise ValidationError(errors, code="not_approved")

    stored = {
        assessment.measure_id: assessment
        for assessment in Assessment.objects.filter(
            measure__in=measures, period=period
        ).select_related("status")
    }
    assessments, changed_updates = [], []
    for measure in measures:
        values = imported[measure]
        assessment = stored.get(measure.pk) or Assessment(period=period)
        assessment.measure, assessment.period = measure, period
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.approved_by, assessment.approved_at = user, now
        assessments.append(assessment)
        update = updates.get(measure.pk)
        if update is not None and update.state == UpdateState.SUBMITTED:
            continue  # the owner's newer word, left for Goedkeuren (as `approve` does)
        update = update or MeasureUpdate(period=period)
        update.measure, update.period = measure, period
        if update.pk:
            update.version += 1  # locked above: claim_version's compare-and-set holds
        for name, value in values.items():
            setattr(update, name, value)
        update.state = UpdateState.APPROVED
        update.return_reason = ""
        update.reviewed_by, update.reviewed_at = user, now
        update.updated_at = now  # auto_now, which a bulk update does not apply
        changed_updates.append(update)
    names = sorted({name for values in imported.values() for name in values})
    save_checked_in_bulk(assessments, user, fields=[*names, "approved_by", "approved_at"])
    save_checked_in_bulk(
        changed_updates,
        user,
        fields=[
            *names,
            "version",
            "state",
            "return_reason",
            "reviewed_by",
            "reviewed_at",
            "updated_at",
        ],
    )
    return assessments


@transaction.atomic
def approve_updates(*, update_ids: list[int], user) -> list[MeasureUpdate]:
    """Approve submitted updates and make them the period's approved state, all or none.

    Each goes through `approve`; what it refuses is collected, so that every problem is
    reported at once, and then nothing is kept.
    """
    require(user, "measures.approve_measureupdate")
    lock_periods(
        MeasureUpdate.objects.filter(pk__in=update_ids).values_list("period_id", flat=True)
    )
    updates = lock_updates(
        MeasureUpdate.objects.filter(pk__in=update_ids).select_related("measure", "period")
    )
    errors = []
    if len(updates) != len(set(update_ids)):
        errors.append(_("Een of meer updates bestaan niet meer."))
    now = timezone.now()
    for update in updates:
        try:
            approve(measure=update.measure, period=update.period, user=user, now=now)
        except ValidationError as error:
            errors += [message for message in error.messages if message not in errors]
    if errors:
        raise ValidationError(errors)
    for update in updates:
        update.refresh_from_db()
    notify.updates_approved(updates)
    return updates


@transaction.atomic
def return_update(*, update_id: int, user, reason: str) -> MeasureUpdate:
    require(user, "measures.approve_measureupdate")
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom u de update terugstuurt.")})
    update = _locked_update(update_id)
    if update.state not in (UpdateState.SUBMITTED, UpdateState.APPROVED):
        raise ValidationError(_("Alleen een ingediende of goedgekeurde update kan terug."))
    claim_version(update, None)
    update.state = UpdateState.RETURNED
    update.return_reason = reason.strip()
    update.reviewed_by, update.reviewed_at = user, timezone.now()
    update._history_user = user
    update.save()
    notify.update_returned(update)
    return update


@transaction.atomic
def close_period(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Close a period: its approved state is frozen as reported and nothing changes after.

    Refused while updates still wait for approval, so nothing submitted is silently left out.
    """
    require(user, "measures.close_reportingperiod")
    # Step 1 of the lock order, exclusive of the writers' FOR SHARE (module docstring).
    period = ReportingPeriod.objects.select_for_update(no_key=True).get(pk=period.pk)
    period.refuse_if_closed()
    waiting = sum(
        model.objects.filter(period=period, state=UpdateState.SUBMITTED).count()
        for model in reviewed_models()
    )
    if waiting:
        raise ValidationError(
            _("Er wachten nog %(count)s updates op goedkeuring; keur ze goed of stuur ze terug.")
            % {"count": waiting}
        )
    period.frozen_report = freeze_period(period)
    period.is_closed = True
    period.closed_at, period.closed_by = timezone.now(), user
    period._history_user = user
    period.save()
    return period


@dataclass(frozen=True)
class NewAmount:
    euros: int | None
    is_pm: bool = False


def _revision(
    target: YearTarget | SavingsTask,
    new: NewAmount,
    *,
    reason: str,
    decision_reference: str,
    decided_on,
    user,
) -> TargetRevision:
    """The revision that changes `target` to `new`, checked, with the target changed to
    match (neither saved): what `revise_target` and `revise_targets` write."""
    is_task = isinstance(target, SavingsTask)
    if is_task and new.is_pm:
        raise ValidationError(
            {"new_amount": _("De taakstelling van een programma kan geen PM zijn.")}
        )
    revision = TargetRevision(
        year_target=None if is_task else target,
        savings_task=target if is_task else None,
        previous_amount=target.amount,
        previous_is_pm=False if is_task else target.is_pm,
        new_amount=new.euros,
        new_is_pm=new.is_pm,
        reason=reason.strip(),
        decision_reference=decision_reference.strip(),
        decided_on=decided_on,
        created_by=user,
    )
    clean_in_bulk(revision)
    target.amount = None if new.is_pm else new.euros
    if not is_task:
        target.is_pm = new.is_pm
    # The history's change reason holds 100 characters; the revision keeps the whole reason.
    target._change_reason = f"{revision.decision_reference}: {revision.reason}"[:100]
    return revision


@transaction.atomic
def revise_target(
    *,
    target: YearTarget | SavingsTask,
    new: NewAmount,
    reason: str,
    decision_reference: str,
    decided_on,
    user,
) -> TargetRevision:
    """Change a target by council decision, keeping the old amount in a revision."""
    require(user, "measures.add_targetrevision")
    revision = _revision(
        target,
        new,
        reason=reason,
        decision_reference=decision_reference,
        decided_on=decided_on,
        user=user,
    )
    revision.full_clean()
    revision.save()
    target.full_clean()
    target._history_user = user
    target.save()
    return revision


@transaction.atomic
def revise_targets(
    *,
    changes: list[tuple[YearTarget, NewAmount]],
    reason: str,
    decision_reference: str,
    decided_on,
    user,
) -> list[TargetRevision]:
    """`revise_target` for many measures' targets under one decision, in a fixed number
    of queries; all or nothing (RowsInvalid names each target that failed)."""
    require(user, "measures.add_targetrevision")
    revisions, failures = [], []
    for target, new in changes:
        try:
            revisions.append(
                _revision(
                    target,
                    new,
                    reason=reason,
                    decision_reference=decision_reference,
                    decided_on=decided_on,
                    user=user,
                )
            )
        except ValidationError as error:
            failures.append((target, error))
    if failures:
        raise RowsInvalid(failures)
    save_checked_in_bulk(
        [target for target, _new in changes],
        user,
        fields=["amount", "is_pm"],
    )
    TargetRevision.objects.bulk_create(revisions)
    return revisions
