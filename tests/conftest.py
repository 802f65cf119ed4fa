"""Shared fixtures: the Almelo demo data and one named user per role."""

import os

import pytest
from django.contrib.auth import get_user_model

from measures.constants import Role
from measures.demo import load_demo
from measures.models import Programme
from organisations.models import Membership, Organisation
from organisations.scoping import unscoped

CI = os.environ.get("CI", "").lower() == "true"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failed test: CI must run everything. An expected
    failure (a strict xfail, which did run) is reported as skipped too, and stays one."""
    outcome = yield
    report = outcome.get_result()
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI=true, which must run every test: {reason}"


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgresql` need real PostgreSQL behaviour (concurrent transactions).

    On another database they are skipped with the reason; under CI=true they are left out
    of the SQLite pass instead (they are not skipped: .ci/run runs them in its PostgreSQL
    pass, where this hook keeps them)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgresql")]
    if CI:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if item not in postgres_only]
        return
    reason = "needs PostgreSQL (DATABASE_URL=postgres://…); .ci/run runs it in its PostgreSQL pass"
    for item in postgres_only:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once into the test database; every test runs in a transaction on
    top of it that is rolled back afterwards. (Tests on `transactional_db` flush the
    database; pytest-django runs them after the others, and they load what they need.)"""
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _every_organisation():
    """Test code itself reads and writes every organisation's rows; what a request may
    see is scoped by the middleware, inside the test client's request."""
    with unscoped():
        yield


def almelo_organisation():
    """Gemeente Almelo: the demo's, or made anew where a test flushed the database."""
    organisation, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0141",
        defaults={"name": "Gemeente Almelo", "short_name": "Almelo", "slug": "almelo"},
    )
    return organisation


@pytest.fixture
def almelo(db):
    """The demo dataset: Almelo's Programma Zorg with the Midterm review 2020 (closed)
    and the Najaarsrapportage 2020 (open, with updates in every state)."""
    return Programme.objects.get(name="Programma Zorg")


def make_user(username: str, role: Role | None = None, *, organisation=None, **extra):
    """A user with `role` in `organisation` (Almelo's unless said otherwise)."""
    user = get_user_model().objects.create_user(username=username, password="geheim-123", **extra)
    if role is not None:
        Membership.objects.create(
            user=user, organisation=organisation or almelo_organisation(), role=role.value
        )
    return user


@pytest.fixture
def invoerder(db):
    return make_user("ina", Role.INVOERDER)


@pytest.fixture
def controller(db):
    return make_user("carl", Role.CONTROLLER)


@pytest.fixture
def manager(db):
    return make_user("mara", Role.MANAGER)


@pytest.fixture
def beheerder(db):
    return make_user("ben", Role.BEHEERDER)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def controller_client(client, controller):
    client.force_login(controller)
    return client
