"""The help page: the glossary in Dutch, reachable for every role, linked from every page."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.models import Measure
from tests.workflow import open_period, update_of

ROLES = ["invoerder", "controller", "manager", "beheerder"]

# Each glossary term the users asked about, as the page names it.
TERMS = [
    "PM (pro memorie)",
    "– (streepje)",
    "Op koers",
    "Taakstelling",
    "Prognose",
    "Realisatie",
    "Harde besparing",
    "Zachte besparing",
    "Saldo",
    "Rapportagemoment",
    "Vier-ogenprincipe",
]


def log_in(client, role):
    client.force_login(get_user_model().objects.get(username=role))


@pytest.mark.parametrize("role", ROLES)
def test_help_page_shows_the_glossary_to_every_role(almelo, client, role):
    log_in(client, role)
    response = client.get("/help/")
    assert response.status_code == 200
    page = response.content.decode()
    for term in TERMS:
        assert f">{term}</dt>" in page, term


def test_help_page_explains_the_status_scale_in_use(almelo, client):
    log_in(client, "manager")
    page = client.get(reverse("help")).content.decode()
    # Almelo's scale, from the data: "-" is a status of its own, with its meaning.
    assert "Almelo: Ja / Nee / -" in page
    assert "niet beoordeeld of (nog) niet realiseerbaar" in page
    assert '<span class="status__label">-</span></span>: niet beoordeeld' in page
    assert "Telt niet mee als op koers." in page


def test_help_page_needs_a_login(almelo, client):
    response = client.get(reverse("help"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def pages_for(role):
    measure = Measure.objects.get(title="Peuteropvang")
    period = open_period()
    pages = [
        reverse("overview"),
        reverse("measure_detail", args=[measure.pk]),
        reverse("periods"),
        reverse("completeness", args=[period.pk]),
        reverse("changes", args=[period.pk]),
        reverse("reports:detail", args=[period.pk]),
        reverse("help"),
    ]
    if role in ("invoerder", "controller"):
        pages += [
            reverse("my_measures"),
            reverse("update_form", args=[update_of("Stoppen met dienstencheques").pk]),
        ]
    if role == "controller":
        pages += [reverse("approvals"), reverse("imports:start")]
    if role != "invoerder":
        pages += [reverse("admin:index"), reverse("admin:measures_measure_changelist")]
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_links_to_the_help_page(almelo, client, role):
    log_in(client, role)
    for url in pages_for(role):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'href="{reverse("help")}"' in response.content.decode(), url


def test_error_pages_link_to_the_help_page(almelo, client):
    log_in(client, "manager")
    response = client.get(reverse("approvals"))
    assert response.status_code == 403
    assert f'href="{reverse("help")}"' in response.content.decode()
