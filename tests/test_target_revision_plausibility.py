"""Taakstelling herzien asks for whole euros as the rest of the forms do: it shows the
current amount of the chosen target in euros next to the new one, warns (as the update
form does) when the new amount is off the current one by a factor of ten or more or
negative, saves only once the controller confirms, and returns to the measure page the
revision was started from, which then names the decision."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure, TargetRevision, YearTarget


@pytest.fixture
def target(almelo) -> YearTarget:
    """Stoppen met dienstencheques, 2021: € 120.000."""
    return YearTarget.objects.get(measure__title="Stoppen met dienstencheques", year=2021)


def revision_url(target: YearTarget) -> str:
    return (
        reverse("revise_target", args=[target.measure.programme_id])
        + f"?taakstelling=target-{target.pk}"
    )


def revision_data(target: YearTarget, new_amount: str, **extra) -> dict:
    return {
        "target": f"target-{target.pk}",
        "new_amount": new_amount,
        "reason": "Raadsbesluit voorjaarsnota",
        "decision_reference": "BW-7420",
        "decided_on": "2020-11-10",
        **extra,
    }


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_form_shows_the_current_amount_in_euros_and_the_unit_at_the_field(
    target, controller_client
):
    page = html.unescape(controller_client.get(revision_url(target)).content.decode())
    assert "Huidige taakstelling: € 120.000" in text_of(page)
    assert 'for="id_new_amount">Nieuw bedrag (€)' in page
    assert "In hele euro's, niet in duizenden" in page
    # Every choice names its current amount in euros, for a target chosen in the page.
    option = re.search(rf'<option value="target-{target.pk}"[^>]*>([^<]*)</option>', page)[1]
    assert option.endswith("€ 120.000")


def test_an_amount_typed_in_thousands_is_warned_about_and_not_saved(target, controller_client):
    response = controller_client.post(revision_url(target), revision_data(target, "250"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    warning = (
        "Let op: € 250 is een tiende of minder van de taakstelling van € 120.000. "
        "Bedragen zijn in hele euro's: bedoelde u € 250.000?"
    )
    assert response.context["form"].warnings == {"new_amount": warning}
    assert f'<p class="field-warning" id="id_new_amount_warning">{warning}</p>' in page
    assert 'aria-describedby="id_new_amount_warning"' in page
    assert "Controleer het bedrag" in page
    target.refresh_from_db()
    assert target.amount == 120_000 and not TargetRevision.objects.exists()


def test_the_controller_confirms_and_the_amount_is_saved_as_typed(target, controller_client):
    response = controller_client.post(revision_url(target), revision_data(target, "250"))
    token = response.context["form"].warning_token
    assert f'name="bedrag_bevestigd" value="{token}"' in response.content.decode()
    # A confirmation covers the amount warned about, not another one typed afterwards.
    other = revision_data(target, "300", bedrag_bevestigd=token)
    assert controller_client.post(revision_url(target), other).status_code == 200
    assert not TargetRevision.objects.exists()
    confirmed = revision_data(target, "250", bedrag_bevestigd=token)
    assert controller_client.post(revision_url(target), confirmed).status_code == 302
    target.refresh_from_db()
    assert target.amount == 250


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "1.200.000",
            "Let op: € 1.200.000 is tien keer de taakstelling van € 120.000 of meer. "
            "Klopt dit bedrag?",
        ),
        (
            "-5.000",
            "Let op: een negatieve taakstelling (€ -5.000) betekent dat de maatregel geld "
            "kost in plaats van bespaart. Klopt dit bedrag?",
        ),
    ],
)
def test_ten_times_the_current_amount_or_a_negative_one_is_warned_about(
    target, controller_client, typed, message
):
    response = controller_client.post(revision_url(target), revision_data(target, typed))
    assert response.context["form"].warnings == {"new_amount": message}
    assert not TargetRevision.objects.exists()


def test_a_plausible_amount_is_saved_without_a_question(target, controller_client):
    response = controller_client.post(revision_url(target), revision_data(target, "150.000"))
    assert response.status_code == 302
    assert response.url == reverse("overview")
    target.refresh_from_db()
    assert target.amount == 150_000


def test_started_from_the_measure_page_it_returns_there(target, controller_client):
    measure_url = reverse("measure_detail", args=[target.measure_id])
    page = controller_client.get(measure_url).content.decode()
    link = re.search(rf'href="([^"]*taakstelling=target-{target.pk}[^"]*)"', page)[1]
    assert "next=" in link
    form_page = controller_client.get(link.replace("&amp;", "&")).content.decode()
    assert f'name="next" value="{measure_url}"' in form_page
    response = controller_client.post(
        revision_url(target), revision_data(target, "150.000", next=measure_url)
    )
    assert response.status_code == 302 and response.url == measure_url
    # The measure page names the decision next to the link.
    page = controller_client.get(measure_url).content.decode()
    row = re.search(r'<th scope="row">2021</th>(.*?)</tr>', page, flags=re.S)[1]
    assert "BW-7420" in text_of(row)


def test_a_next_elsewhere_is_ignored(target, controller_client):
    for elsewhere in ("https://evil.example/", "//evil.example/maatregelen/"):
        response = controller_client.post(
            revision_url(target), revision_data(target, "150.000", next=elsewhere)
        )
        assert response.url == reverse("overview")


def test_measure_page_names_the_latest_decision_in_a_fixed_number_of_queries(
    target, controller_client
):
    measure = Measure.objects.get(pk=target.measure_id)
    url = reverse("measure_detail", args=[measure.pk])
    controller_client.get(url)
    with CaptureQueriesContext(connection) as before:
        controller_client.get(url)
    for number, year_target in enumerate(measure.targets.all()):
        for step, decision in enumerate(("BW-1", f"BW-{number + 2}")):
            data = revision_data(
                year_target, str(130_000 + 10_000 * step), decision_reference=decision
            )
            assert controller_client.post(revision_url(year_target), data).status_code == 302
    with CaptureQueriesContext(connection) as after:
        page = controller_client.get(url).content.decode()
    assert len(after) == len(before)
    row = text_of(re.search(r'<th scope="row">2021</th>(.*?)</tr>', page, flags=re.S)[1])
    # The latest of the year's revisions, not the first.
    assert "BW-1 " not in row and re.search(r"BW-\d", row)
