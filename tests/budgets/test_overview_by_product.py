"""The op-koers overview filtered by budget product (issue 11 item 4): exactly the
measures linked to the product, whose totals are then the product's subtotal, in one
query more than the unfiltered page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgets.models import Product
from measures.models import Measure, ReportingPeriod
from measures.money import format_cell
from tests.budgets.builders import make_money
from tests.reference import REFERENCE, YEARS, shown
from tests.test_overview_page import row_by_label, table_rows


def overview(client, period, **params):
    response = client.get(reverse("overview"), {"periode": period.pk, **params})
    assert response.status_code == 200
    return response


def test_almelo_wmo_product_gives_its_five_measures_and_their_totals(manager_client, almelo):
    midterm = ReportingPeriod.objects.get(programme=almelo, name="Midterm review 2020")
    product = Product.objects.get(programme=almelo, name="Wmo-maatwerkvoorzieningen")
    html = overview(manager_client, midterm, product=product.pk).content.decode()
    rows = table_rows(html)
    plan = next(plan for plan in REFERENCE["plans"] if plan["name"] == "Maatregelenplan 2")
    seeds = [m for m in plan["measures"] if m["number"] in {"1", "2", "3", "4", "5"}]
    measure_rows = [row for row in rows if len(row) > 2 and row[0] and row[1]]
    assert [(row[0], row[1]) for row in measure_rows] == [
        (seed["number"], seed["title"]) for seed in seeds
    ]
    total = row_by_label(rows, "Totaal taakstelling maatregelen (selectie)")
    for index, year in enumerate(YEARS):
        figures = [seed["targets"][year] for seed in seeds if year in seed["targets"]]
        amounts = [value for value in figures if value != "PM"]
        expected = "" if not figures else "PM" if not amounts else shown(sum(amounts))
        assert total[2 + index] == expected, year
    assert "Totaal van de maatregelen van product Wmo-maatwerkvoorzieningen." in html


@pytest.fixture
def money(db):
    period = make_money(products=2, measures=9)
    first, second = Product.objects.filter(programme=period.programme).order_by("order")
    measures = list(Measure.objects.filter(programme=period.programme).order_by("pk"))
    first.measures.set(measures[::3])
    second.measures.set(measures[:2])
    return period, first, second, measures


def test_the_filter_gives_exactly_the_linked_measures(manager_client, money):
    period, first, second, measures = money
    for product, linked in ((first, measures[::3]), (second, measures[:2])):
        response = overview(manager_client, period, product=product.pk)
        shown_ids = {row.measure_id for row in response.context["overview"].measure_rows}
        assert shown_ids == {measure.pk for measure in linked}


def test_the_totals_are_the_products_subtotal(manager_client, money):
    period, first, _second, measures = money
    response = overview(manager_client, period, product=first.pk)
    shown_overview = response.context["overview"]
    linked = measures[::3]
    for year in shown_overview.years:
        targets = [t for m in linked for t in m.targets.filter(year=year)]
        amounts = [t.amount for t in targets if not t.is_pm]
        total = shown_overview.total[year]
        assert total.euros == sum(amounts)
        assert total.is_pm == (not amounts)
    html = response.content.decode()
    assert "Totaal van de maatregelen van product Product 0." in html
    rows = table_rows(html)
    total_row = row_by_label(rows, "Totaal taakstelling maatregelen (selectie)")
    years = shown_overview.years
    assert total_row[2 : 2 + len(years)] == [format_cell(shown_overview.total[y]) for y in years]


def test_with_another_filter_the_caption_says_selection(manager_client, money):
    period, first, _second, _measures = money
    html = overview(manager_client, period, product=first.pk, domain="wmo").content.decode()
    assert "Totaal van de geselecteerde maatregelen van product Product 0." in html


def test_a_product_of_another_programme_is_refused(manager_client, money, almelo):
    period, _first, _second, _measures = money
    other = Product.objects.filter(programme=almelo).first()
    response = overview(manager_client, period, product=other.pk)
    assert response.context["filter"].form.errors["product"]
    assert response.context["is_filtered"] is False


def test_the_csv_export_has_the_products_measures_only(manager_client, money):
    period, first, _second, measures = money
    response = overview(manager_client, period, product=first.pk, _export="csv")
    content = response.content.decode("utf-8-sig")
    for index, measure in enumerate(measures):
        assert (f";{measure.title};" in content) == (index % 3 == 0), measure.title


def count_queries(client, period, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        overview(client, period, **params)
    return len(queries)


def test_the_product_filter_costs_one_query_more_than_no_filter(manager_client, db):
    """8 without a filter (tests/test_overview_page.py: the products come in the UNION with
    the savings task), 9 with the product: the ids of the product's measures; the same at
    10 and 500 measures."""
    counts = []
    for size in (10, 500):
        period = make_money(products=2, measures=size, name=f"Geld {size}")
        product = Product.objects.filter(programme=period.programme).order_by("order").first()
        product.measures.set(Measure.objects.filter(programme=period.programme))
        counts.append(
            (
                count_queries(manager_client, period),
                count_queries(manager_client, period, product=product.pk),
            )
        )
    assert counts == [(8, 9), (8, 9)]
