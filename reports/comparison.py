"""What changed per measure between two published reports of a programme.

Both reports are of closed periods, so both sides come from what closing froze
(measures.report_input): the status, the target and the approved forecast per year and
the texts of the approved assessment, as each report showed them. No query is made and
nothing is added up: each figure is compared as stored, in whole euros, and written by
measures.money.format_euros.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.models import ReportingPeriod
from measures.money import format_euros
from measures.overview import Amount
from measures.report_input import MeasureRecord, ReportInput, YearFiguresData, report_input

TEXT_FIELDS = {
    "explanation": gettext_lazy("Toelichting"),
    "cause": gettext_lazy("Oorzaak"),
    "consequence": gettext_lazy("Gevolg"),
    "corrective_action": gettext_lazy("Bijsturing"),
}


@dataclass(frozen=True)
class Difference:
    """One changed item of a measure: what it was and what it became, as text."""

    label: str
    before: str
    after: str
    is_text: bool = False


@dataclass(frozen=True)
class MeasureComparison:
    number: str
    title: str
    plan: str
    # "changed", "new" (only in the later report) or "gone" (only in the earlier one).
    kind: str
    differences: list[Difference]

    @property
    def kind_label(self) -> str:
        return {
            "new": _("Nieuw in het latere rapport"),
            "gone": _("Niet meer in het latere rapport"),
        }.get(self.kind, _("Gewijzigd"))


@dataclass(frozen=True)
class Comparison:
    before: ReportingPeriod
    after: ReportingPeriod
    measures: list[MeasureComparison]
    unchanged_count: int


def compare_periods(before: ReportingPeriod, after: ReportingPeriod) -> Comparison:
    """Per measure of either closed period what differs; measures in the later report's
    order, then those that are gone."""
    old, new = report_input(before), report_input(after)
    old_by_id = {measure.id: measure for measure in old.measures}
    new_ids = {measure.id for measure in new.measures}
    result, unchanged = [], 0
    for measure in new.measures:
        previous = old_by_id.get(measure.id)
        if previous is None:
            result.append(_entry(measure, new, "new", []))
            continue
        differences = _differences(previous, old, measure, new)
        if differences:
            result.append(_entry(measure, new, "changed", differences))
        else:
            unchanged += 1
    result += [
        _entry(measure, old, "gone", []) for measure in old.measures if measure.id not in new_ids
    ]
    return Comparison(before, after, result, unchanged)


def _entry(measure: MeasureRecord, source: ReportInput, kind: str, differences):
    plans = {plan.id: plan.title for plan in source.plans}
    return MeasureComparison(
        measure.number, measure.title, plans.get(measure.plan_id, ""), kind, differences
    )


def _differences(
    old: MeasureRecord, old_input: ReportInput, new: MeasureRecord, new_input: ReportInput
) -> list[Difference]:
    differences = []
    old_status = _status(old, old_input)
    new_status = _status(new, new_input)
    if old_status != new_status:
        differences.append(Difference(_("Op koers"), old_status, new_status))
    years = sorted(
        set(old_input.years) | set(new_input.years) | old.targets.keys() | new.targets.keys()
    )
    for year in years:
        was, becomes = _amount(old.targets.get(year)), _amount(new.targets.get(year))
        if was != becomes:
            differences.append(
                Difference(_("Taakstelling %(year)s") % {"year": year}, was, becomes)
            )
    for year in sorted(set(years) | old.years.keys() | new.years.keys()):
        was, becomes = _forecast(old.years.get(year)), _forecast(new.years.get(year))
        if was != becomes:
            differences.append(Difference(_("Prognose %(year)s") % {"year": year}, was, becomes))
    for name, label in TEXT_FIELDS.items():
        was = getattr(old.narrative, name).strip()
        becomes = getattr(new.narrative, name).strip()
        if was != becomes:
            differences.append(Difference(str(label), was, becomes, is_text=True))
    return differences


def _status(measure: MeasureRecord, source: ReportInput) -> str:
    labels = {level.id: level.label for level in source.levels}
    return labels.get(measure.status_id, "") if measure.status_id else ""


def _amount(amount: Amount | None) -> str:
    if amount is None:
        return ""
    return "PM" if amount.is_pm else format_euros(amount.euros)


def _forecast(figures: YearFiguresData | None) -> str:
    if figures is None or (figures.forecast is None and not figures.forecast_is_pm):
        return ""
    return "PM" if figures.forecast_is_pm else format_euros(figures.forecast)
