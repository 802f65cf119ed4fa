"""Writes that touch several models, each in one transaction, each checking the rules
that must hold whatever path the write takes (form, admin, import or shell).

Closed periods are refused here and again in the models (PeriodBoundModel and its
querysets), so code that skips the services still cannot change a closed period.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from notifications import notify

from .constants import UpdateState
from .models import (
    Assessment,
    AssessmentContent,
    AssessmentYear,
    Measure,
    MeasureUpdate,
    PeriodClosedError,
    Programme,
    ReportingPeriod,
    SavingsTask,
    TargetRevision,
    UpdateYear,
    YearFigures,
    YearTarget,
    refuse_if_closed,
)

__all__ = [
    "ConcurrentUpdateError",
    "PeriodClosedError",
    "approve_updates",
    "close_period",
    "ensure_period_open",
    "open_period",
    "return_update",
    "revise_target",
    "save_update",
    "submit_update",
]


def ensure_period_open(period: ReportingPeriod) -> None:
    """Refuse any change to a closed period; call before writing anything that belongs to it.

    Reads the period afresh, so a period closed since it was loaded is refused too.
    """
    refuse_if_closed(ReportingPeriod.objects.get(pk=period.pk))


def require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(_("U heeft geen toestemming voor deze handeling."))


class ConcurrentUpdateError(ValidationError):
    """Someone else saved the update since the form was opened; `current` is their version."""

    def __init__(self, current: MeasureUpdate):
        self.current = current
        who = (
            current.updated_by.get_full_name() or current.updated_by.username
            if current.updated_by
            else "?"
        )
        when = timezone.localtime(current.updated_at).strftime("%d-%m-%Y %H:%M")
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
    """A new period in which every active measure starts from its last approved values.

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
    return period


def _locked_update(update_id: int) -> MeasureUpdate:
    return (
        MeasureUpdate.objects.select_for_update(of=("self",))
        .select_related("measure", "period", "period__programme", "status", "updated_by")
        .get(pk=update_id)
    )


def claim_version(update: MeasureUpdate, expected_version: int | None) -> None:
    """Compare-and-set on the version: the one UPDATE that moves it on wins, whatever
    the database's locking, so two saves of the same version can never both succeed."""
    query = MeasureUpdate.objects.filter(pk=update.pk)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if query.update(version=F("version") + 1) != 1:
        raise ConcurrentUpdateError(
            MeasureUpdate.objects.select_related("updated_by", "status").get(pk=update.pk)
        )
    update.version = (expected_version or update.version) + 1


@transaction.atomic
def save_update(
    *, update_id: int, user, expected_version: int, content: dict, years: dict[int, dict]
) -> MeasureUpdate:
    """Store an owner's changes as a draft. Years whose figures are all empty are removed."""
    update = _locked_update(update_id)
    ensure_period_open(update.period)
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
    ensure_period_open(update.period)
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


@transaction.atomic
def approve_updates(*, update_ids: list[int], user) -> list[MeasureUpdate]:
    """Approve submitted updates and make them the period's approved state, all or none.

    Four eyes: nobody approves an update they submitted or last changed themselves.
    """
    require(user, "measures.approve_measureupdate")
    updates = list(
        MeasureUpdate.objects.select_for_update(of=("self",))
        .filter(pk__in=update_ids)
        .select_related("measure", "period", "status")
        .prefetch_related("years")
        .order_by("pk")
    )
    errors = []
    for update in updates:
        if update.period.is_closed:
            errors.append(_("%(m)s: het rapportagemoment is afgesloten.") % {"m": update.measure})
        elif update.state != UpdateState.SUBMITTED:
            errors.append(_("%(m)s: is niet ingediend.") % {"m": update.measure})
        elif user.pk in (update.submitted_by_id, update.updated_by_id):
            errors.append(
                _("%(m)s: een update die u zelf indiende of wijzigde, keurt een ander goed.")
                % {"m": update.measure}
            )
    if len(updates) != len(set(update_ids)):
        errors.append(_("Een of meer updates bestaan niet meer."))
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for update in updates:
        claim_version(update, None)
        assessment, _created = Assessment.objects.get_or_create(
            measure=update.measure, period=update.period
        )
        copy_content(update, assessment)
        assessment.approved_by, assessment.approved_at = user, now
        assessment._history_user = user
        assessment.save()
        for year in assessment.years.all():
            year._history_user = user
            year.delete()
        for year in copy_years(update.years.all(), assessment, AssessmentYear):
            year._history_user = user
            year.save()
        update.state = UpdateState.APPROVED
        update.return_reason = ""
        update.reviewed_by, update.reviewed_at = user, now
        update._history_user = user
        update.save()
    notify.updates_approved(updates)
    return updates


@transaction.atomic
def return_update(*, update_id: int, user, reason: str) -> MeasureUpdate:
    require(user, "measures.approve_measureupdate")
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom u de update terugstuurt.")})
    update = _locked_update(update_id)
    ensure_period_open(update.period)
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
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    refuse_if_closed(period)
    waiting = MeasureUpdate.objects.filter(period=period, state=UpdateState.SUBMITTED).count()
    if waiting:
        raise ValidationError(
            _("Er wachten nog %(count)s updates op goedkeuring; keur ze goed of stuur ze terug.")
            % {"count": waiting}
        )
    from .overview_data import freeze_overview

    period.frozen_overview = freeze_overview(period)
    period.is_closed = True
    period.closed_at, period.closed_by = timezone.now(), user
    period._history_user = user
    period.save()
    return period


@dataclass(frozen=True)
class NewAmount:
    euros: int | None
    is_pm: bool = False


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
    revision.full_clean()
    revision.save()
    target.amount = None if new.is_pm else new.euros
    if not is_task:
        target.is_pm = new.is_pm
    target.full_clean()
    target._history_user = user
    target._change_reason = f"{revision.decision_reference}: {revision.reason}"
    target.save()
    return revision
