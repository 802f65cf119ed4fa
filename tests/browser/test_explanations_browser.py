"""The variance explanations page of Enschede's Jaarverslag 2018 in a real browser,
checked by axe-core (WCAG 2.1 AA): as the demo has it (five approved explanations), and
after a refused submit, whose messages take focus at the top and stand next to the
unexplained product."""

import pytest
from django.urls import reverse

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser


@pytest.fixture
def enschede_2018(demo):
    from organisations.scoping import unscoped

    with unscoped():
        from measures.models import ReportingPeriod

        return ReportingPeriod.objects.get(
            name="Jaarverslag 2018", programme__organisation__cbs_code="0153"
        )


def test_the_explanations_page_passes_axe_clean_and_refused(
    page, enschede_2018, check_accessibility
):
    from budgets import services
    from budgets.models import BudgetFigure, Product
    from organisations.scoping import unscoped

    period = enschede_2018
    log_in(page, "enschede-controller")
    page.goto(reverse("budgets:explanations", args=[period.pk]))
    expect(page.get_by_role("heading", name="Nog niet toegelicht")).to_be_visible()
    threshold = "een verschil van meer dan € 100.000 vraagt een toelichting"
    expect(page.get_by_text(threshold)).to_be_visible()
    check_accessibility(page, "the explanations page")

    with unscoped():
        from django.contrib.auth import get_user_model

        explained = set(period.variance_explanations.values_list("products", flat=True).distinct())
        product = (
            Product.objects.filter(programme=period.programme)
            .exclude(pk__in=explained)
            .order_by("order")
            .first()
        )
        figure = BudgetFigure.objects.get(
            period=period, product=product, category="lasten", column="realisatie"
        )
        BudgetFigure.objects.filter(pk=figure.pk).update(amount=figure.amount + 500_000)
        writer = get_user_model().objects.get(username="enschede-invoerder")
        services.save_explanation(
            period=period,
            user=writer,
            label="Nog een toelichting",
            amount=-1,
            text="Concept.",
            products=[Product.objects.filter(pk__in=explained).first()],
        )

    page.reload()
    page.get_by_role("button", name="Indienen").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(f"{product.name} wijkt")
    expect(summary).to_be_focused()
    row = page.locator(f"#product-{product.pk}")
    expect(row).to_contain_text("Nog niet toegelicht")
    expect(row).to_contain_text("vraagt een toelichting")
    check_accessibility(page, "the explanations page after a refused submit")

    page.goto(reverse("budgets:explanation_add", args=[period.pk]))
    page.get_by_label("Bedrag in euro's").fill("veel")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul een bedrag in hele euro's in")
    check_accessibility(page, "the explanation form with errors")
