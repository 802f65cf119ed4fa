"""The region page (issue 9 item 4): per member the "op koers" balance of each programme
it shares with the region, exactly as its own overview shows it; region totals added in
euros; nothing of a member that it does not share; readable by the managers and
controllers of a member only."""

import re
from datetime import date

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.constants import Role
from measures.models import Measure, Programme, ReportingPeriod
from measures.money import format_thousands
from measures.overview_data import load_overview
from measures.views import choose_period
from organisations.middleware import SESSION_KEY
from organisations.models import Organisation, Region, RegionMember
from organisations.region import (
    BalanceFigures,
    MemberFigures,
    Outcome,
    ProgrammeBalance,
    compute_region,
)
from organisations.region_data import load_region
from tests.conftest import almelo_organisation, make_user
from tests.factories import make_programme
from tests.reference import EXPECTED


def organisation(name: str, cbs_code: str) -> Organisation:
    """The demo's organisation with this CBS code, or a new one (Borne)."""
    found, _ = Organisation.all_organisations.get_or_create(
        cbs_code=cbs_code,
        defaults={"name": f"Gemeente {name}", "short_name": name, "slug": name.lower()},
    )
    return found


def without_demo_programmes(organisation: Organisation) -> None:
    """The demo gives Enschede and Hengelo their programme from the seeds, with goals,
    periods and a chapter but no measures; these tests give them generated programmes in
    its place. The demo's programme moves to an organisation outside the region: the
    chapter of its closed periods cannot be deleted."""
    elsewhere = Organisation.all_organisations.create(
        cbs_code=f"9{organisation.cbs_code[1:]}",
        name=f"Elders ({organisation.short_name})",
        short_name=f"Elders {organisation.short_name}",
        slug=f"elders-{organisation.slug}",
    )
    Programme.objects.filter(organisation=organisation).update(
        organisation=elsewhere, name=Concat(Value("Demo: "), F("name"))
    )


def share(period: ReportingPeriod, region: Region) -> Programme:
    programme = period.programme
    programme.shared_with_regions.add(region)
    return programme


@pytest.fixture
def twente(almelo):
    """Twente: Almelo (centrumgemeente, sharing Programma Zorg), Enschede (sharing one of
    its two programmes), Hengelo (sharing one, with Enschede's target year) and Borne
    (sharing nothing). Venlo works elsewhere."""
    # The demo's Twente has Almelo (centrumgemeente), Enschede and Hengelo.
    region, _ = Region.objects.get_or_create(name="Twente")
    almelo_org = almelo_organisation()
    enschede = organisation("Enschede", "0153")
    hengelo = organisation("Hengelo", "0164")
    borne = organisation("Borne", "0147")
    organisation("Venlo", "0983")
    RegionMember.objects.update_or_create(
        region=region,
        organisation=almelo_org,
        defaults={
            "is_centre": True,
            "centre_tasks": "beschermd wonen en maatschappelijke opvang",
        },
    )
    for member in (enschede, hengelo, borne):
        RegionMember.objects.get_or_create(region=region, organisation=member)
    for member in (enschede, hengelo):
        without_demo_programmes(member)
    almelo.shared_with_regions.add(region)
    share(make_programme(12, name="Maatschappelijke ondersteuning", organisation=enschede), region)
    secret = make_programme(4, name="Geheim programma", organisation=enschede)
    Measure.objects.filter(programme=secret.programme, title="Maatregel 1").update(
        title="Geheime maatregel"
    )
    share(make_programme(6, name="Welzijn en Zorg", organisation=hengelo), region)
    return region


def org(short_name: str) -> Organisation:
    return Organisation.all_organisations.get(short_name=short_name)


def own_overview(programme: Programme):
    """The member's own overview page's computation: its latest period, as the page
    chooses it when no period is asked for."""
    period = choose_period(list(ReportingPeriod.objects.filter(programme=programme)), None)
    return load_overview(period).overview


def figures_of(region: Region, member: str, programme: str) -> ProgrammeBalance:
    members = {m.name: m for m in load_region(region).members}
    return next(p for p in members[member].programmes if p.programme == programme)


def page(client, username: str, role: Role, member: str, region: Region):
    client.force_login(make_user(username, role, organisation=org(member)))
    return client.get(reverse("regions:detail", args=[region.pk]))


