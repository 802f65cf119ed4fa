"""The product page (issue 11 item 4): a product's budget of the period's year next to the
savings of the measures linked to it, what the budget would be without them, and the
comparison of savings forecast with budget realisation; the programme's product list;
per organisation, in a fixed number of queries."""

import re

import pytest
from django.urls import reverse

from budgets.models import BudgetFigure, Product
from measures.models import Assessment, AssessmentYear, Measure, ReportingPeriod
from measures.money import format_cell
from measures.overview import Amount
from tests.budgets.builders import YEAR, make_money
from tests.reference import REFERENCE, shown

ON_COURSE_BUT_OVERRUN = "De maatregelen liggen op koers, maar het product overschrijdt"


def url(product, period=None) -> str:
    address = reverse("budgets:product", args=[product.pk])
    return f"{address}?periode={period.pk}" if period else address


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).strip()


def table_rows(html: str, caption_start: str) -> list[list[str]]:
    """The cells' text of each row of the table whose caption starts so."""
    start = html.index(f">{caption_start}")
    table = html[start : html.index("</table>", start)]
    rows = []
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, flags=re.S)
        rows.append([re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells])
    return rows


def reference_measures(plan_name: str) -> dict[str, dict]:
    plan = next(plan for plan in REFERENCE["plans"] if plan["name"] == plan_name)
    return {measure["number"]: measure for measure in plan["measures"]}


# -- Almelo's demo: the measures' targets as the seed has them ---------------------


