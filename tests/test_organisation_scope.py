"""The organisation is the boundary of all data (issue 9): scoped managers, the request's
organisation and roles held per organisation."""

import contextvars

import pytest
from django.db import IntegrityError
from django.urls import reverse

from measures.constants import Role
from measures.models import Measure, Programme, StatusScale
from organisations.checks import every_model_is_scoped
from organisations.middleware import SESSION_KEY
from organisations.models import Membership, Organisation
from organisations.scoping import (
    OutsideOrganisationScope,
    members,
    organisation_scope,
)
from tests.conftest import make_user
from tests.factories import make_programme


@pytest.fixture
def enschede(almelo):
    organisation, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    make_programme(2, name="Programma Enschede", organisation=organisation)
    return organisation


def test_a_query_outside_any_scope_fails_loudly(almelo):
    def count():
        return Measure.objects.count()

    with pytest.raises(OutsideOrganisationScope):
        contextvars.Context().run(count)


def test_a_scope_shows_only_its_organisations_rows(almelo, enschede):
    with organisation_scope(enschede):
        assert not Programme.objects.filter(name="Programma Zorg").exists()
        assert set(Measure.objects.values_list("programme__name", flat=True)) == {
            "Programma Enschede"
        }
        with pytest.raises(Measure.DoesNotExist):
            Measure.objects.get(title="Peuteropvang")
    with organisation_scope(almelo.organisation):
        assert Measure.objects.filter(title="Peuteropvang").exists()
        assert not Programme.objects.filter(name="Programma Enschede").exists()


def test_an_empty_scope_shows_nothing(almelo):
    with organisation_scope():
        assert not Measure.objects.exists() and not Programme.objects.exists()


def test_reverse_relations_and_prefetches_stay_in_scope(almelo, enschede):
    scale = StatusScale.objects.get(programmes=almelo)
    with organisation_scope(enschede):
        assert list(scale.programmes.all()) == []


def test_names_are_unique_within_an_organisation_not_across(almelo, enschede):
    scale = StatusScale.objects.create(organisation=enschede, name="Almelo: Ja / Nee / -")
    Programme.objects.create(
        organisation=enschede,
        name="Programma Zorg",
        first_year=2019,
        last_year=2022,
        target_year=2022,
        status_scale=scale,
    )
    with pytest.raises(IntegrityError):
        Programme.objects.create(
            organisation=enschede,
            name="Programma Zorg",
            first_year=2019,
            last_year=2022,
            target_year=2022,
            status_scale=scale,
        )


def test_every_model_of_our_apps_is_scoped():
    assert every_model_is_scoped(None) == []


def test_members_are_the_users_with_a_role_in_the_organisation(almelo, enschede):
    make_user("eva", Role.INVOERDER, organisation=enschede)
    with organisation_scope(enschede):
        usernames = set(members().values_list("username", flat=True))
    assert "eva" in usernames and "twente-controller" in usernames
    assert usernames.isdisjoint({"invoerder", "controller", "venlo-controller", "ina"})
    assert usernames == set(
        Membership.objects.filter(organisation=enschede).values_list("user__username", flat=True)
    )


def test_roles_count_in_the_organisation_the_user_works_in(almelo, enschede, client):
    """A controller of Almelo who is invoerder in Enschede approves nothing in Enschede."""
    user = make_user("regio", Role.CONTROLLER)
    Membership.objects.create(user=user, organisation=enschede, role=Role.INVOERDER)
    client.force_login(user)
    assert client.get(reverse("approvals")).status_code == 200  # Almelo: first by name
    session = client.session
    session[SESSION_KEY] = enschede.pk
    session.save()
    assert client.get(reverse("approvals")).status_code == 403
    assert "Peuteropvang" not in client.get(reverse("overview")).content.decode()


def test_a_session_cannot_choose_an_organisation_the_user_has_no_role_in(almelo, enschede, client):
    user = make_user("alleen-almelo", Role.MANAGER)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = enschede.pk
    session.save()
    page = client.get(reverse("overview")).content.decode()
    assert "Programma Zorg" in page and "Programma Enschede" not in page


def test_a_user_without_any_role_sees_no_data(almelo, client):
    client.force_login(make_user("niemand"))
    response = client.get(reverse("overview"))
    assert "Peuteropvang" not in response.content.decode()


def test_a_user_without_a_role_is_told_to_ask_for_one(almelo, client):
    client.force_login(make_user("zonder-rol"))
    page = client.get(reverse("overview")).content.decode()
    assert "U hebt nog geen rol in een organisatie in Koersmonitor" in page


def test_opening_a_period_offers_the_programme_reported_on_last(almelo, client):
    """Almelo has two programmes in the demo; the form starts at the one whose period is
    the latest (Programma Zorg's Najaarsrapportage 2020), not the first by name."""
    client.force_login(make_user("c-open", Role.CONTROLLER))
    form = client.get(reverse("periods")).context["form"]
    assert form["programme"].value() == almelo.pk
