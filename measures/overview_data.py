"""Loads the overview's plain data from the database in a fixed number of queries.

The page, the exports and the management command call `load_overview`; it reads the
rows, hands them to `measures.overview.compute_overview` and returns the result. The
number of queries does not depend on the number of measures:

1. the programme's measures with plan, parent, owner, heading flag and status in the
   period (`load_measures`; callers that need the list for other things pass it in),
2. the programme's status levels (unless passed in),
3. the yearly targets of the programme's measures,
4. the savings task per year and the adjustments, in one query (a UNION).
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)
from django.utils.translation import gettext as _

from .models import (
    Adjustment,
    Assessment,
    Measure,
    MeasurePlan,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    YearTarget,
)
from .overview import (
    AdjustmentData,
    Amount,
    MeasureData,
    Overview,
    OverviewInput,
    OverviewLabels,
    PlanData,
    StatusData,
    compute_overview,
)


def overview_labels() -> OverviewLabels:
    return OverviewLabels(
        subtotal=_("Subtotaal %(plan)s"),
        total=_("Totaal verwachte besparingen"),
        selection_total=_("Totaal verwachte besparingen (selectie)"),
        on_course=_("Inventarisatie invulling taakstelling per %(year)s"),
        savings_task=_("Te realiseren besparingen"),
        balance=_("Saldo"),
    )


def status_data(level: StatusLevel) -> StatusData:
    return StatusData(
        id=level.pk,
        label=level.label,
        icon=level.icon,
        colour=level.colour,
        counts_as_on_course=level.counts_as_on_course,
        description=level.description,
    )


def load_measures(period: ReportingPeriod) -> list[Measure]:
    """All measures of the period's programme in one query, in plan and natural order,
    each with `status_id` (its status in the period) and `has_children` annotated."""
    status = Assessment.objects.filter(period=period, measure=OuterRef("pk")).values("status_id")
    return list(
        Measure.objects.filter(programme_id=period.programme_id)
        .select_related("plan", "parent", "owner")
        .annotate(
            status_id=Subquery(status[:1]),
            has_children=Exists(Measure.objects.filter(parent=OuterRef("pk"))),
        )
        .order_by("sort_key", "title")
    )


def plans_of(measures: list[Measure]) -> list[MeasurePlan]:
    """The plans the measures belong to, in the plans' own order."""
    plans = {measure.plan_id: measure.plan for measure in measures if measure.plan_id}
    return sorted(plans.values(), key=lambda plan: (plan.order, plan.name))


def owners_of(measures: list[Measure]) -> list:
    owners = {measure.owner_id: measure.owner for measure in measures if measure.owner_id}
    return sorted(owners.values(), key=lambda user: (user.get_full_name() or user.username).lower())


def programme_lines(programme: Programme) -> tuple[dict[int, int], list[AdjustmentData]]:
    """The savings task per year and the adjustments, read in a single query."""
    tasks = SavingsTask.objects.filter(programme=programme).values_list(
        Value(True, output_field=BooleanField()),
        Value("", output_field=CharField()),
        "year",
        "amount",
        Value(0, output_field=IntegerField()),
    )
    extra = Adjustment.objects.filter(programme=programme).values_list(
        Value(False, output_field=BooleanField()), "label", "year", "amount", "order"
    )
    savings_task: dict[int, int] = {}
    adjustments: list[tuple[int, int, str, AdjustmentData]] = []
    for is_task, label, year, amount, order in tasks.order_by().union(extra.order_by(), all=True):
        if is_task:
            savings_task[year] = amount
        else:
            adjustments.append((order, year, label, AdjustmentData(label, year, amount)))
    return savings_task, [adjustment for *_, adjustment in sorted(adjustments)]


@dataclass
class OverviewContext:
    """The computed overview with the lists the callers also show."""

    overview: Overview
    measures: list[Measure]
    levels: list[StatusLevel]


def load_overview(
    period: ReportingPeriod,
    *,
    measures: list[Measure] | None = None,
    selected_ids: set[int] | None = None,
    levels: list[StatusLevel] | None = None,
) -> OverviewContext:
    """The overview of a period: all the programme's measures, or a selection of them.

    With `selected_ids` only those measures are shown (with the heading of a selected
    sub-measure); plans without selected measures and the task, adjustment and balance
    rows are then left out, because those belong to the whole programme.
    """
    programme = period.programme
    if measures is None:
        measures = load_measures(period)
    if levels is None:
        levels = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
    statuses = {level.pk: status_data(level) for level in levels}

    targets: dict[int, dict[int, Amount]] = {}
    target_rows = YearTarget.objects.filter(measure__programme=programme).values_list(
        "measure_id", "year", "amount", "is_pm"
    )
    for measure_id, year, amount, is_pm in target_rows:
        targets.setdefault(measure_id, {})[year] = Amount.pm() if is_pm else Amount(amount)

    is_complete = selected_ids is None
    by_plan: dict[int | None, list[MeasureData]] = {}
    shown: set[int] = set()
    for measure in measures:
        if not is_complete and measure.pk not in selected_ids:
            continue
        parent = measure.parent
        if parent is not None and parent.pk not in shown:
            by_plan.setdefault(measure.plan_id, []).append(
                MeasureData(parent.pk, parent.number, parent.title, {}, is_heading=True)
            )
            shown.add(parent.pk)
        if measure.pk in shown:
            continue
        shown.add(measure.pk)
        by_plan.setdefault(measure.plan_id, []).append(
            MeasureData(
                id=measure.pk,
                number=measure.number,
                title=measure.title,
                targets=targets.get(measure.pk, {}),
                status=statuses.get(measure.status_id),
                parent_id=measure.parent_id,
                is_heading=measure.has_children,
            )
        )

    savings_task, adjustments = programme_lines(programme)
    data = OverviewInput(
        years=programme.years,
        target_year=programme.target_year,
        plans=[
            PlanData(plan.pk, plan.name, plan.decision_reference, by_plan[plan.pk])
            for plan in plans_of(measures)
            if plan.pk in by_plan
        ],
        other_measures=by_plan.get(None, []),
        savings_task=savings_task,
        adjustments=adjustments,
        is_complete=is_complete,
    )
    return OverviewContext(compute_overview(data, labels=overview_labels()), measures, levels)
