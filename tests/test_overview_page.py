"""The "op koers" page: the seed's figures, the layout of the table, filters and queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure, ReportingPeriod
from tests.factories import make_programme
from tests.reference import EXPECTED, REFERENCE, YEARS, measure_lines, shown


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell of each row of the overview table, tags stripped."""
    body = html.split('<table class="overview">', 1)[1].split("</thead>", 1)[1].split("</table>")[0]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells])
    return rows


def row_by_label(rows, label):
    return next(row for row in rows if len(row) > 1 and row[1] == label)


@pytest.fixture
def page(almelo, manager_client):
    midterm = ReportingPeriod.objects.get(name="Midterm review 2020")
    response = manager_client.get(reverse("overview"), {"periode": midterm.pk})
    assert response.status_code == 200
    return response.content.decode()


def test_overview_shows_every_measure_with_its_seed_figures(page):
    rows = table_rows(page)
    for _, number, title, targets, status in measure_lines():
        row = row_by_label(rows, title)
        assert row[0] == number
        assert row[2:6] == [shown(targets[year]) if year in targets else "" for year in YEARS], (
            title
        )
        assert row[6].startswith(status)


def test_overview_shows_plan_subtotals(page):
    rows = table_rows(page)
    for plan in REFERENCE["plans"]:
        row = row_by_label(rows, f"Subtotaal {plan['name']}")
        assert row[2:6] == [shown(plan["expected_subtotal"][year]) for year in YEARS]
    headers = [row[0] for row in rows if len(row) == 1]
    assert headers == ["Maatregelenplan 1 (BW-6696)", "Maatregelenplan 2 (BW-7023)"]


def test_overview_shows_totals_task_adjustment_and_balance(page):
    rows = table_rows(page)
    assert row_by_label(rows, "Totaal taakstelling maatregelen")[2:6] == [
        shown(EXPECTED["total_expected_savings"][year]) for year in YEARS
    ]
    assert row_by_label(rows, "Inventarisatie invulling taakstelling per 2022")[5] == "5.832"
    assert row_by_label(rows, "Te realiseren besparingen")[2:6] == [
        "-1.150",
        "-3.150",
        "-5.150",
        "-7.550",
    ]
    assert row_by_label(rows, "Inzet extra middelen jeugdhulp")[5] == "1.800"
    assert row_by_label(rows, "Saldo")[5] == "82"
    assert [row[1] for row in rows[-5:]] == [
        "Totaal taakstelling maatregelen",
        "Inventarisatie invulling taakstelling per 2022",
        "Te realiseren besparingen",
        "Inzet extra middelen jeugdhulp",
        "Saldo",
    ]


def test_sub_measures_follow_their_heading_in_natural_order(page):
    numbers = [row[0] for row in table_rows(page) if len(row) > 2 and row[0]]
    assert numbers == ["1", "2", "3", "4", "1", "2", "3", "4", "5", "6", "6.1", "6.2", "7", "8"]


def test_status_is_shown_with_text_and_icon_never_colour_alone(page):
    row_html = re.search(
        r"<tr[^>]*>(?:(?!</tr>).)*Uitbreiden kinder- en pubercoach.*?</tr>", page, re.S
    ).group(0)
    assert 'aria-hidden="true"' in row_html and "#icon-frown" in row_html
    assert '<span class="status__label">Nee</span>' in row_html
    assert "(niet op koers)" in row_html


def test_table_has_caption_and_header_scopes(page):
    assert "<caption" in page and "bedragen x € 1.000" in page
    assert page.count('<th scope="col"') == 7
    assert '<th scope="rowgroup"' in page
    assert '<th scope="row" class="title"><a href="/maatregelen/' in page


def test_rows_link_to_the_measure_page(almelo, manager_client, page):
    measure = Measure.objects.get(title="Doorbraakmethode")
    assert f'href="/maatregelen/{measure.pk}/"' in page


def test_filter_on_status_shows_the_selection_without_the_programme_rows(almelo, manager_client):
    period = ReportingPeriod.objects.get(name="Midterm review 2020")
    nee = period.programme.status_scale.levels.get(label="Nee")
    response = manager_client.get(reverse("overview"), {"periode": period.pk, "status": nee.pk})
    rows = table_rows(response.content.decode())
    titles = [row[1] for row in rows if len(row) > 1]
    assert titles == [
        "Versterken voorliggend veld",
        "Uitbreiden kinder- en pubercoach",
        "Subtotaal Maatregelenplan 2",
        "Totaal taakstelling maatregelen (selectie)",
    ]
    assert "Saldo" not in titles
    assert "Selectie van 1 maatregel." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"domain": "jeugd"},
            {
                "Peuteropvang",
                "Uitbreiden kinder- en pubercoach",
                "Ombouw dagbehandeling",
                "Jeugdhulp in het onderwijs",
                "Gecertificeerde instellingen",
            },
        ),
        ({"plan": "buiten"}, {"Gecertificeerde instellingen"}),
    ],
)
def test_filters_on_domain_and_plan(almelo, manager_client, params, expected):
    response = manager_client.get(reverse("overview"), params)
    rows = table_rows(response.content.decode())
    shown_measures = {row[1] for row in rows if len(row) == 7 and row[6]}
    assert shown_measures == expected


