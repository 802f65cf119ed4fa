"""The programme chapter page in a real browser: axe-core finds no WCAG 2.1 AA violation,
with texts, action points at two moments, the legend and indicator charts on it."""

import pytest
from django.urls import reverse

from measures.constants import Role
from tests.browser.conftest import log_in
from tests.chapters.builders import make_chapter
from tests.conftest import almelo_organisation, make_user

pytestmark = pytest.mark.browser


def test_chapter_page_is_accessible(page, demo, check_accessibility):
    owner = make_user("eigenaar", Role.INVOERDER, first_name="Olga", last_name="Eigenaar")
    period = make_chapter(organisation=almelo_organisation(), owner=owner, extra=3)
    log_in(page, "manager")
    page.goto(reverse("chapters:chapter", args=[period.programme_id]) + f"?periode={period.pk}")
    assert page.get_by_role("heading", name="Doel A: Zelfredzaamheid").is_visible()
    assert page.get_by_role("img", name="Staafdiagram van Inwoners die zich thuis voelen").count()
    check_accessibility(page, "the programme chapter page")

    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page, "the programme chapter page at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width}px wide at 320px"


def test_programmes_page_is_accessible(page, demo, check_accessibility):
    log_in(page, "manager")
    page.get_by_role("link", name="Programma's").click()
    page.get_by_role("link", name="Programma Zorg").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Programma Zorg")
    check_accessibility(page, "the programme chapter of the demo")