# -- The figures -------------------------------------------------------------------------


def test_each_members_balance_is_that_of_its_own_overview(twente):
    for member, name in [
        ("Almelo", "Programma Zorg"),
        ("Enschede", "Maatschappelijke ondersteuning"),
        ("Hengelo", "Welzijn en Zorg"),
    ]:
        programme = Programme.objects.get(organisation=org(member), name=name)
        overview = own_overview(programme)
        shown = figures_of(twente, member, name)
        assert shown.target_year == overview.target_year
        assert shown.figures.balance == overview.balance
        assert shown.figures.on_course == overview.on_course_total
        assert shown.figures.savings_task == -overview.savings_task_in_target_year


def test_almelo_shows_the_seeds_balance_from_the_frozen_midterm_review(twente, client):
    """With the closed Midterm review 2020 as Almelo's latest period, the region shows
    what was frozen at closing: the seed's 5.832 on course, -7.550 task, 1.800 extra
    means for jeugdhulp and balance 82."""
    ReportingPeriod.objects.filter(name="Najaarsrapportage 2020").update(
        reference_date=date(2020, 1, 1)
    )
    shown = figures_of(twente, "Almelo", "Programma Zorg")
    assert shown.period == "Midterm review 2020" and shown.is_closed
    assert shown.target_year == 2022
    expected_adjustments = sum(a["amount"] for a in EXPECTED["adjustments"] if a["year"] == 2022)
    assert shown.figures == BalanceFigures(
        on_course=EXPECTED["on_track_total_in_target_year"] * 1000,
        savings_task=EXPECTED["savings_task"]["2022"] * 1000,
        adjustments=expected_adjustments * 1000,
    )
    assert shown.figures.balance == EXPECTED["balance_in_target_year"] * 1000 == 82_000

    content = page(client, "mara", Role.MANAGER, "Almelo", twente).content.decode()
    row = re.search(r"<th scope=\"row\"[^>]*>Programma Zorg</th>(.*?)</tr>", content, re.S)[1]
    cells = re.findall(r'<td class="amount[^"]*">([^<]*)</td>', row)
    assert cells == ["2022", "5.832", "-7.550", "1.800", "82"]
    assert "voordeel" in row


def test_the_region_adds_balances_of_a_target_year_in_euros(twente, client):
    enschede = figures_of(twente, "Enschede", "Maatschappelijke ondersteuning").figures
    hengelo = figures_of(twente, "Hengelo", "Welzijn en Zorg").figures
    almelo = figures_of(twente, "Almelo", "Programma Zorg").figures
    totals = {total.year: total for total in load_region(twente).year_totals}
    assert sorted(totals) == [2022, 2026]
    assert totals[2026].figures == BalanceFigures(
        on_course=enschede.on_course + hengelo.on_course,
        savings_task=enschede.savings_task + hengelo.savings_task,
        adjustments=enschede.adjustments + hengelo.adjustments,
    )
    assert (totals[2026].programme_count, totals[2026].member_count) == (2, 2)
    assert totals[2022].figures == almelo

    content = page(client, "mara", Role.MANAGER, "Almelo", twente).content.decode()
    footer = content[content.index("<tfoot>") : content.index("</tfoot>")]
    assert f">{format_thousands(totals[2026].figures.balance)}</td>" in footer
    assert "Regio, doeljaar 2026: 2 programma's" in footer


def test_totals_are_rounded_from_the_summed_euros_not_from_rounded_figures():
    def member(pk, euros):
        programme = ProgrammeBalance(
            programme=f"Programma {pk}",
            period="Tussenrapportage",
            reference_date=date(2024, 7, 1),
            target_year=2026,
            figures=BalanceFigures(on_course=euros, savings_task=0, adjustments=0),
        )
        return MemberFigures(organisation_id=pk, name=f"Gemeente {pk}", programmes=[programme])

    region = compute_region([member(1, 1_400), member(2, 1_400)])
    (total,) = region.year_totals
    assert total.figures.balance == 2_800
    # Each member shows 1 (thousand); the region 3, not 1 + 1.
    assert [format_thousands(1_400), format_thousands(total.figures.balance)] == ["1", "3"]


