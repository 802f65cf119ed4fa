"""The money pages in a real browser: axe-core finds no WCAG 2.1 AA violation on the
doelenboom and on the statement (Enschede's, and Venlo's with its product boxes), and
the statement's product filter works, also at 320 px."""

import pytest
from django.urls import reverse

from measures.models import ReportingPeriod
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


def period_of(programme: str, name: str) -> ReportingPeriod:
    return ReportingPeriod.objects.get(programme__name=programme, name=name)


def test_doelenboom_page_is_accessible(page, demo, check_accessibility):
    period = period_of("Maatschappelijke ondersteuning", "Jaarverslag 2018")
    log_in(page, "enschede-controller")
    page.goto(reverse("chapters:chapter", args=[period.programme_id]) + f"?periode={period.pk}")
    page.get_by_role("link", name="Doelenboom").click()
    assert page.get_by_role("row", name="Wmo begeleiding 21.769 700").is_visible()
    check_accessibility(page, "the doelenboom page")

    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page, "the doelenboom page at 320 px")


def test_statement_pages_are_accessible(page, demo, check_accessibility):
    period = period_of("Sociaal domein", "Jaarverslag 2017")
    log_in(page, "venlo-controller")
    page.goto(reverse("budgets:statement", args=[period.programme_id]) + f"?periode={period.pk}")
    assert page.get_by_role("heading", name="Producten binnen het programma").is_visible()
    page.get_by_label("Product", exact=True).select_option(label="Sociale Wijkteams")
    page.get_by_role("button", name="Toon").click()
    assert page.get_by_role("row", name="Lasten 46.237 66.877 145% -20.641").is_visible()
    check_accessibility(page, "Venlo's statement of Sociale Wijkteams")

    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page, "Venlo's statement at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width}px wide at 320px"


def test_enschede_statement_is_accessible(page, demo, check_accessibility):
    period = period_of("Maatschappelijke ondersteuning", "Jaarverslag 2018")
    log_in(page, "enschede-controller")
    page.goto(reverse("budgets:statement", args=[period.programme_id]) + f"?periode={period.pk}")
    assert page.get_by_role("row", name="Resultaat 192.991 204.033 198.542 5.492").is_visible()
    check_accessibility(page, "Enschede's statement")
