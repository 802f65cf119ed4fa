"""The region page in a real browser: the table as a user reads it, WCAG 2.1 AA."""

import pytest

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def twente(demo):
    """Twente with Almelo (sharing Programma Zorg), Enschede (sharing a generated
    programme, with its 2018 score of BBV indicator 20) and Hengelo (sharing nothing)."""
    from decimal import Decimal

    from indicators.models import Indicator, IndicatorValue, NationalIndicator, ValueKind
    from measures.models import Programme
    from organisations.models import Organisation, Region
    from organisations.scoping import unscoped
    from tests.factories import make_programme
    from tests.test_region import without_demo_programmes

    with unscoped():
        # The demo's Twente: Almelo (centrumgemeente), Enschede and Hengelo.
        region = Region.objects.get(name="Twente")
        Programme.objects.get(name="Programma Zorg").shared_with_regions.add(region)
        enschede = Organisation.all_organisations.get(short_name="Enschede")
        # In place of the demo's programme of the same name, which has no measures (and
        # closed periods with a chapter, which cannot be deleted: it moves elsewhere).
        without_demo_programmes(enschede)
        period = make_programme(8, name="Maatschappelijke ondersteuning", organisation=enschede)
        period.programme.shared_with_regions.add(region)
        national = NationalIndicator.objects.get(number=20, valid_from=2017)
        indicator = Indicator.objects.create(
            programme=period.programme, national=national, decimals=national.decimals
        )
        IndicatorValue.objects.create(
            indicator=indicator,
            period=period,
            year=2018,
            kind=ValueKind.ACTUAL,
            value=Decimal("47.7"),
        )
    return region


def test_region_page(page, twente, check_accessibility):
    log_in(page, "manager")
    page.get_by_role("link", name="Regio", exact=True).click()
    page.get_by_role("link", name="Twente").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regio Twente")
    table = page.get_by_role("table", name="Saldo op koers per gemeente en programma")
    expect(table.get_by_role("rowheader", name="Programma Zorg")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Maatschappelijke ondersteuning")).to_be_visible()
    expect(page.get_by_text("Deelt geen programma met de regio: Hengelo.")).to_be_visible()
    bbv = page.get_by_role("table", name="Verplichte beleidsindicatoren (BBV)")
    expect(bbv.get_by_role("columnheader")).to_have_text(
        ["Indicator", "Eenheid", "Almelo", "Enschede", "Bron"]
    )
    niet_sporters = bbv.get_by_role("row", name="20. Niet-sporters")
    # Almelo has none: "–" to the eye, "geen realisatie" to a screen reader (textContent).
    expect(niet_sporters.get_by_role("cell")).to_have_text(
        ["%", "–geen realisatie", "47,7 (2018)", "Gezondheidsenquête (CBS, RIVM)"]
    )
    check_accessibility(page, "the region page")


def test_region_page_reflows_at_320_px(page, twente, check_accessibility):
    """WCAG 1.4.10: only the table is wider than a phone, and it scrolls in its region."""
    log_in(page, "manager")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/regio/{twente.pk}/")
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"the page is {width[0]} px wide in a {width[1]} px window"
    check_accessibility(page, "the region page at 320 px")
