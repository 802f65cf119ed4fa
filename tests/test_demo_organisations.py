"""The demo's four municipalities (measures.demo, fixtures/*_demo.json, regions.json):
each its own organisation, programme, goals, periods and users, a region Twente with a
regional team member, Almelo's overview as it was, and loading twice changes nothing."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from measures.constants import PeriodKind, Role, StatusIcon
from measures.demo import DEMO_PASSWORD, load_demo
from measures.models import (
    Assessment,
    Goal,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    StatusLevel,
    StatusScale,
)
from organisations.models import Membership, Organisation, Region, RegionMember
from tests.test_exports import check_figures

DEMO = {
    # CBS code: name, short name, {programme: (goal titles or their number, {period: kind})}
    "0141": (
        "Gemeente Almelo",
        "Almelo",
        {
            "Programma Zorg": (
                4,
                {
                    "Midterm review 2020": PeriodKind.MIDTERM_REVIEW,
                    "Najaarsrapportage 2020": PeriodKind.NAJAARSRAPPORTAGE,
                },
            ),
            "Hoofdopgave Zorg": (
                [
                    "Multidisciplinair en integraal werken",
                    "Meervoudige problematiek beheersbaar houden",
                    "Via preventie voorkomen dat mensen gebruik maken van dure zorg",
                ],
                {"Jaarverantwoording 2018": PeriodKind.JAARVERANTWOORDING},
            ),
        },
    ),
    "0983": (
        "Gemeente Venlo",
        "Venlo",
        {
            "Sociaal domein": (
                ["Sociale Wijkteams"],
                {"Jaarverslag 2017": PeriodKind.JAARVERANTWOORDING},
            )
        },
    ),
    "0153": (
        "Gemeente Enschede",
        "Enschede",
        {
            "Maatschappelijke ondersteuning": (
                [
                    "Versterken van de zelf- en samenredzaamheid en de gezondheid van inwoners",
                    "Een kwalitatief goed en toegankelijke ondersteuning (op maat) op het "
                    "gebied van participatie, maatschappelijke ondersteuning en inkomen",
                ],
                {
                    "Tussenrapportage 2018": PeriodKind.TUSSENRAPPORTAGE,
                    "Jaarverslag 2018": PeriodKind.JAARVERANTWOORDING,
                },
            )
        },
    ),
    "0164": (
        "Gemeente Hengelo",
        "Hengelo",
        {
            "Welzijn en Zorg": (
                ["Thuis in de buurt", "Maatwerk zorg"],
                {"Begroting 2017": PeriodKind.BEGROTING, "Begroting 2018": PeriodKind.BEGROTING},
            )
        },
    ),
}

ROLES = {
    # username: {organisation short name: role}
    "invoerder": {"Almelo": Role.INVOERDER},
    "controller": {"Almelo": Role.CONTROLLER},
    "manager": {"Almelo": Role.MANAGER},
    "beheerder": {"Almelo": Role.BEHEERDER},
    "twente-controller": {"Enschede": Role.CONTROLLER, "Hengelo": Role.CONTROLLER},
    **{
        f"{town.lower()}-{role.value}": {town: role}
        for town in ("Venlo", "Enschede", "Hengelo")
        for role in Role
    },
}


@pytest.mark.parametrize("cbs_code", DEMO)
def test_each_municipality_has_its_programme_goals_and_periods(almelo, cbs_code):
    name, short_name, programmes = DEMO[cbs_code]
    organisation = Organisation.objects.get(cbs_code=cbs_code)
    assert (organisation.name, organisation.short_name) == (name, short_name)
    found = Programme.objects.filter(organisation=organisation)
    assert {programme.name for programme in found} == set(programmes)
    for programme in found:
        goals, periods = programmes[programme.name]
        assert programme.status_scale.organisation == organisation
        titles = list(Goal.objects.filter(programme=programme).values_list("title", flat=True))
        assert len(titles) == goals if isinstance(goals, int) else titles == goals
        assert dict(programme.periods.values_list("name", "kind")) == periods


def test_there_are_four_organisations(almelo):
    assert set(Organisation.objects.values_list("cbs_code", flat=True)) == set(DEMO)


def test_venlo_names_its_product_sociale_wijkteams(almelo):
    goal = Goal.objects.get(programme__name="Sociaal domein")
    assert "product Sociale Wijkteams" in goal.description


def test_enschede_has_its_five_level_scale_with_letters_noted(almelo):
    scale = StatusScale.objects.get(organisation__short_name="Enschede")
    levels = list(scale.levels.order_by("order"))
    assert [level.label for level in levels] == [
        "Loopt achter, bijsturing heeft onvoldoende effect",
        "Loopt achter, bijsturing mogelijk",
        "Conform verwachting",
        "Boven verwachting",
        "Neutrale wijziging",
    ]
    assert [level.counts_as_on_course for level in levels] == [False, False, True, True, False]
    assert all(level.icon in StatusIcon.values for level in levels)
    assert len({level.icon for level in levels}) == 5
    assert all(contrast_on_white(level.colour) >= 4.5 for level in levels)
    assert Programme.objects.get(name="Maatschappelijke ondersteuning").status_scale == scale
    goals = Goal.objects.filter(programme__name="Maatschappelijke ondersteuning")
    assert [goal.description.split(".")[0] for goal in goals] == [
        "Doelstelling A van Enschede",
        "Doelstelling B van Enschede",
    ]
    # Almelo keeps only its own scale.
    assert list(
        StatusScale.objects.filter(organisation__short_name="Almelo").values_list("name", flat=True)
    ) == ["Almelo: Ja / Nee / -"]


def contrast_on_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of `colour` (#rrggbb) against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_region_twente_has_almelo_as_centre_for_its_tasks(almelo):
    region = Region.objects.get(name="Twente")
    members = {m.organisation.short_name: m for m in RegionMember.objects.filter(region=region)}
    assert set(members) == {"Almelo", "Enschede", "Hengelo"}
    assert members["Almelo"].is_centre
    assert members["Almelo"].centre_tasks == "beschermd wonen en maatschappelijke opvang"
    assert not members["Enschede"].is_centre and not members["Hengelo"].is_centre


def test_demo_users_hold_their_roles_in_their_own_organisations(almelo):
    held = {}
    for membership in Membership.objects.filter(user__username__in=ROLES).select_related(
        "user", "organisation"
    ):
        held.setdefault(membership.user.username, {})[membership.organisation.short_name] = (
            membership.role
        )
    assert held == ROLES
    for user in get_user_model().objects.filter(username__in=ROLES):
        assert user.check_password(DEMO_PASSWORD), user.username


def test_the_seeds_past_periods_have_no_deadline_or_measures_to_update(almelo):
    """Their chapter (texts, action points, indicators: chapters.demo) is filled; they
    hold no savings measures and no deadline, so nobody gets a reminder or a late update.
    The earlier moment of Enschede and Hengelo is closed, as it was when the later one
    reported on it."""
    past = ReportingPeriod.objects.exclude(programme=almelo)
    assert past.count() == 6
    assert set(past.filter(is_closed=True).values_list("name", flat=True)) == {
        "Tussenrapportage 2018",
        "Begroting 2017",
    }
    assert all(period.deadline is None for period in past)
    assert not MeasureUpdate.objects.filter(period__in=past).exists()
    assert not Assessment.objects.filter(period__in=past).exists()


def test_almelo_programma_zorg_keeps_its_two_periods(almelo):
    assert list(almelo.periods.order_by("reference_date").values_list("name", "is_closed")) == [
        ("Midterm review 2020", True),
        ("Najaarsrapportage 2020", False),
    ]


def test_almelo_overview_is_unchanged_with_four_organisations(almelo, capsys):
    # No --organisation: the period's name points to Almelo alone.
    call_command("overview", "--period", "Midterm review 2020", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    check_figures(rows, str)


def snapshot():
    """Every row the demo writes, without ids or timestamps that loading may touch."""
    models = [
        Organisation,
        Membership,
        Region,
        RegionMember,
        StatusScale,
        StatusLevel,
        Programme,
        Goal,
        ReportingPeriod,
    ]
    rows = {model.__name__: sorted(map(tuple, model.objects.values_list())) for model in models}
    rows["users"] = sorted(
        get_user_model().objects.values_list("username", "is_staff", "email", "password")
    )
    return rows


def test_loading_the_four_organisations_twice_changes_nothing(almelo):
    before = snapshot()
    assert load_demo() == almelo
    assert snapshot() == before


def test_the_command_names_every_organisation_and_demo_account(almelo, capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    for name, _short_name, programmes in DEMO.values():
        assert name in out and all(programme in out for programme in programmes)
    for username in ROLES:
        assert username in out
    assert "Regio Twente" in out and f"wachtwoord {DEMO_PASSWORD}" in out


def test_an_enschede_controller_works_in_enschede_only(almelo, client):
    client.force_login(get_user_model().objects.get(username="enschede-controller"))
    page = client.get(reverse("periods")).content.decode()
    assert "Jaarverslag 2018" in page and "Tussenrapportage 2018" in page
    assert "Midterm review 2020" not in page and "Jaarverslag 2017" not in page


def test_the_regional_controller_chooses_between_enschede_and_hengelo(almelo, client):
    client.force_login(get_user_model().objects.get(username="twente-controller"))
    response = client.get(reverse("periods"))
    workplace = response.wsgi_request.workplace
    assert [org.short_name for org in workplace.organisations] == ["Enschede", "Hengelo"]
    assert workplace.roles == {Role.CONTROLLER}
