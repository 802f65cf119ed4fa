"""The header of someone who works in two organisations, in a real browser: the switcher
works without script, the header passes axe-core and fits a phone, each organisation
shows its own colours and logo."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from .conftest import log_in
from .test_reflow_browser import OVERFLOW

pytestmark = pytest.mark.browser


@pytest.fixture
def two_organisations(demo):
    """The demo manager also works in Enschede, which has red colours; Almelo has a logo."""
    from django.contrib.auth import get_user_model

    from measures.constants import Role
    from organisations.logo import clean_logo
    from organisations.models import Membership, Organisation
    from organisations.scoping import unscoped
    from organisations.services import set_logo
    from tests.factories import make_programme

    with unscoped():
        # The demo's Enschede, in its house colours.
        enschede = Organisation.all_organisations.get(cbs_code="0153")
        enschede.header_background, enschede.nav_background = "#c8102e", "#7a0019"
        enschede.save()
        make_programme(3, name="Programma Enschede", organisation=enschede)
        manager = get_user_model().objects.get(username="manager")
        Membership.objects.create(user=manager, organisation=enschede, role=Role.MANAGER.value)
        image = BytesIO()
        Image.new("RGB", (200, 80), (0, 86, 139)).save(image, format="PNG")
        almelo = Organisation.all_organisations.get(slug="almelo")
        set_logo(
            organisation=almelo,
            logo=clean_logo(SimpleUploadedFile("logo.png", image.getvalue())),
        )


def header_colour(page) -> str:
    return page.eval_on_selector(".site-header", "el => getComputedStyle(el).backgroundColor")


@pytest.mark.parametrize("width", [320, 1280])
def test_switching_in_the_header(page, two_organisations, check_accessibility, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "manager")
    logo = page.get_by_role("img", name="Logo Gemeente Almelo")
    assert logo.evaluate("img => img.complete && img.naturalWidth") == 200
    assert header_colour(page) == "rgb(59, 15, 176)"  # the example theme's #3b0fb0
    check_accessibility(page, f"the header with a switcher at {width}px")
    fits = page.evaluate(OVERFLOW)
    assert fits["scrollWidth"] <= fits["width"], fits["wide"]

    page.get_by_label("Organisatie").select_option(label="Enschede")
    page.get_by_role("button", name="Wisselen").click()

    page.get_by_text("U werkt nu in Gemeente Enschede.").wait_for()
    # The text is in the DOM before the new page's stylesheets have arrived (they block
    # rendering, not parsing): read colours once the page has loaded.
    page.wait_for_load_state("load")
    assert page.locator(".site-brand__municipality").inner_text() == "Gemeente Enschede"
    assert page.get_by_text("Programma Enschede").first.is_visible()
    assert header_colour(page) == "rgb(200, 16, 46)"
    assert page.locator(".site-brand__logo").count() == 0
    check_accessibility(page, f"the header after switching at {width}px")
