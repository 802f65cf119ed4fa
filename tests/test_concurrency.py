"""Two people saving the same update at once: the second is told, nothing is lost."""

import threading

import pytest
from django.db import connections
from django.urls import reverse

from measures import services
from measures.models import MeasureUpdate, ReportingPeriod
from tests.workflow import form_data, update_of


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

    def save(user, text):
        try:
            barrier.wait(timeout=10)
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
