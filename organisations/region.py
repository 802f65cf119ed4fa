"""The region page's figures as arithmetic on plain data.

A region page shows, per member organisation and per programme that member shares with
the region, the "op koers" balance (saldo) of the programme's latest reporting period,
with the terms it adds up, and per target year the region's totals. Nothing of a member
comes in here but what it shares: the loader (organisations.region_data) reads only the
programmes marked as shared with the region, and only their overview's balance terms.

The balance of a programme is taken from the member's own overview
(measures.overview.compute_overview, through measures.overview_data.load_overview), not
computed again: the same numbers as the member's overview page, to the unit. Like that
module, this one knows nothing of requests, templates or the ORM.

Money:
- whole euros (int) all the way; totals are added from the stored euros, and a shown
  total is rounded from its own sum, never a sum of rounded figures;
- a balance lies in its programme's target year, so the region adds balances per target
  year: programmes of different years are not added together;
- no percentages: a share across members would have to be computed from summed euros,
  never averaged from the members' shares. The page shows none.

The BBV indicators (the national set, indicators.models.NationalIndicator) side by side:
per national indicator that a shared programme of any member reports, each member's
latest realisatie of it, as the member stated it (a `Score`): the latest year, and of
that year what the latest reporting period said. Shown with the member's own indicator's
decimals through indicators.formatting, the same text as the member's own chapter. A
score is a member's own figure: never added, averaged or compared into a region figure
(most are percentages), so the table has no total.

The budget result per member: of the member's shared programmes, the latest reporting
period with budget figures (the latest reference date, then the latest made), and the
difference on its "Resultaat" against the budget, voordeel positive, as
budgets.statement computes it for the member's own statement (with the member's own
statement layout: which columns are budget and actual). One figure per member, never
added into a region figure: the periods are of different years and kinds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from budgets import statement
from indicators.formatting import format_value
from measures.overview import Overview, RowKind


class Outcome(StrEnum):
    """The sign of a balance, as the reports name it: positive is a surplus (voordeel),
    negative a shortfall (nadeel)."""

    FAVOURABLE = "voordeel"
    UNFAVOURABLE = "nadeel"
    EVEN = "sluitend"

    @classmethod
    def of(cls, euros: int) -> Outcome:
        if euros > 0:
            return cls.FAVOURABLE
        if euros < 0:
            return cls.UNFAVOURABLE
        return cls.EVEN


@dataclass(frozen=True)
class BalanceFigures:
    """The balance of a target year and the terms it adds up, signed as they count:
    `savings_task` is negative (what must be saved), `adjustments` the extra means."""

    on_course: int
    savings_task: int
    adjustments: int

    @property
    def balance(self) -> int:
        return self.on_course + self.savings_task + self.adjustments

    @property
    def outcome(self) -> Outcome:
        return Outcome.of(self.balance)


@dataclass(frozen=True)
class ProgrammeBalance:
    """One shared programme in its latest reporting period. `figures` is None while the
    programme has no reporting period yet."""

    programme: str
    period: str = ""
    reference_date: date | None = None
    is_closed: bool = False
    target_year: int | None = None
    figures: BalanceFigures | None = None


def balance_figures(overview: Overview) -> BalanceFigures:
    """The balance terms of a computed overview, as its own page adds them up."""
    by_kind = dict.fromkeys((RowKind.ON_COURSE, RowKind.SAVINGS_TASK, RowKind.ADJUSTMENT), 0)
    for term in overview.balance_terms:
        by_kind[term.kind] += term.euros
    figures = BalanceFigures(
        on_course=by_kind[RowKind.ON_COURSE],
        savings_task=by_kind[RowKind.SAVINGS_TASK],
        adjustments=by_kind[RowKind.ADJUSTMENT],
    )
    if figures.balance != overview.balance:
        raise ValueError("The overview's balance is not the sum of its terms.")
    return figures


@dataclass(frozen=True)
class NationalDefinition:
    """A mandatory BBV indicator as its national definition names it."""

    id: int
    number: int
    name: str
    unit: str
    source: str
    valid_from: int


@dataclass(frozen=True)
class Score:
    """A realisatie a member stated for a national indicator: the value of `year`, as the
    reporting period of `reference_date` (and id `period_id`) stated it, shown with the
    member's indicator's `decimals`."""

    year: int
    value: Decimal
    decimals: int
    reference_date: date
    period_id: int
    qualifier: str = ""

    @property
    def text(self) -> str:
        """Like "47,7 (2018)"; a qualifier the member added follows the year."""
        note = f"{self.year}, {self.qualifier}" if self.qualifier else str(self.year)
        return format_value(self.value, decimals=self.decimals, qualifier=note)

    @property
    def recency(self) -> tuple:
        return (self.year, self.reference_date, self.period_id)


def latest_scores(stated: list[tuple[int, Score]]) -> dict[int, Score]:
    """Per national indicator id the latest of the scores stated for it: the latest year,
    and of a year stated twice what the later reporting period said."""
    latest: dict[int, Score] = {}
    for national_id, score in stated:
        if national_id not in latest or score.recency > latest[national_id].recency:
            latest[national_id] = score
    return latest


@dataclass(frozen=True)
class IndicatorRow:
    """A national indicator and per sharing member (in the members' order) its latest
    score, None where it has none."""

    definition: NationalDefinition
    scores: list[Score | None]
    # Another definition of the same number is in the table too (the set changed).
    shows_valid_from: bool = False


@dataclass(frozen=True)
class BudgetResult:
    """A member's latest budget result: the difference on the result of `period` of
    `programme` against its budget, in euros, voordeel positive; None when the period
    states no budget and actual figures to compare."""

    programme: str
    period: str
    reference_date: date
    is_closed: bool
    difference: int | None

    @property
    def outcome(self) -> Outcome | None:
        return None if self.difference is None else Outcome.of(self.difference)


def budget_result(
    *,
    programme: str,
    period: str,
    reference_date: date,
    is_closed: bool,
    figures: list[statement.Figure],
    layout: statement.Layout,
    year: int,
) -> BudgetResult:
    """The result row's difference of a period's figures, as its own statement shows it."""
    return BudgetResult(
        programme=programme,
        period=period,
        reference_date=reference_date,
        is_closed=is_closed,
        difference=statement.row_difference(
            statement.totals(figures, year=year),
            statement.RESULT,
            budget_column=layout.budget_column,
            actual_column=layout.actual_column,
        ),
    )


@dataclass(frozen=True)
class MemberFigures:
    """A member of the region: its own name and role in the region, and what it shares."""

    organisation_id: int
    name: str
    is_centre: bool = False
    centre_tasks: str = ""
    programmes: list[ProgrammeBalance] = field(default_factory=list)
    # National indicator id -> the member's latest realisatie of it (latest_scores).
    scores: dict[int, Score] = field(default_factory=dict)
    # The budget result of its latest shared period with budget figures, if any.
    budget: BudgetResult | None = None

    @property
    def shares_anything(self) -> bool:
        return bool(self.programmes)


@dataclass(frozen=True)
class YearTotal:
    """The region's balance in one target year: every shared programme with that target
    year, added in euros."""

    year: int
    figures: BalanceFigures
    programme_count: int
    member_count: int


@dataclass(frozen=True)
class RegionOverview:
    members: list[MemberFigures]
    year_totals: list[YearTotal]
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def sharing_members(self) -> list[MemberFigures]:
        return [member for member in self.members if member.shares_anything]

    @property
    def budget_members(self) -> list[MemberFigures]:
        return [member for member in self.members if member.budget is not None]

    @property
    def silent_members(self) -> list[MemberFigures]:
        """Members that share no programme: the page names them, and shows nothing more."""
        return [member for member in self.members if not member.shares_anything]


def indicator_rows(
    members: list[MemberFigures], definitions: list[NationalDefinition]
) -> list[IndicatorRow]:
    """A row per national definition (by number, then the oldest definition first) with
    the score of each member that shares anything."""
    sharing = [member for member in members if member.shares_anything]
    ordered = sorted(definitions, key=lambda d: (d.number, d.valid_from))
    numbers = [definition.number for definition in ordered]
    return [
        IndicatorRow(
            definition=definition,
            scores=[member.scores.get(definition.id) for member in sharing],
            shows_valid_from=numbers.count(definition.number) > 1,
        )
        for definition in ordered
    ]


def compute_region(
    members: list[MemberFigures], definitions: list[NationalDefinition] = ()
) -> RegionOverview:
    """The members as given, and per target year (ascending) the sum of the balance terms
    of every shared programme with figures in that year; the BBV indicators' rows for the
    national `definitions` the shared programmes report."""
    by_year: dict[int, list[tuple[int, BalanceFigures]]] = {}
    for member in members:
        for programme in member.programmes:
            if programme.figures is not None:
                entries = by_year.setdefault(programme.target_year, [])
                entries.append((member.organisation_id, programme.figures))
    return RegionOverview(
        members=list(members),
        year_totals=[
            YearTotal(
                year=year,
                figures=add_figures([figures for _member, figures in entries]),
                programme_count=len(entries),
                member_count=len({member for member, _figures in entries}),
            )
            for year, entries in sorted(by_year.items())
        ],
        indicators=indicator_rows(members, list(definitions)),
    )


def add_figures(figures: list[BalanceFigures]) -> BalanceFigures:
    """Balance terms added in euros, term by term."""
    return BalanceFigures(
        on_course=sum(each.on_course for each in figures),
        savings_task=sum(each.savings_task for each in figures),
        adjustments=sum(each.adjustments for each in figures),
    )
