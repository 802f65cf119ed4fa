"""The region page's BBV indicators (issue 9 item 4, with issue 10's indicators): per
national indicator a shared programme reports, each member's latest realisatie side by
side; nothing of a programme a member does not share; no region total."""

import re
from datetime import date
from decimal import Decimal

from django.urls import reverse

from indicators.models import Indicator, IndicatorValue, NationalIndicator, ValueKind
from measures.constants import Role
from measures.models import Programme, ReportingPeriod
from organisations.region import (
    MemberFigures,
    NationalDefinition,
    ProgrammeBalance,
    Score,
    indicator_rows,
    latest_scores,
)
from tests.conftest import make_user
from tests.test_region import REGION_PAGE, count_queries, org, twente  # noqa: F401

NUMBERS = [20, 22, 23, 29, 30, 31, 32]
TABLE = "Verplichte beleidsindicatoren (BBV)"


def latest_period(programme_name: str) -> ReportingPeriod:
    return ReportingPeriod.objects.filter(programme__name=programme_name).latest(
        "reference_date", "pk"
    )


def report(programme_name: str, number: int, figure: str, year: int = 2018, *, period=None):
    """The programme's use of national indicator `number`, with a realisatie of `year`."""
    programme = Programme.objects.get(name=programme_name)
    national = NationalIndicator.objects.get(number=number, valid_from=2017)
    indicator, _ = Indicator.objects.get_or_create(
        programme=programme,
        national=national,
        defaults={"decimals": national.decimals, "direction": national.direction},
    )
    return IndicatorValue.objects.create(
        indicator=indicator,
        period=period or latest_period(programme_name),
        year=year,
        kind=ValueKind.ACTUAL,
        value=Decimal(figure),
    )


def bbv_table(content: str) -> str:
    start = content.index(f'<h2 id="bbv-titel">{TABLE}</h2>')
    return content[start : content.index("</section>", start)]


def row(table: str, name: str) -> list[str]:
    """The texts of the cells after the row header that starts with `name`."""
    found = re.search(rf'<th scope="row"[^>]*>{re.escape(name)}.*?</th>(.*?)</tr>', table, re.S)
    assert found, f"no row {name}"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", found[1], re.S)
    return [re.sub(r"<[^>]+>", "", cell).replace("geen realisatie", "").strip() for cell in cells]


def manager_page(client, region) -> str:
    """The page as Almelo's manager reads it."""
    if "_auth_user_id" not in client.session:
        client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    return client.get(reverse("regions:detail", args=[region.pk])).content.decode()


def test_a_score_shows_only_while_its_programme_is_shared(twente, client):  # noqa: F811
    report("Welzijn en Zorg", 20, "47.7")
    # Enschede reports in a programme it does not share: nothing of it reaches the region.
    report("Geheim programma", 20, "51.3", 2019)
    report("Geheim programma", 32, "730")
    table = bbv_table(manager_page(client, twente))
    headers = re.findall(r'<th scope="col"[^>]*>([^<]*)</th>', table)
    assert headers == ["Indicator", "Eenheid", "Almelo", "Enschede", "Hengelo", "Bron"]
    # Unit, the members' scores in their order, source; no total or average column.
    assert row(table, "20. Niet-sporters") == [
        "%",
        "–",
        "–",
        "47,7 (2018)",
        "Gezondheidsenquête (CBS, RIVM)",
    ]
    assert "51,3" not in table and "730" not in table
    assert "32. " not in table

    Programme.objects.get(name="Geheim programma").shared_with_regions.add(twente)
    table = bbv_table(manager_page(client, twente))
    assert row(table, "20. Niet-sporters")[1:4] == ["–", "51,3 (2019)", "47,7 (2018)"]
    assert row(table, "32. Cliënten met een maatwerkarrangement WMO") == [
        "Aantal per 10.000 inwoners",
        "–",
        "730 (2018)",
        "–",
        "GMSD",
    ]


def test_values_are_formatted_with_the_indicators_decimals(twente, client):  # noqa: F811
    for number, figure in [(20, "47.7"), (22, "1.17"), (31, "0.8"), (32, "730")]:
        report("Maatschappelijke ondersteuning", number, figure)
    table = bbv_table(manager_page(client, twente))
    enschede = {
        name: row(table, name)[2]
        for name in ("20. ", "22. ", "31. ", "32. Cliënten met een maatwerkarrangement WMO")
    }
    assert list(enschede.values()) == ["47,7 (2018)", "1,17 (2018)", "0,8 (2018)", "730 (2018)"]
    # Never a point for decimals, never the stored four decimals.
    assert "47.7" not in table and "47,7000" not in table