@pytest.fixture
def midterm(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Midterm review 2020")


def test_almelo_product_shows_its_measures_targets_as_the_seed(manager_client, midterm):
    product = Product.objects.get(programme=midterm.programme, name="Wmo-maatwerkvoorzieningen")
    response = manager_client.get(url(product, midterm))
    assert response.status_code == 200
    html = response.content.decode()
    year = str(midterm.reference_date.year)
    reference = reference_measures("Maatregelenplan 2")
    rows = table_rows(html, "Besparingen van de maatregelen van Wmo-maatwerkvoorzieningen")
    measure_rows = rows[1:-1]
    assert [row[1] for row in measure_rows] == ["1", "2", "3", "4", "5"]
    expected_total = 0
    all_pm = True
    for plan, number, title, status, target, _forecast, _realised in measure_rows:
        seed = reference[number]
        assert plan.startswith("Maatregelenplan 2")
        assert title == seed["title"]
        value = seed["targets"].get(year)
        assert target == ("" if value is None else shown(value)), title
        assert seed["on_track"] in status
        if value is not None and value != "PM":
            expected_total += value
            all_pm = False
    total = rows[-1]
    assert total[0] == f"Totaal {year}"
    assert total[1] == ("PM" if all_pm else shown(expected_total))
    text = page_text(response)
    assert "telt bij elk van die producten volledig mee" in text
    assert "Taakveld 6.6" in text


def test_almelo_product_list_links_each_product_with_its_measure_count(manager_client, almelo):
    response = manager_client.get(reverse("budgets:products", args=[almelo.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for product in Product.objects.filter(programme=almelo):
        link = f'href="{reverse("budgets:product", args=[product.pk])}"'
        assert link in html
        row = html[html.rindex("<tr", 0, html.index(link)) : html.index("</tr>", html.index(link))]
        count = re.findall(r'<td class="amount">(\d+)</td>', row)
        assert count == [str(product.measures.count())]
    assert "Wmo-maatwerkvoorzieningen</a>" in html


def test_measure_detail_names_its_products(manager_client, almelo):
    product = Product.objects.get(programme=almelo, name="Wmo-maatwerkvoorzieningen")
    measure = product.measures.order_by("pk").first()
    response = manager_client.get(reverse("measure_detail", args=[measure.pk]))
    html = response.content.decode()
    assert f'<a href="{url(product)}">Wmo-maatwerkvoorzieningen</a>' in html


# -- Money and measures of a new programme ----------------------------------------


@pytest.fixture
def money(db):
    """Two products (lasten 1.000.000 budgeted, 1.050.000 realised for the first) and six
    measures, four linked to the first product, one of them also to the second."""
    period = make_money(products=2, measures=6)
    first, second = Product.objects.filter(programme=period.programme).order_by("order")
    measures = list(Measure.objects.filter(programme=period.programme).order_by("pk"))
    first.measures.set(measures[:4])
    second.measures.set(measures[3:4])
    return period, first, second, measures


def target_euros(measures) -> int:
    """The linked measures' targets of the year, PM as 0, as stored."""
    return sum(
        target.amount or 0 for measure in measures for target in measure.targets.filter(year=YEAR)
    )


def test_on_course_measures_and_overrun_lasten_give_the_sentence(manager_client, money):
    period, first, _second, measures = money
    response = manager_client.get(url(first, period))
    text = page_text(response)
    assert (
        "De maatregelen liggen op koers, maar het product overschrijdt de begroting met "
        "€ 50.000." in text
    )
    # Budget without the measures: budgeted lasten plus the measures' targets.
    without = 1_000_000 + target_euros(measures[:4])
    assert f"Begroting zonder deze maatregelen {format_euros(without)}" in text
    rows = table_rows(response.content.decode(), "Lasten en baten van Product 0")
    assert rows[1] == ["Lasten", "geen", "1.000", "geen", "1.050"]
    assert rows[2] == ["Baten", "geen", "100", "geen", "100"]


def format_euros(euros: int) -> str:
    return "€ " + f"{euros:,}".replace(",", ".")


def test_no_sentence_when_the_product_stays_within_its_budget(manager_client, money):
    period, first, _second, _measures = money
    BudgetFigure.objects.filter(product=first, category="lasten", column="realisatie").update(
        amount=990_000
    )
    text = page_text(manager_client.get(url(first, period)))
    assert ON_COURSE_BUT_OVERRUN not in text
    assert "De maatregelen liggen op koers en het product blijft binnen de begroting." in text


def test_no_sentence_when_the_measures_are_behind(manager_client, money):
    period, first, _second, measures = money
    behind = next(m for m in measures[:4] if m.targets.get(year=YEAR).amount)
    AssessmentYear.objects.create(
        parent=Assessment.objects.get(measure=behind, period=period), year=YEAR, forecast=0
    )
    text = page_text(manager_client.get(url(first, period)))
    assert ON_COURSE_BUT_OVERRUN not in text
    shortfall = behind.targets.get(year=YEAR).amount
    assert (
        f"De maatregelen blijven {format_euros(shortfall)} achter bij hun taakstelling en het "
        "product overschrijdt de begroting met € 50.000." in text
    )


def test_forecast_lasten_count_where_there_is_no_realisation(manager_client, money):
    period, first, _second, _measures = money
    BudgetFigure.objects.filter(product=first, category="lasten", column="realisatie").delete()
    BudgetFigure.objects.create(
        period=period,
        product=first,
        year=YEAR,
        category="lasten",
        column="prognose",
        amount=1_200_000,
    )
    text = page_text(manager_client.get(url(first, period)))
    assert "overschrijdt de begroting met € 200.000." in text
    assert "de vergelijking gebruikt de prognose van de lasten" in text


def test_a_product_without_measures_says_so(manager_client, money):
    period, first, _second, _measures = money
    first.measures.clear()
    text = page_text(manager_client.get(url(first, period)))
    assert ON_COURSE_BUT_OVERRUN not in text
    assert "Aan dit product zijn geen besparingsmaatregelen gekoppeld." in text


def test_a_measure_of_several_products_counts_in_full_for_each(manager_client, money):
    period, _first, second, measures = money
    html = manager_client.get(url(second, period)).content.decode()
    rows = table_rows(html, "Besparingen van de maatregelen van Product 1")
    assert [row[2] for row in rows[1:-1]] == [measures[3].title]
    target = measures[3].targets.get(year=YEAR)
    assert rows[-1][1] == format_cell(Amount.pm() if target.is_pm else Amount(target.amount))


def test_a_product_of_another_organisation_is_not_found(manager_client, money):
    enschede = Product.objects.filter(programme__organisation__cbs_code="0153").first()
    assert enschede is not None
    assert manager_client.get(url(enschede)).status_code == 404
    programme = enschede.programme
    response = manager_client.get(reverse("budgets:products", args=[programme.pk]))
    assert response.status_code == 404


def test_a_period_of_another_programme_is_not_found(manager_client, money, almelo):
    period, first, _second, _measures = money
    other = almelo.periods.first()
    assert manager_client.get(url(first, other)).status_code == 404


def test_the_most_recent_period_without_asking(manager_client, money):
    period, first, _second, _measures = money
    response = manager_client.get(url(first))
    assert response.context["period"] == period


# The session comes from the cache. Then: 1 the user, 2 their roles, 3 their permissions,
# 4 the product with programme, taakveld, goal and theme, 5 the programme's periods;
# budgets.data.load_money: 6 the figures, 7 the layout, 8 the products, 9 the variance
# explanations (their products one more where there are any, none here); then 10 the
# programme's measures, 11 the status levels, 12 the ids of the linked measures, 13 the
# targets, 14 the approved forecasts and realisations, 15 the savings task with the
# adjustments (one UNION).
PRODUCT_PAGE_QUERIES = 15


def test_the_product_page_runs_a_fixed_number_of_queries(
    client, manager, django_assert_num_queries
):
    pages = []
    for count in (10, 500):
        period = make_money(products=3, measures=count, name=f"Geld {count}")
        product = Product.objects.filter(programme=period.programme).order_by("order").first()
        product.measures.set(Measure.objects.filter(programme=period.programme))
        pages.append((period, product))
    client.force_login(manager)
    for period, product in pages:
        with django_assert_num_queries(PRODUCT_PAGE_QUERIES):
            response = client.get(url(product, period))
        assert response.status_code == 200
        assert (
            len(response.context["page"].measures)
            == Measure.objects.filter(programme=period.programme).count()
        )
