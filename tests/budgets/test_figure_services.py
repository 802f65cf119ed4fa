"""budgets.services: figures are stored all or nothing with their history, never in a
closed period, and a submitted account never holds an unexplained variance."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from budgets import services
from budgets.data import load_money
from budgets.models import BudgetFigure, Product, VarianceExplanation
from measures import services as measure_services
from measures.constants import Role, UpdateState
from measures.models import PeriodClosedError
from tests.conftest import make_user

from .builders import YEAR, make_money


@pytest.fixture
def money(db):
    return make_money(products=2, threshold_amount=100_000)


@pytest.fixture
def writers(db):
    return make_user("fien", Role.INVOERDER), make_user("coen", Role.CONTROLLER)


def first_product(period) -> Product:
    return Product.objects.filter(programme=period.programme).order_by("order").first()


def row(period, amount, *, column="realisatie", category="lasten"):
    return services.FigureRow(
        product=first_product(period),
        year=YEAR,
        category=category,
        column=column,
        amount=amount,
    )


def test_a_figure_is_changed_added_and_removed_with_history(money, writers):
    _writer, controller = writers
    counts = services.save_figures(
        period=money,
        user=controller,
        rows=[
            row(money, 1_200_000),
            row(money, 5_000, category="storting"),
            row(money, None, column="na_wijziging", category="baten"),
        ],
    )
    assert counts == {"added": 1, "changed": 1, "removed": 1, "unchanged": 0}
    changed = BudgetFigure.objects.get(
        period=money, product=first_product(money), category="lasten", column="realisatie"
    )
    assert changed.amount == 1_200_000
    assert changed.history.first().history_user == controller
    assert changed.updated_by == controller


def test_one_bad_row_stores_nothing_and_names_the_row(money, writers):
    _writer, controller = writers
    before = list(BudgetFigure.objects.filter(period=money).values_list("pk", "amount"))
    bad = services.FigureRow(
        product=first_product(money), year=YEAR, category="lasten", column="realisatie",
        amount=10**13,
    )  # fmt: skip
    with pytest.raises(services.FigureRowsError) as refused:
        services.save_figures(period=money, user=controller, rows=[row(money, 7), bad])
    assert 1 in refused.value.by_row
    assert "Rij 2" in refused.value.messages[0]
    assert list(BudgetFigure.objects.filter(period=money).values_list("pk", "amount")) == before


def test_the_same_amount_twice_in_one_go_is_refused(money, writers):
    _writer, controller = writers
    with pytest.raises(services.FigureRowsError, match="ook in rij 1"):
        services.save_figures(period=money, user=controller, rows=[row(money, 1), row(money, 2)])


def test_an_invoerder_may_not_store_figures(money, writers):
    writer, _controller = writers
    with pytest.raises(PermissionDenied):
        services.save_figures(period=money, user=writer, rows=[row(money, 1)])


def test_a_closed_period_refuses_figures_and_keeps_them(money, writers):
    _writer, controller = writers
    measure_services.close_period(period=money, user=controller)
    with pytest.raises(PeriodClosedError):
        services.save_figures(period=money, user=controller, rows=[row(money, 1)])
    figure = BudgetFigure.objects.filter(period=money).first()
    figure.amount = 1
    with pytest.raises(PeriodClosedError):
        figure.save()
    assert BudgetFigure.objects.get(pk=figure.pk).amount != 1


def test_submitting_refuses_an_unexplained_variance_and_accepts_an_explained_one(money, writers):
    writer, controller = writers
    # Each product overruns its lasten by 50.000: under the € 100.000 threshold.
    assert services.submit_explanations(period=money, user=writer) == 0
    services.save_figures(period=money, user=controller, rows=[row(money, 1_200_000)])
    [over] = [v for v in load_money(money).variances() if v.needs_explanation]
    assert over.difference == -200_000
    with pytest.raises(ValidationError, match="Product 0 wijkt € -200.000 af"):
        services.submit_explanations(period=money, user=writer)
    explanation = services.save_explanation(
        period=money,
        user=controller,
        label="Meer cliënten",
        amount=-200_000,
        text="Meer aanvragen dan begroot.",
        products=[first_product(money)],
    )
    assert services.submit_explanations(period=money, user=controller) == 1
    explanation.refresh_from_db()
    assert explanation.state == UpdateState.SUBMITTED
    with pytest.raises(PermissionDenied):  # an invoerder approves nothing
        services.approve_explanations(period=money, row_ids=[explanation.pk], user=writer)
    with pytest.raises(ValidationError):  # four eyes: not the controller who wrote it
        services.approve_explanations(period=money, row_ids=[explanation.pk], user=controller)
    second = make_user("cor", Role.CONTROLLER)
    assert services.approve_explanations(period=money, row_ids=[explanation.pk], user=second) == 1
    explanation.refresh_from_db()
    assert (explanation.approved_amount, explanation.approved_label) == (-200_000, "Meer cliënten")


def test_figures_that_leave_a_submitted_account_unexplained_are_refused(money, writers):
    writer, controller = writers
    services.save_explanation(
        period=money, user=writer, label="Niets bijzonders", amount=0, text="Binnen de marge.",
        products=[first_product(money)],
    )  # fmt: skip
    services.submit_explanations(period=money, user=writer)
    second = Product.objects.filter(programme=money.programme).order_by("order")[1]
    overrun = services.FigureRow(
        product=second, year=YEAR, category="lasten", column="realisatie", amount=2_000_000
    )
    with pytest.raises(ValidationError, match="Product 1 wijkt"):
        services.save_figures(period=money, user=controller, rows=[overrun])
    assert (
        BudgetFigure.objects.get(
            period=money, product=second, category="lasten", column="realisatie"
        ).amount
        == 1_060_000
    )


def test_an_explanation_needs_its_text_before_submitting(money, writers):
    writer, controller = writers
    services.save_figures(period=money, user=controller, rows=[row(money, 1_200_000)])
    services.save_explanation(
        period=money, user=writer, label="Zonder tekst", amount=-200_000, text="",
        products=[first_product(money)],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.submit_explanations(period=money, user=writer)
    assert refused.value.message_dict == {"text": ["Schrijf de toelichting voordat u hem indient."]}
    assert not VarianceExplanation.objects.filter(period=money, state="submitted").exists()


def test_an_explanation_needs_its_products_before_submitting(money, writers):
    writer, _controller = writers
    # No product passes the threshold here: only the explanation itself is incomplete.
    services.save_explanation(
        period=money, user=writer, label="Zonder product", amount=0, text="Uitleg.",
        products=[],
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.submit_explanations(period=money, user=writer)
    assert list(refused.value.message_dict) == ["products"]
    assert not VarianceExplanation.objects.filter(period=money, state="submitted").exists()


def test_an_explanation_without_products_explains_nothing(money, writers):
    writer, controller = writers
    services.save_figures(period=money, user=controller, rows=[row(money, 1_200_000)])
    services.save_explanation(
        period=money, user=writer, label="Los", amount=-200_000, text="Uitleg.", products=[],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="Product 0 wijkt"):
        services.submit_explanations(period=money, user=writer)


def test_a_product_of_another_programme_cannot_be_explained_here(money, writers):
    writer, _controller = writers
    other = make_money(products=1, name="Ander programma")
    with pytest.raises(ValidationError):
        services.save_explanation(
            period=money, user=writer, label="x", amount=1, text="x",
            products=[first_product(other)],
        )  # fmt: skip


def test_a_figure_of_a_product_has_no_taakveld_of_its_own(money):
    figure = BudgetFigure.objects.filter(period=money).first()
    figure.task_field = first_product(money).task_field
    with pytest.raises(ValidationError):
        figure.full_clean()


@pytest.mark.postgresql
def test_raw_sql_cannot_change_a_closed_periods_figures(money, writers):
    _writer, controller = writers
    measure_services.close_period(period=money, user=controller)
    with (
        pytest.raises(IntegrityError, match="afgesloten"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE budgets_budgetfigure SET amount = 1 WHERE period_id = %s", [money.pk]
        )
    assert not BudgetFigure.objects.filter(period=money, amount=1).exists()
