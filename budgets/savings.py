"""A product's budget next to the savings measures meant to lower its lasten, as
arithmetic on plain data.

The question a controller asks of a product is whether its measures deliver what they
must while the product still costs more than budgeted: Almelo's measures were "op koers"
with the task while the deficits grew. This module answers it for one product and one
year, from figures computed elsewhere: the product's lasten from budgets.statement (via
budgets.data.Money.product_totals) and the measures' totals from measures.overview
(compute_overview over the measures linked to the product). It adds up nothing of
either; it only compares them. It knows nothing of requests, templates or the ORM:
budgets.product_data loads its input.

Amounts are whole euros (int). The rules, one each:
- On course: the measures' forecast total of the year is at least their target total
  (a measure without a forecast counts its target, PM counts 0, as in the overview). No
  linked measure, or no target that year: there is nothing to be on course with (None).
- The lasten's actual figure: the realisation where one is stated, else the forecast
  (prognose); neither: None.
- Overrun: actual lasten minus budgeted lasten (begroting na wijziging); positive is an
  overrun (nadeel), zero or less is within the budget. Unknown when either is missing.
- Budget without the measures: the budgeted lasten plus the measures' target total of
  the year: what the product would have been budgeted at had the measures not been
  counted on. A measure linked to several products counts in full for each of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """What the comparison says; the page words each one."""

    ON_COURSE_BUT_OVERRUN = "op_koers_overschrijding"
    ON_COURSE_WITHIN_BUDGET = "op_koers_binnen_begroting"
    BEHIND_AND_OVERRUN = "achter_overschrijding"
    BEHIND_WITHIN_BUDGET = "achter_binnen_begroting"
    # No linked measure with a target that year, or no budgeted or actual lasten.
    UNKNOWN = "onbekend"


@dataclass(frozen=True)
class Comparison:
    """Savings forecast against budget realisation for one product in one year.

    `target` and `forecast` are the linked measures' totals of the year in euros (None
    where no measure has a target that year); `budget` the lasten's begroting na
    wijziging, `realised` and `forecast_lasten` its realisatie and prognose (None where
    not stated)."""

    year: int
    budget: int | None
    realised: int | None
    forecast_lasten: int | None
    target: int | None
    forecast: int | None

    @property
    def actual(self) -> int | None:
        return self.realised if self.realised is not None else self.forecast_lasten

    @property
    def actual_is_forecast(self) -> bool:
        return self.realised is None and self.forecast_lasten is not None

    @property
    def overrun(self) -> int | None:
        if self.budget is None or self.actual is None:
            return None
        return self.actual - self.budget

    @property
    def is_overrun(self) -> bool | None:
        return None if self.overrun is None else self.overrun > 0

    @property
    def shortfall(self) -> int | None:
        """How much the forecast stays below the target (positive), or 0."""
        if self.target is None or self.forecast is None:
            return None
        return max(self.target - self.forecast, 0)

    @property
    def is_on_course(self) -> bool | None:
        if self.target is None or self.forecast is None:
            return None
        return self.forecast >= self.target

    @property
    def budget_without_measures(self) -> int | None:
        if self.budget is None or self.target is None:
            return None
        return self.budget + self.target

    @property
    def verdict(self) -> Verdict:
        on_course, overrun = self.is_on_course, self.is_overrun
        if on_course is None or overrun is None:
            return Verdict.UNKNOWN
        if on_course:
            return Verdict.ON_COURSE_BUT_OVERRUN if overrun else Verdict.ON_COURSE_WITHIN_BUDGET
        return Verdict.BEHIND_AND_OVERRUN if overrun else Verdict.BEHIND_WITHIN_BUDGET


def compare(
    *,
    year: int,
    budget: int | None,
    realised: int | None,
    forecast_lasten: int | None,
    target: int | None,
    forecast: int | None,
) -> Comparison:
    """The comparison of one product's lasten with its measures' savings in `year`."""
    return Comparison(
        year=year,
        budget=budget,
        realised=realised,
        forecast_lasten=forecast_lasten,
        target=target,
        forecast=forecast,
    )
