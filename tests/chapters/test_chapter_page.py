"""The programme chapter page (issue 10 item 6): approved texts, the goal tree with action
points at two moments, the status legend and the indicators, read-only and per
organisation, in a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapters.chapter import CHAPTER_QUERIES
from chapters.models import ActionPointStatus, TextVersion
from measures.constants import Role
from organisations.models import Organisation
from tests.chapters.builders import make_chapter
from tests.conftest import almelo_organisation, make_user


@pytest.fixture
def period(db):
    owner = make_user("eigenaar", Role.INVOERDER, first_name="Olga", last_name="Eigenaar")
    return make_chapter(organisation=almelo_organisation(), owner=owner)


def url(period):
    return reverse("chapters:chapter", args=[period.programme_id]) + f"?periode={period.pk}"


def page_text(response) -> str:
    """The page's text without tags, with its whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, title: str) -> str:
    """The table row of an action point."""
    start = html.index(title)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_chapter(client, period, role):
    client.force_login(make_user(f"lezer-{role.value}", role))
    response = client.get(url(period))
    assert response.status_code == 200
    assert "Programma Hoofdstuk: Tussenrapportage" in page_text(response)


def test_the_most_recent_period_without_asking(client, period, manager):
    client.force_login(manager)
    response = client.get(reverse("chapters:chapter", args=[period.programme_id]))
    assert response.context["period"] == period


def test_a_period_of_another_programme_is_not_found(client, period, manager, almelo):
    client.force_login(manager)
    other = almelo.periods.first()
    response = client.get(
        reverse("chapters:chapter", args=[period.programme_id]) + f"?periode={other.pk}"
    )
    assert response.status_code == 404


def test_approved_texts_in_order_and_drafts_not(client, period, manager):
    client.force_login(manager)
    response = client.get(url(period))
    text = page_text(response)
    assert "Onze ambitie" in text and "Iedereen doet mee." in text
    assert "Geheime concepttekst" not in text
    assert text.index("Onze ambitie") < text.index("Doel A: Zelfredzaamheid")
    html = response.content.decode()
    # The goal's text: a paragraph, then the bullets as a list, escaped as typed.
    assert "<h4>Behaalde resultaten</h4>" in html
    assert re.search(
        r'<p>Wat we bereikten:</p>\s*<ul class="text-list"><li>Wijkteams &lt;b&gt;versterkt', html
    )
    assert "<b>versterkt" not in html


def test_a_submitted_change_is_not_shown_before_approval(client, period, manager):
    version = TextVersion.objects.get(period=period, approved_heading="Onze ambitie")
    TextVersion.objects.filter(pk=version.pk).update(
        heading="Nieuwe kop", body="Nog niet goedgekeurd.", state="submitted"
    )
    status = ActionPointStatus.objects.get(period=period, action_point__number="11a")
    ActionPointStatus.objects.filter(pk=status.pk).update(explanation="Ingediend, niet goed")
    client.force_login(manager)
    text = page_text(client.get(url(period)))
    assert "Onze ambitie" in text
    assert "Nieuwe kop" not in text and "Nog niet goedgekeurd." not in text
    assert "Ingediend, niet goed" not in text


def test_the_goal_tree_with_two_moments_side_by_side(client, period, manager):
    client.force_login(manager)
    response = client.get(url(period))
    html = response.content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert headers[:5] == [
        "Nr.",
        "Actiepunt",
        "Eigenaar",
        "Status Voorjaarsnota 2024",
        "Status Tussenrapportage",
    ]
    row = row_of(html, "Buurtteams uitbreiden")
    cells = re.findall(r'<span class="status__label">([^<]+)</span>', row)
    assert cells == ["Nee", "Ja"]  # before, now: each with its label, not colour alone
    assert row.count('<use href="#icon-') == 2
    assert "11a" in row and "Olga Eigenaar" in row
    assert "Start vertraagd door werving." in row and "Ad 11a: loopt nu volgens plan." in row
    text = page_text(response)
    assert text.index("Doel A: Zelfredzaamheid") < text.index("2 Thuis in de buurt")
    assert text.index("Buurtteams uitbreiden") < text.index("Overige thema")
    assert text.index("Overige thema") < text.index("Losse actie")
    # The measure the action point carries, linked.
    measure = period.programme.measures.get(number="7")
    assert f'href="{reverse("measure_detail", args=[measure.pk])}"' in html


def test_the_legend_of_the_programme_scale(client, period, manager):
    client.force_login(manager)
    html = client.get(url(period)).content.decode()
    legend = html[
        html.index('class="status-legend"') : html.index("</ul>", html.index("status-legend"))
    ]
    assert re.findall(r'<span class="status__label">([^<]+)</span>', legend) == ["Ja", "Nee"]
    assert "loopt achter" in legend


