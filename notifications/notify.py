"""E-mail about the update cycle: an update submitted (to the controllers), sent back
(to its owner, with the reason) and approved (to its owner), and deadline reminders.

The workflow services call `update_submitted`, `update_returned` and `updates_approved`
inside their transaction; the mail goes out once it commits (transaction.on_commit), so a
refused or rolled-back action mails nobody, and a mail server that is down never undoes
an action (the failure is logged). Each user can switch the mails off
(NotificationSettings); a user without an e-mail address gets none. Subjects and bodies
are templates under templates/notifications/mail/, in Dutch through gettext.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from measures.constants import UNFINISHED_STATES
from measures.models import MeasureUpdate, ReportingPeriod
from organisations.scoping import organisation_scope

from .models import NotificationSettings, ReminderKind, SentReminder

logger = logging.getLogger(__name__)

WORKFLOW = "workflow_mails"
REMINDERS = "reminder_mails"

_muted: ContextVar[bool] = ContextVar("notifications_muted", default=False)


@contextmanager
def muted():
    """No mail from the workflow inside the block: for replaying it, as the demo does."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def site_url(path: str) -> str:
    """An absolute link for a mail; SITE_URL says where the app is reached."""
    return settings.SITE_URL.rstrip("/") + path


def person(user) -> str:
    return user.get_full_name() or user.get_username()


def wanting(users: Iterable, kind: str) -> list:
    """The users among `users` with an e-mail address who did not switch `kind` off."""
    users = {user.pk: user for user in users if user is not None and user.is_active}
    users = {pk: user for pk, user in users.items() if user.email}
    switched_off = set(
        NotificationSettings.objects.filter(user_id__in=users, **{kind: False}).values_list(
            "user_id", flat=True
        )
    )
    return [user for pk, user in sorted(users.items()) if pk not in switched_off]


def message(template: str, user, context: dict, *, period: ReportingPeriod) -> EmailMessage:
    """The mail `template` (its _subject.txt and _body.txt) for one user, about `period`
    (signed with the name of its programme's organisation)."""
    context = {
        **context,
        "recipient": person(user),
        "settings_url": site_url(reverse("my_settings")),
        "municipality": period.programme.organisation.name,
    }
    subject = render_to_string(f"notifications/mail/{template}_subject.txt", context)
    body = render_to_string(f"notifications/mail/{template}_body.txt", context)
    return EmailMessage(" ".join(subject.split()), body, to=[user.email])


def send(messages: list[EmailMessage]) -> int:
    """Sends the messages in one connection; a failure is logged, never raised."""
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # the action behind the mail stands; the log says who missed it
        logger.exception("E-mail not sent to %s", ", ".join(m.to[0] for m in messages))
        return 0


def after_commit(build) -> None:
    """Build and send the messages once the current transaction commits."""
    if _muted.get():
        return
    transaction.on_commit(lambda: send(build()))


def owners_of(update: MeasureUpdate) -> list:
    """Who hears about an update's review: the measure's owner, and whoever submitted it
    for them (a delegate)."""
    return [update.measure.owner, update.submitted_by]


# -- The workflow ------------------------------------------------------------------------


def update_submitted(update: MeasureUpdate) -> None:
    """To the controllers (who may approve it), except the one who submitted it."""
    update_id, submitter_id = update.pk, update.submitted_by_id

    def build():
        update = MeasureUpdate.objects.select_related(
            "measure", "period__programme__organisation", "submitted_by", "status"
        ).get(pk=update_id)
        # The controllers of the update's organisation, whatever scope the caller is in.
        with organisation_scope(update.period.programme.organisation_id):
            controllers = (
                get_user_model()
                # Roles are groups with permissions, which the model backend holds (of the
                # two configured, the other is django-axes'); superusers are technical
                # admins.
                .objects.with_perm(
                    "measures.approve_measureupdate",
                    include_superusers=False,
                    backend="zorg.auth.ModelBackend",
                )
                .exclude(pk=submitter_id)
            )
            recipients = list(wanting(controllers, WORKFLOW))
        context = {
            "update": update,
            "submitter": person(update.submitted_by) if update.submitted_by else "",
            "approvals_url": site_url(reverse("approvals")),
        }
        return [message("submitted", user, context, period=update.period) for user in recipients]

    after_commit(build)


def update_returned(update: MeasureUpdate) -> None:
    """To the owner: which measure, by whom, and why."""
    update_id = update.pk

    def build():
        update = MeasureUpdate.objects.select_related(
            "measure__owner", "period__programme__organisation", "submitted_by", "reviewed_by"
        ).get(pk=update_id)
        context = {
            "update": update,
            "reviewer": person(update.reviewed_by) if update.reviewed_by else "",
            "update_url": site_url(reverse("update_form", args=[update.pk])),
        }
        return [
            message("returned", user, context, period=update.period)
            for user in wanting(owners_of(update), WORKFLOW)
        ]

    after_commit(build)


