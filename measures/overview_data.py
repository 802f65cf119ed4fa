"""Loads the overview's plain data from the database in a fixed number of queries.

The page, the exports and the management command call `load_overview`; it reads the
rows, hands them to `measures.overview.compute_overview` and returns the result. The
number of queries does not depend on the number of measures:

1. the programme's measures with plan, parent, owner, heading flag and status in the
   period (`load_measures`; callers that need the list for other things pass it in),
2. the programme's status levels (unless passed in),
3. the yearly targets of the programme's measures,
4. the savings task per year and the adjustments, in one query (a UNION),
and one more for the submitted updates or for the revisions when those are asked for.
A closed period reads none of 3 and 4: its overview was frozen when it closed.
"""

from dataclasses import dataclass, replace

from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.utils.translation import gettext as _

from .constants import UpdateState
from .models import (
    Adjustment,
    Assessment,
    AssessmentYear,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    TargetRevision,
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
    Series,
    StatusData,
    compute_overview,
)


@dataclass(frozen=True)
class ProgrammeData:
    """The programme as a period's report, overview and exports show it."""

    name: str
    municipality: str
    separates_hard_soft: bool

    @classmethod
    def of(cls, programme: Programme) -> "ProgrammeData":
        return cls(programme.name, programme.organisation.name, programme.separates_hard_soft)


def programme_data(period: ReportingPeriod) -> ProgrammeData:
    """The period's programme: as frozen at closing for a closed period, so that a later
    rename or a switch of hard and soft realisation does not change what it shows."""
    if period.is_closed:
        # Periods closed before the split was frozen go on following the programme, as
        # they did then: the guard on closed periods (migration 0006) keeps their
        # snapshot from being completed afterwards.
        frozen = period.frozen_report["report"]["programme"]
        return ProgrammeData(
            **{"separates_hard_soft": period.programme.separates_hard_soft, **frozen}
        )
    return ProgrammeData.of(period.programme)


