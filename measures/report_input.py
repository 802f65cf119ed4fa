"""Everything a period's report and measures export show, and the snapshot of it that
closing stores, so that the report of a closed period never changes, published or not.

An open period's report is made from the data as it is now: `load_report` reads the
overview (measures.overview_data) and the rest (`load_report_input`). Closing stores both
inputs in `ReportingPeriod.frozen_report` (`freeze_period`); from then on `load_report`
and `report_input` return what was stored, whatever happens later to the measures,
goals, plans, status scale, targets or periods around it. The overview page and its
exports read the same snapshot (overview_data.load_overview).

The input holds what is shown, not the model rows: labels as they read at closing, a
measure's targets, its approved texts and yearly figures, the changes since the
previous period. It is plain data, stored as JSON and read back into the same classes.

`load_report_input` runs a fixed number of queries, whatever the number of measures:
the measures and the status levels (unless passed in), the yearly targets, the approved
assessments' texts, their yearly figures, which measure replaces which, the goals, and
those of measures.changes.changes_since_previous.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder

from .changes import ChangeKind, MeasureChange, changes_since_previous
from .models import (
    Assessment,
    AssessmentYear,
    Goal,
    Measure,
    ReportingPeriod,
    StatusLevel,
    YearFigures,
)
from .overview import Amount, Overview, StatusData, compute_overview
from .overview_data import (
    ProgrammeData,
    load_measures,
    load_overview,
    load_targets,
    overview_input,
    overview_labels,
    programme_data,
    status_data,
    thaw_overview,
)


@dataclass(frozen=True)
class GoalData:
    id: int
    number: int
    title: str  # as shown: "Doel 3: …"
    description: str


@dataclass(frozen=True)
class PlanInfo:
    id: int
    name: str
    decision_reference: str
    title: str  # as shown: "Maatregelenplan 1 (BW-6696)"


@dataclass(frozen=True)
class Narrative:
    """The texts of a measure's approved assessment in the period."""

    explanation: str = ""
    cause: str = ""
    consequence: str = ""
    corrective_action: str = ""


@dataclass(frozen=True)
class YearFiguresData:
    """A measure's approved figures in one year."""

    forecast: int | None = None
    forecast_is_pm: bool = False
    realised: int | None = None
    realised_soft: int | None = None
    volume_planned: int | None = None
    volume_realised: int | None = None


@dataclass(frozen=True)
class MeasureRecord:
    """A measure as the report and the measures export show it in the period."""

    id: int
    title_line: str  # as shown: "6.1 Uitbreiden kinder- en pubercoach"
    number: str
    title: str
    description: str
    plan_id: int | None
    parent_id: int | None
    goal_id: int | None
    domain: str
    owner: str
    replaces: list[int]
    targets: dict[int, Amount]
    status_id: int | None = None
    narrative: Narrative = field(default_factory=Narrative)
    years: dict[int, YearFiguresData] = field(default_factory=dict)
    # Added after the first periods were frozen, hence the defaults.
    owner_name: str = ""  # full name, or the user name where there is none
    volume_unit: str = ""


@dataclass(frozen=True)
class PreviousPeriod:
    name: str
    reference_date: date


@dataclass(frozen=True)
class ChangesData:
    previous: PreviousPeriod
    changes: list[MeasureChange]


@dataclass(frozen=True)
class ReportInput:
    programme: ProgrammeData
    years: list[int]
    levels: list[StatusData]
    goals: list[GoalData]
    plans: list[PlanInfo]
    # Every measure of the programme, in the measures export's order: by plan, then number.
    measures: list[MeasureRecord]
    changes: ChangesData | None


def load_report(period: ReportingPeriod) -> tuple[Overview, ReportInput]:
    """The overview (with the approved figures) and the rest of the report of a period:
    as frozen at closing for a closed one, from today's data for an open one."""
    if period.is_closed:
        data = thaw_overview(period.frozen_report["overview"])
        frozen = thaw_report_input(period)
        labels = overview_labels(separates_hard_soft=frozen.programme.separates_hard_soft)
        return compute_overview(data, labels=labels), frozen
    result = load_overview(period, with_figures=True)
    return result.overview, load_report_input(
        period, measures=result.measures, levels=result.levels
    )


def report_input(period: ReportingPeriod) -> ReportInput:
    """What the report shows beyond the overview: frozen for a closed period."""
    if period.is_closed:
        return thaw_report_input(period)
    return load_report_input(period)


def freeze_period(period: ReportingPeriod) -> dict:
    """The snapshot closing stores: the overview's input and the report input, as JSON."""
    measures = load_measures(period)
    levels = list(StatusLevel.objects.filter(scale_id=period.programme.status_scale_id))
    snapshot = {
        "overview": asdict(overview_input(period, measures, levels, with_figures=True)),
        "report": asdict(load_report_input(period, measures=measures, levels=levels)),
    }
    # Through JSON and back, so that the object in memory is what a later read gives.
    return json.loads(json.dumps(snapshot, cls=DjangoJSONEncoder))


