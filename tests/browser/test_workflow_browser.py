"""The update workflow in a real browser, as two users: a controller opens a period, the
invoerder fills in an update, the controller approves it and closes the period, and the
overview of the closed period shows what was approved. WCAG 2.1 AA on every new page."""

from urllib.parse import urlsplit

import pytest

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser


def test_open_fill_approve_close_as_two_users(browser, live_server, demo, check_accessibility):
    def new_page(user):
        context = browser.new_context(base_url=live_server.url, locale="nl-NL")
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page, user)
        return page

    controller = new_page("controller")
    invoerder = new_page("invoerder")

    # The controller first settles what waits, closes the autumn report, and opens a new period.
    controller.get_by_role("link", name="Goedkeuren").click()
    check_accessibility(controller, "the approvals page")
    for box in controller.get_by_role("checkbox").all():
        box.check()
    controller.get_by_role("button", name="Gekozen updates goedkeuren").click()
    expect(controller.get_by_role("status")).to_contain_text("2 updates goedgekeurd")
    controller.get_by_role("link", name="Rapportagemomenten").click()
    check_accessibility(controller, "the periods page")
    controller.get_by_role("link", name="Afsluiten Najaarsrapportage 2020").click()
    check_accessibility(controller, "the close confirmation")
    controller.get_by_role("button", name="Definitief afsluiten").click()
    expect(controller.get_by_role("status")).to_contain_text("Najaarsrapportage 2020 is afgesloten")
    controller.get_by_label("Programma").select_option(label="Programma Zorg")
    controller.get_by_label("Naam", exact=False).fill("Voorjaarsnota 2021")
    controller.get_by_label("Soort").select_option(label="Voorjaarsnota")
    controller.get_by_label("Peildatum").fill("2021-04-01")
    controller.get_by_label("Uiterste invoerdatum").fill("2021-04-23")
    controller.get_by_role("button", name="Openen").click()
    expect(controller.get_by_role("heading", level=1)).to_have_text(
        "Volledigheid: Voorjaarsnota 2021"
    )
    check_accessibility(controller, "the completeness page")

    # The invoerder updates a measure: not on course, with Dutch amounts.
    invoerder.get_by_role("link", name="Mijn maatregelen").click()
    expect(invoerder.get_by_role("main")).to_contain_text("uiterlijk bijwerken op 23 april 2021")
    check_accessibility(invoerder, "my measures")
    invoerder.get_by_role("link", name="Bijwerken 3 Stoppen met dienstencheques").click()
    check_accessibility(invoerder, "the update form")
    invoerder.get_by_label("Nee (niet op koers)").check()
    invoerder.get_by_label("Prognose 2021 (€)").fill("60.000")
    invoerder.get_by_role("button", name="Indienen ter goedkeuring").click()
    # Not on course without cause, consequence and corrective action: told at the fields.
    expect(invoerder.get_by_role("alert")).to_contain_text("De update is niet opgeslagen")
    expect(invoerder.locator(".field-error").first).to_contain_text("Beschrijf de oorzaak")
    check_accessibility(invoerder, "the update form with errors")
    invoerder.get_by_label("Oorzaak").fill("Minder aanvragen dan verwacht.")
    invoerder.get_by_label("Gevolg").fill("De besparing halveert in 2021.")
    invoerder.get_by_label("Bijsturing").fill("Werving via de wijkteams.")
    invoerder.get_by_role("button", name="Indienen ter goedkeuring").click()
    expect(invoerder.get_by_role("status")).to_contain_text("is ingediend ter goedkeuring")

    # The controller approves it and closes the period.
    controller.get_by_role("link", name="Goedkeuren").click()
    controller.get_by_role("checkbox", name="3 Stoppen met dienstencheques kiezen").check()
    controller.get_by_role("button", name="Gekozen updates goedkeuren").click()
    expect(controller.get_by_role("status")).to_contain_text("1 update goedgekeurd")
    controller.get_by_role("link", name="Rapportagemomenten").click()
    controller.get_by_role("link", name="Afsluiten Voorjaarsnota 2021").click()
    controller.get_by_role("button", name="Definitief afsluiten").click()
    expect(controller.get_by_role("status")).to_contain_text("Voorjaarsnota 2021 is afgesloten")

    # The overview of the closed period shows the approved state.
    controller.get_by_role("link", name="Voorjaarsnota 2021", exact=True).click()
    row = controller.locator("table.overview tr", has_text="Stoppen met dienstencheques")
    expect(row).to_contain_text("Nee")
    expect(controller.locator(".tag")).to_have_text("Afgesloten")
    assert "periode=" in urlsplit(controller.url).query
    check_accessibility(controller, "the overview of the closed period")

    # And the invoerder can no longer change it.
    invoerder.get_by_role("link", name="Mijn maatregelen").click()
    expect(invoerder.get_by_role("main")).to_contain_text("Er staan geen maatregelen voor u klaar")