def test_the_latest_year_then_the_latest_statement_counts(twente, client):  # noqa: F811
    programme = Programme.objects.get(name="Welzijn en Zorg")
    earlier = latest_period("Welzijn en Zorg")
    later = ReportingPeriod.objects.create(
        programme=programme,
        name="Jaarverslag 2026",
        kind=earlier.kind,
        reference_date=date(earlier.reference_date.year + 1, 6, 1),
    )
    report("Welzijn en Zorg", 29, "9.9", 2017, period=earlier)
    report("Welzijn en Zorg", 29, "9.2", 2018, period=earlier)
    report("Welzijn en Zorg", 29, "9.4", 2018, period=later)  # corrected later
    report("Welzijn en Zorg", 29, "8.0", 2016, period=later)
    table = bbv_table(manager_page(client, twente))
    assert row(table, "29. Jongeren met jeugdhulp")[3] == "9,4 (2018)"


def test_targets_do_not_count_as_a_score(twente, client):  # noqa: F811
    value = report("Welzijn en Zorg", 30, "1.9")
    value.kind = ValueKind.TARGET
    value.save()
    table = bbv_table(manager_page(client, twente))
    assert row(table, "30. Jongeren met jeugdbescherming")[1:4] == ["–", "–", "–"]


def test_without_bbv_indicators_the_page_says_so(twente, client):  # noqa: F811
    content = manager_page(client, twente)
    assert "Geen gemeente rapporteert verplichte beleidsindicatoren" in bbv_table(content)


def test_the_query_count_is_the_same_for_one_indicator_as_for_seven(twente, client):  # noqa: F811
    client.force_login(make_user("mara", Role.MANAGER, organisation=org("Almelo")))
    report("Welzijn en Zorg", 20, "47.7")
    one = count_queries(client, twente)
    assert one == REGION_PAGE  # with queries 20 and 21, the realisaties and the definitions
    for number in NUMBERS[1:]:
        report("Welzijn en Zorg", number, "1", 2017)
        report("Welzijn en Zorg", number, "2", 2018)
        report("Maatschappelijke ondersteuning", number, "3")
        report("Programma Zorg", number, "4", 2020)
    assert count_queries(client, twente) == one
    table = bbv_table(client.get(reverse("regions:detail", args=[twente.pk])).content.decode())
    assert table.count('<th scope="row"') == 7


# -- The arithmetic, without a database --------------------------------------------------


def score(year, figure, on=date(2019, 1, 1), period_id=1, decimals=1, qualifier=""):
    return Score(year, Decimal(figure), decimals, on, period_id, qualifier)


def test_latest_scores_take_the_latest_year_then_the_latest_period():
    stated = [
        (20, score(2018, "47.7", date(2019, 1, 1), 1)),
        (20, score(2018, "47.9", date(2019, 6, 1), 2)),
        (20, score(2017, "50", date(2020, 1, 1), 3)),
        (22, score(2016, "1.17", decimals=2, qualifier="cijfers 2016")),
    ]
    latest = latest_scores(stated)
    assert latest[20].text == "47,9 (2018)"
    assert latest[22].text == "1,17 (2016, cijfers 2016)"


def test_rows_follow_the_national_numbers_with_a_column_per_sharing_member():
    shared = [ProgrammeBalance(programme="P")]
    members = [
        MemberFigures(1, "Almelo", programmes=shared, scores={11: score(2018, "730", decimals=0)}),
        MemberFigures(2, "Borne"),  # shares nothing: no column
        MemberFigures(3, "Hengelo", programmes=shared, scores={10: score(2018, "47.7")}),
    ]
    definitions = [
        NationalDefinition(11, 32, "Cliënten", "Aantal", "GMSD", 2017),
        NationalDefinition(10, 20, "Niet-sporters", "%", "CBS", 2017),
        NationalDefinition(12, 20, "Niet-sporters", "%", "CBS", 2021),
    ]
    rows = indicator_rows(members, definitions)
    assert [(r.definition.id, r.shows_valid_from) for r in rows] == [
        (10, True),
        (12, True),
        (11, False),
    ]
    texts = [[s.text if s else None for s in r.scores] for r in rows]
    assert texts == [[None, "47,7 (2018)"], [None, None], ["730 (2018)", None]]
