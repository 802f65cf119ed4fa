"""The public pages in a real browser, without logging in: the list of Almelo's published
reports, a report's page and the comparison pass axe-core's WCAG 2.1 AA rules, also at
320 px, and a table's CSV downloads with the report's figures in whole euros."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model

from measures.models import ReportingPeriod
from reports.services import publish_report

pytestmark = pytest.mark.browser


@pytest.fixture
def published(demo):
    period = ReportingPeriod.objects.select_related("programme__organisation").get(
        name="Midterm review 2020"
    )
    return publish_report(period=period, user=get_user_model().objects.get(username="controller"))


def test_public_pages_are_accessible_without_login(page, published, check_accessibility):
    page.goto("/openbaar/almelo/")
    assert page.get_by_role("heading", name="Gepubliceerde rapporten", level=1).is_visible()
    assert page.get_by_text(published.checksum).is_visible()
    check_accessibility(page, "the public list of reports")

    page.get_by_role("link", name="Midterm review 2020").click()
    assert page.get_by_role("heading", name="Midterm review 2020", level=1).is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Direct naar de inhoud"
    page.get_by_text("Beschrijving van de 8 kolommen").first.click()
    check_accessibility(page, "a published report's public page")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Waar staan we nu: op koers als CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-op-koers.csv")
    text = open(download.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["regel", "volgnummer", "omschrijving", "op_koers"]
    saldo = next(row for row in rows if row[0] == "Saldo")
    assert saldo[-1] == "82000"

    page.set_viewport_size({"width": 320, "height": 800})
    check_accessibility(page, "a published report's public page at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"the page is {width}px wide at 320px"


def test_published_web_version_is_accessible(page, published, check_accessibility):
    page.goto(f"/openbaar/almelo/rapporten/{published.pk}/")
    page.get_by_role("link", name="Lees het rapport (webversie)").click()
    assert page.get_by_role("heading", name="Midterm review 2020", level=1).is_visible()
    check_accessibility(page, "the published web version")


def test_comparison_form_is_accessible(page, published, check_accessibility):
    page.goto(f"/openbaar/almelo/programmas/{published.period.programme_id}/vergelijk/")
    page.get_by_label("Eerder rapport").select_option(index=1)
    page.get_by_role("button", name="Vergelijk").click()
    assert page.get_by_role("alert").is_visible()
    check_accessibility(page, "the comparison form with an error")
