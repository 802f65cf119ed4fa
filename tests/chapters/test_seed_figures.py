"""The figures of the seeds, as the demo loads them, in the three places the issue names:
the chapter page, the indicator export and `manage.py indicators`. Each as printed in the
seed: Enschede's seven BBV scores (Jaarverslag 2018), Hengelo's policy indicators
(Begroting 2018) and Venlo's customer satisfaction (Jaarverslag 2017)."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from measures.models import ReportingPeriod

ENSCHEDE = {
    "Niet-sporters": "47,7",
    "Jongeren met een delict voor de rechter": "1,17",
    "Kinderen in uitkeringsgezin": "11,58",
    "Jongeren met jeugdhulp": "9,2",
    "Jongeren met jeugdbescherming": "1,9",
    "Jongeren met jeugdreclassering": "0,8",
    "Cliënten met een maatwerkarrangement WMO": "730",
}
HENGELO = {
    "Samengestelde indicator ‘eigen kracht’": "76%; 80%; 76%",
    "Aantal unieke cliënten die binnen een kalenderjaar een Wmo-voorziening hebben gehad": (
        "6.626"
    ),
    "Kengetal sociale steun onder 65 plussers": "4.301 (Wmo voorziening)",
}
VENLO = {"Klanttevredenheid ten aanzien van de maatwerkondersteuning": "7,00"}

CASES = [
    ("Enschede", "Jaarverslag 2018", "enschede-manager", ENSCHEDE),
    ("Hengelo", "Begroting 2018", "hengelo-manager", HENGELO),
    ("Venlo", "Jaarverslag 2017", "venlo-manager", VENLO),
]


def demo_period(organisation: str, name: str) -> ReportingPeriod:
    return ReportingPeriod.objects.select_related("programme").get(
        programme__organisation__short_name=organisation, name=name
    )


def login(client, username):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=username))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(("organisation", "period_name", "username", "figures"), CASES)
def test_the_command_prints_each_figure_with_its_name(
    almelo, organisation, period_name, username, figures
):
    out = io.StringIO()
    call_command(
        "indicators",
        organisation=organisation,
        period=period_name,
        format="csv",
        stdout=out,
    )
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    printed = {(row[1], row[5]) for row in rows[1:]}
    for name, value in figures.items():
        assert any(n.startswith(name) and v == value for n, v in printed), (name, value, rows)


@pytest.mark.parametrize(("organisation", "period_name", "username", "figures"), CASES)
def test_the_export_holds_each_figure_with_its_name(
    almelo, client, organisation, period_name, username, figures
):
    period = demo_period(organisation, period_name)
    login(client, username)
    response = client.get(reverse("indicators:export"), {"periode": period.pk, "format": "csv"})
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    name, as_reported = header.index("Indicator"), header.index("Zoals gerapporteerd")
    for wanted, value in figures.items():
        assert any(
            row[name].startswith(wanted) and row[as_reported] == value for row in rows[1:]
        ), (wanted, value)


@pytest.mark.parametrize(("organisation", "period_name", "username", "figures"), CASES)
def test_the_chapter_page_shows_each_figure(
    almelo, client, organisation, period_name, username, figures
):
    period = demo_period(organisation, period_name)
    login(client, username)
    response = client.get(
        reverse("chapters:chapter", args=[period.programme_id]), {"periode": period.pk}
    )
    assert response.status_code == 200
    page = text_of(response.content.decode())
    for name, value in figures.items():
        assert name in page
        assert value in page, (name, value)


def test_a_chapter_without_action_points_shows_no_status_legend(almelo, client):
    """Hengelo's begroting has programme lines and texts but no action points: a legend of
    statuses would explain nothing on it; Enschede's has one."""
    for organisation, name, username, legend, shown in [
        ("Hengelo", "Begroting 2018", "hengelo-manager", False, "Thuis in de buurt"),
        ("Enschede", "Jaarverslag 2018", "enschede-manager", True, "Sturing op verwijzers"),
    ]:
        period = demo_period(organisation, name)
        login(client, username)
        page = client.get(
            reverse("chapters:chapter", args=[period.programme_id]), {"periode": period.pk}
        ).content.decode()
        assert ("Legenda" in page) is legend, organisation
        assert shown in page, organisation  # the chapter itself is there
