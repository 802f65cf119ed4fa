"""Loads the overview's plain data from the database in a fixed number of queries.

`load_overview` is what the page, the exports and the management command call; it
reads the rows, hands them to `measures.overview.compute_overview` and returns the
result. The number of queries does not depend on the number of measures:

1. the programme's measure plans (unless passed in),
2. the programme's status levels (unless passed in),
3. the measures, with their plan, parent, heading flag and status in the period,
4. their yearly targets,
5. the savings task per year and the adjustments, in one query (a UNION).
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    CharField,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.utils.translation import gettext as _

from .models import (
    Adjustment,
    Assessment,
    Measure,
    MeasurePlan,
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


@dataclass
class OverviewContext:
    """What the callers of the overview need next to the computed result."""

    overview: Overview
    plans: list[MeasurePlan]
    levels: list[StatusLevel]


def measures_with_status(period: ReportingPeriod, measures: QuerySet | None = None) -> QuerySet:
    """The period's programme measures, annotated with their status and heading flag."""
    if measures is None:
        measures = Measure.objects.all()
    status = Assessment.objects.filter(period=period, measure=OuterRef("pk")).values("status_id")
    return (
        measures.filter(programme_id=period.programme_id)
        .select_related("plan", "parent")
        .annotate(
            status_id=Subquery(status[:1]),
            has_children=Exists(Measure.objects.filter(parent=OuterRef("pk"))),
        )
        .order_by("sort_key", "title")
    )


def programme_lines(programme) -> tuple[dict[int, int], list[AdjustmentData]]:
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


def load_overview(
    period: ReportingPeriod,
    *,
    measures: QuerySet | None = None,
    is_complete: bool = True,
    plans: list[MeasurePlan] | None = None,
    levels: list[StatusLevel] | None = None,
) -> OverviewContext:
    """The overview of a period, for all the programme's measures or a filtered queryset.

    When `measures` is a filtered selection, pass is_complete=False: plans without
    selected measures are left out and the task, adjustment and balance rows too.
    """
    programme = period.programme
    if plans is None:
        plans = list(MeasurePlan.objects.filter(programme=programme))
    if levels is None:
        levels = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
    statuses = {level.pk: status_data(level) for level in levels}

    selected = list(measures_with_status(period, measures))
    targets: dict[int, dict[int, Amount]] = {}
    target_rows = YearTarget.objects.filter(
        measure__in=measures_with_status(period, measures).values("pk")
    ).values_list("measure_id", "year", "amount", "is_pm")
    for measure_id, year, amount, is_pm in target_rows:
        targets.setdefault(measure_id, {})[year] = Amount.pm() if is_pm else Amount(amount)

    by_plan: dict[int | None, list[MeasureData]] = {}
    seen: set[int] = set()
    for measure in selected:
        parent = measure.parent
        if parent is not None and parent.pk not in seen:
            # A filter can select a sub-measure without its heading; show the heading anyway.
            by_plan.setdefault(measure.plan_id, []).append(
                MeasureData(parent.pk, parent.number, parent.title, {}, is_heading=True)
            )
            seen.add(parent.pk)
        if measure.pk in seen:
            continue
        seen.add(measure.pk)
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

    plan_data = [
        PlanData(plan.pk, plan.name, plan.decision_reference, by_plan.get(plan.pk, []))
        for plan in plans
        if is_complete or plan.pk in by_plan
    ]
    savings_task, adjustments = programme_lines(programme)
    data = OverviewInput(
        years=programme.years,
        target_year=programme.target_year,
        plans=plan_data,
        other_measures=by_plan.get(None, []),
        savings_task=savings_task,
        adjustments=adjustments,
        is_complete=is_complete,
    )
    return OverviewContext(compute_overview(data, labels=overview_labels()), plans, levels)
