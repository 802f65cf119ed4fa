"""The product pages in a real browser: axe-core finds no WCAG 2.1 AA violation on a
programme's product list and on a product's page with its measures, also at 320 px."""

import pytest
from django.urls import reverse

from budgets.models import Product
from measures.models import ReportingPeriod
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def test_product_pages_are_accessible(page, demo, check_accessibility):
    midterm = ReportingPeriod.objects.get(name="Midterm review 2020")
    log_in(page, "manager")
    page.goto(reverse("budgets:products", args=[midterm.programme_id]))
    check_accessibility(page, "the product list")

    page.get_by_role("link", name="Wmo-maatwerkvoorzieningen").click()
    page.get_by_label("Rapportagemoment", exact=True).select_option(str(midterm.pk))
    page.get_by_role("button", name="Toon").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Wmo-maatwerkvoorzieningen")
    assert page.get_by_role("table", name="Besparingen van de maatregelen").count() == 1
    check_accessibility(page, "the product page")

    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page, "the product page at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width}px wide at 320px"


def test_a_product_with_money_is_accessible(page, demo, check_accessibility):
    product = Product.objects.filter(figures__isnull=False).order_by("pk").first()
    organisation = product.programme.organisation
    username = "venlo-controller" if organisation.cbs_code == "0983" else "enschede-controller"
    log_in(page, username)
    page.goto(reverse("budgets:product", args=[product.pk]))
    assert page.get_by_role("table", name="Lasten en baten").count() == 1
    check_accessibility(page, "a product page with budget figures")
