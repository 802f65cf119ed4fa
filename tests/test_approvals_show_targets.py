"""Goedkeuren shows the year's target next to each changed forecast, in euros, and marks
in words a forecast the owner confirmed although it was off its target by a factor of
ten or more, or negative (the update form's plausibility rule)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.workflow import form_data, update_of

User = get_user_model()

MARKER = "Afwijkend van de taakstelling: bevestigd door de indiener"


def submit(client, title: str, **changes):
    """The demo invoerder submits their update with these figures, confirming any warning."""
    update = update_of(title)
    client.force_login(User.objects.get(username="invoerder"))
    url = reverse("update_form", args=[update.pk])
    response = client.post(url, form_data(update, submit="1", **changes))
    if response.status_code == 200:
        token = response.context["form"].warning_token
        response = client.post(
            url, form_data(update, submit="1", bedragen_bevestigd=token, **changes)
        )
    assert response.status_code == 302
    client.logout()
    return update


def figures_of(page: str, update) -> list[list[str]]:
    card = page.split(f'id="update-{update.pk}"', 1)[1].split('class="card review', 1)[0]
    table = card.split('<table class="compact review__figures">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip() for cell in cells]
        for cells in (re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S) for row in rows)
    ]


@pytest.fixture
def controller_page(almelo, client):
    def page():
        client.force_login(User.objects.get(username="controller"))
        return client.get(reverse("approvals")).content.decode()

    return page


def test_a_changed_forecast_shows_the_years_target(client, controller_page):
    # Stoppen met dienstencheques has a target of € 120.000 in 2021.
    update = submit(client, "Stoppen met dienstencheques", forecast_2021="60.000")
    rows = figures_of(controller_page(), update)
    assert rows[0] == ["Cijfer", "Was", "Wordt", "Taakstelling"]
    assert ["Prognose 2021", "–", "€ 60.000", "€ 120.000"] in rows
    assert MARKER not in "".join(" ".join(row) for row in rows)


def test_a_confirmed_implausible_forecast_is_marked_in_words(client, controller_page):
    update = submit(client, "Stoppen met dienstencheques", forecast_2021="60")
    rows = figures_of(controller_page(), update)
    row = next(row for row in rows if row[0] == "Prognose 2021")
    assert row[1:3] == ["–", f"€ 60 {MARKER}"] and row[3] == "€ 120.000"
