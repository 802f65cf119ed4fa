"""The overview's series switch and the update form's plausibility warning in a real
browser, with axe-core (WCAG 2.1 AA) on each."""

import pytest

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_manager_switches_the_overview_between_series(manager_page, check_accessibility):
    page = manager_page
    page.get_by_label("Rapportagemoment").select_option(label="Najaarsrapportage 2020")
    page.get_by_role("button", name="Toon").click()
    switch = page.get_by_role("navigation", name="Reeks")
    switch.get_by_role("link", name="Prognose", exact=True).click()
    expect(switch.get_by_role("link", name="Prognose", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    total = page.locator("table.overview tr", has_text="Totaal prognose")
    expect(total).to_contain_text("6.219")
    check_accessibility(page, "the overview showing forecasts")
    # The filters keep the series.
    page.get_by_label("Op koers").select_option(label="Nee")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("table.overview caption")).to_contain_text("Prognose per maatregel")
    switch.get_by_role("link", name="Afwijking (prognose − taakstelling)").click()
    expect(
        page.locator("table.overview tr", has_text="Jeugdhulp in het onderwijs")
    ).to_contain_text("-175")
    check_accessibility(page, "the overview showing deviations")


def test_invoerder_confirms_a_forecast_the_form_warns_about(page, demo, check_accessibility):
    log_in(page, "invoerder")
    page.get_by_role("link", name="Mijn maatregelen").click()
    page.get_by_role("link", name="Bijwerken 3 Stoppen met dienstencheques").click()
    page.get_by_label("Prognose 2021 (€)").fill("60")
    page.get_by_role("button", name="Indienen ter goedkeuring").click()
    expect(page.get_by_role("alert")).to_contain_text("Controleer de gemarkeerde bedragen")
    expect(page.get_by_label("Prognose 2021 (€)")).to_have_accessible_description(
        "Let op: € 60 is een tiende of minder van de taakstelling van € 120.000. "
        "Bedragen zijn in hele euro's: bedoelde u € 60.000?"
    )
    check_accessibility(page, "the update form with a warning")
    page.get_by_label("Ik heb de gemarkeerde bedragen gecontroleerd").check()
    page.get_by_role("button", name="Indienen ter goedkeuring").click()
    expect(page.get_by_role("status")).to_contain_text("is ingediend ter goedkeuring")
