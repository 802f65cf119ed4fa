"""The dashboard: one programme's period in charts with their figures, the gap to the
savings task, statuses over time, status changes, overdue updates, and the measure list."""

import re
from datetime import date
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measures import services
from measures.constants import UpdateState
from measures.dashboard.data import build_dashboard, history_of
from measures.models import (
    Assessment,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    ReportingPeriod,
    StatusLevel,
    natural_sort_key,
)
from measures.overview import (
    AdjustmentData,
    Amount,
    MeasureData,
    OverviewInput,
    PlanData,
    Series,
    TaskGap,
    compute_overview,
    gaps_to_savings_task,
)
from measures.overview_data import load_overview, overview_labels, status_data
from reports.builder import build_report_data
from tests.factories import make_programme
from tests.workflow import open_period

URL = reverse("dashboard")


def closed_period():
    return ReportingPeriod.objects.get(name="Midterm review 2020")


def page(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    """The page's text, without its SVG and tags, in single spaces."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def table(html: str, caption: str) -> list[list[str]]:
    """The rows (header cells and data cells as text) of the table with this caption."""
    found = re.search(
        r"<table[^>]*>\s*<caption[^>]*>" + re.escape(caption) + r".*?</table>", html, re.S
    )
    assert found, f"no table with caption {caption!r}"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(0), re.S)
    return [
        [text_of(cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def measure_numbers(html: str) -> list[str]:
    return [row[0] for row in table(html, "Maatregelen met hun status in")[1:]]


def measure_titles(html: str) -> list[str]:
    return [row[1] for row in table(html, "Maatregelen met hun status in")[1:]]


# -- Where it is and who sees it ----------------------------------------------------------


@pytest.mark.parametrize("role", ["invoerder", "controller", "manager", "beheerder"])
def test_every_role_finds_the_dashboard_in_the_main_menu(almelo, client, role, request):
    client.force_login(request.getfixturevalue(role))
    menu = client.get(reverse("overview")).content.decode()
    assert f'<a href="{URL}">Dashboard</a>' in menu
    html = page(client)
    assert f'<a href="{URL}" aria-current="page">Dashboard</a>' in html
    assert "<h1>Dashboard: Najaarsrapportage 2020</h1>" in html


def test_the_dashboard_only_reads(almelo, manager_client):
    assert manager_client.post(URL).status_code == 405


# -- Target, forecast and realised: the report's chart ------------------------------------


@pytest.mark.parametrize("name", ["Midterm review 2020", "Najaarsrapportage 2020"])
def test_savings_chart_is_the_reports_chart_with_the_same_figures(almelo, manager_client, name):
    period = ReportingPeriod.objects.select_related("programme__organisation").get(name=name)
    report_chart = build_report_data(period, built_at=timezone.now()).chart
    html = page(manager_client, periode=period.pk)
    caption = "Cijfers bij de grafiek: Taakstelling, prognose en realisatie per jaar"
    rows = table(html, caption)
    assert rows[0] == ["Reeks", "2019", "2020", "2021", "2022"]
    assert rows[1:] == [[row.label, *row.cells] for row in report_chart.table]
    # The same SVG, with its text alternative, under an id of its own on this page.
    assert f'role="img" aria-label="{report_chart.description}"' in html
    assert 'id="besparingen-titel"' in html and 'id="besparingen-cijfers"' in html
    assert "grafiek-titel" not in html


# -- The gap to the savings task ----------------------------------------------------------


def test_gap_to_the_savings_task_per_year_is_computed_from_forecasts_and_adjustments():
    measures = [
        MeasureData(
            1, "1", "A", {2021: Amount(50), 2022: Amount(100)}, forecasts={2022: Amount(80)}
        ),
        MeasureData(2, "2", "B", {2021: Amount(40), 2022: Amount.pm()}),
    ]
    overview = compute_overview(
        OverviewInput(
            years=[2020, 2021, 2022],
            target_year=2022,
            plans=[PlanData(1, "Plan", "", measures)],
            other_measures=[],
            savings_task={2021: 100, 2022: 300},
            adjustments=[AdjustmentData("Extra middelen", 2022, 150)],
        ),
        labels=overview_labels(),
    )
    # No task in 2020, so no gap; a forecast replaces its target; PM counts as 0.
    assert gaps_to_savings_task(overview) == [
        TaskGap(year=2021, savings_task=100, expected=90, adjustments=0),
        TaskGap(year=2022, savings_task=300, expected=80, adjustments=150),
    ]
    assert [gap.gap for gap in gaps_to_savings_task(overview)] == [-10, -70]


def test_dashboard_shows_the_gap_per_year_with_its_parts(almelo, manager_client):
    html = page(manager_client)
    rows = table(html, "Verschil met de taakstelling van het programma per jaar")
    assert rows == [
        ["Regel", "2019", "2020", "2021", "2022"],
        ["Prognose", "1.580", "3.279", "5.369", "6.219"],
        ["Bijstellingen", "0", "0", "0", "1.800"],
        ["Taakstelling programma", "1.150", "3.150", "5.150", "7.550"],
        ["Verschil", "430 voordeel", "129 voordeel", "219 voordeel", "469 voordeel"],
    ]
    # The expected savings are the chart's, to the unit.
    overview = load_overview(open_period(), with_figures=True).overview
    assert [gap.expected for gap in gaps_to_savings_task(overview)] == [
        overview.totals[Series.FORECAST][year].euros for year in overview.years
    ]
    card = "Prognose en bijstellingen min taakstelling programma 2022 469 x € 1.000, voordeel"
    assert card in text_of(html)


# -- Statuses over time -------------------------------------------------------------------


def make_off_course(title: str) -> None:
    """An approved change of a measure that was on course to "Nee" in the open period."""
    no = StatusLevel.objects.get(scale__programmes__name="Programma Zorg", label="Nee")
    Assessment.objects.filter(measure__title=title, period=open_period()).update(status=no)


def test_statuses_per_period_are_counted_with_the_measures_that_left_on_course(
    almelo, manager_client
):
    make_off_course("Dagstructurering")
    html = page(manager_client)
    rows = table(html, "Cijfers bij de grafiek: Maatregelen per status per rapportagemoment")
    assert rows == [
        ["Status", "Midterm review 2020", "Najaarsrapportage 2020"],
        ["Ja (op koers)", "10", "9"],
        ["Nee (niet op koers)", "1", "3"],
        ["- (niet beoordeeld of (nog) niet realiseerbaar)", "3", "2"],
        ["Totaal", "14", "14"],
        # 8 went from "-" to "Nee": it was not on course before, so it did not leave it.
        ["Van op koers naar niet op koers", "–", "1"],
    ]
    assert "Niet meer op koers sinds Midterm review 2020 1" in text_of(html)
    assert "Op koers 9 van 14 maatregelen" in text_of(html)


def test_status_counts_are_the_overviews_for_open_and_closed_periods(almelo):
    make_off_course("Peuteropvang")
    periods = list(ReportingPeriod.objects.all())
    for period in periods:
        data = build_dashboard(history_of(period, periods), today=date(2020, 12, 1))
        result = load_overview(period)
        levels = [status_data(level) for level in result.levels]
        assert data.status_counts == result.overview.status_counts(levels)


def test_status_chart_stacks_the_counts_and_marks_each_segment_with_its_icon(
    almelo, manager_client
):
    data = build_dashboard(
        history_of(open_period(), list(ReportingPeriod.objects.all())), today=date(2020, 12, 1)
    )
    chart = data.status_chart
    assert chart.columns == ["Midterm review 2020", "Najaarsrapportage 2020"]
    assert [total.text for total in chart.totals] == ["14", "14"]
    # Each column's segments fill it from the axis up without gaps.
    axis = chart.gridlines[0].y
    for column in {bar.x for bar in chart.bars}:
        segments = sorted((bar for bar in chart.bars if bar.x == column), key=lambda b: -b.y)
        assert segments[0].y + segments[0].height == axis
        for lower, upper in zip(segments, segments[1:], strict=False):
            assert upper.y + upper.height == lower.y
    assert {(bar.icon, bar.text) for bar in chart.bars} >= {("smiley", "10"), ("frown", "2")}
    html = page(manager_client)
    assert '<use href="#icon-smiley"' in html and 'aria-label="Gestapeld staafdiagram' in html


# -- Changed statuses and overdue updates -------------------------------------------------


def test_measures_that_changed_status_are_listed_with_both_statuses(almelo, manager_client):
    html = page(manager_client)
    assert table(html, "Maatregelen met een andere status dan in Midterm review 2020") == [
        ["Maatregel", "Maatregelenplan", "Was", "Wordt"],
        [
            "8 Jeugdhulp in het onderwijs",
            "Maatregelenplan 2",
            "- (niet beoordeeld of (nog) niet realiseerbaar)",
            "Nee (niet op koers)",
        ],
    ]
    first = page(manager_client, periode=closed_period().pk)
    assert "Dit is het eerste rapportagemoment van het programma" in first


def test_updates_not_approved_after_the_deadline_are_overdue(almelo, manager_client):
    html = page(manager_client)
    rows = table(html, "Niet goedgekeurd na de uiterste invoerdatum van 23 oktober 2020")
    overdue = {row[0]: row[1:] for row in rows[1:]}
    assert overdue["2 Aanpassing PGB tarieven"] == ["Inge Invoerder", "Ingediend"]
    assert overdue["7 Ombouw dagbehandeling"] == ["Joke de Jong", "Teruggestuurd"]
    assert overdue["6.2 Uitbreiden kinder- en pubercoach"] == ["Joke de Jong", "Concept"]
    # Approved ones are done; the measure outside the plans comes after the plans.
    assert "1 Doorbraakmethode" not in overdue and "8 Jeugdhulp in het onderwijs" not in overdue
    assert list(overdue)[-1] == "Gecertificeerde instellingen"
    assert (
        len(overdue)
        == MeasureUpdate.objects.filter(period=open_period())
        .exclude(state=UpdateState.APPROVED)
        .count()
    )
    assert "Updates te laat 12" in text_of(html)


def test_nothing_is_overdue_before_the_deadline_or_in_a_closed_period(almelo, manager_client):
    ReportingPeriod.objects.filter(pk=open_period().pk).update(
        deadline=timezone.localdate() + timezone.timedelta(days=1)
    )
    assert "Geen updates te laat; de uiterste invoerdatum is" in text_of(page(manager_client))
    closed = page(manager_client, periode=closed_period().pk)
    assert "Dit rapportagemoment is afgesloten; er wordt niets meer bijgewerkt." in closed


# -- Programme and period -----------------------------------------------------------------


def test_programme_and_period_are_chosen_together(almelo, manager_client):
    other = make_programme(4, name="Programma Werk")
    html = page(manager_client, programma=other.programme_id)
    assert "<h1>Dashboard: Tussenrapportage</h1>" in html
    assert f'<option value="{other.programme_id}" selected>Programma Werk</option>' in html
    # A period of another programme than the one chosen gives that programme's latest.
    html = page(manager_client, programma=other.programme_id, periode=closed_period().pk)
    assert "<h1>Dashboard: Tussenrapportage</h1>" in html
    html = page(manager_client, programma=almelo.pk, periode=closed_period().pk)
    assert "<h1>Dashboard: Midterm review 2020</h1>" in html


@pytest.mark.parametrize("params", [{"periode": "999999"}, {"periode": "abc"}, {"programma": "x"}])
def test_an_unknown_programme_or_period_is_not_found(almelo, manager_client, params):
    assert manager_client.get(URL, params).status_code == 404


# -- Searching and sorting the measures ---------------------------------------------------


def test_measures_are_found_by_number_title_and_owner(almelo, manager_client):
    assert measure_numbers(page(manager_client, zoek="6")) == ["6", "6.1", "6.2"]
    assert measure_titles(page(manager_client, zoek="pubercoach")) == [
        "Uitbreiden kinder- en pubercoach"
    ]
    assert measure_titles(page(manager_client, zoek="6 coach")) == [
        "Persoonlijke netwerkcoach",
        "Uitbreiden kinder- en pubercoach",
    ]
    by_owner = measure_titles(page(manager_client, zoek="joke jong"))
    assert by_owner == [
        "Peuteropvang",
        "Uitbreiden kinder- en pubercoach",
        "Ombouw dagbehandeling",
        "Jeugdhulp in het onderwijs",
        "Gecertificeerde instellingen",
    ]
    html = page(manager_client, zoek="bestaat niet")
    assert "0 maatregelen gevonden." in html and "Geen maatregelen gevonden." in html


def test_measures_are_filtered_on_status_and_owner(almelo, manager_client):
    no = StatusLevel.objects.get(scale__programmes__name="Programma Zorg", label="Nee")
    owner = get_user_model().objects.get(username="invoerder")
    assert measure_titles(page(manager_client, status=no.pk)) == [
        "Uitbreiden kinder- en pubercoach",
        "Jeugdhulp in het onderwijs",
    ]
    mine = measure_titles(page(manager_client, eigenaar=owner.pk, zoek="PGB"))
    assert mine == ["Aanpassing PGB tarieven"]


def test_a_wrong_filter_value_is_refused_at_its_field(almelo, manager_client):
    html = page(manager_client, status="onzin")
    assert re.search(r'id="id_status_error">.*Selecteer een geldige keuze', html, re.S)
    assert 'aria-invalid="true"' in html


def test_numbers_sort_naturally_and_every_column_sorts(almelo, manager_client):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 2")
    Measure.objects.create(
        programme=almelo, plan=plan, number="10", title="Tiende maatregel", domain="wmo"
    )
    assert measure_numbers(page(manager_client, zoek="", sorteer="number")) == [
        "1", "1", "2", "2", "3", "3", "4", "4", "5", "6", "6.1", "6.2", "7", "8", "10", "",
    ]  # fmt: skip
    descending = measure_numbers(page(manager_client, sorteer="-number"))
    assert descending[:6] == ["10", "8", "7", "6.2", "6.1", "6"] and descending[-1] == ""
    titles = measure_titles(page(manager_client, sorteer="title"))
    assert titles == sorted(titles, key=str.lower)
    by_status = measure_titles(page(manager_client, sorteer="-status"))
    assert by_status[:2] == ["Anders organiseren wassen en strijken", "Ombouw dagbehandeling"]
    html = page(manager_client, sorteer="owner")
    assert '<th scope="col" aria-sort="ascending"><a href="?sorteer=-owner' in html
    assert measure_titles(html)[0] == "Doorbraakmethode"


def test_the_list_is_paged(almelo, manager_client):
    period = make_programme(60, name="Programma Groot")
    html = page(manager_client, periode=period.pk, pagina="2")
    assert "Pagina 2 van 3" in html
    assert len(measure_numbers(html)) == 25


# -- A fixed number of queries ------------------------------------------------------------


def programme_with_history(size: int, controller) -> ReportingPeriod:
    """A programme of `size` measures with a closed period and an open one after it, whose
    deadline has passed, with a third of the measures moved off course."""
    closed = make_programme(size, name=f"Programma {size}")
    services.close_period(period=closed, user=controller)
    period = services.open_period(
        programme=closed.programme,
        name="Najaarsrapportage",
        kind="najaarsrapportage",
        reference_date=date(2024, 10, 1),
        deadline=date(2024, 10, 15),
        user=controller,
    )
    off = StatusLevel.objects.get(scale=closed.programme.status_scale, label="Nee")
    assessments = Assessment.objects.filter(period=period, measure__title__endswith="1")
    assessments.update(status=off)
    return period


def count_queries(client, period) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"periode": period.pk})
    assert response.status_code == 200
    return len(queries)


# The session comes from the cache. Then: 1 the user, 2 their roles in their
# organisations, 3 their permissions, 4 the periods for the choice;
# measures.dashboard.data: 5 the periods of the status history with their frozen
# overviews, 6 the measures, 7 the status levels, 8 the targets, 9 the savings task with
# the adjustments, 10 the approved forecasts and realisations, 11 the open period's
# statuses, 12 the previous period, 13 the assessments of both periods, 14 their yearly
# figures, 15 the measures for the changes, 16 the overdue updates; the measure list:
# 17 its count, 18 the page's rows.
OPEN_PERIOD_WITH_HISTORY = 18


def test_dashboard_runs_a_fixed_number_of_queries(db, controller, manager_client):
    small = programme_with_history(10, controller)
    large = programme_with_history(200, controller)
    assert count_queries(manager_client, small) == OPEN_PERIOD_WITH_HISTORY
    assert count_queries(manager_client, large) == OPEN_PERIOD_WITH_HISTORY
    html = page(manager_client, periode=large.pk)
    assert "Updates te laat 200" in text_of(html)


def test_measure_sort_key_matches_the_natural_order():
    assert sorted(["10", "6.1", "6", "9"], key=natural_sort_key) == ["6", "6.1", "9", "10"]
