"""The chapter's forms in a real browser, checked by axe-core (WCAG 2.1 AA): the text
form and the status form, clean and with errors, Mijn hoofdstuk, the values form and
the chapter's Goedkeuren."""

import pytest
from django.urls import reverse

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def chapter(demo):
    from tests.chapter_data import chapter_in
    from tests.workflow import open_period

    return chapter_in(open_period())


def test_the_text_and_status_forms_pass_axe_clean_and_with_errors(
    page, chapter, check_accessibility
):
    log_in(page, "invoerder")
    page.goto(reverse("chapters:text_form", args=[chapter.version.pk]))
    check_accessibility(page, "the text form")
    page.get_by_role("button", name="Indienen ter goedkeuring").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Schrijf de tekst voordat u hem indient.")
    expect(summary).to_be_focused()
    check_accessibility(page, "the text form with an error")
    page.get_by_label("Tekst", exact=True).fill("Een alinea.\n\n- een punt\n- nog een punt")
    page.get_by_role("button", name="Indienen ter goedkeuring").click()
    expect(page.get_by_text("is ingediend ter goedkeuring")).to_be_visible()
    check_accessibility(page, "Mijn hoofdstuk")

    page.goto(reverse("chapters:status_form", args=[chapter.status.pk]))
    check_accessibility(page, "the status form")
    page.get_by_label("Nee", exact=False).check()
    page.get_by_role("button", name="Indienen ter goedkeuring").click()
    expect(page.get_by_role("alert")).to_contain_text("Licht toe waarom")
    check_accessibility(page, "the status form with an error")

    page.goto(reverse("indicators:values_form", args=[chapter.indicator.pk, chapter.period.pk]))
    page.get_by_label("Jaar rij 1").fill("2020")
    page.get_by_label("Soort rij 1").select_option("realisatie")
    page.get_by_label("Waarde rij 1").fill("7.25")
    page.get_by_role("button", name="Waarden opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text("Rij 1, Waarde")
    check_accessibility(page, "the values form with an error")


def test_the_chapter_approvals_page_passes_axe(page, chapter, check_accessibility):
    from chapters import services
    from chapters.models import TextVersion

    services.save_row(
        model=TextVersion,
        row_id=chapter.version.pk,
        user=chapter.owner,
        expected_version=chapter.version.version,
        content={"body": "Een alinea.\n\n- een punt"},
    )
    services.submit_row(model=TextVersion, row_id=chapter.version.pk, user=chapter.owner)
    log_in(page, "controller")
    page.goto(reverse("chapters:approvals"))
    expect(page.get_by_role("heading", name="1 tekst wacht op goedkeuring")).to_be_visible()
    check_accessibility(page, "the chapter's Goedkeuren")
    page.get_by_label("Resultaten kiezen").check()
    page.get_by_role("button", name="Gekozen onderdelen goedkeuren").click()
    expect(page.get_by_text("1 onderdeel goedgekeurd.")).to_be_visible()
