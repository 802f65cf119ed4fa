"""Who changed what: every change to what a report shows leaves a history row (django-
simple-history) naming a user, whatever path the write takes.

- Saves and deletes of historied models write their rows through simple_history's signals;
  the user is the request's (HistoryRequestMiddleware), the one a service names on the
  instance (`_history_user`), or the one `acting_user` sets for code outside a request:
  management commands, the shell.
- `QuerySet.update()` sends no signals, so every historied model's queryset is a
  `HistoriedQuerySet`, whose update() writes a row per changed object. One rule for all
  of them: a system check (`measures.E001`) refuses a historied model without it.
- Roles are held per organisation (organisations.models.Membership), a historied model
  like the others: each grant, change and removal names who and when. Django's groups
  are only the roles' definitions now, and a user's own groups grant nothing (zorg/auth.py);
  `record_group_membership` still logs every change to a user's groups in
  GroupMembershipChange, since one can still be made (the shell, an old backup), and the
  log of the groups of before organisations stays readable.

Not covered, by nature: raw SQL, and writes straight to a many-to-many through table.
"""

from contextlib import contextmanager
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import checks
from django.core.management.base import CommandError
from django.db import models, transaction
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_manager_for_model

# The user that writes when no person does: the demo data, loaded by `load_demo`. It has
# no usable password and is inactive, so nobody logs in as it.
SYSTEM_USERNAME = "systeem"

# Rows whose history an update() writes per query; keeps `pk IN (...)` within every
# database's limit on query parameters.
UPDATE_BATCH = 500

_UNSET = object()


@contextmanager
def acting_user(user):
    """Inside the block, history rows that name no user of their own name `user`.

    simple_history reads the user from the request it keeps per thread (set by its
    middleware); outside a request this stands in for one.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", _UNSET)
    context.request = SimpleNamespace(user=user)
    try:
        yield user
    finally:
        if previous is _UNSET:
            del context.request
        else:
            context.request = previous


def current_user():
    """The user the history names for a write now, or None: see `acting_user`."""
    user = getattr(getattr(HistoricalRecords.context, "request", None), "user", None)
    return user if user is not None and user.is_authenticated else None


def system_user():
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "Systeem", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def command_user(username: str | None):
    """The user a management command writes as (its --user), None when it names none."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("Gebruiker %(name)s niet gevonden.") % {"name": username})
    return user


class HistoriedQuerySet(models.QuerySet):
    """A queryset whose update() leaves the same trace as saving each object would: one
    history row per changed object, with the acting user, holding its new values.

    bulk_update() runs through update() and leaves its trace that way (simple_history's
    bulk_update_with_history would therefore record twice: use plain bulk_update)."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            # Lock the rows first, so that exactly these rows change and their rows in
            # the history hold what they became (no other writer gets in between).
            ids = list(self.select_for_update(of=("self",)).values_list("pk", flat=True))
            updated = 0
            history = get_history_manager_for_model(self.model)
            for start in range(0, len(ids), UPDATE_BATCH):
                batch = ids[start : start + UPDATE_BATCH]
                updated += super(HistoriedQuerySet, self.filter(pk__in=batch)).update(**kwargs)
                changed = self.model._base_manager.using(self.db).filter(pk__in=batch)
                history.bulk_history_create(list(changed), update=True)
            return updated

    update.alters_data = True


@checks.register(checks.Tags.models)
def check_historied_querysets(app_configs=None, **kwargs):
    """Every model that keeps history must leave it on update() as well."""
    errors = []
    for model in apps.get_models():
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        if not issubclass(model._default_manager._queryset_class, HistoriedQuerySet):
            errors.append(
                checks.Error(
                    f"{model._meta.label} keeps history, but update() on its queryset "
                    "would leave none.",
                    hint="Give it a manager from measures.audit.HistoriedQuerySet.",
                    obj=model,
                    id="measures.E001",
                )
            )
    return errors


def record_group_membership(sender, instance, action, reverse, pk_set, using, **kwargs):
    """m2m_changed on User.groups: log each user added to or removed from a group.

    Works from either side (user.groups or group.user_set). Removals are read before they
    happen, so only real members are logged; Django runs the signal and the change in one
    transaction, so the log and the change stand or fall together.
    """
    from .models import GroupMembershipChange

    if action == "post_add":
        pairs = [(instance.pk, pk) if not reverse else (pk, instance.pk) for pk in pk_set]
        kind = GroupMembershipChange.Action.ADDED
    elif action in ("pre_remove", "pre_clear"):
        members = sender.objects.using(using)
        members = members.filter(**{"group_id" if reverse else "user_id": instance.pk})
        if action == "pre_remove":
            members = members.filter(**{"user_id__in" if reverse else "group_id__in": pk_set})
        pairs = list(members.values_list("user_id", "group_id"))
        kind = GroupMembershipChange.Action.REMOVED
    else:
        return
    if not pairs:
        return
    users = get_user_model()._base_manager.using(using).in_bulk({user for user, _ in pairs})
    groups = Group.objects.using(using).in_bulk({group for _, group in pairs})
    changed_by = current_user()
    GroupMembershipChange.objects.using(using).bulk_create(
        GroupMembershipChange(
            user=users[user],
            username=users[user].get_username(),
            group=groups[group],
            group_name=groups[group].name,
            action=kind,
            changed_by=changed_by,
        )
        for user, group in sorted(pairs)
    )
