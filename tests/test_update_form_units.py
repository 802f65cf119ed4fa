"""The update form has one unit, whole euros, named at every field and column; a forecast
that is off its target by a factor of ten or more, or negative, gets a Dutch warning at
the field and is saved only once the owner confirms it."""

import re

import pytest
from django.urls import reverse

from measures.constants import UpdateState
from tests.workflow import form_data, update_of


@pytest.fixture
def owner_client(almelo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="invoerder"))
    return client


@pytest.fixture
def update():
    """Stoppen met dienstencheques: a target of € 120.000 in 2020, 2021 and 2022."""
    return update_of("Stoppen met dienstencheques")


def post(client, update, **changes):
    return client.post(reverse("update_form", args=[update.pk]), form_data(update, **changes))


def forecast(update, year):
    update.refresh_from_db()
    return next((y.forecast for y in update.years.all() if y.year == year), None)


def test_every_amount_on_the_form_is_in_euros_and_says_so(owner_client, update):
    page = owner_client.get(reverse("update_form", args=[update.pk])).content.decode()
    figures = page.split('<table class="figures">', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r'<th scope="col">(.*?)</th>', figures)
    assert headers == [
        "Jaar",
        "Taakstelling (€)",
        "Prognose (€)",
        "Realisatie hard (€)",
        "Realisatie zacht (€)",
    ]
    assert "1.000" not in "".join(headers)
    row_2021 = re.search(r'<th scope="row">2021</th>(.*?)</tr>', figures, flags=re.S)[1]
    assert '<td class="amount" data-label="Taakstelling (€)">120.000</td>' in row_2021
    assert 'for="id_forecast_2021">Prognose 2021 (€)</label>' in row_2021
    assert 'for="id_realised_2019">Realisatie hard 2019 (€)</label>' in figures
    assert 'for="id_realised_soft_2019">Realisatie zacht 2019 (€)</label>' in figures
    assert figures.count('<span class="input-unit__symbol" aria-hidden="true">€</span>') == 6
    assert "Alle bedragen op dit formulier zijn in hele euro" in page


def test_a_forecast_typed_in_thousands_is_warned_about_and_not_saved(owner_client, update):
    response = post(owner_client, update, forecast_2021="60", submit="1")
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    assert form.warnings["forecast_2021"] == (
        "Let op: € 60 is een tiende of minder van de taakstelling van € 120.000. "
        "Bedragen zijn in hele euro's: bedoelde u € 60.000?"
    )
    assert 'id="id_forecast_2021_warning"' in page
    assert 'aria-describedby="id_forecast_2021_warning"' in page
    assert "Controleer de gemarkeerde bedragen" in page
    update.refresh_from_db()
    assert update.version == 1 and update.state == UpdateState.DRAFT
    assert forecast(update, 2021) is None


def test_the_owner_confirms_and_the_forecast_is_submitted_as_typed(owner_client, update):
    response = post(owner_client, update, forecast_2021="60", submit="1")
    token = response.context["form"].warning_token
    assert f'name="bedragen_bevestigd" value="{token}"' in response.content.decode()
    response = post(owner_client, update, forecast_2021="60", submit="1", bedragen_bevestigd=token)
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED and forecast(update, 2021) == 60


def test_a_confirmation_covers_only_the_amounts_that_were_warned_about(owner_client, update):
    token = post(owner_client, update, forecast_2021="60", save="1").context["form"].warning_token
    response = post(owner_client, update, forecast_2021="70", save="1", bedragen_bevestigd=token)
    assert response.status_code == 200
    assert "€ 70 is een tiende of minder" in response.content.decode()
    assert forecast(update, 2021) is None


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
            "Let op: een negatieve prognose (€ -5.000) betekent dat de maatregel geld kost in "
            "plaats van bespaart. Klopt dit bedrag?",
        ),
    ],
)
def test_ten_times_the_target_or_a_negative_forecast_is_warned_about(
    owner_client, update, typed, message
):
    response = post(owner_client, update, forecast_2022=typed, save="1")
    assert response.status_code == 200
    assert response.context["form"].warnings == {"forecast_2022": message}
    assert forecast(update, 2022) is None


@pytest.mark.parametrize("typed", ["60.000", "1.199.999", "12.001", "0", "PM", ""])
def test_plausible_forecasts_save_without_a_question(owner_client, update, typed):
    assert post(owner_client, update, forecast_2021=typed, save="1").status_code == 302


def test_an_unchanged_forecast_is_not_asked_about_again(owner_client, update):
    token = post(owner_client, update, forecast_2021="60", save="1").context["form"].warning_token
    post(owner_client, update, forecast_2021="60", save="1", bedragen_bevestigd=token)
    update.refresh_from_db()
    assert post(owner_client, update, explanation="Later aangevuld", submit="1").status_code == 302
