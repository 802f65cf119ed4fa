"""The Content-Security-Policy in a real browser: it blocks injected script, and the app's
and the admin's own scripts and styles all work under it. The `page` fixture fails a
test on anything the policy blocks."""

import pytest

from .conftest import is_policy_violation, log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser

INJECT = """() => {
    document.body.insertAdjacentHTML(
        "beforeend", '<button id="lokaas" onclick="window.gekaapt = 1">x</button>');
    const script = document.createElement("script");
    script.textContent = "window.gekaapt = 2";
    document.body.append(script);
}"""


def test_injected_inline_script_does_not_run(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    blocked = []
    page.on("console", lambda message: is_policy_violation(message) and blocked.append(message))
    log_in(page, "manager")
    page.evaluate(INJECT)
    page.locator("#lokaas").click()
    assert page.evaluate("window.gekaapt") is None
    assert len(blocked) == 2, [message.text for message in blocked]
    context.close()


def test_status_icons_keep_their_colour(manager_page):
    from measures.models import StatusLevel

    page = manager_page
    icon = page.locator("table.overview .status svg").first
    expect(icon).to_be_visible()
    colour = icon.get_attribute("color")
    assert colour in set(StatusLevel.objects.values_list("colour", flat=True))
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    expect(icon).to_have_css("color", f"rgb({red}, {green}, {blue})")


def test_admin_scripts_work_under_the_policy(page, demo):
    from measures.models import Measure

    log_in(page, "controller")
    measure = Measure.objects.get(title="Doorbraakmethode")
    page.goto(f"/beheer/measures/measure/{measure.pk}/change/")
    # The autocomplete (jQuery, select2) searches the goals over XHR.
    page.locator(".field-goal .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Doel")
    expect(page.locator(".select2-results__option").first).to_contain_text("Doel")
    page.keyboard.press("Escape")
    # The inline formset adds a row for another yearly target.
    targets = page.locator(".inline-group").first
    rows = targets.locator("tbody tr.form-row:not(.empty-form)")
    before = rows.count()
    targets.locator(".add-row a").click()
    expect(rows).to_have_count(before + 1)

    # The changelist's "select all" box and its counter (actions.js).
    page.goto("/beheer/measures/measure/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("geselecteerd")
