"""Reads what the members of a region share with it, for organisations.region.

The region page crosses organisations, the one place outside backup and restore that
does. It says so: the members' programmes are read inside `organisation_scope(*members)`,
opened here and only around the reads of what is shown, and only programmes that their
organisation marked as shared with this region (`Programme.shared_with_regions`) are
read. A programme shared with a region its organisation has left shows nothing.

Queries: the members with their organisations, the shared programmes with the id of
their latest period, those periods (with the frozen overview of a closed one); then per
shared programme what its own overview page reads (measures.overview_data.load_overview):
its measures and status levels, and for an open period its targets and the savings task
with the adjustments. So the count grows with the number of shared programmes, never
with the number of measures. The BBV indicators add two, however many indicators, values
and programmes: the realisaties of national indicators in the shared programmes, and the
national definitions the table shows. The budget results add at most three, however many
members, products and figures: the periods of the shared programmes that have budget
figures, the figures of each member's latest one, and the members' statement layouts.
"""

from django.db.models import OuterRef, Q, Subquery

from budgets import data as budget_data
from budgets import statement
from budgets.models import BudgetFigure, StatementLayout
from indicators.models import Indicator, IndicatorValue, NationalIndicator, ValueKind
from measures.models import Programme, ReportingPeriod
from measures.overview_data import load_overview

from .models import Region, RegionMember
from .region import (
    BudgetResult,
    MemberFigures,
    NationalDefinition,
    ProgrammeBalance,
    RegionOverview,
    Score,
    balance_figures,
    budget_result,
    compute_region,
    latest_scores,
)
from .scoping import organisation_scope


def load_region(region: Region) -> RegionOverview:
    memberships = list(
        RegionMember.objects.filter(region=region)
        .select_related("organisation")
        .order_by("-is_centre", "organisation__short_name")
    )
    organisations = [membership.organisation for membership in memberships]
    with organisation_scope(*organisations):
        shared, programme_ids = shared_programmes(region, organisations)
        scores, definitions = shared_scores(programme_ids)
        budgets = shared_budget_results(programme_ids)
    return compute_region(
        [
            MemberFigures(
                organisation_id=membership.organisation_id,
                name=membership.organisation.short_name,
                is_centre=membership.is_centre,
                centre_tasks=membership.centre_tasks,
                programmes=shared.get(membership.organisation_id, []),
                scores=latest_scores(scores.get(membership.organisation_id, [])),
                budget=budgets.get(membership.organisation_id),
            )
            for membership in memberships
        ],
        definitions,
    )


def shared_programmes(
    region: Region, organisations
) -> tuple[dict[int, list[ProgrammeBalance]], list[int]]:
    """Per organisation its programmes shared with `region`, each with the balance of its
    latest reporting period (as the overview page chooses it: the latest reference date,
    then the latest made); and the ids of those programmes. Runs inside the members'
    scope."""
    latest = (
        ReportingPeriod.objects.filter(programme=OuterRef("pk"))
        .order_by("-reference_date", "-pk")
        .values("pk")[:1]
    )
    programmes = list(
        Programme.objects.filter(shared_with_regions=region, organisation__in=organisations)
        .annotate(latest_period_id=Subquery(latest))
        .order_by("name")
    )
    periods = {
        period.pk: period
        for period in ReportingPeriod.objects.filter(
            pk__in=[p.latest_period_id for p in programmes if p.latest_period_id]
        ).select_related("programme__organisation")
    }
    shared: dict[int, list[ProgrammeBalance]] = {}
    for programme in programmes:
        period = periods.get(programme.latest_period_id)
        shared.setdefault(programme.organisation_id, []).append(
            programme_balance(programme, period)
        )
    return shared, [programme.pk for programme in programmes]


def shared_scores(
    programme_ids: list[int],
) -> tuple[dict[int, list[tuple[int, Score]]], list[NationalDefinition]]:
    """Per organisation every realisatie of a national indicator stated in the shared
    programmes `programme_ids` (as pairs of national indicator id and score), and the
    national definitions those programmes report: each one used by an indicator still
    reported, or with a score (a discontinued indicator without one is left out, as in
    the member's chapter). Two queries; runs inside the members' scope."""
    stated = IndicatorValue.objects.filter(
        indicator__programme_id__in=programme_ids,
        indicator__national__isnull=False,
        kind=ValueKind.ACTUAL,
        part__isnull=True,
    ).values_list(
        "indicator__programme__organisation_id",
        "indicator__national_id",
        "year",
        "value",
        "indicator__decimals",
        "period__reference_date",
        "period_id",
        "qualifier",
    )
    scores: dict[int, list[tuple[int, Score]]] = {}
    for organisation_id, national_id, year, value, decimals, on, period_id, note in stated:
        scores.setdefault(organisation_id, []).append(
            (national_id, Score(year, value, decimals, on, period_id, note))
        )
    scored = {national_id for pairs in scores.values() for national_id, _score in pairs}
    reported = Indicator.objects.filter(
        programme_id__in=programme_ids, is_discontinued=False
    ).values("national_id")
    definitions = [
        NationalDefinition(
            id=national.pk,
            number=national.number,
            name=national.name,
            unit=national.unit,
            source=national.source,
            valid_from=national.valid_from,
        )
        for national in NationalIndicator.objects.filter(Q(pk__in=scored) | Q(pk__in=reported))
    ]
    return scores, definitions


# budgets.statement.Figure's fields, in its order.
FIGURE_FIELDS = ("product_id", "year", "category", "column", "amount", "task_field_id", "reserve")


def shared_budget_results(programme_ids: list[int]) -> dict[int, BudgetResult]:
    """Per organisation the budget result of the latest period with budget figures among
    its programmes `programme_ids` (those shared with the region). Three queries, or one
    when no such period exists; runs inside the members' scope."""
    periods = ReportingPeriod.objects.filter(
        programme_id__in=programme_ids, budget_figures__isnull=False
    ).distinct()
    latest: dict[int, ReportingPeriod] = {}
    for period in periods.select_related("programme"):
        organisation_id = period.programme.organisation_id
        current = latest.get(organisation_id)
        if current is None or (period.reference_date, period.pk) > (
            current.reference_date,
            current.pk,
        ):
            latest[organisation_id] = period
    if not latest:
        return {}
    figures: dict[int, list[statement.Figure]] = {}
    rows = BudgetFigure.objects.filter(period__in=list(latest.values())).values_list(
        "period_id", *FIGURE_FIELDS
    )
    for period_id, *values in rows:
        figures.setdefault(period_id, []).append(statement.Figure(*values))
    layouts = {
        layout.organisation_id: layout
        for layout in StatementLayout.objects.filter(organisation_id__in=list(latest))
    }
    return {
        organisation_id: budget_result(
            programme=period.programme.name,
            period=period.name,
            reference_date=period.reference_date,
            is_closed=period.is_closed,
            figures=figures.get(period.pk, []),
            layout=budget_data.layout_data(layouts.get(organisation_id)),
            year=budget_data.year_of(period),
        )
        for organisation_id, period in latest.items()
    }


def programme_balance(programme: Programme, period: ReportingPeriod | None) -> ProgrammeBalance:
    if period is None:
        return ProgrammeBalance(programme=programme.name)
    overview = load_overview(period).overview
    return ProgrammeBalance(
        programme=programme.name,
        period=period.name,
        reference_date=period.reference_date,
        is_closed=period.is_closed,
        target_year=overview.target_year,
        figures=balance_figures(overview),
    )
