"""The demo loader and the database constraints that must always hold."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from measures.demo import load_demo
from measures.models import (
    Assessment,
    Measure,
    MeasurePlan,
    Programme,
    ReportingPeriod,
    YearTarget,
    natural_sort_key,
)


def snapshot():
    models = [Programme, MeasurePlan, Measure, YearTarget, ReportingPeriod, Assessment]
    return {model.__name__: sorted(map(tuple, model.objects.values_list())) for model in models}


def test_load_demo_twice_changes_nothing(db, capsys):
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert "wachtwoord koers-demo" in capsys.readouterr().out


def test_load_demo_keeps_a_changed_password(db, django_user_model):
    load_demo()
    user = django_user_model.objects.get(username="manager")
    user.set_password("een-ander-wachtwoord")
    user.save()
    load_demo()
    user.refresh_from_db()
    assert user.check_password("een-ander-wachtwoord")


def test_demo_accounts_log_in_with_the_demo_password(db, django_user_model):
    load_demo()
    for name in ("invoerder", "controller", "manager", "beheerder"):
        user = django_user_model.objects.get(username=name)
        assert user.check_password("koers-demo") and user.memberships.filter(role=name).exists()


@pytest.mark.parametrize(
    ("numbers", "ordered"),
    [
        (["10", "9", "6.2", "6", "6.1", "1"], ["1", "6", "6.1", "6.2", "9", "10"]),
        (["2.10", "2.9", "2"], ["2", "2.9", "2.10"]),
    ],
)
def test_measures_sort_naturally_by_number(numbers, ordered):
    assert sorted(numbers, key=natural_sort_key) == ordered


def test_database_refuses_two_targets_for_one_year(almelo):
    measure = Measure.objects.get(title="Doorbraakmethode")
    with pytest.raises(IntegrityError), transaction.atomic():
        YearTarget.objects.create(measure=measure, year=2019, amount=1)


def test_database_refuses_an_amount_together_with_pm_or_neither(almelo):
    measure = Measure.objects.get(title="Doorbraakmethode")
    YearTarget.objects.filter(measure=measure).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        YearTarget.objects.create(measure=measure, year=2019, amount=5, is_pm=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearTarget.objects.create(measure=measure, year=2019, amount=None, is_pm=False)


def test_database_refuses_a_duplicate_number_within_a_plan(almelo):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(programme=plan.programme, plan=plan, number="1", title="Dubbel")


def test_database_refuses_a_measure_in_a_plan_without_number(almelo):
    plan = MeasurePlan.objects.get(name="Maatregelenplan 1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(programme=plan.programme, plan=plan, number="", title="Zonder")


def test_measures_outside_plans_may_share_an_empty_number(almelo):
    programme = Programme.objects.get(name="Programma Zorg")
    Measure.objects.create(programme=programme, title="Nog een vervangende maatregel")
    assert Measure.objects.filter(plan__isnull=True).count() == 2


def test_database_refuses_a_target_year_outside_the_horizon_of_the_programme(almelo):
    programme = Programme.objects.get(name="Programma Zorg")
    programme.target_year = 2030
    with pytest.raises(IntegrityError), transaction.atomic():
        programme.save()
