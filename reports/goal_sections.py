"""The report's chapter per strategic goal: each measure with its status, its figures per
year and what the period's approved assessment says about it.

Figures are shown per measure, each formatted by `measures.money`; nothing is added up.
Four queries, whatever the number of measures: the goals, the assessments' texts, their
yearly forecast and realisation, and which measure replaces which.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from measures.models import Assessment, AssessmentYear, Goal, Measure, ReportingPeriod
from measures.money import format_cell, format_thousands
from measures.overview import Amount
from measures.tables import PageRow


@dataclass(frozen=True)
class Narrative:
    """The texts of a measure's approved assessment in the period."""

    explanation: str = ""
    cause: str = ""
    consequence: str = ""
    corrective_action: str = ""


@dataclass(frozen=True)
class MeasureEntry:
    """One measure in its goal's section: the overview's row with its words around it.

    The `*_text` properties are single strings ("2019: 750 · 2020: 2.251"), because every
    extra element in the PDF costs layout time, and a report can hold 500 measures.
    """

    page_row: PageRow
    years: list[int]
    plan: str
    parent: str
    replaces: list[str]
    description: str
    narrative: Narrative
    forecast: dict[int, str]
    realised: dict[int, str]

    @property
    def row(self):
        return self.page_row.row

    @property
    def targets_text(self) -> str:
        return _year_line(zip(self.years, self.page_row.cells, strict=True))

    @property
    def forecast_text(self) -> str:
        return _year_line(sorted(self.forecast.items()))

    @property
    def realised_text(self) -> str:
        return _year_line(sorted(self.realised.items()))


@dataclass(frozen=True)
class GoalSection:
    anchor: str
    title: str
    running_title: str
    description: str
    measures: list[MeasureEntry]


def goal_sections(
    period: ReportingPeriod, measures: list[Measure], sections: list[list[PageRow]]
) -> list[GoalSection]:
    """Per goal, in the overview's order, the measures with figures; headings such as
    "6 Versterken voorliggend veld" appear as the parent of their sub-measures, and
    measures without a goal get a section of their own at the end."""
    goals = list(Goal.objects.filter(programme_id=period.programme_id).order_by("number"))
    narratives = {
        measure_id: Narrative(*texts)
        for measure_id, *texts in Assessment.objects.filter(period=period).values_list(
            "measure_id", "explanation", "cause", "consequence", "corrective_action"
        )
    }
    forecast, realised = _year_figures(period)
    replaces = _replacements(period, {measure.pk: measure for measure in measures})
    by_id = {measure.pk: measure for measure in measures}
    years = period.programme.years

    entries: dict[int | None, list[MeasureEntry]] = {}
    for page_row in (page_row for section in sections for page_row in section):
        row = page_row.row
        measure = by_id.get(row.measure_id)
        if page_row.kind != "measure" or row.is_heading or measure is None:
            continue
        entries.setdefault(measure.goal_id, []).append(
            MeasureEntry(
                page_row=page_row,
                years=years,
                plan=str(measure.plan) if measure.plan else _("Buiten de maatregelenplannen"),
                parent=str(measure.parent) if measure.parent else "",
                replaces=replaces.get(measure.pk, []),
                description=measure.description,
                narrative=narratives.get(measure.pk, Narrative()),
                forecast=forecast.get(measure.pk, {}),
                realised=realised.get(measure.pk, {}),
            )
        )

    result = [
        GoalSection(
            anchor=f"doel-{goal.number}",
            title=str(goal),
            running_title=_("Doelen en maatregelen: doel %(number)s") % {"number": goal.number},
            description=goal.description,
            measures=entries.get(goal.pk, []),
        )
        for goal in goals
    ]
    if entries.get(None):
        title = _("Maatregelen zonder strategisch doel")
        result.append(GoalSection("zonder-doel", title, title, "", entries[None]))
    return result


def _year_figures(period: ReportingPeriod) -> tuple[dict, dict]:
    """Per measure and year the forecast and the realisation, formatted as in the
    overview; a soft saving goes in brackets after the hard one."""
    forecast: dict[int, dict[int, str]] = {}
    realised: dict[int, dict[int, str]] = {}
    rows = AssessmentYear.objects.filter(parent__period=period).values_list(
        "parent__measure_id", "year", "forecast", "forecast_is_pm", "realised", "realised_soft"
    )
    for measure_id, year, expected, is_pm, hard, soft in rows:
        if is_pm or expected is not None:
            amount = Amount.pm() if is_pm else Amount(expected)
            forecast.setdefault(measure_id, {})[year] = format_cell(amount)
        if hard is not None or soft is not None:
            text = format_thousands(hard) if hard is not None else "–"
            if soft is not None:
                text += " " + _("(zacht %(amount)s)") % {"amount": format_thousands(soft)}
            realised.setdefault(measure_id, {})[year] = text
    return forecast, realised


def _replacements(period: ReportingPeriod, by_id: dict[int, Measure]) -> dict[int, list[str]]:
    """Per replacement measure the measures whose task it takes over, with their plan."""
    replaces: dict[int, list[str]] = {}
    links = Measure.replaces.through.objects.filter(
        from_measure__programme_id=period.programme_id,
        to_measure__programme_id=period.programme_id,
    ).values_list("from_measure_id", "to_measure_id")
    for replacing, replaced_id in links:
        other = by_id.get(replaced_id)
        if other is not None:
            label = f"{other} ({other.plan.name})" if other.plan else str(other)
            replaces.setdefault(replacing, []).append(label)
    return replaces


def _year_line(figures) -> str:
    return " · ".join(f"{year}:\u00a0{text}" for year, text in figures if text)
