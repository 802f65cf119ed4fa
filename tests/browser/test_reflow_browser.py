"""Every app page reflows (WCAG 1.4.10) and passes axe-core, per role, on a phone and a desktop.

At 320 CSS px wide (a phone, or 1280 px at 400% zoom) no page may be wider than the
window: only data tables may be wider, and they scroll inside their own region
(`.table-scroll`, a focusable, named region), so the page itself never scrolls sideways.
The same pages at 1280 px must not overflow either. axe-core (WCAG 2.1 A and AA) runs on
every page at both widths. Problems are collected over all pages before failing, so one
run shows everything that is wrong.
"""

import pytest
from django.urls import reverse

from .conftest import WCAG_21_AA, format_violations, log_in

pytestmark = pytest.mark.browser

VIEWPORTS = [320, 1280]

# Elements that stick out of the window, for the failure message; inside a table region
# they may (the region scrolls), but the region itself must fit.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.parentElement && el.parentElement.closest('.table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 0.5) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (classes ? '.' + classes.split(/\\s+/).join('.') : '');
      wide.push(`${name} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 10)};
}"""

# Table regions that a keyboard or screen reader user could not reach or recognise.
UNNAMED_REGIONS = """() => Array.from(document.querySelectorAll('.table-scroll')).filter(region => {
  const ids = (region.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const name = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()
    || (region.getAttribute('aria-label') || '').trim();
  return region.getAttribute('role') !== 'region' || region.tabIndex !== 0 || !name;
}).map(region => region.outerHTML.slice(0, 160))"""


def app_pages(role: str) -> list[tuple[str, str]]:
    """The app's pages a role can open, with the demo data's objects in them."""
    from measures.models import Measure, Programme, ReportingPeriod
    from tests.workflow import open_period, update_of

    period = open_period()
    closed = ReportingPeriod.objects.get(name="Midterm review 2020")
    measure = Measure.objects.get(title="Peuteropvang")
    pages = [
        ("the overview", reverse("overview")),
        ("the overview of a closed period", f"{reverse('overview')}?periode={closed.pk}"),
        ("a measure", reverse("measure_detail", args=[measure.pk])),
        ("the periods", reverse("periods")),
        ("completeness", reverse("completeness", args=[period.pk])),
        ("changes since the previous period", reverse("changes", args=[period.pk])),
        ("the report page", reverse("reports:detail", args=[period.pk])),
        ("the report's web version", reverse("reports:html", args=[period.pk])),
        ("the help page", reverse("help")),
        ("the dashboard", reverse("dashboard")),
        ("the dashboard of a closed period", f"{reverse('dashboard')}?periode={closed.pk}"),
        ("my settings", reverse("my_settings")),
    ]
    if role in ("invoerder", "controller"):
        own = update_of("Stoppen met dienstencheques")
        pages += [
            ("my measures", reverse("my_measures")),
            ("the update form", reverse("update_form", args=[own.pk])),
        ]
    if role == "controller":
        programme = Programme.objects.get(name="Programma Zorg")
        pages += [
            ("approvals", reverse("approvals")),
            (
                "the send back form",
                reverse("return_update", args=[update_of("Aanpassing PGB tarieven").pk]),
            ),
            ("the close confirmation", reverse("close_period", args=[period.pk])),
            ("revising a target", reverse("revise_target", args=[programme.pk])),
            ("the import", reverse("imports:start")),
            ("the publishing question", reverse("reports:publish", args=[closed.pk])),
        ]
    return pages


def page_problems(page, axe, what: str) -> list[str]:
    problems = []
    layout = page.evaluate(OVERFLOW)
    if layout["scrollWidth"] > layout["width"]:
        problems.append(
            f"{what} ({page.url}) is {layout['scrollWidth']} px wide in a {layout['width']} px "
            f"window; sticking out: {', '.join(layout['wide']) or 'nothing visible'}"
        )
    for region in page.evaluate(UNNAMED_REGIONS):
        problems.append(f"{what}: a table region without role, name or tabindex=0: {region}")
    results = axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_21_AA},
            "resultTypes": ["violations"],
        },
    )
    violations = results.response["violations"]
    if violations:
        problems.append(f"axe-core on {what} ({page.url}):\n{format_violations(violations)}")
    return problems


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as error:
        pytest.skip(f"axe-playwright-python cannot be imported ({error}): run `make install-dev`")
    return Axe()


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("role", ["invoerder", "controller", "manager"])
def test_every_page_reflows_without_axe_violations(browser, live_server, demo, axe, role, width):
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.goto(reverse("login"))
    problems += page_problems(page, axe, "the login page")
    log_in(page, role)
    for what, url in app_pages(role):
        response = page.goto(url)
        if response.status != 200:
            problems.append(f"{what} ({url}) answered HTTP {response.status}")
            continue
        problems += page_problems(page, axe, what)
    context.close()
    assert not problems, f"As {role} at {width} px:\n" + "\n".join(problems)


def test_menu_items_stay_on_the_bar_at_320_px(browser, live_server, demo):
    """The menu wraps instead of running off the bar: every item is inside the window and
    on the menu's own background (white on the dark bar, not on the page's light grey)."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 320, "height": 900}
    )
    page = context.new_page()
    log_in(page, "controller")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    nav_box = nav.bounding_box()
    links = nav.get_by_role("link").all()
    assert len(links) >= 5
    for link in links:
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, link.inner_text()
        assert (
            nav_box["y"] <= box["y"]
            and box["y"] + box["height"] <= nav_box["y"] + nav_box["height"]
        ), link.inner_text()
    context.close()