def overview_labels(*, separates_hard_soft: bool = False) -> OverviewLabels:
    """The names of the series and rows, the one place the page, the exports, the command
    and the report take them from. The seed calls the total of the targets "Totaal
    verwachte besparingen"; here it is named for what it adds up, so that it cannot be
    mistaken for the forecasts."""
    if separates_hard_soft:
        realised, realised_total = _("Realisatie (hard)"), _("Totaal realisatie (hard)")
    else:
        realised, realised_total = _("Realisatie"), _("Totaal realisatie")
    return OverviewLabels(
        subtotal=_("Subtotaal %(plan)s"),
        series={
            Series.TARGET: _("Taakstelling maatregelen"),
            Series.FORECAST: _("Prognose"),
            Series.REALISED: realised,
            Series.DEVIATION: _("Afwijking (prognose − taakstelling)"),
        },
        totals={
            Series.TARGET: _("Totaal taakstelling maatregelen"),
            Series.FORECAST: _("Totaal prognose"),
            Series.REALISED: realised_total,
            Series.DEVIATION: _("Totaal afwijking"),
        },
        selection_total=_("%(total)s (selectie)"),
        on_course=_("Inventarisatie invulling taakstelling per %(year)s"),
        savings_task=_("Te realiseren besparingen"),
        balance=_("Saldo"),
        programme_task=_("Taakstelling programma"),
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
    each with `status_id` (its status in the period) and `has_children` annotated.

    Building model instances is most of the cost for a thousand measures, so the query
    builds only the measures: the parent is linked from this same list, each plan is one
    shared instance made from the joined columns, and the owner comes as `owner_name`.
    """
    # order_by(): the model's default ordering would add joins and a sort per subquery.
    status = (
        Assessment.objects.filter(period=period, measure=OuterRef("pk"))
        .order_by()
        .values("status_id")
    )
    plan_fields = [
        "name",
        "decision_reference",
        "decision_date",
        "order",
        "first_year",
        "last_year",
    ]
    measures = list(
        Measure.objects.filter(programme_id=period.programme_id)
        .annotate(
            status_id=Subquery(status[:1]),
            has_children=Exists(Measure.objects.filter(parent=OuterRef("pk"))),
            owner_first_name=F("owner__first_name"),
            owner_last_name=F("owner__last_name"),
            owner_username=F("owner__username"),
            **{f"plan_{name}": F(f"plan__{name}") for name in plan_fields},
        )
        .order_by("sort_key", "title")
    )
    by_id = {measure.pk: measure for measure in measures}
    plans: dict[int, MeasurePlan] = {}
    for measure in measures:
        if measure.parent_id:
            measure.parent = by_id[measure.parent_id]
        if measure.plan_id:
            if measure.plan_id not in plans:
                plans[measure.plan_id] = MeasurePlan(
                    id=measure.plan_id,
                    programme_id=measure.programme_id,
                    **{name: getattr(measure, f"plan_{name}") for name in plan_fields},
                )
            measure.plan = plans[measure.plan_id]
        full_name = f"{measure.owner_first_name or ''} {measure.owner_last_name or ''}".strip()
        measure.owner_name = full_name or measure.owner_username or ""
    return measures


def plans_of(measures: list[Measure]) -> list[MeasurePlan]:
    """The plans the measures belong to, in the plans' own order."""
    plans = {measure.plan_id: measure.plan for measure in measures if measure.plan_id}
    return sorted(plans.values(), key=lambda plan: (plan.order, plan.name))


def owners_of(measures: list[Measure]) -> list[tuple[int, str]]:
    """(user id, name) of the measures' owners, by name; from `load_measures`' annotations."""
    owners = {m.owner_id: m.owner_name for m in measures if m.owner_id}
    return sorted(owners.items(), key=lambda owner: owner[1].lower())


@dataclass(frozen=True)
class ProgrammeLines:
    """The programme's short lists the overview needs besides its measures."""

    savings_task: dict[int, int]
    adjustments: list[AdjustmentData]
    # The budget products as (id, name): the choices of the overview's product filter.
    products: list[tuple[int, str]]


PRODUCT, TASK, ADJUSTMENT = 0, 1, 2


def programme_lines(programme: Programme) -> ProgrammeLines:
    """The savings task per year, the adjustments and the budget products, read in a single
    query (a UNION) once per programme object: the page asks for the products before it
    computes the overview, which asks for the rest, and the two share the one query."""
    cached = getattr(programme, "_programme_lines", None)
    if cached is not None:
        return cached
    from budgets.models import Product  # budgets builds on measures, not the other way

    tasks = SavingsTask.objects.filter(programme=programme).values_list(
        Value(TASK, output_field=IntegerField()),
        Value("", output_field=CharField()),
        "year",
        "amount",
        Value(0, output_field=IntegerField()),
    )
    extra = Adjustment.objects.filter(programme=programme).values_list(
        Value(ADJUSTMENT, output_field=IntegerField()), "label", "year", "amount", "order"
    )
    products = Product.objects.filter(programme=programme).values_list(
        Value(PRODUCT, output_field=IntegerField()),
        "name",
        "pk",
        Value(0, output_field=BigIntegerField()),
        "order",
    )
    savings_task: dict[int, int] = {}
    adjustments: list[tuple[int, int, str, AdjustmentData]] = []
    named: list[tuple[int, str, int]] = []
    rows = tasks.order_by().union(extra.order_by(), products.order_by(), all=True)
    for kind, label, year, amount, order in rows:
        if kind == TASK:
            savings_task[year] = amount
        elif kind == ADJUSTMENT:
            adjustments.append((order, year, label, AdjustmentData(label, year, amount)))
        else:
            named.append((order, label, year))  # a product's key comes in the year column
    lines = ProgrammeLines(
        savings_task=savings_task,
        adjustments=[adjustment for *_, adjustment in sorted(adjustments)],
        products=[(pk, name) for _order, name, pk in sorted(named)],
    )
    programme._programme_lines = lines
    return lines


@dataclass
class OverviewContext:
    """The computed overview with the lists the callers also show."""

    overview: Overview
    measures: list[Measure]
    levels: list[StatusLevel]
    # The status scale as the overview shows it: as it was at closing for a closed period.
    statuses: list[StatusData]


def load_targets(programme: Programme, *, original: bool) -> dict[int, dict[int, Amount]]:
    """The yearly targets per measure; with `original`, as before any council revision."""
    targets: dict[int, dict[int, Amount]] = {}
    rows = (
        YearTarget.objects.filter(measure__programme=programme)
        .order_by()
        .values_list("measure_id", "year", "amount", "is_pm")
    )
    for measure_id, year, amount, is_pm in rows:
        targets.setdefault(measure_id, {})[year] = Amount.pm() if is_pm else Amount(amount)
    if original:
        for revision in first_revisions(programme):
            if revision.year_target_id:
                target = revision.year_target
                targets[target.measure_id][target.year] = (
                    Amount.pm() if revision.previous_is_pm else Amount(revision.previous_amount)
                )
    return targets


def first_revisions(programme: Programme) -> list[TargetRevision]:
    """Per revised target its first revision, which holds the original amount."""
    revisions = (
        TargetRevision.objects.filter(
            Q(year_target__measure__programme=programme) | Q(savings_task__programme=programme)
        )
        .select_related("year_target", "savings_task")
        .order_by("decided_on", "created_at", "pk")
    )
    first: dict[tuple, TargetRevision] = {}
    for revision in revisions:
        first.setdefault((revision.year_target_id, revision.savings_task_id), revision)
    return list(first.values())


def is_reported(measure: Measure, status_id: int | None) -> bool:
    """Whether a measure has a row in a period's overview: a withdrawn one only while it
    still has a status there."""
    return not (measure.is_withdrawn and status_id is None)


def overview_input(
    period: ReportingPeriod,
    measures: list[Measure],
    levels: list[StatusLevel],
    *,
    include_submitted: bool = False,
    original_targets: bool = False,
    with_figures: bool = False,
) -> OverviewInput:
    """The complete input of the overview of an open period, from the current data."""
    programme = period.programme
    statuses = {level.pk: status_data(level) for level in levels}
    targets = load_targets(programme, original=original_targets)
    forecasts, realised = load_figures(period) if with_figures else ({}, {})
    submitted = {}
    if include_submitted:
        submitted = dict(
            MeasureUpdate.objects.filter(period=period, state=UpdateState.SUBMITTED).values_list(
                "measure_id", "status_id"
            )
        )
    by_plan: dict[int | None, list[MeasureData]] = {}
    for measure in measures:
        if not is_reported(measure, measure.status_id):
            continue
        is_draft = measure.pk in submitted
        by_plan.setdefault(measure.plan_id, []).append(
            MeasureData(
                id=measure.pk,
                number=measure.number,
                title=measure.title,
                targets=targets.get(measure.pk, {}),
                status=statuses.get(submitted[measure.pk] if is_draft else measure.status_id),
                parent_id=measure.parent_id,
                is_heading=measure.has_children,
                is_draft=is_draft,
                forecasts=forecasts.get(measure.pk, {}),
                realised=realised.get(measure.pk, {}),
            )
        )
    lines = programme_lines(programme)
    savings_task, adjustments = dict(lines.savings_task), lines.adjustments
    if original_targets:
        for revision in first_revisions(programme):
            if revision.savings_task_id:
                savings_task[revision.savings_task.year] = revision.previous_amount
    return OverviewInput(
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
    )


def load_figures(period: ReportingPeriod) -> tuple[dict, dict]:
    """The approved forecast and (hard) realised saving per measure and year."""
    forecasts: dict[int, dict[int, Amount]] = {}
    realised: dict[int, dict[int, int]] = {}
    rows = (
        AssessmentYear.objects.filter(parent__period=period)
        .order_by()
        .values_list("parent__measure_id", "year", "forecast", "forecast_is_pm", "realised")
    )
    for measure_id, year, forecast, forecast_is_pm, realised_euros in rows:
        if forecast_is_pm or forecast is not None:
            amount = Amount.pm() if forecast_is_pm else Amount(forecast)
            forecasts.setdefault(measure_id, {})[year] = amount
        if realised_euros is not None:
            realised.setdefault(measure_id, {})[year] = realised_euros
    return forecasts, realised


def select(data: OverviewInput, selected_ids: set[int]) -> OverviewInput:
    """Only the selected measures, with the heading of each selected sub-measure."""

    def keep(measures: list[MeasureData]) -> list[MeasureData]:
        wanted = {m.id for m in measures if m.id in selected_ids and not m.is_heading}
        wanted |= {m.parent_id for m in measures if m.id in wanted and m.parent_id}
        return [m for m in measures if m.id in wanted]

    plans = [replace(plan, measures=keep(plan.measures)) for plan in data.plans]
    return replace(
        data,
        plans=[plan for plan in plans if plan.measures],
        other_measures=keep(data.other_measures),
        is_complete=False,
    )


def thaw_overview(frozen: dict) -> OverviewInput:
    """The overview input stored when the period closed (measures.report_input)."""

    def amounts(targets: dict) -> dict[int, Amount]:
        return {int(year): Amount(**amount) for year, amount in targets.items()}

    def measure(data: dict) -> MeasureData:
        status = StatusData(**data["status"]) if data["status"] else None
        return MeasureData(
            **{
                **data,
                "targets": amounts(data["targets"]),
                "status": status,
                "forecasts": amounts(data.get("forecasts", {})),
                "realised": {int(year): e for year, e in data.get("realised", {}).items()},
            }
        )

    return OverviewInput(
        years=frozen["years"],
        target_year=frozen["target_year"],
        plans=[
            PlanData(**{**plan, "measures": [measure(m) for m in plan["measures"]]})
            for plan in frozen["plans"]
        ],
        other_measures=[measure(m) for m in frozen["other_measures"]],
        savings_task={int(year): euros for year, euros in frozen["savings_task"].items()},
        adjustments=[AdjustmentData(**adjustment) for adjustment in frozen["adjustments"]],
    )


def period_input(
    period: ReportingPeriod,
    measures: list[Measure],
    levels: list[StatusLevel],
    *,
    include_submitted: bool = False,
    original_targets: bool = False,
    with_figures: bool = False,
) -> OverviewInput:
    """The overview input of a period: as frozen when it closed for a closed period (the
    options then change nothing), else from the current data (`overview_input`)."""
    if period.is_closed:
        return thaw_overview(period.frozen_report["overview"])
    return overview_input(
        period,
        measures,
        levels,
        include_submitted=include_submitted,
        original_targets=original_targets,
        with_figures=with_figures,
    )


def load_overview(
    period: ReportingPeriod,
    *,
    measures: list[Measure] | None = None,
    selected_ids: set[int] | None = None,
    levels: list[StatusLevel] | None = None,
    include_submitted: bool = False,
    original_targets: bool = False,
    with_figures: bool = False,
    series: Series = Series.TARGET,
) -> OverviewContext:
    """The overview of a period: all the programme's measures, or a selection of them.

    A closed period shows what was frozen when it closed, whatever changed since. With
    `selected_ids` only those measures are shown (with the heading of a selected
    sub-measure), and the task, adjustment and balance rows are left out, because those
    belong to the whole programme. `include_submitted` shows the status of updates that
    wait for approval, marked as such; `original_targets` the targets before revisions;
    `with_figures` adds the approved forecasts and realisations (one query more), which
    every series but the targets needs; `series` is what the rows show.
    """
    programme = period.programme
    if measures is None:
        measures = load_measures(period)
    if levels is None:
        levels = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
    statuses = [status_data(level) for level in levels]
    if period.is_closed:
        statuses = [StatusData(**level) for level in period.frozen_report["report"]["levels"]]
    data = period_input(
        period,
        measures,
        levels,
        include_submitted=include_submitted,
        original_targets=original_targets,
        with_figures=with_figures or series is not Series.TARGET,
    )
    if selected_ids is not None:
        data = select(data, selected_ids)
    labels = overview_labels(separates_hard_soft=programme_data(period).separates_hard_soft)
    overview = compute_overview(data, labels=labels, series=series)
    return OverviewContext(overview, measures, levels, statuses)