def test_programmes_of_different_target_years_are_not_added():
    def member(pk, year, euros):
        figures = BalanceFigures(on_course=euros, savings_task=-1_000, adjustments=0)
        programme = ProgrammeBalance(programme="P", target_year=year, figures=figures)
        return MemberFigures(organisation_id=pk, name=str(pk), programmes=[programme])

    region = compute_region([member(1, 2022, 5_000), member(2, 2026, 500), member(3, 2026, 0)])
    assert [(t.year, t.figures.balance, t.figures.outcome) for t in region.year_totals] == [
        (2022, 4_000, Outcome.FAVOURABLE),
        (2026, -1_500, Outcome.UNFAVOURABLE),
    ]


def test_a_shared_programme_without_a_period_shows_no_figures(twente, client):
    enschede = org("Enschede")
    scale = Programme.objects.get(name="Maatschappelijke ondersteuning").status_scale
    fresh = Programme.objects.create(
        organisation=enschede,
        name="Nieuw programma",
        first_year=2025,
        last_year=2028,
        target_year=2028,
        status_scale=scale,
    )
    fresh.shared_with_regions.add(twente)
    shown = figures_of(twente, "Enschede", "Nieuw programma")
    assert shown.figures is None
    assert 2028 not in {total.year for total in load_region(twente).year_totals}
    content = page(client, "mara", Role.MANAGER, "Almelo", twente).content.decode()
    assert "Nog geen rapportagemoment" in content


# -- What the region does not see --------------------------------------------------------


def test_a_programme_not_shared_shows_nothing_of_the_member(twente, client):
    content = page(client, "mara", Role.MANAGER, "Almelo", twente).content.decode()
    assert "Maatschappelijke ondersteuning" in content
    assert "Geheim programma" not in content
    assert "Geheime maatregel" not in content
    # Not even of a shared programme: its measures stay the member's own.
    assert "Maatregel 1" not in content
    # A member that shares nothing is named as a member, nothing more.
    assert "Deelt geen programma met de regio: Borne." in content


def test_sharing_counts_only_for_the_region_shared_with_and_while_a_member(twente):
    other = Region.objects.create(name="Noord-Limburg")
    RegionMember.objects.create(region=other, organisation=org("Venlo"))
    RegionMember.objects.create(region=other, organisation=org("Enschede"))
    secret = Programme.objects.get(name="Geheim programma")
    secret.shared_with_regions.add(other)
    assert "Geheim programma" not in {
        p.programme for m in load_region(twente).members for p in m.programmes
    }
    # Hengelo leaves Twente: its programme, still marked, is no longer shown.
    RegionMember.objects.filter(region=twente, organisation=org("Hengelo")).delete()
    assert [m.name for m in load_region(twente).members] == ["Almelo", "Borne", "Enschede"]
    assert 2026 in {t.year for t in load_region(twente).year_totals}
    assert {t.year: t.programme_count for t in load_region(twente).year_totals}[2026] == 1


def test_the_region_reads_members_only_inside_their_scope(twente):
    """Outside any scope the loader's reads would fail (organisations.scoping): it opens
    the members' scope itself, and a request's own scope does not leak into it."""
    from organisations.scoping import organisation_scope

    with organisation_scope(org("Venlo")):
        members = load_region(twente).members
    assert {p.programme for m in members for p in m.programmes} == {
        "Programma Zorg",
        "Maatschappelijke ondersteuning",
        "Welzijn en Zorg",
    }


# -- Who may read ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "member", "expected"),
    [
        (Role.MANAGER, "Almelo", 200),
        (Role.CONTROLLER, "Almelo", 200),
        (Role.MANAGER, "Borne", 200),  # a member that shares nothing still reads the region
        (Role.CONTROLLER, "Enschede", 200),
        (Role.INVOERDER, "Almelo", 403),
        (Role.BEHEERDER, "Enschede", 403),
        (Role.MANAGER, "Venlo", 404),
        (Role.CONTROLLER, "Venlo", 404),
    ],
)
def test_who_may_read_the_region(twente, client, role, member, expected):
    assert page(client, "wie", role, member, twente).status_code == expected


