"""The measure's timeline shows one entry per action (issue 13 item 8): an approval is
one "goedgekeurd door Carla Controller" with what it changed, not a row per history
record, and people are named by their names."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.constants import Role, UpdateState
from measures.money import format_euros
from tests.conftest import make_user
from tests.workflow import form_data, update_of

User = get_user_model()


def timeline_of(client, measure_id: int) -> str:
    page = client.get(reverse("measure_detail", args=[measure_id])).content.decode()
    return page.split('id="tijdlijn"', 1)[1].split("</section>", 1)[0]


def entries(timeline: str) -> list[str]:
    """The timeline's own entries (its nested lists of changes are not entries)."""
    body = timeline.split('<ol class="timeline">', 1)[1].rsplit("</ol>", 1)[0]
    return [part for part in re.split(r"\n\s*<li>", body) if part.strip()]


@pytest.fixture
def submitted_with_changes(almelo, client):
    """The demo invoerder (Inge Invoerder) changes a status and two forecasts and submits."""
    update = update_of("Stoppen met dienstencheques")
    client.force_login(User.objects.get(username="invoerder"))
    data = form_data(
        update,
        status=str(update.period.programme.status_scale.levels.get(label="Nee").pk),
        cause="Minder aanmeldingen",
        consequence="Lagere besparing",
        corrective_action="Campagne",
        forecast_2021="100.000",
        forecast_2022="PM",
        submit="1",
    )
    response = client.post(reverse("update_form", args=[update.pk]), data)
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED
    client.logout()
    return update


def test_an_approval_is_one_entry_with_its_changed_fields_in_peoples_names(
    client, submitted_with_changes
):
    update = submitted_with_changes
    client.force_login(User.objects.get(username="controller"))  # Carla Controller
    client.post(reverse("approvals"), {"update": [update.pk]})
    update.refresh_from_db()
    assert update.state == UpdateState.APPROVED

    timeline = timeline_of(client, update.measure_id)
    shown = entries(timeline)
    approved = "Update Najaarsrapportage 2020</strong> goedgekeurd door Carla Controller"
    approvals = [e for e in shown if approved in e]
    assert len(approvals) == 1, shown
    approval = approvals[0]
    forecast = update.years.get(year=2021).forecast
    assert f"Prognose 2021: – → {format_euros(forecast)}" in approval
    assert "Prognose 2022: – → PM" in approval
    assert "Op koers: Ja → Nee" in approval
    assert "Oorzaak: – → Minder aanmeldingen" in approval
    # The submission is one entry too, by the invoerder, with the same changes.
    submitted = "Update Najaarsrapportage 2020</strong> ingediend door Inge Invoerder"
    submissions = [e for e in shown if submitted in e]
    assert len(submissions) == 1 and "Op koers: Ja → Nee" in submissions[0]
    # No bookkeeping: figures replaced on approval, versions, who reviewed.
    assert "verwijderd" not in timeline and "Goedgekeurde cijfers" not in timeline
    assert "beoordeeld door" not in timeline.lower() and "stand: " not in timeline.lower()
    # The whole cycle of this period: opened, submitted, approved.
    assert sum("Najaarsrapportage 2020" in e for e in shown) == 3


def test_timeline_names_someone_without_a_full_name_by_username(client, submitted_with_changes):
    reviewer = make_user("r.devries", Role.CONTROLLER)
    client.force_login(reviewer)
    client.post(reverse("approvals"), {"update": [submitted_with_changes.pk]})
    timeline = timeline_of(client, submitted_with_changes.measure_id)
    assert "goedgekeurd door r.devries" in timeline


def test_timeline_costs_a_fixed_number_of_queries_however_many_actions(
    client, submitted_with_changes, django_assert_max_num_queries
):
    from measures.history import measure_timeline

    client.force_login(User.objects.get(username="controller"))
    client.post(reverse("approvals"), {"update": [submitted_with_changes.pk]})
    with django_assert_max_num_queries(12):
        shown = measure_timeline(submitted_with_changes.measure)
    assert [entry.action for entry in shown[:3]] == ["goedgekeurd", "ingediend", "geopend"]
