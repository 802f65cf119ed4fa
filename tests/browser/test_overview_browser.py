"""The overview in a real browser: login form, figures, filters, keyboard use, WCAG 2.1 AA.

Runs against the live server with the Almelo demo data; the figures are those of the
closed Midterm review 2020, chosen in the period filter.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import DEMO_PASSWORD, submit_login_form

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser

SKIP_LINK = "Direct naar de inhoud"


def overview_table(page) -> dict[str, dict[str, str]]:
    """The overview as shown: {row label: {column header: cell text}}.

    Plan rows (one cell spanning the table) map to an empty dict.
    """
    headers = page.locator("table.overview thead th").all_inner_texts()
    rows = page.locator("table.overview tbody tr").evaluate_all(
        "rows => rows.map(row => Array.from(row.cells, cell => cell.innerText.trim()))"
    )
    table = {}
    for cells in rows:
        if len(cells) == 1:
            table[cells[0]] = {}
        else:
            assert len(cells) == len(headers), f"row {cells} does not match headers {headers}"
            table[cells[1]] = dict(zip(headers, cells, strict=True))
    return table


def choose_period(page, name: str) -> None:
    """Pick a reporting period in the filter form, as a user would."""
    page.get_by_label("Rapportagemoment").select_option(label=name)
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Op koers: {name}")


def measure_links(page) -> list[str]:
    return page.locator("table.overview tbody th a").all_inner_texts()


def test_login_form(page, demo, check_accessibility):
    page.goto("/")
    # Every page needs a login: the overview sends us to the login form.
    assert urlsplit(page.url).path == "/inloggen/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    check_accessibility(page, "the login page")

    submit_login_form(page, "manager", "fout-wachtwoord")
    expect(page.get_by_role("alert")).to_contain_text("gebruikersnaam")
    check_accessibility(page, "the login page with an error")

    # After the error the form still knows where to go: the overview asked for.
    submit_login_form(page, "manager", DEMO_PASSWORD)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    # The overview opens on the most recent period.
    expect(page.get_by_role("heading", level=1)).to_have_text("Op koers: Najaarsrapportage 2020")
    expect(page.get_by_role("banner")).to_contain_text("Ingelogd als")


def test_overview_shows_the_almelo_figures(manager_page, check_accessibility):
    page = manager_page
    choose_period(page, "Midterm review 2020")
    table = overview_table(page)
    headers = ["Volgnr", "Omschrijving", "2019", "2020", "2021", "2022", "Op koers"]
    assert list(table["Doorbraakmethode"]) == headers

    plan_1 = table["Subtotaal Maatregelenplan 1"]
    assert [plan_1[year] for year in ("2019", "2020", "2021", "2022")] == [
        "1.440",
        "3.041",
        "4.580",
        "5.330",
    ]
    assert table["Subtotaal Maatregelenplan 2"]["2022"] == "964"
    assert table["Totaal taakstelling maatregelen"]["2022"] == "6.394"
    assert table["Inventarisatie invulling taakstelling per 2022"]["2022"] == "5.832"
    assert table["Te realiseren besparingen"]["2022"] == "-7.550"
    assert table["Inzet extra middelen jeugdhulp"]["2022"] == "1.800"
    assert table["Saldo"]["2022"] == "82"
    assert table["Uitbreiden kinder- en pubercoach"]["Op koers"].startswith("Nee")
    # The plan rows head their sections.
    assert "Maatregelenplan 1 (BW-6696)" in table
    assert "Maatregelenplan 2 (BW-7023)" in table
    expect(page.locator(".notice")).to_have_count(0)
    check_accessibility(page, "the overview")


def test_filter_on_status(manager_page, check_accessibility):
    page = manager_page
    choose_period(page, "Midterm review 2020")
    page.get_by_label("Op koers", exact=True).select_option(label="Nee")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(lambda url: "status" in parse_qs(urlsplit(url).query))

    assert measure_links(page) == [
        "Versterken voorliggend veld",
        "Uitbreiden kinder- en pubercoach",
    ]
    table = overview_table(page)
    assert table["Uitbreiden kinder- en pubercoach"]["2022"] == "50"
    assert table["Uitbreiden kinder- en pubercoach"]["Op koers"].startswith("Nee")
    # The savings task and the balance hold for the whole programme only.
    assert "Saldo" not in table
    assert "Inventarisatie invulling taakstelling per 2022" not in table
    notice = page.get_by_role("status")
    expect(notice).to_contain_text("Selectie van")
    expect(notice).to_contain_text("alleen in het overzicht zonder filters")
    # The form keeps the choice and offers a way back.
    selected = page.get_by_label("Op koers", exact=True).locator("option:checked")
    expect(selected).to_have_text("Nee")
    expect(page.get_by_role("link", name="Wis filters")).to_be_visible()
    check_accessibility(page, "the filtered overview")

    page.get_by_role("link", name="Wis filters").click()
    page.wait_for_url(lambda url: "status" not in parse_qs(urlsplit(url).query))
    assert "Saldo" in overview_table(page)


def test_skip_link_moves_focus_to_the_content(manager_page):
    page = manager_page
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name=SKIP_LINK)
    expect(skip_link).to_be_focused()
    # Hidden off screen until focused, then visible.
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    main = page.locator("main#inhoud")
    expect(main).to_be_focused()
    # The next Tab continues inside the content, not back in the header.
    page.keyboard.press("Tab")
    expect(page.locator("main#inhoud :focus")).to_have_count(1)


def test_measure_detail_from_the_overview(manager_page, check_accessibility):
    page = manager_page
    page.locator("table.overview").get_by_role("link", name="Doorbraakmethode", exact=True).click()
    page.wait_for_url(re.compile(r"/maatregelen/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Doorbraakmethode")
    breadcrumbs = page.get_by_role("navigation", name="Kruimelpad")
    expect(breadcrumbs.get_by_role("link", name="Op koers")).to_be_visible()
    check_accessibility(page, "a measure's detail page")
