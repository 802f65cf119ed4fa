"""budgets.savings without a database: when a product's measures are on course while its
lasten overrun the budget, and what the budget would be without the measures."""

import pytest

from budgets.savings import Verdict, compare


def comparison(**given):
    figures = {
        "year": 2024,
        "budget": 1_000_000,
        "realised": 1_050_000,
        "forecast_lasten": None,
        "target": 30_000,
        "forecast": 30_000,
    }
    return compare(**{**figures, **given})


def test_on_course_while_the_lasten_overrun():
    result = comparison()
    assert result.is_on_course and result.is_overrun
    assert result.overrun == 50_000
    assert result.verdict is Verdict.ON_COURSE_BUT_OVERRUN


@pytest.mark.parametrize(
    ("given", "verdict"),
    [
        ({"realised": 1_000_000}, Verdict.ON_COURSE_WITHIN_BUDGET),
        ({"forecast": 29_999}, Verdict.BEHIND_AND_OVERRUN),
        ({"forecast": 0, "realised": 900_000}, Verdict.BEHIND_WITHIN_BUDGET),
        ({"forecast": 40_000}, Verdict.ON_COURSE_BUT_OVERRUN),
        ({"target": None, "forecast": None}, Verdict.UNKNOWN),
        ({"budget": None}, Verdict.UNKNOWN),
        ({"realised": None}, Verdict.UNKNOWN),
    ],
)
def test_verdicts(given, verdict):
    assert comparison(**given).verdict is verdict


def test_the_forecast_lasten_count_where_there_is_no_realisation():
    result = comparison(realised=None, forecast_lasten=1_200_000)
    assert result.actual == 1_200_000 and result.actual_is_forecast
    assert result.overrun == 200_000
    assert not comparison().actual_is_forecast


def test_the_shortfall_is_what_the_forecast_misses():
    assert comparison(forecast=10_000).shortfall == 20_000
    assert comparison(forecast=50_000).shortfall == 0
    assert comparison(target=None, forecast=None).shortfall is None


def test_the_budget_without_the_measures_adds_their_targets():
    assert comparison().budget_without_measures == 1_030_000
    assert comparison(target=None).budget_without_measures is None
    assert comparison(budget=None).budget_without_measures is None
