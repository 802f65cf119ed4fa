"""Writes of the chapter's rows under four eyes (texts per period and action points'
statuses), keyword-only and atomic, with the rules of measures.services:

- the same lock order (the period's row shared first, then the row itself), and the
  closed-period check on the locked period;
- the same compare-and-set on `version` (measures.services.claim_version), so that two
  people saving the same text at once are told, not overwritten;
- the same four eyes: `approve_rows` asks measures.services.approval_refusal, the one
  place that says who may approve what; whoever submitted or changed a row since it was
  last approved does not approve it.

`carry_over` starts a new period's rows from the previous period's approved copies;
measures.services.open_period calls it.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from measures.constants import UpdateState
from measures.services import approval_refusal, claim_version, lock_periods, require

from . import body
from .models import ActionPoint, ActionPointStatus, Reviewed, Text, TextVersion

CAN_APPROVE = "measures.approve_measureupdate"


def carry_over(*, period, previous, user) -> None:
    """Every text and action point of the period's programme gets its row in the new
    period, starting from the previous period's approved copy (or empty): approved as
    it was, and as a draft for its writer to change or submit unchanged."""
    programme_id = period.programme_id
    before = {}
    if previous is not None:
        before = {
            (type(row), row.subject_id): row
            for model in (TextVersion, ActionPointStatus)
            for row in model.objects.filter(period=previous)
        }
    versions = []
    for text in Text.objects.filter(programme_id=programme_id):
        base = before.get((TextVersion, text.pk))
        if base is not None and not base.is_approved:
            base = None
        heading = base.approved_heading if base else text.heading
        content = base.approved_body if base else ""
        versions.append(
            TextVersion(
                text=text,
                period=period,
                heading=heading,
                body=content,
                approved_heading=heading if base else "",
                approved_body=content,
                approved_at=base.approved_at if base else None,
                approved_by_id=base.approved_by_id if base else None,
            )
        )
    statuses = []
    for point in ActionPoint.objects.filter(programme_id=programme_id):
        base = before.get((ActionPointStatus, point.pk))
        statuses.append(
            ActionPointStatus(
                action_point=point,
                period=period,
                status_id=base.approved_status_id if base else None,
                explanation=base.approved_explanation if base else "",
                approved_status_id=base.approved_status_id if base else None,
                approved_explanation=base.approved_explanation if base else "",
                approved_at=base.approved_at if base else None,
                approved_by_id=base.approved_by_id if base else None,
            )
        )
    bulk_create_with_history(versions, TextVersion, default_user=user)
    bulk_create_with_history(statuses, ActionPointStatus, default_user=user)


def row_for(model: type[Reviewed], *, subject, period, user) -> Reviewed:
    """The subject's row in an open period, made when the subject is newer than the
    period (a text added after opening)."""
    link = model.subject_link
    row = model.objects.filter(**{link: subject, "period": period}).first()
    if row is None:
        lock_periods([period.pk])[period.pk].refuse_if_closed()
        row = model(**{link: subject, "period": period})
        if model is TextVersion:
            row.heading = subject.heading
        row._history_user = user
        row.full_clean()
        row.save()
    return row


def locked_row(model: type[Reviewed], row_id: int) -> Reviewed:
    """The row, locked after its period (the lock order of measures.services); refused
    when the period is closed."""
    period_id = model.objects.values_list("period_id", flat=True).get(pk=row_id)
    lock_periods([period_id])[period_id].refuse_if_closed()
    related = ["period", "period__programme"] + ([model.subject_link] if model.subject_link else [])
    [row] = (
        model.objects.filter(pk=row_id, period_id=period_id)
        .select_related(*related)
        .select_for_update(of=("self",))
    )
    return row


def _may_write(row: Reviewed, user) -> None:
    if not row.subject.can_be_updated_by(user):
        raise PermissionDenied(_("U mag dit onderdeel niet bijwerken."))


def check_complete(row: Reviewed) -> None:
    """What a row needs before it can be submitted (each model's `incomplete`)."""
    errors = row.incomplete()
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_row(
    *, model: type[Reviewed], row_id: int, user, expected_version: int, content: dict
) -> Reviewed:
    """Store a writer's changes as a draft (`content`: the model's CONTENT_FIELDS)."""
    row = locked_row(model, row_id)
    _may_write(row, user)
    claim_version(row, expected_version)
    for name in model.CONTENT_FIELDS:
        if name in content:
            setattr(row, name, content[name])
    if model is TextVersion:
        row.body = body.normalised(row.body)
        row.heading = row.heading.strip()
    row.state = UpdateState.DRAFT
    row.updated_by = user
    row._history_user = user
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def submit_row(*, model: type[Reviewed], row_id: int, user, expected_version=None) -> Reviewed:
    row = locked_row(model, row_id)
    _may_write(row, user)
    check_complete(row)
    claim_version(row, expected_version)
    row.state = UpdateState.SUBMITTED
    row.submitted_by, row.submitted_at = user, timezone.now()
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def approve_rows(*, model: type[Reviewed], row_ids: list[int], user) -> list[Reviewed]:
    """Approve submitted rows: their working copy becomes the approved copy, all or none;
    every refusal is reported at once."""
    require(user, CAN_APPROVE)
    rows = [locked_row(model, row_id) for row_id in sorted(set(row_ids))]
    errors = []
    now = timezone.now()
    for row in rows:
        refusal = approval_refusal(update=row, user=user)
        if refusal is None and row.state != UpdateState.SUBMITTED:
            refusal = _("is niet ingediend.")
        if refusal:
            errors.append(_("%(m)s: %(refusal)s") % {"m": row.subject, "refusal": refusal})
    if errors:
        raise ValidationError(errors)
    for row in rows:
        claim_version(row, row.version)
        for name in model.CONTENT_FIELDS:
            attname = model._meta.get_field(name).attname
            setattr(row, f"approved_{attname}", getattr(row, attname))
        row.state = UpdateState.APPROVED
        row.return_reason = ""
        row.reviewed_by, row.reviewed_at = user, now
        row.approved_by, row.approved_at = user, now
        row._history_user = user
        row.full_clean()
        row.save()
    return rows


@transaction.atomic
def return_row(*, model: type[Reviewed], row_id: int, user, reason: str) -> Reviewed:
    require(user, CAN_APPROVE)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef aan waarom u dit terugstuurt.")})
    row = locked_row(model, row_id)
    if row.state not in (UpdateState.SUBMITTED, UpdateState.APPROVED):
        raise ValidationError(_("Alleen iets dat is ingediend of goedgekeurd kan terug."))
    claim_version(row, None)
    row.state = UpdateState.RETURNED
    row.return_reason = reason.strip()
    row.reviewed_by, row.reviewed_at = user, timezone.now()
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def approve_chapter(*, text_ids: list[int], status_ids: list[int], user) -> int:
    """Approve submitted texts and action points' statuses in one go (the chapter's
    Goedkeuren): all or none, every refusal reported at once. Returns how many."""
    require(user, CAN_APPROVE)
    errors = []
    approved = 0
    for model, ids in ((TextVersion, text_ids), (ActionPointStatus, status_ids)):
        ids = sorted(set(ids))
        if not ids:
            continue
        if model.objects.filter(pk__in=ids).count() != len(ids):
            errors.append(_("Een of meer onderdelen bestaan niet meer."))
            continue
        try:
            with transaction.atomic():
                approved += len(approve_rows(model=model, row_ids=ids, user=user))
        except ValidationError as error:
            errors += [message for message in error.messages if message not in errors]
    if errors:
        raise ValidationError(errors)
    return approved
