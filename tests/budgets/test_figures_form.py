"""The figures form of a product in a period (issue 11 item 1): a grid of categories and
columns in whole euros, stored all or nothing through budgets.services.save_figures."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from budgets import services
from budgets.models import BudgetFigure, Product, VarianceExplanation
from measures.constants import UpdateState
from measures.models import ReportingPeriod
from measures.services import close_period
from tests.budgets.builders import YEAR, make_money

User = get_user_model()


def url_of(period, product):
    return f"{reverse('budgets:figures_form', args=[period.pk])}?product={product.pk}"


def grid(period, product):
    return {
        (category, column): amount
        for category, column, amount in BudgetFigure.objects.filter(
            period=period, product=product, year=YEAR
        ).values_list("category", "column", "amount")
    }


def shown(form) -> dict:
    """The grid as the form shows it, each cell's typed text."""
    return {name: form[name].value() or "" for name in form.fields}


@pytest.fixture
def money(db):
    return make_money(products=2, threshold_amount=100_000)


def test_only_a_controller_keeps_figures(money, client):
    product = Product.objects.filter(programme=money.programme).first()
    for username, status in (("invoerder", 403), ("manager", 403), ("beheerder", 403)):
        client.force_login(User.objects.get(username=username))
        assert client.get(url_of(money, product)).status_code == status
        assert client.post(url_of(money, product), {"lasten-primair": "1"}).status_code == status
    assert grid(money, product) == {
        ("lasten", "na_wijziging"): 1_000_000,
        ("lasten", "realisatie"): 1_050_000,
        ("baten", "na_wijziging"): 100_000,
        ("baten", "realisatie"): 100_000,
    }


def test_the_grid_shows_adds_changes_and_removes_in_whole_euros(money, controller, client):
    product = Product.objects.filter(programme=money.programme).first()
    client.force_login(controller)
    form = client.get(url_of(money, product)).context["form"]
    data = shown(form)
    assert data["lasten-na_wijziging"] == "1.000.000"
    assert data["lasten-realisatie"] == "1.050.000"
    assert data["storting-primair"] == ""

    data.update(
        {
            "lasten-primair": "€ 990.000",
            "lasten-realisatie": "1.060.000",
            "baten-realisatie": "",
            "storting-realisatie": "25000",
        }
    )
    response = client.post(url_of(money, product), data, follow=True)
    assert "2 toegevoegd, 1 gewijzigd, 1 verwijderd" in response.content.decode()
    assert grid(money, product) == {
        ("lasten", "primair"): 990_000,
        ("lasten", "na_wijziging"): 1_000_000,
        ("lasten", "realisatie"): 1_060_000,
        ("baten", "na_wijziging"): 100_000,
        ("storting", "realisatie"): 25_000,
    }
    figure = BudgetFigure.objects.get(period=money, product=product, column="primair")
    assert figure.updated_by == controller
    assert figure.history.latest().history_user == controller
    removed = BudgetFigure.history.filter(
        product_id=product.pk, category="baten", column="realisatie", history_type="-"
    ).latest()
    assert removed.history_user == controller


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,5", "Vul een bedrag in hele euro&#x27;s in, zoals 1.580.000."),
        ("PM", "PM is hier niet mogelijk; vul een bedrag in."),
        ("99999999999999999", "Dit bedrag is onwaarschijnlijk groot."),
    ],
)
def test_bad_input_is_told_at_its_cell_and_nothing_is_saved(
    money, controller, client, typed, message
):
    product = Product.objects.filter(programme=money.programme).first()
    before = grid(money, product)
    client.force_login(controller)
    data = shown(client.get(url_of(money, product)).context["form"])
    data.update({"lasten-primair": "990.000", "baten-prognose": typed})
    response = client.post(url_of(money, product), data)
    assert response.status_code == 200
    page = response.content.decode()
    cell = page.split('id="id_baten-prognose_error"', 1)[1].split("</div>", 1)[0]
    assert message in cell
    assert "De bedragen zijn niet opgeslagen" in page
    assert grid(money, product) == before


def test_figures_that_leave_a_submitted_account_unexplained_are_refused(money, controller, client):
    first, second = Product.objects.filter(programme=money.programme).order_by("order")
    invoerder = User.objects.get(username="invoerder")
    services.save_explanation(
        period=money,
        user=invoerder,
        label="Tweede",
        amount=-50_000,
        text="Waarom.",
        products=[second],
    )
    services.submit_explanations(period=money, user=invoerder)
    before = grid(money, first)
    client.force_login(controller)
    data = shown(client.get(url_of(money, first)).context["form"])
    data["lasten-realisatie"] = "1.100.001"  # 100.001 nadeel: over Enschede's € 100.000
    response = client.post(url_of(money, first), data)
    form = response.context["form"]
    assert form.non_field_errors() == [
        "Product 0 wijkt € -100.001 af van de begroting; dat is boven de drempel en vraagt "
        "een toelichting."
    ]
    assert "Product 0 wijkt € -100.001 af" in response.content.decode()
    assert grid(money, first) == before
    assert VarianceExplanation.objects.get(period=money).state == UpdateState.SUBMITTED

    data["lasten-realisatie"] = "1.100.000"  # exactly the threshold: no explanation needed
    assert client.post(url_of(money, first), data).status_code == 302
    assert grid(money, first)[("lasten", "realisatie")] == 1_100_000


def test_a_closed_period_shows_its_figures_read_only_and_stores_nothing(almelo, client):
    period = ReportingPeriod.objects.get(
        name="Jaarverslag 2018", programme__organisation__cbs_code="0153"
    )
    controller = User.objects.get(username="enschede-controller")
    close_period(period=period, user=controller)
    product = Product.objects.filter(programme=period.programme).order_by("order").first()
    before = sorted(BudgetFigure.objects.filter(period=period).values_list("pk", "amount"))
    client.force_login(controller)
    page = client.get(url_of(period, product)).content.decode()
    assert "Het rapportagemoment Jaarverslag 2018 is afgesloten" in page
    assert "27.458.000" in page and "<input" not in page.split("<table", 1)[1]
    response = client.post(url_of(period, product), {"lasten-primair": "1"})
    assert "Het rapportagemoment Jaarverslag 2018 is afgesloten" in response.content.decode()
    assert sorted(BudgetFigure.objects.filter(period=period).values_list("pk", "amount")) == before


def test_another_programmes_product_or_organisations_period_is_not_found(money, client):
    other = make_money(products=1, name="Ander programma")
    foreign = Product.objects.get(programme=other.programme)
    client.force_login(User.objects.get(username="controller"))
    assert client.get(url_of(money, foreign)).status_code == 404
    venlo = ReportingPeriod.objects.get(
        name="Jaarverslag 2017", programme__organisation__cbs_code="0983"
    )
    assert client.get(reverse("budgets:figures_form", args=[venlo.pk])).status_code == 404
