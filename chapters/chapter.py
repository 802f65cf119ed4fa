"""A programme's chapter in one reporting period, as its page shows it: the approved texts,
the goal tree with themes and action points (their status in this period and the one
before it), and the indicators the period reported.

Only approved copies appear (`approved_heading`/`approved_body`, `approved_status`/
`approved_explanation`): what is still being written or waits for four eyes is not part
of the chapter. `load_chapter` reads everything in a fixed number of queries, however
many goals, themes, action points, texts and indicators there are (see its docstring);
the rest is arranging rows in memory.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from indicators import figures
from indicators.chart import IndicatorChart, indicator_chart
from indicators.models import ValueKind
from measures.changes import previous_period
from measures.models import Goal, Measure, Programme, ReportingPeriod, StatusLevel

from . import body
from .models import ActionPoint, ActionPointStatus, TextVersion, Theme


@dataclass(frozen=True)
class ShownText:
    """An approved text: its heading and its body as paragraphs and lists."""

    heading: str
    kind: str
    blocks: list[body.Block]


@dataclass(frozen=True)
class StatusAt:
    """An action point's approved status in one period, with its explanation."""

    status: StatusLevel | None
    explanation: str


@dataclass
class PointRow:
    point: ActionPoint
    before: StatusAt | None
    now: StatusAt | None
    measures: list[Measure]
    texts: list[ShownText] = field(default_factory=list)

    @property
    def owner_name(self) -> str:
        owner = self.point.owner
        return (owner.get_full_name() or owner.username) if owner else ""


@dataclass
class ThemeSection:
    theme: Theme
    texts: list[ShownText] = field(default_factory=list)
    points: list[PointRow] = field(default_factory=list)

    @property
    def points_key(self) -> str:
        return f"thema-{self.theme.pk}-actiepunten"


@dataclass
class GoalSection:
    goal: Goal
    texts: list[ShownText] = field(default_factory=list)
    themes: list[ThemeSection] = field(default_factory=list)
    # Action points under the goal but under none of its themes.
    points: list[PointRow] = field(default_factory=list)

    @property
    def points_key(self) -> str:
        return f"doel-{self.goal.pk}-actiepunten"


@dataclass(frozen=True)
class ValueRow:
    """A kind of value (nulmeting, realisatie, streefwaarde) across the table's years."""

    kind_label: str
    cells: list[str]


@dataclass
class IndicatorSection:
    reported: figures.Reported
    years: list[int]
    rows: list[ValueRow]
    chart: IndicatorChart | None

    @property
    def indicator(self):
        return self.reported.indicator

    @property
    def target_met_text(self) -> str:
        met = self.reported.target_met
        if met is None:
            return ""
        return _("Streefwaarde gehaald") if met else _("Streefwaarde niet gehaald")


@dataclass(frozen=True)
class NationalRow:
    """A BBV indicator as Enschede prints it: the latest score the period reported."""

    policy_field: str
    name: str
    unit: str
    year: int | None
    score: str
    source: str


@dataclass
class Chapter:
    programme: Programme
    period: ReportingPeriod
    previous: ReportingPeriod | None
    levels: list[StatusLevel]
    texts: list[ShownText]
    goals: list[GoalSection]
    # Themes and action points under no goal, after the goals.
    themes: list[ThemeSection]
    points: list[PointRow]
    indicators: list[IndicatorSection]
    national: list[NationalRow]

    @property
    def has_tree(self) -> bool:
        return bool(self.goals or self.themes or self.points)


def _shown(version: TextVersion) -> ShownText | None:
    if version.approved_at is None or not (version.approved_body or version.approved_heading):
        return None
    return ShownText(
        heading=version.approved_heading or version.text.get_kind_display(),
        kind=version.text.kind,
        blocks=body.parse(version.approved_body),
    )


def _place(text) -> tuple[str, int | None]:
    """Where a text stands: with its action point, else its theme, else its goal, else the
    programme (("goal", None))."""
    if text.action_point_id:
        return ("action_point", text.action_point_id)
    if text.theme_id:
        return ("theme", text.theme_id)
    return ("goal", text.goal_id)


