"""The budgets app in the admin: a product's programme and measures are the
organisation's own, figures of a closed period are read-only, the statement layout's
rows and columns are checked by the model, explanations and taakvelden change nowhere
here."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from budgets.models import BudgetFigure, Product, StatementLayout, TaskField, VarianceExplanation
from measures.models import Measure, Programme, ReportingPeriod
from measures.services import close_period
from organisations.models import Organisation
from organisations.scoping import organisation_scope
from tests.conftest import almelo_organisation
from tests.factories import make_programme

User = get_user_model()


def login(client, username):
    client.force_login(User.objects.get(username=username))


def choices(response, field):
    return {
        int(str(value))
        for value, _label in response.context["adminform"].form.fields[field].choices
        if value
    }


def test_a_products_programme_and_measures_are_the_organisations_own(almelo, client):
    venlo = Organisation.all_organisations.get(cbs_code="0983")
    make_programme(2, name="Programma van Venlo", organisation=venlo)
    login(client, "controller")
    response = client.get(reverse("admin:budgets_product_add"))
    assert response.status_code == 200
    with organisation_scope(almelo_organisation()):
        own_programmes = set(Programme.objects.values_list("pk", flat=True))
        own_measures = set(Measure.objects.values_list("pk", flat=True))
    assert choices(response, "programme") == own_programmes
    assert choices(response, "measures") == own_measures
    assert Measure.objects.exclude(pk__in=own_measures).exists()

    venlo_measure = Measure.objects.exclude(pk__in=own_measures).first()
    response = client.post(
        reverse("admin:budgets_product_add"),
        {"programme": almelo.pk, "name": "Nieuw product", "measures": [venlo_measure.pk]},
    )
    assert response.status_code == 200
    assert "measures" in response.context["adminform"].form.errors
    assert not Product.objects.filter(name="Nieuw product").exists()


def test_figures_of_a_closed_period_are_read_only(almelo, client):
    period = ReportingPeriod.objects.get(
        name="Jaarverslag 2018", programme__organisation__cbs_code="0153"
    )
    controller = User.objects.get(username="enschede-controller")
    close_period(period=period, user=controller)
    figure = BudgetFigure.objects.filter(period=period).first()
    client.force_login(controller)
    change = reverse("admin:budgets_budgetfigure_change", args=[figure.pk])
    page = client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.post(change, {"amount": "1"}).status_code == 403
    delete = reverse("admin:budgets_budgetfigure_delete", args=[figure.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert BudgetFigure.objects.get(pk=figure.pk).amount == figure.amount
    add = client.get(reverse("admin:budgets_budgetfigure_add"))
    assert period.pk not in choices(add, "period")


def test_the_layouts_rows_are_checked_at_the_field(almelo, client):
    login(client, "controller")
    body = {
        "title": "Wat heeft het gekost?",
        "saldo": "lasten_min_baten",
        "budget_column": "na_wijziging",
        "rows": '[["lasten", "Lasten"], ["winst", "Winst"]]',
        "columns": '[["realisatie", "Realisatie {year}"]]',
        "threshold_amount": "100000",
    }
    response = client.post(reverse("admin:budgets_statementlayout_add"), body)
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["rows"][0]
        .startswith("Geef een lijst van [code, kop]-paren")
    )
    assert not StatementLayout.objects.filter(organisation=almelo_organisation()).exists()

    body["rows"] = '[["lasten", "Lasten"], ["resultaat", "Resultaat"]]'
    body["threshold_percent"] = "5"
    body["threshold_amount"] = "15000"
    assert client.post(reverse("admin:budgets_statementlayout_add"), body).status_code == 302
    layout = StatementLayout.objects.get(organisation=almelo_organisation())
    assert layout.threshold_amount == 15_000 and layout.history.latest().history_user.username == (
        "controller"
    )
    # One per organisation: a second is refused with a message, nothing stored.
    response = client.post(reverse("admin:budgets_statementlayout_add"), body)
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Deze organisatie heeft al een opmaak; wijzig die in plaats van een nieuwe."
    ]
    assert StatementLayout.objects.filter(organisation=almelo_organisation()).count() == 1


def test_explanations_and_taakvelden_are_read_only_for_all(almelo, client):
    explanation = VarianceExplanation.objects.filter(
        period__programme__organisation__cbs_code="0153"
    ).first()
    task_field = TaskField.objects.first()
    login(client, "enschede-controller")
    for url in (
        reverse("admin:budgets_varianceexplanation_change", args=[explanation.pk]),
        reverse("admin:budgets_taskfield_change", args=[task_field.pk]),
    ):
        assert client.get(url).status_code == 200
        assert client.post(url, {"label": "Anders", "name": "Anders"}).status_code == 403
    assert client.get(reverse("admin:budgets_varianceexplanation_add")).status_code == 403
    assert VarianceExplanation.objects.get(pk=explanation.pk).label == explanation.label
