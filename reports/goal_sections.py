"""The report's chapter per strategic goal: each measure with its status, its figures per
year and what the period's approved assessment says about it.

Figures are shown per measure, each formatted by `measures.money`; nothing is added up.
No queries: everything comes from the report input (measures.report_input), which is
frozen for a closed period.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from measures.money import format_cell, format_thousands
from measures.overview import Amount
from measures.report_input import MeasureRecord, Narrative, ReportInput, YearFiguresData
from measures.tables import PageRow


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
    data: ReportInput, sections: list[list[PageRow]], years: list[int]
) -> list[GoalSection]:
    """Per goal, in the overview's order, the measures with figures; headings such as
    "6 Versterken voorliggend veld" appear as the parent of their sub-measures, and
    measures without a goal get a section of their own at the end."""
    by_id = {measure.id: measure for measure in data.measures}
    plans = {plan.id: plan for plan in data.plans}

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
                plan=plans[measure.plan_id].title
                if measure.plan_id
                else _("Buiten de maatregelenplannen"),
                parent=by_id[measure.parent_id].title_line if measure.parent_id else "",
                replaces=[
                    _replaced(by_id[other], plans) for other in measure.replaces if other in by_id
                ],
                description=measure.description,
                narrative=measure.narrative,
                forecast=_forecasts(measure),
                realised=_realisations(measure),
            )
        )

    result = [
        GoalSection(
            anchor=f"doel-{goal.number}",
            title=goal.title,
            running_title=_("Doelen en maatregelen: doel %(number)s") % {"number": goal.number},
            description=goal.description,
            measures=entries.get(goal.id, []),
        )
        for goal in data.goals
    ]
    if entries.get(None):
        title = _("Maatregelen zonder strategisch doel")
        result.append(GoalSection("zonder-doel", title, title, "", entries[None]))
    return result


def _replaced(other: MeasureRecord, plans: dict) -> str:
    """A replaced measure, with its plan."""
    if other.plan_id:
        return f"{other.title_line} ({plans[other.plan_id].name})"
    return other.title_line


def _forecasts(measure: MeasureRecord) -> dict[int, str]:
    """Per year the forecast, formatted as in the overview."""
    return {
        year: format_cell(Amount.pm() if figures.forecast_is_pm else Amount(figures.forecast))
        for year, figures in measure.years.items()
        if figures.forecast_is_pm or figures.forecast is not None
    }


def _realisations(measure: MeasureRecord) -> dict[int, str]:
    """Per year the realisation; a soft saving goes in brackets after the hard one."""
    return {
        year: _realised_text(figures)
        for year, figures in measure.years.items()
        if figures.realised is not None or figures.realised_soft is not None
    }


def _realised_text(figures: YearFiguresData) -> str:
    text = format_thousands(figures.realised) if figures.realised is not None else "–"
    if figures.realised_soft is not None:
        text += " " + _("(zacht %(amount)s)") % {"amount": format_thousands(figures.realised_soft)}
    return text


def _year_line(figures) -> str:
    return " · ".join(f"{year}:\u00a0{text}" for year, text in figures if text)
