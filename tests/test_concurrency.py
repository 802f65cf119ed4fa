"""Two people saving the same update at once: the second is told, sees what the other
saved (yearly figures included), and loses nothing of their own input."""

import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from measures import services
from measures.models import MeasureUpdate, ReportingPeriod
from organisations.scoping import organisation_scope
from tests.workflow import form_data, form_in_page, update_of


def test_a_stale_form_gets_the_others_change_and_saves_nothing(almelo, client, django_user_model):
    owner = django_user_model.objects.get(username="invoerder")
    update = update_of("Stoppen met dienstencheques")
    stale = form_data(update, explanation="Mijn versie", save="1")
    services.save_update(
        update_id=update.pk,
        user=owner,
        expected_version=update.version,
        content={"explanation": "Versie van de collega"},
        years={},
    )
    client.force_login(owner)
    response = client.post(reverse("update_form", args=[update.pk]), stale)
    assert response.status_code == 409
    content = response.content.decode()
    assert "heeft deze update op" in content and "ook opgeslagen" in content
    assert "Versie van de collega" in content  # the other's change, to compare
    assert "Mijn versie" in content  # the user's own input is still in the form
    update.refresh_from_db()
    assert update.explanation == "Versie van de collega"


def test_the_conflict_names_who_sent_the_update_back(almelo, client, django_user_model):
    """Sending back moves the version on without making the controller the update's
    editor: the owner's stale form names the controller, not the owner."""
    owner = django_user_model.objects.get(username="invoerder")
    controller = django_user_model.objects.get(username="controller")
    update = update_of("Stoppen met dienstencheques")
    services.submit_update(update_id=update.pk, user=owner, expected_version=update.version)
    update.refresh_from_db()
    stale = form_data(update, explanation="Mijn versie", save="1")
    services.return_update(update_id=update.pk, user=controller, reason="Graag aanvullen.")

    client.force_login(owner)
    response = client.post(reverse("update_form", args=[update.pk]), stale)

    assert response.status_code == 409
    name = controller.get_full_name() or controller.username
    assert f"{name} heeft deze update op" in response.content.decode()


def figures(update) -> dict:
    return {
        year.year: {
            name: getattr(year, name) for name in ("forecast", "forecast_is_pm", "realised")
        }
        for year in update.years.all()
    }


def test_the_conflict_page_keeps_the_yearly_figures_of_both(almelo, client, django_user_model):
    """The second saver sees the other's yearly figures and keeps their own; saving from
    the conflict page stores their figures instead of deleting them."""
    owner = django_user_model.objects.get(username="invoerder")
    colleague = django_user_model.objects.get(username="controller")
    update = update_of("Dagstructurering")  # 2019 realised 300.000, 2020 forecast 400.000
    mine = form_data(
        update, explanation="Mijn versie", forecast_2021="425.000", forecast_2022="PM", save="1"
    )
    services.save_update(
        update_id=update.pk,
        user=colleague,
        expected_version=update.version,
        content={"explanation": "Versie van de collega"},
        years={2021: {"forecast": 987_654}, 2019: {"realised": 123_456}},
    )
    client.force_login(owner)
    url = reverse("update_form", args=[update.pk])
    response = client.post(url, mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "€ 987.654" in page and "€ 123.456" in page  # the other's yearly figures
    again = form_in_page(page)
    for name in ("forecast_2020", "forecast_2021", "forecast_2022", "realised_2019"):
        assert again[name] == mine[name], name  # the user's own input, untouched
    assert again["explanation"] == "Mijn versie"

    assert client.post(url, again).status_code == 302
    update.refresh_from_db()
    assert update.explanation == "Mijn versie"
    assert figures(update) == {
        2019: {"forecast": None, "forecast_is_pm": False, "realised": 300_000},
        2020: {"forecast": 400_000, "forecast_is_pm": False, "realised": None},
        2021: {"forecast": 425_000, "forecast_is_pm": False, "realised": None},
        2022: {"forecast": None, "forecast_is_pm": True, "realised": None},
    }


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_on_postgresql_one_wins_one_is_told(django_user_model):
    from measures.demo import load_demo

    load_demo()
    owner = django_user_model.objects.get(username="invoerder")
    controller = django_user_model.objects.get(username="controller")
    update = MeasureUpdate.objects.get(
        measure__title="Stoppen met dienstencheques",
        period=ReportingPeriod.objects.get(name="Najaarsrapportage 2020"),
    )
    version = update.version
    barrier = threading.Barrier(2)
    outcomes = {}

    organisation = update.period.programme.organisation

    def save(user, text):
        try:
            barrier.wait(timeout=10)
            # A thread starts without a scope; a request gets its organisation's.
            with organisation_scope(organisation):
                services.save_update(
                    update_id=update.pk,
                    user=user,
                    expected_version=version,
                    content={"explanation": text},
                    years={2021: {"forecast": len(text)}},
                )
            outcomes[text] = "saved"
        except services.ConcurrentUpdateError as error:
            outcomes[text] = error.current.explanation
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=(owner, "eerste")),
        threading.Thread(target=save, args=(controller, "tweede!")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()).count("saved") == 1, outcomes
    winner = next(text for text, result in outcomes.items() if result == "saved")
    loser = next(text for text in outcomes if text != winner)
    assert outcomes[loser] == winner  # the one who lost is shown the winner's text
    update.refresh_from_db()
    assert update.explanation == winner and update.version == version + 1
    assert {y.year: y.forecast for y in update.years.all()}[2021] == len(winner)


def post_at_once(url: str, forms: dict[str, dict]) -> dict:
    """Each user opens the form, fills in their values and posts it at the same moment
    as the others; per user their posted data, their client and the response."""
    from django.contrib.auth import get_user_model

    barrier = threading.Barrier(len(forms))
    results = {}

    def post(username, values):
        try:
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            data = form_in_page(client.get(url).content.decode()) | values
            barrier.wait(timeout=10)
            results[username] = (data, client, client.post(url, data))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=item) for item in forms.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_people_posting_the_same_form_at_once_lose_no_yearly_figures():
    """Through the pages: both post the same version at the same moment; the one who
    loses gets the conflict page with all their input, and saves it from there."""
    from measures.demo import load_demo

    load_demo()
    update = update_of("Dagstructurering")
    url = reverse("update_form", args=[update.pk])
    for round_number in range(2):
        forms = {
            "invoerder": {"forecast_2020": "410.000", "forecast_2021": "PM"},
            "controller": {"forecast_2020": "390.000", "realised_2019": "310.000"},
        }
        for username, values in forms.items():
            values.update(explanation=f"{username} {round_number}", save="1")
        results = post_at_once(url, forms)
        codes = {name: response.status_code for name, (*_, response) in results.items()}
        assert sorted(codes.values()) == [302, 409], codes
        loser = next(name for name, code in codes.items() if code == 409)
        winner = next(name for name in forms if name != loser)
        posted, client, response = results[loser]
        page = response.content.decode()
        assert f"{winner} {round_number}" in page  # what the other saved
        again = form_in_page(page)
        for name in ("forecast_2019", "forecast_2020", "forecast_2021", "realised_2019"):
            assert again.get(name) == posted[name], name  # the loser's own input, all of it
        assert client.post(url, again).status_code == 302
        update.refresh_from_db()
        assert update.explanation == f"{loser} {round_number}"
        stored = figures(update)
        assert stored[2020]["forecast"] == int(forms[loser]["forecast_2020"].replace(".", ""))
        assert stored[2019]["realised"] == int(posted["realised_2019"].replace(".", ""))
