"""The organisation scope: the one way a query reaches an organisation's data.

Every model that belongs to an organisation says how it gets there (`organisation_path`,
such as "programme__organisation") and has `OrganisationScopedManager` as its default
manager. That manager filters on the organisations of the active scope and refuses to run
without one, so a view, export, command or task that forgot to choose an organisation
fails loudly instead of showing another municipality's rows (the idea of pretix's
django-scopes, with our own filter; see `organisation_filter`).

Who activates the scope:
- a request: `organisations.middleware.ActiveOrganisationMiddleware`, with the user's
  active organisation (none for an anonymous visitor: an empty scope, which matches no
  row);
- a management command: `organisations.commands.OrganisationCommand`, with the
  organisation given by `--organisation` or the only one that fits;
- code that must see every organisation (migrations run on historical models and do not
  meet these managers; backup and restore; the region page reading its members): it says
  so with `unscoped()` or `organisation_scope(*members)`.

Reverse relations and prefetches use the default manager too, so they are scoped.
Foreign-key descriptors and Django's own writes use the base manager, which is not
scoped: it is only reached from an object that was found within the scope.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models
from django.db.models import Q

ALL = object()  # the scope of `unscoped()`: every organisation

_scope: ContextVar[tuple[int, ...] | object | None] = ContextVar("organisation_scope", default=None)


class OutsideOrganisationScope(RuntimeError):
    """A scoped model was queried while no organisation scope was active."""


@contextmanager
def organisation_scope(*organisations):
    """Limit every scoped query inside the block to these organisations (instances or
    primary keys). With none given, scoped queries return nothing."""
    ids = tuple(getattr(org, "pk", org) for org in organisations)
    if any(pk is None for pk in ids):
        raise ValueError("An organisation scope needs saved organisations.")
    token = _scope.set(ids)
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def unscoped():
    """Let scoped queries inside the block see every organisation. For the code that
    must (backup, restore, the installation's own superuser tasks) and for tests."""
    token = _scope.set(ALL)
    try:
        yield
    finally:
        _scope.reset(token)


def active_organisation_ids():
    """The primary keys of the active scope's organisations, or ALL. Raises when no scope
    is active."""
    ids = _scope.get()
    if ids is None:
        raise OutsideOrganisationScope(
            "No organisation scope is active: wrap this code in organisation_scope(...) "
            "(or unscoped() where it must see every organisation)."
        )
    return ids


def organisation_filter(model, ids) -> Q:
    """The condition that keeps `model`'s rows of the organisations `ids`.

    `organisation_path` is a path of foreign keys ending at the organisation ("" for the
    organisation itself), or a tuple of such paths of which one applies to each row.
    The first step of a path is filtered with a subquery (`programme_id IN (SELECT id
    FROM programme WHERE organisation_id IN …)`) rather than a join, so that a
    `select_for_update()` locks the model's own rows and nothing more, and the query
    plans the measures' services rely on stay as they were."""
    paths = model.organisation_path
    if isinstance(paths, tuple):
        condition = Q()
        for path in paths:
            condition |= _path_filter(model, path, ids)
        return condition
    return _path_filter(model, paths, ids)


def _path_filter(model, path, ids) -> Q:
    if not path:
        return Q(pk__in=ids)
    first, _, rest = path.partition("__")
    if not rest:
        return Q(**{f"{first}__in": ids})
    related = model._meta.get_field(first).related_model
    inner = related._base_manager.filter(**{f"{rest}__in": ids}).values("pk")
    return Q(**{f"{first}__in": inner})


class OrganisationScopedManager(models.Manager):
    """The default manager of every model that belongs to an organisation."""

    def none(self):
        """An empty queryset needs no scope: a form field declared on its class, whose
        queryset is set per request in the form's __init__."""
        return super().get_queryset().none()

    def get_queryset(self):
        queryset = super().get_queryset()
        ids = active_organisation_ids()
        if ids is ALL:
            return queryset
        return queryset.filter(organisation_filter(self.model, ids))


def scoped_manager(queryset_class=models.QuerySet):
    """A scoped default manager with `queryset_class`'s read helpers."""
    return OrganisationScopedManager.from_queryset(queryset_class)()


def is_scoped(model) -> bool:
    return isinstance(model._default_manager, OrganisationScopedManager)


def members():
    """The user accounts that hold a role in the active scope's organisations: whom a
    view may list, choose as owner or manage. User is Django's own model, so it has no
    scoped manager; every place that lists users goes through here."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    ids = active_organisation_ids()
    if ids is ALL:
        return users
    return users.filter(
        pk__in=_membership_model().all_memberships.filter(organisation__in=ids).values("user")
    )


def _membership_model():
    from .models import Membership

    return Membership


def organisation_id_of(instance) -> int | None:
    """The organisation an instance belongs to, following its `organisation_path`
    through the (unscoped) foreign keys: for an object that is no longer stored, such as
    the last version of a deleted row in its history."""
    paths = instance.organisation_path
    for path in paths if isinstance(paths, tuple) else (paths,):
        current = instance
        steps = path.split("__") if path else []
        for step in steps[:-1]:
            current = getattr(current, step, None)
            if current is None:
                break
        else:
            return getattr(current, f"{steps[-1]}_id") if steps else current.pk
    return None


def in_scope(instance) -> bool:
    """Whether `instance` belongs to an organisation of the active scope."""
    ids = active_organisation_ids()
    return ids is ALL or organisation_id_of(instance) in ids
