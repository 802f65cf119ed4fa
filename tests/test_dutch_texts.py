"""What users read is proper Dutch: plurals, uniqueness and date messages, dates, "u"."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.constants import UpdateState
from measures.models import MeasureUpdate, Programme, ReportingPeriod, StatusScale
from tests.workflow import open_period, update_of

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Django's own wording for a unique field or constraint: "Programma met deze Naam bestaat al."
DJANGO_UNIQUE_WORDING = re.compile(r"met deze [A-Z]\w*( en [A-Z]\w*)* bestaat al")
# An English month, or a Dutch one capitalised the English way: "1 Dec 2026".
ENGLISH_MONTH = re.compile(
    r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mrt|Mei|Okt)[a-z]*\.? \d{4}\b"
)


def log_in(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def messages_after(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("titles", "expected"),
    [
        (["Aanpassing PGB tarieven"], "1 update goedgekeurd."),
        (
            ["Aanpassing PGB tarieven", "Anders organiseren wassen en strijken"],
            "2 updates goedgekeurd.",
        ),
    ],
)
def test_approval_message_counts_in_dutch(almelo, client, titles, expected):
    log_in(client, "controller")
    ids = [update_of(title).pk for title in titles]
    response = client.post(reverse("approvals"), {"update": ids}, follow=True)
    assert messages_after(response) == [expected]


def test_opening_a_period_twice_gets_a_dutch_message_at_the_name(almelo, client):
    log_in(client, "controller")
    period = open_period()
    response = client.post(
        reverse("periods"),
        {
            "programme": period.programme_id,
            "name": period.name,
            "kind": "voorjaarsnota",
            "reference_date": "2021-04-01",
        },
    )
    page = response.content.decode()
    assert "Er is al een rapportagemoment met deze naam in dit programma." in page
    assert not DJANGO_UNIQUE_WORDING.search(page)


def inline_management(*prefixes) -> dict:
    data = {}
    for prefix in prefixes:
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def duplicate_goal():
    programme = Programme.objects.get(name="Programma Zorg")
    data = {"programme": programme.pk, "number": "1", "title": "Nog een doel 1"}
    return "controller", reverse("admin:measures_goal_add"), data


def duplicate_plan():
    programme = Programme.objects.get(name="Programma Zorg")
    data = {
        "programme": programme.pk,
        "name": "Maatregelenplan 1",
        "first_year": "2019",
        "last_year": "2022",
        "order": "9",
    }
    return "controller", reverse("admin:measures_measureplan_add"), data


def duplicate_programme():
    data = {
        "name": "Programma Zorg",
        "municipality": "Almelo",
        "status_scale": StatusScale.objects.get(name="Almelo: Ja / Nee / -").pk,
        "first_year": "2019",
        "last_year": "2022",
        "target_year": "2022",
        **inline_management("goals", "savings_tasks", "adjustments"),
    }
    return "controller", reverse("admin:measures_programme_add"), data


def duplicate_scale():
    data = {"name": "Almelo: Ja / Nee / -", **inline_management("levels")}
    return "beheerder", reverse("admin:measures_statusscale_add"), data


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (duplicate_goal, "Dit programma heeft al een doel met dit nummer."),
        (duplicate_plan, "Dit programma heeft al een maatregelenplan met deze naam."),
        (duplicate_programme, "Er is al een programma met deze naam."),
        (duplicate_scale, "Er is al een statusschaal met deze naam."),
    ],
    ids=["goal", "plan", "programme", "status scale"],
)
def test_duplicates_in_the_admin_get_a_dutch_message(almelo, client, make, message):
    username, url, data = make()
    log_in(client, username)
    response = client.post(url, data)
    assert response.status_code == 200, "the duplicate was saved"
    page = response.content.decode()
    assert message in page
    assert not DJANGO_UNIQUE_WORDING.search(page)
    assert "<title>Fout:" in page


def test_deadline_before_the_reference_date_says_what_is_wrong(almelo, client):
    log_in(client, "controller")
    response = client.post(
        reverse("periods"),
        {
            "programme": Programme.objects.get(name="Programma Zorg").pk,
            "name": "Voorjaarsnota 2021",
            "kind": "voorjaarsnota",
            "reference_date": "2021-04-01",
            "deadline": "2021-03-01",
        },
    )
    page = response.content.decode()
    assert "De uiterste invoerdatum kan niet voor de peildatum liggen." in page
    assert "ligt niet voor de peildatum" not in page
    assert not ReportingPeriod.objects.filter(name="Voorjaarsnota 2021").exists()


def test_last_year_before_the_first_year_says_what_is_wrong(almelo, client):
    data = {
        **duplicate_plan()[2],
        "name": "Maatregelenplan 3",
        "first_year": "2022",
        "last_year": "2019",
    }
    log_in(client, "controller")
    page = client.post(reverse("admin:measures_measureplan_add"), data).content.decode()
    assert "Het laatste jaar kan niet voor het eerste jaar liggen." in page


def test_dates_are_written_the_dutch_way(almelo, client):
    """1 december 2026, never "1 Dec 2026", on every page that shows a date or a moment."""
    moment = datetime(2026, 12, 1, 15, 44, tzinfo=AMSTERDAM)
    MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).update(
        submitted_at=moment, updated_at=moment
    )
    period = open_period()
    log_in(client, "controller")
    pages = {
        "approvals": reverse("approvals"),
        "periods": reverse("periods"),
        "completeness": reverse("completeness", args=[period.pk]),
        "my measures": reverse("my_measures"),
    }
    for what, url in pages.items():
        page = client.get(url).content.decode()
        assert not ENGLISH_MONTH.search(page), (what, ENGLISH_MONTH.search(page).group())
    assert "1 december 2026 15:44" in client.get(reverse("approvals")).content.decode()
    completeness = client.get(pages["completeness"]).content.decode()
    assert "1 december 2026 15:44" in completeness
    # The closed Midterm review shows the day it was closed.
    assert re.search(
        r"\b\d{1,2} [a-z]+ \d{4}</span>", client.get(pages["periods"]).content.decode()
    )


def test_login_page_says_u_like_the_rest(almelo, client):
    page = client.get(reverse("login")).content.decode()
    assert "Log in met uw gebruikersnaam en wachtwoord" in page
    assert not re.search(r"\b(je|jouw|jij)\b", page, re.IGNORECASE)


def test_admin_history_page_is_dutch(almelo, client):
    """django-simple-history has no Dutch of its own: locale/nl/LC_MESSAGES supplies it."""
    from measures.models import Measure

    log_in(client, "manager")  # may view, not change: the page says "View history" in English
    measure = Measure.objects.get(title="Peuteropvang")
    page = client.get(reverse("admin:measures_measure_history", args=[measure.pk])).content
    page = page.decode()
    assert "Geschiedenis van 4 Peuteropvang" in page  # the title: measures.admin_base
    for english in ("View history", "Changed by", "Change reason", "Date/time"):
        assert english not in page, english


def test_group_picker_is_dutch(almelo, client):
    log_in(client, "beheerder")
    catalogue = client.get(reverse("admin:jsi18n")).content.decode()
    # SelectFilter2's "Choose all %s", which Django's Dutch catalogue lacks.
    assert '"Choose all %s": "Alle %s kiezen"' in catalogue
    assert '"Remove all %s": "Alle %s weghalen"' in catalogue


def po_entries(path) -> dict[str, str]:
    """msgid -> msgstr of a catalogue written one line per string, as ours are."""
    text = path.read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', text, re.MULTILINE)
    unescape = lambda s: s.replace('\\"', '"')  # noqa: E731
    return {unescape(msgid): unescape(msgstr) for msgid, msgstr in pairs}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogues_match_their_sources(domain):
    """The .mo files are committed (a fresh machine may lack gettext to compile them)."""
    import gettext

    from django.conf import settings

    folder = settings.BASE_DIR / "locale" / "nl" / "LC_MESSAGES"
    source = po_entries(folder / f"{domain}.po")
    assert source
    with open(folder / f"{domain}.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert {msgid: catalogue.gettext(msgid) for msgid in source} == source