def load_chapter(period: ReportingPeriod) -> Chapter:
    """The chapter of the period's programme (select_related on the period). Queries:

    1. the previous period of the programme (measures.changes.previous_period);
    2. the status scale's levels (the legend);
    3. the goals;
    4. the themes;
    5. the action points with their owners;
    6. the measures the action points carry;
    7. the action points' statuses in both periods;
    8. the approved texts of the period;
    9.-11. the indicators, their parts and the period's values (figures.reported);
    12. the indicators' series over the periods up to this one (figures.series).
    """
    programme = period.programme
    previous = previous_period(period)
    levels = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
    goals = list(Goal.objects.filter(programme=programme))
    themes = list(Theme.objects.filter(programme=programme))
    points = list(
        ActionPoint.objects.filter(programme=programme)
        .select_related("owner")
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.order_by("sort_key", "title"))
        )
    )
    period_ids = [period.pk] + ([previous.pk] if previous else [])
    statuses = {
        (row.period_id, row.action_point_id): StatusAt(
            row.approved_status, row.approved_explanation
        )
        for row in ActionPointStatus.objects.filter(
            period_id__in=period_ids, action_point__programme=programme
        ).select_related("approved_status")
    }
    texts = defaultdict(list)
    versions = (
        TextVersion.objects.filter(period=period, text__programme=programme)
        .select_related("text")
        .order_by("text__order", "text_id")
    )
    for version in versions:
        shown = _shown(version)
        if shown is not None:
            texts[_place(version.text)].append(shown)

    goal_sections = {goal.pk: GoalSection(goal, texts[("goal", goal.pk)]) for goal in goals}
    theme_sections = {theme.pk: ThemeSection(theme, texts[("theme", theme.pk)]) for theme in themes}
    loose_themes, loose_points = [], []
    for theme in themes:
        section = theme_sections[theme.pk]
        if theme.goal_id in goal_sections:
            goal_sections[theme.goal_id].themes.append(section)
        else:
            loose_themes.append(section)
    for point in points:
        row = PointRow(
            point,
            before=statuses.get((previous.pk, point.pk)) if previous else None,
            now=statuses.get((period.pk, point.pk)),
            measures=list(point.measures.all()),
            texts=texts[("action_point", point.pk)],
        )
        if point.theme_id in theme_sections:
            theme_sections[point.theme_id].points.append(row)
        elif point.goal_id in goal_sections:
            goal_sections[point.goal_id].points.append(row)
        else:
            loose_points.append(row)

    reported = figures.reported(period)
    return Chapter(
        programme=programme,
        period=period,
        previous=previous,
        levels=levels,
        texts=texts[("goal", None)],
        goals=list(goal_sections.values()),
        themes=loose_themes,
        points=loose_points,
        indicators=_indicator_sections(period, reported),
        national=[_national_row(item) for item in reported if item.indicator.national_id],
    )


KIND_ROWS = (ValueKind.BASELINE, ValueKind.ACTUAL, ValueKind.TARGET)


def _indicator_sections(period, reported: list[figures.Reported]) -> list[IndicatorSection]:
    own = [item for item in reported if not item.indicator.national_id]
    series = figures.series(period, [item.indicator for item in own])
    sections = []
    for item in own:
        years = sorted({entry.year for entry in item.entries})
        rows = []
        for kind in KIND_ROWS:
            cells = [item.entry(year, kind) for year in years]
            if any(cells):
                rows.append(
                    ValueRow(
                        str(figures.KIND_LABELS[kind]),
                        [cell.text if cell else "–" for cell in cells],
                    )
                )
        sections.append(
            IndicatorSection(
                reported=item,
                years=years,
                rows=rows,
                chart=indicator_chart(item.indicator, series.get(item.indicator.pk, {})),
            )
        )
    return sections


def _national_row(item: figures.Reported) -> NationalRow:
    actuals = [entry for entry in item.entries if entry.kind == ValueKind.ACTUAL]
    latest = max(actuals or item.entries, key=lambda entry: entry.year, default=None)
    indicator = item.indicator
    return NationalRow(
        policy_field=indicator.national.policy_field,
        name=item.name,
        unit=item.unit,
        year=latest.year if latest else None,
        score=latest.text if latest else "–",
        source=indicator.display_source,
    )
