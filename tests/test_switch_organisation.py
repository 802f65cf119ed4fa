"""Switching the organisation one works in, from the page header (no script needed)."""

import pytest
from django.urls import reverse

from measures.constants import Role
from organisations.middleware import SESSION_KEY
from organisations.models import Membership, Organisation
from tests.conftest import almelo_organisation, make_user
from tests.factories import make_programme


@pytest.fixture
def enschede(almelo):
    organisation, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    make_programme(4, name="Programma Enschede", organisation=organisation)
    return organisation


@pytest.fixture
def hengelo(almelo):
    organisation, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0164",
        defaults={"name": "Gemeente Hengelo", "short_name": "Hengelo", "slug": "hengelo"},
    )
    return organisation


@pytest.fixture
def regional(client, enschede):
    """A manager in Almelo and in Enschede, logged in, working in Almelo."""
    user = make_user("regio", Role.MANAGER)
    Membership.objects.create(user=user, organisation=enschede, role=Role.MANAGER.value)
    client.force_login(user)
    return client


def switch(client, organisation, **extra):
    pk = getattr(organisation, "pk", organisation)
    return client.post(reverse("organisations:switch"), {"organisation": pk, **extra})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_header_offers_the_organisations_one_works_in(regional):
    page = regional.get(reverse("overview")).content.decode()
    assert '<label for="org-switch-organisation">Organisatie</label>' in page
    assert f'action="{reverse("organisations:switch")}"' in page
    assert f'<option value="{almelo_organisation().pk}" selected>Almelo</option>' in page
    assert ">Enschede</option>" in page
    assert '<button type="submit" class="org-switch__button">Wisselen</button>' in page


def test_no_switcher_for_who_works_in_one_organisation(manager_client, enschede):
    page = manager_client.get(reverse("overview")).content.decode()
    assert "org-switch" not in page and "Wisselen" not in page


def test_switching_shows_the_other_organisations_data_and_not_the_first(regional, enschede):
    before = regional.get(reverse("overview")).content.decode()
    assert "Peuteropvang" in before and "Programma Enschede" not in before

    response = switch(regional, enschede)

    assert response.status_code == 302 and response["Location"] == reverse("overview")
    assert regional.session[SESSION_KEY] == enschede.pk
    page = regional.get(reverse("overview"))
    text = page.content.decode()
    assert messages_of(page) == ["U werkt nu in Gemeente Enschede."]
    assert '<span class="site-brand__municipality">Gemeente Enschede</span>' in text
    assert "Programma Enschede" in text and "Maatregel 1" in text
    assert "Peuteropvang" not in text and "Programma Zorg" not in text

    switch(regional, almelo_organisation())
    assert "Peuteropvang" in regional.get(reverse("overview")).content.decode()


def test_switching_to_an_organisation_without_a_role_there_is_refused(regional, hengelo):
    response = switch(regional, hengelo)

    assert response.status_code == 302
    assert SESSION_KEY not in regional.session
    page = regional.get(reverse("overview"))
    assert messages_of(page) == [
        "U kunt niet wisselen naar die organisatie; u werkt nog in Gemeente Almelo."
    ]
    assert "Peuteropvang" in page.content.decode()


@pytest.mark.parametrize("value", ["", "abc", "999999", "-1"])
def test_nonsense_is_refused_and_changes_nothing(regional, enschede, value):
    switch(regional, enschede)
    switch(regional, value)
    assert regional.session[SESSION_KEY] == enschede.pk


def test_a_local_next_is_followed_and_another_site_is_not(regional, enschede):
    local = switch(regional, enschede, next=reverse("dashboard"))
    assert local["Location"] == reverse("dashboard")
    for elsewhere in ["https://example.org/", "//example.org/", "javascript:alert(1)"]:
        response = switch(regional, enschede, next=elsewhere)
        assert response["Location"] == reverse("overview"), elsewhere


def test_switching_takes_post_only(regional, enschede):
    assert (
        regional.get(reverse("organisations:switch"), {"organisation": enschede.pk}).status_code
        == 405
    )
    assert SESSION_KEY not in regional.session


def test_a_superuser_may_switch_to_any_organisation(client, hengelo):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("super", password="geheim-123")
    client.force_login(admin)
    switch(client, hengelo)
    assert client.session[SESSION_KEY] == hengelo.pk
