"""The error summary in a real browser: it takes focus, and each link focuses its field."""

import pytest
from django.urls import reverse

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser

ACTIVE = "() => document.activeElement.id || document.activeElement.className"


def test_error_summary_takes_focus_and_leads_to_each_field(
    browser, live_server, demo, check_accessibility
):
    from tests.workflow import update_of

    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 320, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, "invoerder")
    page.goto(reverse("update_form", args=[update_of("Stoppen met dienstencheques").pk]))
    page.get_by_label("Nee (niet op koers)").check()
    page.get_by_label("Prognose 2021 (€)").fill("zestig")
    page.get_by_role("button", name="Indienen ter goedkeuring").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("De update is niet opgeslagen")
    expect(summary).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    check_accessibility(page, "the update form with errors at 320 px")

    summary.get_by_role("link", name="Prognose 2021", exact=False).click()
    assert page.evaluate(ACTIVE) == "id_forecast_2021"
    page.keyboard.press("Control+A")

    # The amount put right, the service refuses "not on course" without its explanation.
    page.keyboard.type("60.000")
    page.get_by_role("button", name="Indienen ter goedkeuring").click()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(3)
    summary.get_by_role("link", name="Oorzaak", exact=False).click()
    assert page.evaluate(ACTIVE) == "id_cause"
    expect(page.get_by_label("Oorzaak")).to_be_in_viewport()
    context.close()
