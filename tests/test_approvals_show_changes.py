"""Goedkeuren shows per submitted update what changed since the last approved state, so a
controller can approve from the list (issue 13 item 4)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.constants import UpdateState
from measures.models import Assessment, MeasureUpdate, StatusLevel
from measures.money import format_euros
from tests.workflow import form_data, open_period, update_of

User = get_user_model()


def level(label: str) -> StatusLevel:
    return StatusLevel.objects.get(scale__programmes__name="Programma Zorg", label=label)


@pytest.fixture
def demo_controller(almelo):
    return User.objects.get(username="controller")


@pytest.fixture
def submitted(almelo, client):
    """The demo invoerder's draft, not on course now, with a changed and a new forecast.
    Its approved state has no status yet, as for a measure new in the period."""
    update = update_of("Stoppen met dienstencheques")
    Assessment.objects.filter(measure=update.measure, period=update.period).update(status=None)
    client.force_login(User.objects.get(username="invoerder"))
    data = form_data(
        update,
        status=str(level("Nee").pk),
        cause="Minder aanmeldingen dan verwacht",
        consequence="De besparing halveert",
        corrective_action="Werving via de wijkteams",
        forecast_2021="60.000",
        submit="1",
    )
    assert client.post(reverse("update_form", args=[update.pk]), data).status_code == 302
    client.logout()
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED
    return update


def card_of(page: str, update: MeasureUpdate) -> str:
    return page.split(f'id="update-{update.pk}"', 1)[1].split('class="card review', 1)[0]


def test_each_update_shows_its_changes_against_the_approved_state(
    submitted, client, demo_controller
):
    client.force_login(demo_controller)
    page = client.get(reverse("approvals")).content.decode()
    card = card_of(page, submitted)
    text = re.sub(r"<[^>]+>", " ", card)
    text = re.sub(r"\s+", " ", text)
    # Status: none approved yet, now not on course.
    assert "Op koers: – → Nee" in text
    # Each changed yearly figure with its old and new value.
    forecast = format_euros(submitted.years.get(year=2021).forecast)
    assert f"Prognose 2021 – {forecast}" in text
    # Cause, consequence and corrective action.
    for label, value in (
        ("Oorzaak", "Minder aanmeldingen dan verwacht"),
        ("Gevolg", "De besparing halveert"),
        ("Bijsturing", "Werving via de wijkteams"),
    ):
        assert f"{label} Was: – Wordt: {value}" in text
    # A link to the full update and one to send it back.
    assert f'href="{reverse("update_form", args=[submitted.pk])}"' in card
    assert f'href="{reverse("return_update", args=[submitted.pk])}"' in card


def test_an_unchanged_update_says_so(almelo, client, demo_controller):
    # A draft starts from the approved values; its owner submits it as it is.
    update = update_of("Stoppen met dienstencheques")
    client.force_login(User.objects.get(username="invoerder"))
    client.post(reverse("submit_unchanged", args=[update.pk]))
    client.force_login(demo_controller)
    page = client.get(reverse("approvals")).content.decode()
    assert "Geen wijzigingen ten opzichte van de goedgekeurde stand." in card_of(page, update)


def test_select_all_is_a_checkbox_driven_by_a_static_script(almelo, client, demo_controller):
    client.force_login(demo_controller)
    page = client.get(reverse("approvals")).content.decode()
    assert re.search(r'<input type="checkbox" id="alles-kiezen"', page)
    assert re.search(r'<script src="/static/js/approvals\.js" defer></script>', page)


def test_approvals_page_takes_a_fixed_number_of_queries(
    almelo, client, demo_controller, django_assert_num_queries
):
    client.force_login(demo_controller)
    url = reverse("approvals")
    # The user (the session is cached); their roles in their organisations; the user's
    # permissions; the submitted updates
    # with measure, plan, owner, period, status and people; their years; their measures'
    # targets (shown next to each changed forecast); the approved states with their
    # status; their years; for four eyes, the updates' last approval moments and the
    # controller's own saves in their history.
    expected = 10
    with django_assert_num_queries(expected):
        few = client.get(url)
    assert len(few.context["reviews"]) == 2
    MeasureUpdate.objects.filter(period=open_period()).update(state=UpdateState.SUBMITTED)
    with django_assert_num_queries(expected):
        many = client.get(url)
    assert len(many.context["reviews"]) > 10