def updates_approved(updates: list[MeasureUpdate]) -> None:
    """To each owner, one mail listing their approved measures."""
    update_ids = [update.pk for update in updates]

    def build():
        approved = list(
            MeasureUpdate.objects.filter(pk__in=update_ids)
            .select_related(
                "measure__owner", "period__programme__organisation", "submitted_by", "reviewed_by"
            )
            .order_by("period__reference_date", "measure__plan__order", "measure__sort_key")
        )
        per_user = defaultdict(list)
        for update in approved:
            for user in wanting(owners_of(update), WORKFLOW):
                per_user[user].append(update)
        return [
            message(
                "approved",
                user,
                {
                    "updates": [
                        {
                            "update": u,
                            "url": site_url(reverse("measure_detail", args=[u.measure_id])),
                        }
                        for u in user_updates
                    ],
                    "reviewer": person(user_updates[0].reviewed_by)
                    if user_updates[0].reviewed_by
                    else "",
                },
                period=user_updates[0].period,
            )
            for user, user_updates in per_user.items()
        ]

    after_commit(build)


# -- Deadline reminders ------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    user: object
    period: ReportingPeriod
    kind: str
    updates: list[MeasureUpdate]


def reminder_kind(period: ReportingPeriod, today: date) -> str | None:
    """A reminder is due from REMINDER_DAYS_BEFORE days before the deadline, and again on
    the deadline itself."""
    if period.deadline is None:
        return None
    if period.deadline == today:
        return ReminderKind.DUE
    if today < period.deadline <= today + timedelta(days=settings.REMINDER_DAYS_BEFORE):
        return ReminderKind.BEFORE
    return None


def due_reminders(today: date) -> list[Reminder]:
    """The reminders to send today that were not sent yet: one per owner and period, for
    the owners with unfinished updates (a draft, or sent back)."""
    periods = [
        period
        for period in ReportingPeriod.objects.select_related("programme__organisation")
        .filter(is_closed=False)
        .filter(
            deadline__gte=today,
            deadline__lte=today + timedelta(days=settings.REMINDER_DAYS_BEFORE),
        )
        if reminder_kind(period, today)
    ]
    updates = (
        MeasureUpdate.objects.filter(
            period__in=periods, state__in=UNFINISHED_STATES, measure__owner__isnull=False
        )
        .select_related("measure__owner", "measure__plan", "period")
        .order_by("measure__plan__order", "measure__sort_key")
    )
    per_owner = defaultdict(list)
    for update in updates:
        per_owner[(update.measure.owner, update.period)].append(update)
    sent = set(
        SentReminder.objects.filter(period__in=periods).values_list(
            "user_id", "period_id", "kind", "deadline"
        )
    )
    owners = set(wanting({owner for owner, _period in per_owner}, REMINDERS))
    reminders = []
    for (owner, period), owner_updates in per_owner.items():
        kind = reminder_kind(period, today)
        if owner in owners and (owner.pk, period.pk, kind, period.deadline) not in sent:
            reminders.append(Reminder(owner, period, kind, owner_updates))
    return sorted(reminders, key=lambda r: (r.period.deadline, r.period.name, person(r.user)))


def send_reminders(*, today: date | None = None, dry_run: bool = False) -> list[Reminder]:
    """Sends today's reminders, each at most once: its SentReminder row and its mail
    stand or fall together, so a failed mail is tried again on the next run."""
    today = today or timezone.localdate()
    done = []
    for reminder in due_reminders(today):
        if dry_run:
            done.append(reminder)
            continue
        mail = message(
            f"reminder_{reminder.kind}",
            reminder.user,
            {
                "period": reminder.period,
                "updates": reminder.updates,
                "days_left": (reminder.period.deadline - today).days,
                "my_measures_url": site_url(reverse("my_measures")),
            },
            period=reminder.period,
        )
        try:
            with transaction.atomic():
                SentReminder.objects.create(
                    user=reminder.user,
                    period=reminder.period,
                    kind=reminder.kind,
                    deadline=reminder.period.deadline,
                    sent_on=today,
                    update_count=len(reminder.updates),
                )
                get_connection().send_messages([mail])
        except IntegrityError:
            continue  # another run sent it meanwhile
        except Exception:
            logger.exception("Reminder not sent to %s", reminder.user.email)
            continue
        done.append(reminder)
    return done
