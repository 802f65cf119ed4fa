"""The admin a controller works in: Dutch messages at the field, nothing saved on bad input."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure, MeasurePlan, YearTarget
from tests.factories import make_programme


def measure_form(plan, number="9", title="Nieuwe maatregel", targets=(), **extra):
    """POST data for the measure add form with inline targets and no assessments."""
    data = {
        "programme": plan.programme_id,
        "plan": plan.pk,
        "number": number,
        "title": title,
        "description": "",
        "domain": "wmo",
        "targets-TOTAL_FORMS": str(len(targets)),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "assessments-TOTAL_FORMS": "0",
        "assessments-INITIAL_FORMS": "0",
        "assessments-MIN_NUM_FORMS": "0",
        "assessments-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for index, (year, amount) in enumerate(targets):
        data[f"targets-{index}-year"] = str(year)
        data[f"targets-{index}-amount"] = amount
    return data


@pytest.fixture
def plan(almelo):
    return MeasurePlan.objects.get(name="Maatregelenplan 2")


def post_measure(client, data):
    return client.post(reverse("admin:measures_measure_add"), data)


def test_controller_adds_a_measure_with_dutch_amounts_and_pm(controller_client, plan):
    response = post_measure(
        controller_client, measure_form(plan, targets=[(2021, "1.580.000"), (2022, "PM")])
    )
    assert response.status_code == 302
    measure = Measure.objects.get(plan=plan, number="9")
    targets = {t.year: (t.amount, t.is_pm) for t in measure.targets.all()}
    assert targets == {2021: (1_580_000, False), 2022: (None, True)}


def test_text_in_an_amount_is_refused_at_the_field_and_nothing_is_saved(controller_client, plan):
    before = Measure.objects.count(), YearTarget.objects.count()
    response = post_measure(controller_client, measure_form(plan, targets=[(2021, "veel geld")]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["amount"] == ["Vul een bedrag in hele euro's in, zoals 1.580.000, of PM."]
    assert "Vul een bedrag in hele euro" in response.content.decode()
    assert (Measure.objects.count(), YearTarget.objects.count()) == before


def test_a_year_outside_the_plan_horizon_is_refused(controller_client, plan):
    before = Measure.objects.count()
    response = post_measure(controller_client, measure_form(plan, targets=[(2025, "10.000")]))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert errors[0]["year"] == ["2025 valt buiten de looptijd 2019–2022."]
    assert Measure.objects.count() == before


def test_a_duplicate_measure_number_in_a_plan_is_refused(controller_client, plan):
    before = Measure.objects.count()
    response = post_measure(controller_client, measure_form(plan, number="6.1", title="Dubbel"))
    assert response.status_code == 200
    form_errors = response.context["adminform"].form.errors
    assert "Dit volgnummer bestaat al in dit maatregelenplan." in str(form_errors)
    assert Measure.objects.count() == before


def test_the_same_number_in_another_plan_is_fine(controller_client, almelo):
    other = MeasurePlan.objects.get(name="Maatregelenplan 1")
    response = post_measure(controller_client, measure_form(other, number="8", title="Elders"))
    assert response.status_code == 302


def test_two_targets_for_one_year_are_refused(controller_client, plan):
    response = post_measure(
        controller_client, measure_form(plan, targets=[(2021, "1.000"), (2021, "2.000")])
    )
    assert response.status_code == 200
    assert "Corrigeer de dubbele gegevens" in response.content.decode()
    assert not Measure.objects.filter(title="Nieuwe maatregel").exists()


def test_a_sub_measure_number_must_extend_its_heading(controller_client, plan):
    heading = Measure.objects.get(plan=plan, number="6")
    response = post_measure(
        controller_client, measure_form(plan, number="9.1", title="Los", parent=heading.pk)
    )
    assert response.status_code == 200
    assert "begint met dat van de kopmaatregel" in response.content.decode()


def test_a_malformed_number_is_refused(controller_client, plan):
    response = post_measure(controller_client, measure_form(plan, number="zes"))
    assert response.status_code == 200
    assert "Een volgnummer bestaat uit cijfers" in response.content.decode()


def test_measure_list_sorts_naturally_and_filters_by_status(controller_client, almelo):
    response = controller_client.get(
        reverse("admin:measures_measure_changelist"),
        {"plan__id__exact": MeasurePlan.objects.get(name="Maatregelenplan 2").pk},
    )
    numbers = [m.number for m in response.context["cl"].result_list]
    assert numbers == ["1", "2", "3", "4", "5", "6", "6.1", "6.2", "7", "8"]
    nee = (
        Measure.objects.get(number="6.2").assessments.get(period__name="Midterm review 2020").status
    )
    response = controller_client.get(
        reverse("admin:measures_measure_changelist"), {"status": nee.pk}
    )
    # "Nee" in the latest period (Najaarsrapportage 2020): 6.2 carried over, 8 newly approved.
    assert [m.title for m in response.context["cl"].result_list] == [
        "Uitbreiden kinder- en pubercoach",
        "Jeugdhulp in het onderwijs",
    ]


def test_measure_list_shows_target_year_amount_and_status(controller_client, almelo):
    content = controller_client.get(reverse("admin:measures_measure_changelist")).content.decode()
    assert "4.500" in content and "Taakstelling doeljaar" in content


def changelist_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name", ["measure", "measureplan", "assessment", "reportingperiod", "goal"]
)
def test_admin_lists_have_no_n_plus_one(controller_client, db, name):
    url = reverse(f"admin:measures_{name}_changelist")
    make_programme(5, name="Klein")
    small = changelist_queries(controller_client, url)
    make_programme(60, name="Groter")
    assert changelist_queries(controller_client, url) == small
