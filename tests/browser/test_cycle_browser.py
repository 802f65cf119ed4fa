"""The update cycle's new pages in a real browser (issue 13 items 4, 6, 7 and 8): Goedkeuren
with each update's changes and a working "Alle updates kiezen", the timeline without a
double bullet, Mijn instellingen and the publishing question; WCAG 2.1 AA on each.

With SCREENSHOT_DIR set, the Goedkeuren page is saved there as goedkeuren.png."""

import os
from pathlib import Path

import pytest

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def submitted_with_changes(demo):
    """The demo invoerder's update: not on course now, with a lower forecast for 2021."""
    from django.contrib.auth import get_user_model

    from measures import services
    from measures.models import MeasureUpdate, StatusLevel

    owner = get_user_model().objects.get(username="invoerder")
    update = MeasureUpdate.objects.get(
        measure__title="Stoppen met dienstencheques", period__name="Najaarsrapportage 2020"
    )
    years = {year.year: {"forecast": year.forecast} for year in update.years.all()}
    years[2021] = {"forecast": 60_000, "forecast_is_pm": False}
    services.save_update(
        update_id=update.pk,
        user=owner,
        expected_version=update.version,
        content={
            "status": StatusLevel.objects.get(scale__programmes=demo, label="Nee"),
            "explanation": "Minder aanvragen dan verwacht sinds de zomer.",
            "cause": "De regeling is minder bekend dan gedacht.",
            "consequence": "De besparing halveert in 2021.",
            "corrective_action": "Werving via de wijkteams.",
        },
        years=years,
    )
    services.submit_update(update_id=update.pk, user=owner)
    return update


def test_goedkeuren_shows_the_changes_and_selects_all(
    page, submitted_with_changes, check_accessibility
):
    log_in(page, "controller")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Goedkeuren").click()
    card = page.locator("li.review", has_text="Stoppen met dienstencheques")
    expect(card).to_contain_text("Op koers:")
    expect(card.locator(".review__status")).to_contain_text("Ja")
    expect(card.locator(".review__status")).to_contain_text("Nee")
    expect(card.get_by_role("table")).to_contain_text("Prognose 2021")
    expect(card).to_contain_text("Werving via de wijkteams.")
    expect(card.get_by_role("link", name="Volledige update bekijken")).to_be_visible()

    select_all = page.get_by_label("Alle updates kiezen")
    expect(select_all).to_be_visible()
    boxes = page.locator('input[name="update"]')
    select_all.check()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).to_be_checked()
    boxes.first.uncheck()
    assert page.evaluate("document.getElementById('alles-kiezen').indeterminate")
    select_all.check()
    select_all.uncheck()
    for index in range(boxes.count()):
        expect(boxes.nth(index)).not_to_be_checked()
    check_accessibility(page, "Goedkeuren with changes")

    if os.environ.get("SCREENSHOT_DIR"):
        folder = Path(os.environ["SCREENSHOT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / "goedkeuren.png"), full_page=True)


def test_timeline_entries_have_one_bullet(page, submitted_with_changes, check_accessibility):
    log_in(page, "controller")
    page.goto(f"/maatregelen/{submitted_with_changes.measure_id}/")
    submitted = "Najaarsrapportage 2020 ingediend door Inge Invoerder"
    entry = page.locator("ol.timeline > li", has_text=submitted)
    expect(entry).to_have_count(1)
    nested = entry.locator("ul li").first
    marker = nested.evaluate("item => getComputedStyle(item, '::before').content")
    assert marker in ("none", "normal"), marker
    check_accessibility(page, "the measure page with its timeline")


def test_settings_and_publishing_question_are_accessible(page, demo, check_accessibility):
    log_in(page, "controller")
    page.get_by_role("link", name="Mijn instellingen").click()
    page.get_by_label("E-mail over updates").uncheck()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Uw instellingen zijn opgeslagen.")
    expect(page.get_by_label("E-mail over updates")).not_to_be_checked()
    check_accessibility(page, "Mijn instellingen")

    page.goto("/rapportagemomenten/")
    period = page.get_by_role("link", name="Midterm review 2020", exact=True)
    page.goto(period.get_attribute("href"))
    page.get_by_role("link", name="Rapport bekijken of publiceren").click()
    page.get_by_role("link", name="Rapport publiceren…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Rapport Midterm review 2020 publiceren?"
    )
    expect(page.get_by_role("button", name="Ja, definitief publiceren")).to_be_visible()
    check_accessibility(page, "the publishing question")
