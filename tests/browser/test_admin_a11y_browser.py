"""The admin's measure form, where a controller enters measures with their yearly targets,
passes axe-core: WCAG 2.1 AA, and the best-practice rules the issue named (a form field
labelled by its title only, an empty table header). Every field of the tabular inlines
and every search box that Django's autocomplete builds in the browser has a label."""

import pytest
from django.urls import reverse

from .conftest import WCAG_21_AA, format_violations, log_in

pytestmark = pytest.mark.browser

EXTRA_RULES = ["label-title-only", "empty-table-header"]


@pytest.fixture(scope="module")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError as error:
        pytest.skip(f"axe-playwright-python cannot be imported ({error}): run `make install-dev`")
    return Axe()


def violations(axe, page) -> list[dict]:
    found = []
    for run_only in (
        {"type": "tag", "values": WCAG_21_AA},
        {"type": "rule", "values": EXTRA_RULES},
    ):
        results = axe.run(page, options={"runOnly": run_only, "resultTypes": ["violations"]})
        found += results.response["violations"]
    return found


def test_admin_measure_form_passes_axe(page, demo, axe):
    from measures.models import Measure

    log_in(page, "controller")
    checked = []

    page.goto(reverse("admin:measures_measure_add"))
    page.wait_for_selector(".select2-container")  # Select2 is built once the page is ready
    # A new target row, as a controller adds one: its fields need labels too.
    page.get_by_role("button", name="Taakstelling toevoegen", exact=True).click()
    checked.append(("the add form with a new target row", violations(axe, page)))

    # A measure with targets and approved assessments (a read-only inline).
    measure = Measure.objects.get(title="Peuteropvang")
    page.goto(reverse("admin:measures_measure_change", args=[measure.pk]))
    page.wait_for_selector(".select2-container")
    checked.append(("the change form", violations(axe, page)))

    problems = [
        f"axe-core on {what}:\n{format_violations(found)}" for what, found in checked if found
    ]
    assert not problems, "\n".join(problems)
