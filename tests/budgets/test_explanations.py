"""The variance explanations (issue 11 item 3): the page, the add/edit/delete forms and
the workflow (submit, approve under four eyes, send back), through the pages and the
services. The threshold rule is budgets.statement.needs_explanation's: a difference must
be explained when it is MORE than the amount and, with a percentage, more than that
share of the product's budgeted lasten."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets import services
from budgets.models import BudgetFigure, Product, VarianceExplanation
from measures.constants import Role, UpdateState
from measures.models import ReportingPeriod
from measures.services import close_period
from tests.budgets.builders import make_money
from tests.conftest import make_user

User = get_user_model()
CLOSED = "is afgesloten en kan niet meer veranderen"


def products_of(period):
    return list(Product.objects.filter(programme=period.programme).order_by("order"))


def set_actual_lasten(period, product, amount):
    BudgetFigure.objects.filter(
        period=period, product=product, category="lasten", column="realisatie"
    ).update(amount=amount)


def set_budget_lasten(period, product, budget, actual):
    BudgetFigure.objects.filter(
        period=period, product=product, category="lasten", column="na_wijziging"
    ).update(amount=budget)
    set_actual_lasten(period, product, actual)


def explain(period, user, products, *, label="Uitleg", amount=-50_000, text="Waarom."):
    return services.save_explanation(
        period=period, user=user, label=label, amount=amount, text=text, products=products
    )


def venlo_period():
    return ReportingPeriod.objects.get(
        name="Jaarverslag 2017", programme__organisation__cbs_code="0983"
    )


def enschede_period():
    return ReportingPeriod.objects.get(
        name="Jaarverslag 2018", programme__organisation__cbs_code="0153"
    )


def states(period):
    return sorted(VarianceExplanation.objects.filter(period=period).values_list("pk", "state"))


# -- The threshold, both sides, through the services and the page ----------------------


@pytest.fixture
def percent_money(db):
    """Venlo-like: 5% of the budgeted lasten with a floor of € 15.000. Every product's
    difference is 50.000 nadeel; product 0 has 1.000.000 lasten budgeted (5% = 50.000)."""
    return make_money(products=2, threshold_percent=5, threshold_amount=15_000)


def test_five_percent_exactly_is_not_over_the_threshold_one_euro_more_is(percent_money, invoerder):
    period = percent_money
    first, _second = products_of(period)
    # 50.000 on 1.000.000: exactly 5%, not more: nothing to explain.
    assert services.unexplained_messages(period) == []
    explain(period, invoerder, [products_of(period)[-1]])
    assert services.submit_explanations(period=period, user=invoerder) == 1

    VarianceExplanation.objects.filter(period=period).update(state=UpdateState.DRAFT)
    set_actual_lasten(period, first, 1_050_001)
    with pytest.raises(ValidationError) as refused:
        services.submit_explanations(period=period, user=invoerder)
    assert "Product 0 wijkt € -50.001 af van de begroting" in refused.value.messages[0]
    assert VarianceExplanation.objects.get(period=period).state == UpdateState.DRAFT


def test_the_floor_counts_where_five_percent_is_less(percent_money, invoerder):
    period = percent_money
    first, second = products_of(period)
    set_budget_lasten(period, second, 1_000_000, 1_050_000)
    # 200.000 budgeted: 5% is 10.000, the floor 15.000 decides.
    set_budget_lasten(period, first, 200_000, 215_000)
    assert services.unexplained_messages(period) == []
    set_actual_lasten(period, first, 215_001)
    [message] = services.unexplained_messages(period)
    assert message.startswith("Product 0 wijkt € -15.001 af")


@pytest.mark.parametrize(("actual", "refused"), [(1_100_000, False), (1_100_001, True)])
def test_a_fixed_hundred_thousand_both_sides(db, invoerder, actual, refused):
    """Enschede: a fixed € 100.000."""
    period = make_money(products=2, threshold_amount=100_000)
    product, _other = products_of(period)
    set_actual_lasten(period, product, actual)
    explain(period, invoerder, [products_of(period)[-1]])
    if refused:
        with pytest.raises(ValidationError):
            services.submit_explanations(period=period, user=invoerder)
    else:
        assert services.submit_explanations(period=period, user=invoerder) == 1


def test_the_page_refuses_submitting_and_says_why_at_the_top_and_at_the_product(
    percent_money, invoerder, client
):
    period = percent_money
    first, _second = products_of(period)
    set_actual_lasten(period, first, 1_050_001)
    explain(period, invoerder, [products_of(period)[-1]], label="Iets anders")
    before = states(period)
    client.force_login(invoerder)

    page = client.get(reverse("budgets:explanations", args=[period.pk])).content.decode()
    assert "meer dan 5% van de begrote lasten van het product en meer dan € 15.000" in page
    unexplained = page.split("Nog niet toegelicht</h2>", 1)[1].split("</section>", 1)[0]
    assert "Product 0" in unexplained and "Product 1" not in unexplained
    assert "-50 nadeel" in unexplained

    response = client.post(reverse("budgets:explanations_submit", args=[period.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    message = "Product 0 wijkt € -50.001 af van de begroting; dat is boven de drempel"
    summary = text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert message in summary
    at_product = text.split(f'id="product-{first.pk}"', 1)[1].split("</tr>", 1)[0]
    assert message in at_product and "Nog niet toegelicht" in at_product
    assert states(period) == before


def test_with_an_explanation_it_is_submitted_through_the_page(percent_money, invoerder, client):
    period = percent_money
    first, _second = products_of(period)
    set_actual_lasten(period, first, 1_050_001)
    client.force_login(invoerder)

    response = client.post(
        reverse("budgets:explanation_add", args=[period.pk]),
        {
            "label": "Meer maatwerk",
            "products": [str(first.pk)],
            "amount": "-50.001",
            "text": "Meer inwoners vroegen ondersteuning.",
            "save": "1",
        },
    )
    assert response.status_code == 302
    explanation = VarianceExplanation.objects.get(period=period)
    assert (explanation.label, explanation.amount) == ("Meer maatwerk", -50_001)
    assert list(explanation.products.all()) == [first]
    assert explanation.history.latest().history_user == invoerder

    response = client.post(reverse("budgets:explanations_submit", args=[period.pk]), follow=True)
    assert "1 toelichting is ingediend ter goedkeuring." in response.content.decode()
    explanation.refresh_from_db()
    assert explanation.state == UpdateState.SUBMITTED
    assert explanation.history.latest().history_user == invoerder
    page = client.get(reverse("budgets:explanations", args=[period.pk])).content.decode()
    assert "Elk product boven de drempel heeft een toelichting." in page
    assert "-50 nadeel" in page and "Ingediend" in page


# -- The form's input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("veel", "Vul een bedrag in hele euro&#x27;s in, zoals 1.580.000."),
        ("PM", "PM is hier niet mogelijk; vul een bedrag in."),
        ("", "Vul het bedrag in."),
    ],
)
def test_bad_input_is_told_at_the_field_and_nothing_is_saved(
    percent_money, invoerder, client, typed, message
):
    period = percent_money
    client.force_login(invoerder)
    response = client.post(
        reverse("budgets:explanation_add", args=[period.pk]),
        {"label": "Iets", "amount": typed, "text": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    field = response.content.decode().split('id="id_amount_error"', 1)[1].split("</div>", 1)[0]
    assert message in field
    assert not VarianceExplanation.objects.filter(period=period).exists()


def test_a_product_of_another_programme_is_no_choice(percent_money, invoerder, client):
    period = percent_money
    other = make_money(products=1, name="Ander programma")
    [foreign] = products_of(other)
    client.force_login(invoerder)
    response = client.post(
        reverse("budgets:explanation_add", args=[period.pk]),
        {"label": "Iets", "amount": "1.000", "products": [str(foreign.pk)]},
    )
    assert response.context["form"].errors["products"] == [
        "Kies producten van het eigen programma."
    ]
    assert not VarianceExplanation.objects.filter(period=period).exists()


def test_an_edit_on_a_stale_version_is_refused_and_nothing_saved(
    percent_money, invoerder, controller, client
):
    period = percent_money
    explanation = explain(period, invoerder, [products_of(period)[-1]], label="Eerste")
    url = reverse("budgets:explanation_change", args=[explanation.pk])
    client.force_login(invoerder)
    form = client.get(url).context["form"]
    assert form.initial["amount"] == "-50.000"
    services.save_explanation(
        period=period,
        user=controller,
        label="Van de controller",
        amount=1,
        text="",
        products=[],
        explanation_id=explanation.pk,
        expected_version=explanation.version,
    )
    response = client.post(
        url, {"version": form.initial["version"], "label": "Mijn versie", "amount": "5"}
    )
    assert response.status_code == 409
    assert "Van de controller" in response.content.decode()
    explanation.refresh_from_db()
    assert explanation.label == "Van de controller"


def test_delete_asks_first_and_is_for_controllers(percent_money, invoerder, controller, client):
    period = percent_money
    explanation = explain(period, invoerder, [products_of(period)[-1]], label="Weg ermee")
    url = reverse("budgets:explanation_delete", args=[explanation.pk])
    client.force_login(invoerder)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403

    client.force_login(controller)
    page = client.get(reverse("budgets:explanations", args=[period.pk])).content.decode()
    assert f'href="{url}"' in page and f'action="{url}"' not in page
    question = client.get(url).content.decode()
    assert "Toelichting Weg ermee verwijderen?" in question
    assert f'action="{url}"' in question and "Ja, verwijderen" in question
    assert VarianceExplanation.objects.filter(pk=explanation.pk).exists()

    client.post(url)
    assert not VarianceExplanation.objects.filter(pk=explanation.pk).exists()
    deleted = VarianceExplanation.history.filter(id=explanation.pk).latest()
    assert deleted.history_type == "-" and deleted.history_user == controller


# -- Four eyes ------------------------------------------------------------------------------


def test_a_writer_does_not_approve_their_own(percent_money, controller, client):
    period = percent_money
    explanation = explain(period, controller, [products_of(period)[-1]])
    services.submit_explanations(period=period, user=controller)
    client.force_login(controller)
    page = client.get(reverse("budgets:explanations", args=[period.pk])).content.decode()
    assert "die keurt een ander goed" in page

    response = client.post(
        reverse("budgets:explanations_approve", args=[period.pk]),
        {"explanation": [explanation.pk]},
    )
    assert response.status_code == 200
    assert "keurt een ander goed" in response.content.decode()
    explanation.refresh_from_db()
    assert explanation.state == UpdateState.SUBMITTED and not explanation.is_approved
    with pytest.raises(ValidationError):
        services.approve_explanations(period=period, row_ids=[explanation.pk], user=controller)

    other = make_user("co", Role.CONTROLLER)
    client.force_login(other)
    response = client.post(
        reverse("budgets:explanations_approve", args=[period.pk]),
        {"explanation": [explanation.pk]},
        follow=True,
    )
    assert "1 toelichting goedgekeurd." in response.content.decode()
    explanation.refresh_from_db()
    assert explanation.state == UpdateState.APPROVED
    assert explanation.approved_by == other
    assert explanation.history.latest().history_user == other


def test_an_invoerder_neither_approves_nor_sends_back(percent_money, invoerder, client):
    period = percent_money
    explanation = explain(period, invoerder, [products_of(period)[-1]])
    services.submit_explanations(period=period, user=invoerder)
    client.force_login(invoerder)
    page = client.get(reverse("budgets:explanations", args=[period.pk])).content.decode()
    assert "Goedkeuren" not in page and "terugsturen" not in page
    approve = reverse("budgets:explanations_approve", args=[period.pk])
    assert client.post(approve, {"explanation": [explanation.pk]}).status_code == 403
    back = reverse("budgets:explanation_return", args=[explanation.pk])
    assert client.post(back, {"reason": "Nee"}).status_code == 403
    assert VarianceExplanation.objects.get(pk=explanation.pk).state == UpdateState.SUBMITTED


def test_a_controller_sends_back_with_a_reason(percent_money, invoerder, controller, client):
    period = percent_money
    explanation = explain(period, invoerder, [products_of(period)[-1]])
    services.submit_explanations(period=period, user=invoerder)
    url = reverse("budgets:explanation_return", args=[explanation.pk])
    client.force_login(controller)
    response = client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Geef aan waarom u dit terugstuurt."]
    assert VarianceExplanation.objects.get(pk=explanation.pk).state == UpdateState.SUBMITTED

    client.post(url, {"reason": "Noem de aantallen."})
    explanation.refresh_from_db()
    assert explanation.state == UpdateState.RETURNED
    assert explanation.return_reason == "Noem de aantallen."
    assert explanation.history.latest().history_user == controller
    page = client.get(reverse("budgets:explanations", args=[period.pk])).content.decode()
    assert "Noem de aantallen." in page and "Teruggestuurd" in page


# -- The demo's periods: closed, and of their own organisation ---------------------------


def test_enschedes_approved_explanations_and_fixed_threshold(almelo, client):
    """Jaarverslag 2018: its five explanations approved, a fixed € 100.000."""
    client.force_login(User.objects.get(username="enschede-controller"))
    period = enschede_period()
    response = client.get(reverse("budgets:explanations", args=[period.pk]))
    page = response.content.decode()
    assert "een verschil van meer dan € 100.000 vraagt een toelichting" in page
    assert page.count("Goedgekeurd") >= 5
    assert "Elk product boven de drempel heeft een toelichting." in page
    # Nothing waits: no draft to submit, nothing submitted to approve.
    assert "Indienen</button>" not in page and "Goedkeuren</button>" not in page
    chapter = reverse("chapters:chapter", args=[period.programme_id])
    assert f'href="{chapter}?periode={period.pk}"' in page


def test_venlos_threshold_in_words(almelo, client):
    client.force_login(User.objects.get(username="venlo-controller"))
    page = client.get(reverse("budgets:explanations", args=[venlo_period().pk])).content.decode()
    assert "meer dan 5% van de begrote lasten van het product en meer dan € 15.000" in page
    assert "-20.780 nadeel" in page


def test_a_closed_period_refuses_every_write(almelo, client):
    period = enschede_period()
    controller = User.objects.get(username="enschede-controller")
    close_period(period=period, user=controller)
    period.refresh_from_db()
    client.force_login(controller)
    explanation = VarianceExplanation.objects.filter(period=period).first()
    product = Product.objects.filter(programme=period.programme).first()
    before = (
        states(period),
        sorted(BudgetFigure.objects.filter(period=period).values_list("pk", "amount")),
        VarianceExplanation.history.filter(period_id=period.pk).count(),
    )
    body = {"label": "Te laat", "amount": "1.000", "text": "x", "products": [str(product.pk)]}
    for url, data, button in [
        (reverse("budgets:explanation_add", args=[period.pk]), body, "Opslaan als concept"),
        (
            reverse("budgets:explanation_change", args=[explanation.pk]),
            {**body, "version": explanation.version},
            "Opslaan als concept",
        ),
        (reverse("budgets:explanation_delete", args=[explanation.pk]), {}, "Ja, verwijderen"),
        (
            reverse("budgets:explanation_return", args=[explanation.pk]),
            {"reason": "Nee"},
            "Terugsturen</button>",
        ),
        (
            f"{reverse('budgets:figures_form', args=[period.pk])}?product={product.pk}",
            {"lasten-realisatie": "1"},
            "Bedragen opslaan",
        ),
    ]:
        shown = client.get(url).content.decode()
        assert CLOSED in shown and button not in shown, url
        response = client.post(url, data)
        assert response.status_code == 200, url
        assert CLOSED in response.content.decode(), url
    for url in (
        reverse("budgets:explanations_submit", args=[period.pk]),
        reverse("budgets:explanations_approve", args=[period.pk]),
    ):
        response = client.post(url, {"explanation": [explanation.pk]})
        assert response.status_code == 200, url
        assert CLOSED in response.content.decode(), url
    with pytest.raises(ValidationError):
        explain(period, controller, [product])
    after = (
        states(period),
        sorted(BudgetFigure.objects.filter(period=period).values_list("pk", "amount")),
        VarianceExplanation.history.filter(period_id=period.pk).count(),
    )
    assert after == before


def test_another_organisations_period_is_not_found(almelo, client):
    client.force_login(User.objects.get(username="controller"))  # Almelo's
    period = venlo_period()
    explanation = VarianceExplanation.objects.filter(period=period).first()
    for url in (
        reverse("budgets:explanations", args=[period.pk]),
        reverse("budgets:explanation_add", args=[period.pk]),
        reverse("budgets:explanation_change", args=[explanation.pk]),
        reverse("budgets:explanation_delete", args=[explanation.pk]),
        reverse("budgets:explanation_return", args=[explanation.pk]),
        reverse("budgets:figures_form", args=[period.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("budgets:explanations_submit", args=[period.pk]),
        reverse("budgets:explanations_approve", args=[period.pk]),
    ):
        assert client.post(url, {"explanation": [explanation.pk]}).status_code == 404, url


def test_the_explanations_export_as_csv_and_xlsx(almelo, client):
    """Enschede's five approved explanations with their amounts, each product's
    difference, and in the XLSX the total as a formula over the euros."""
    import csv
    import io

    from openpyxl import load_workbook

    client.force_login(get_user_model().objects.get(username="enschede-manager"))
    period = ReportingPeriod.objects.get(
        programme__name="Maatschappelijke ondersteuning", name="Jaarverslag 2018"
    )
    url = reverse("budgets:explanations_export", args=[period.pk])
    rows = list(
        csv.reader(
            io.StringIO(client.get(url, {"format": "csv"}).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    labels = {row[0]: row[2] for row in rows[1:6]}
    assert labels == {
        "Centrumtaak WMO/Beschermd wonen": "2.300",
        "Inkomensondersteuning": "1.100",
        "Jeugdhulpzorg": "1.600",
        "Lichte ondersteuning en regie": "800",
        "WMO": "-300",
    }
    differences = {row[0]: row[1:] for row in rows[8:]}
    assert differences["Algemene maatschappelijke voorziening"] == ["-9", "Nee", "Nee"]
    assert differences["Beschermd wonen"] == ["1.500", "Ja", "Ja"]

    sheet = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content)).active
    amounts = [sheet.cell(row, 3).value for row in range(4, 9)]
    assert sorted(amounts) == [-300_000, 800_000, 1_100_000, 1_600_000, 2_300_000]
    assert sheet.cell(9, 1).value == "Totaal toegelicht"
    assert sheet.cell(9, 3).value == "=SUM(C4:C8)"
    assert sum(amounts) == 5_500_000