def test_filter_on_owner_and_plan_combined(almelo, manager_client):
    from django.contrib.auth import get_user_model

    owner = get_user_model().objects.get(username="projectleider.jeugd")
    plan = Measure.objects.get(title="Peuteropvang").plan
    response = manager_client.get(reverse("overview"), {"owner": owner.pk, "plan": plan.pk})
    rows = table_rows(response.content.decode())
    assert [row[1] for row in rows if len(row) > 2 and row[0]] == ["Peuteropvang"]
    assert row_by_label(rows, "Subtotaal Maatregelenplan 1")[2:6] == ["150", "150", "150", "150"]


def test_invalid_filter_value_is_reported_and_shows_everything(almelo, manager_client):
    response = manager_client.get(reverse("overview"), {"domain": "onzin"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in content
    assert row_by_label(table_rows(content), "Saldo")[5] == "82"


def test_unknown_period_is_not_found(almelo, manager_client):
    assert manager_client.get(reverse("overview"), {"periode": "999999"}).status_code == 404


def test_period_choice_switches_the_overview(almelo, manager_client):
    other = make_programme(3, name="Programma Werk")
    response = manager_client.get(reverse("overview"), {"periode": other.pk})
    content = response.content.decode()
    assert "Programma Werk" in content and "Maatregel 0" in content
    assert "Doorbraakmethode" not in content


def test_measure_page_shows_targets_status_and_replacements(almelo, manager_client):
    measure = Measure.objects.get(title="Gecertificeerde instellingen")
    content = manager_client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    assert "Buiten de maatregelenplannen" in content
    assert (
        "6.2 Uitbreiden kinder- en pubercoach" in content
        and "8 Jeugdhulp in het onderwijs" in content
    )
    assert re.search(r"<th scope=\"row\">2022</th><td class=\"amount\">100</td>", content)
    replaced = Measure.objects.get(number="7", plan__name="Maatregelenplan 2")
    content = manager_client.get(reverse("measure_detail", args=[replaced.pk])).content.decode()
    assert "Vervangen door" in content and "Gecertificeerde instellingen" in content
    assert "Doel 4:" in content


def test_measure_page_shows_pm_and_years_without_target(almelo, manager_client):
    measure = Measure.objects.get(title="Invoeren nieuwe Verordening en beleid")
    content = manager_client.get(reverse("measure_detail", args=[measure.pk])).content.decode()
    assert '<th scope="row">2019</th><td class="amount">PM</td>' in content
    assert (
        '<th scope="row">2020</th><td class="amount"><span class="muted">geen</span></td>'
        in content
    )


def count_page_queries(client, period, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("overview"), {"periode": period.pk, **params})
    assert response.status_code == 200
    return len(queries)


# The session comes from the cache. Then: 1 the user, 2 their roles in their
# organisations (organisations.middleware), 3 their permissions, 4 the periods, 5 the
# measures with plan, owner and status, 6 the status levels, 7 the targets, 8 the savings
# task, the adjustments and the budget products (the product filter's choices) in one
# UNION; with a filter also 9 the ids of the selected measures; with a series other than
# the targets instead 9 the approved forecasts and realisations.
@pytest.mark.parametrize(
    ("params", "expected"),
    [({}, 8), ({"domain": "jeugd"}, 9), ({"reeks": "afwijking"}, 9)],
)
def test_overview_runs_a_fixed_number_of_queries(db, manager_client, params, expected):
    small = make_programme(10, name="Klein")
    large = make_programme(500, name="Groot")
    assert count_page_queries(manager_client, small, **params) == expected
    assert count_page_queries(manager_client, large, **params) == expected


def test_exports_run_the_same_fixed_number_of_queries(db, manager_client):
    small = make_programme(10, name="Klein")
    large = make_programme(500, name="Groot")
    for export in ("csv", "xlsx"):
        assert count_page_queries(manager_client, small, _export=export) == 8
        assert count_page_queries(manager_client, large, _export=export) == 8
