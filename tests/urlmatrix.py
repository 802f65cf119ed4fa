"""The permission matrix's machinery (tests/test_permission_matrix.py holds the table):
every URL pattern of the project, how a response is classified, and a fingerprint of the
data that a request which may not change anything must leave as it was."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

ANONYMOUS = "anoniem"
ROLES = ("invoerder", "controller", "manager", "beheerder")
WHO = (ANONYMOUS, *ROLES)
METHODS = ("GET", "POST")


class Outcome(StrEnum):
    OK = "ok"  # 2xx, or a redirect to a page other than a login page; nothing changes
    DONE = "done"  # answered as OK, and the row's effect happened
    LOGIN = "login"  # a redirect to a login page (the app's or the admin's)
    FORBIDDEN = "403"
    NOT_FOUND = "404"
    NOT_ALLOWED = "405"


def classify(response) -> str:
    """What a response amounts to; DONE is OK plus the effect, which the test checks."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        path = urlsplit(response["Location"]).path
        return Outcome.LOGIN if path in (reverse("login"), reverse("admin:login")) else Outcome.OK
    if 200 <= status < 300:
        return Outcome.OK
    return {403: Outcome.FORBIDDEN, 404: Outcome.NOT_FOUND, 405: Outcome.NOT_ALLOWED}.get(
        status, f"HTTP {status}"
    )


def pattern_key(name: str | None, route: str) -> str:
    """A pattern's row in the table: its name (with namespace), else its full route."""
    return name or route


def url_patterns(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[str]:
    """The key of every URL pattern the project serves, admin included."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = join_route(prefix, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield pattern_key(name, route)


def join_route(first: str, second: str) -> str:
    """As Django's resolver joins routes (URLResolver._join_route), so keys match."""
    return first + second.removeprefix("^") if first else second


def key_of(url: str) -> str:
    """The key of the pattern a URL resolves to."""
    match = resolve(urlsplit(url).path)
    return pattern_key(match.view_name if match.url_name else None, match.route)


@dataclass(frozen=True)
class Row:
    """One URL pattern: how to build a URL for it from the demo data, the outcome per
    who (in WHO's order) for GET and for POST, and what a POST sends and does.

    `args` builds the pattern's arguments (or `path` the whole path, for a pattern without
    a name); `data` builds the POST body (it may prepare the data first, e.g. set updates
    back to draft); `effect` says whether a DONE POST did what it should."""

    get: tuple[Outcome, ...]
    post: tuple[Outcome, ...]
    args: Callable[[], list] | None = None
    path: Callable[[], str] | None = None
    query: str = ""
    data: Callable[[], dict] = field(default=lambda: {"post": "yes"})
    effect: Callable[[], bool] | None = None

    def __post_init__(self):
        assert len(self.get) == len(WHO) and len(self.post) == len(WHO), self
        assert (Outcome.DONE in self.post) == (self.effect is not None), self
        assert Outcome.DONE not in self.get, "a GET never changes anything"

    def url(self, key: str) -> str:
        path = self.path() if self.path else reverse(key, args=self.args() if self.args else None)
        return f"{path}?{self.query}" if self.query else path

    def expected(self, who: str, method: str) -> Outcome:
        return (self.get if method == "GET" else self.post)[WHO.index(who)]


# Besides the project's own apps: who holds which rights, and the admin's log.
WATCHED_ELSEWHERE = {
    "auth.user",
    "auth.group",
    "auth.user_groups",
    "auth.group_permissions",
    "auth.user_user_permissions",
    "admin.logentry",
}


def watched_models() -> list:
    """The models of the project's own apps (each a package at the top of the repository,
    so a new app is watched too) and WATCHED_ELSEWHERE. Not watched: what changes by
    logging in and out (sessions, a lockout's log) and what migrate makes (content types,
    permissions)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if Path(model._meta.app_config.path).parent == settings.BASE_DIR
        or model._meta.label_lower in WATCHED_ELSEWHERE
    ]


def fingerprint() -> dict[str, list]:
    """Every row of every watched table, history and many-to-many tables included: a
    request that may not change anything must leave this exactly as it was. (Plain SQL:
    through the ORM this took most of the matrix's time.)"""
    quote = connection.ops.quote_name
    rows = {}
    with connection.cursor() as cursor:
        for model in watched_models():
            table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
            cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608 - model names
            rows[model._meta.label_lower] = cursor.fetchall()
    return rows


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])