def test_the_role_and_membership_of_the_active_organisation_count(twente, client):
    """Manager in Venlo and in Enschede: the region is readable while working for
    Enschede, and answers 404 while working for Venlo."""
    person = make_user("regioteam", Role.MANAGER, organisation=org("Venlo"))
    make_user_role(person, Role.MANAGER, org("Enschede"))
    client.force_login(person)
    url = reverse("regions:detail", args=[twente.pk])
    choose(client, org("Venlo"))
    assert client.get(url).status_code == 404
    choose(client, org("Enschede"))
    assert client.get(url).status_code == 200


def make_user_role(user, role, organisation):
    from organisations.models import Membership

    Membership.objects.create(user=user, organisation=organisation, role=role.value)


def choose(client, organisation):
    session = client.session
    session[SESSION_KEY] = organisation.pk
    session.save()


def test_the_list_shows_the_regions_of_the_active_organisation(twente, client):
    Region.objects.create(name="Noord-Limburg").memberships.create(organisation=org("Venlo"))
    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Enschede")))
    content = client.get(reverse("regions:list")).content.decode()
    assert reverse("regions:detail", args=[twente.pk]) in content
    assert "Noord-Limburg" not in content


def test_the_list_says_so_when_the_organisation_is_in_no_region(twente, client):
    client.force_login(make_user("vera", Role.MANAGER, organisation=org("Venlo")))
    content = client.get(reverse("regions:list")).content.decode()
    assert "Venlo is geen lid van een regio." in content
    assert "Twente" not in content


def test_the_header_links_to_the_region_only_where_the_organisation_is_in_one(twente, client):
    link = f'href="{reverse("regions:list")}"'
    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    assert link in client.get(reverse("help")).content.decode()
    client.force_login(make_user("ina", Role.INVOERDER, organisation=org("Almelo")))
    assert link not in client.get(reverse("help")).content.decode()
    client.force_login(make_user("vera", Role.MANAGER, organisation=org("Venlo")))
    assert link not in client.get(reverse("help")).content.decode()


# -- Queries -----------------------------------------------------------------------------


def count_queries(client, region) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("regions:detail", args=[region.pk]))
    assert response.status_code == 200
    return len(queries)


# The session comes from the cache. Then: 1 the user, 2 their memberships (with whether
# their organisation is in a region), 3 their permissions, 4 the region, 5 its members,
# 6 the shared programmes with their latest period's id, 7 those periods; per shared
# programme what its overview reads: 8-11 Almelo's open Najaarsrapportage (measures,
# status levels, targets, savings task with adjustments), 12-15 Enschede's and 16-19
# Hengelo's open Tussenrapportage likewise; 20 the realisaties of national (BBV)
# indicators in the shared programmes, 21 the national definitions they report; 22 the
# shared programmes' periods with budget figures (none here: with some, two more, see
# tests/test_region_budget.py).
REGION_PAGE = 22


def test_the_region_page_runs_a_fixed_number_of_queries(twente, client):
    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    assert count_queries(client, twente) == REGION_PAGE
    # Many more measures in a shared programme: not one query more.
    programme = Programme.objects.get(name="Maatschappelijke ondersteuning")
    programme.shared_with_regions.remove(twente)
    share(make_programme(300, name="Groot programma", organisation=org("Enschede")), twente)
    assert count_queries(client, twente) == REGION_PAGE


# -- Sharing -----------------------------------------------------------------------------


def test_a_beheerder_shares_a_programme_with_a_region_of_their_own_organisation(twente, client):
    from tests.test_history_complete import submit_admin_change

    Region.objects.create(name="Noord-Limburg").memberships.create(organisation=org("Venlo"))
    programme = Programme.objects.get(name="Programma Zorg")
    programme.shared_with_regions.clear()
    client.force_login(make_user("ben", Role.BEHEERDER, organisation=org("Almelo"), is_staff=True))
    url = reverse("admin:measures_programme_change", args=[programme.pk])
    content = client.get(url).content.decode()
    assert "Twente" in content
    assert "Noord-Limburg" not in content  # a region Almelo does not work in

    response = submit_admin_change(client, url, {"shared_with_regions": str(twente.pk)})
    assert response.status_code == 302
    assert list(programme.shared_with_regions.all()) == [twente]
    # Who shared it, and when, is in the programme's history.
    latest = programme.history.order_by("-history_id").first()
    assert [row.region_id for row in latest.shared_with_regions.all()] == [twente.pk]
    assert latest.history_user.username == "ben"