def test_indicators_in_dutch_notation(client, period, manager):
    client.force_login(manager)
    response = client.get(url(period))
    html = response.content.decode()
    text = page_text(response)
    assert "Inwoners die zich thuis voelen" in text
    assert "47,7" in text and "45,0" in text
    assert "6.626" in text
    assert "Streefwaarde gehaald" in text  # 47,7 against 45,0, higher is better
    assert "Foutmarge 2 procentpunt" in text
    assert "Vervalt per Begroting 2019-2022" in text
    assert "Wijkmonitor" in text
    # The chart: an SVG with a text alternative, and its figures as a table.
    assert html.count('class="chart__svg"') == 2
    assert 'aria-label="Staafdiagram van Inwoners die zich thuis voelen' in html
    assert "Cijfers bij de grafiek van Inwoners die zich thuis voelen" in html
    assert "44,2" in text  # the previous period's figure, in the chart's series


def test_bbv_indicators_in_their_own_table(client, period, manager):
    client.force_login(manager)
    html = client.get(url(period)).content.decode()
    table = html[
        html.index('class="bbv-indicators"') : html.index("</table>", html.index("bbv-indicators"))
    ]
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', table)
    assert headers == ["Beleidsveld", "Naam indicator", "Eenheid", "Jaar", "Score", "Bron"]
    assert "Cliënten met een maatwerkarrangement WMO" in table
    assert "Aantal per 10.000 inwoners" in table
    assert ">2018<" in table and ">730<" in table and "GMSD" in table


def test_another_organisations_programme_is_not_found(client, period):
    hengelo, _ = Organisation.all_organisations.get_or_create(
        cbs_code="0164",
        defaults={"name": "Gemeente Hengelo", "short_name": "Hengelo", "slug": "hengelo"},
    )
    client.force_login(make_user("henk", Role.MANAGER, organisation=hengelo))
    assert client.get(url(period)).status_code == 404


def test_the_programmes_page_links_to_the_chapter(client, period, manager):
    client.force_login(manager)
    html = client.get(reverse("chapters:programmes")).content.decode()
    assert reverse("chapters:chapter", args=[period.programme_id]) in html
    assert "Programma Zorg" in html


def test_a_programme_without_periods(client, manager, almelo):
    from tests.factories import make_programme

    programme = make_programme(0, name="Leeg programma").programme
    programme.periods.all().delete()
    client.force_login(manager)
    response = client.get(reverse("chapters:chapter", args=[programme.pk]))
    assert response.status_code == 200
    assert "nog geen rapportagemomenten" in page_text(response)


def queries_for(client, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(period)).status_code == 200
    return len(queries)


# The user, their memberships (the organisation's middleware) and their permissions
# (permission_required), the programme, its periods, and chapters.chapter.load_chapter's:
# CHAPTER_QUERIES (its docstring names them) and the status scale's levels, which the page
# does not pass.
PAGE_QUERIES = 5 + CHAPTER_QUERIES + 1


@pytest.mark.parametrize("count", [10, 200])
def test_fixed_number_of_queries(client, manager, count, django_assert_num_queries):
    period = make_chapter(
        organisation=almelo_organisation(), name=f"Programma {count}", extra=count
    )
    client.force_login(manager)
    client.get(url(period))  # warm caches that are not the page's (content types)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(url(period))
    assert f"Extra actiepunt {count - 1}" in response.content.decode()


def test_the_same_queries_for_10_and_200(client, manager):
    client.force_login(manager)
    small = make_chapter(organisation=almelo_organisation(), name="Programma Klein", extra=10)
    large = make_chapter(organisation=almelo_organisation(), name="Programma Groot", extra=200)
    queries_for(client, small)
    assert queries_for(client, small) == queries_for(client, large)


def test_an_indicator_without_figures_is_shown_unless_discontinued(client, db):
    """Enschede's indicators whose charts were lost are in the chapter with "no figures";
    one that is discontinued and has none is not."""
    from indicators.models import Indicator

    period = make_chapter(name="Programma Zonder Cijfers")
    programme = period.programme
    Indicator.objects.create(programme=programme, name="Nog gemeten, geen cijfers")
    Indicator.objects.create(programme=programme, name="Niet meer gemeten", is_discontinued=True)
    viewer = make_user("lezer-cijfers", Role.MANAGER)
    client.force_login(viewer)
    response = client.get(reverse("chapters:chapter", args=[programme.pk]), {"periode": period.pk})
    text = page_text(response)
    assert "Nog gemeten, geen cijfers" in text
    assert f"{period.name} noemt geen cijfers van deze indicator." in text
    assert "Niet meer gemeten" not in text