def load_report_input(
    period: ReportingPeriod,
    *,
    measures: list[Measure] | None = None,
    levels: list[StatusLevel] | None = None,
) -> ReportInput:
    """The report input from today's data (see the module's docstring for the queries)."""
    programme = period.programme
    if measures is None:
        measures = load_measures(period)
    if levels is None:
        levels = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
    targets = load_targets(programme, original=False)
    narratives = {
        measure_id: Narrative(*texts)
        for measure_id, *texts in Assessment.objects.filter(period=period).values_list(
            "measure_id", "explanation", "cause", "consequence", "corrective_action"
        )
    }
    years = _approved_years(period)
    replaces = _replacements(period)
    plans = {measure.plan_id: measure.plan for measure in measures if measure.plan_id}
    ordered = sorted(
        measures,
        key=lambda m: (
            m.plan is None,
            m.plan.order if m.plan else 0,
            m.plan.name if m.plan else "",
            m.sort_key,
            m.title,
        ),
    )
    changes = changes_since_previous(period)
    return ReportInput(
        programme=ProgrammeData.of(programme),
        years=programme.years,
        levels=[status_data(level) for level in levels],
        goals=[
            GoalData(goal.pk, goal.number, str(goal), goal.description)
            for goal in Goal.objects.filter(programme=programme).order_by("number")
        ],
        plans=[
            PlanInfo(plan.pk, plan.name, plan.decision_reference, str(plan))
            for plan in plans.values()
        ],
        measures=[
            MeasureRecord(
                id=measure.pk,
                title_line=str(measure),
                number=measure.number,
                title=measure.title,
                description=measure.description,
                plan_id=measure.plan_id,
                parent_id=measure.parent_id,
                goal_id=measure.goal_id,
                domain=measure.domain,
                owner=measure.owner_username or "",
                replaces=replaces.get(measure.pk, []),
                targets=targets.get(measure.pk, {}),
                status_id=measure.status_id,
                narrative=narratives.get(measure.pk, Narrative()),
                years=years.get(measure.pk, {}),
                owner_name=measure.owner_name,
                volume_unit=measure.volume_unit,
            )
            for measure in ordered
        ],
        changes=None
        if changes is None
        else ChangesData(
            PreviousPeriod(changes.previous.name, changes.previous.reference_date),
            changes.changes,
        ),
    )


def _approved_years(period: ReportingPeriod) -> dict[int, dict[int, YearFiguresData]]:
    figures: dict[int, dict[int, YearFiguresData]] = {}
    rows = (
        AssessmentYear.objects.filter(parent__period=period)
        .order_by()
        .values_list("parent__measure_id", "year", *YearFigures.FIGURE_FIELDS)
    )
    for measure_id, year, *values in rows:
        figures.setdefault(measure_id, {})[year] = YearFiguresData(
            **dict(zip(YearFigures.FIGURE_FIELDS, values, strict=True))
        )
    return figures


def _replacements(period: ReportingPeriod) -> dict[int, list[int]]:
    """Per replacement measure the measures whose task it takes over."""
    replaces: dict[int, list[int]] = {}
    links = (
        Measure.replaces.through.objects.filter(
            from_measure__programme_id=period.programme_id,
            to_measure__programme_id=period.programme_id,
        )
        .order_by("pk")
        .values_list("from_measure_id", "to_measure_id")
    )
    for replacing, replaced in links:
        replaces.setdefault(replacing, []).append(replaced)
    return replaces


def thaw_report_input(period: ReportingPeriod) -> ReportInput:
    """The report input a closed period stored at closing."""
    frozen = period.frozen_report["report"]

    def record(data: dict) -> MeasureRecord:
        return MeasureRecord(
            **{
                **data,
                "targets": {int(year): Amount(**a) for year, a in data["targets"].items()},
                "narrative": Narrative(**data["narrative"]),
                "years": {
                    int(year): YearFiguresData(**figures) for year, figures in data["years"].items()
                },
            }
        )

    changes = frozen["changes"]
    return ReportInput(
        programme=programme_data(period),
        years=frozen["years"],
        levels=[StatusData(**level) for level in frozen["levels"]],
        goals=[GoalData(**goal) for goal in frozen["goals"]],
        plans=[PlanInfo(**plan) for plan in frozen["plans"]],
        measures=[record(measure) for measure in frozen["measures"]],
        changes=None
        if changes is None
        else ChangesData(
            PreviousPeriod(
                changes["previous"]["name"],
                date.fromisoformat(changes["previous"]["reference_date"]),
            ),
            [
                MeasureChange(**{**change, "kind": ChangeKind(change["kind"])})
                for change in changes["changes"]
            ],
        ),
    )
