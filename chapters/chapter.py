"""A programme's chapter in one reporting period: the approved texts, the goal tree with
themes and action points (their status in this period and the one before it), and the
indicators the period reported. The one computation of the chapter: the chapter page
(chapters.views, templates/chapters/) and the report (reports.builder, the PDF and its
web version, templates/reports/_programme_chapter.html) both show what `load_chapter`
returns; their templates only arrange it.

The chapter lives here, in the chapter app, rather than in the report: the page is the
chapter's own view of it, and the report is one more reader that passes its status scale.

Only approved copies appear (`approved_heading`/`approved_body`, `approved_status`/
`approved_explanation`): what is still being written or waits for four eyes is not part
of the chapter. And only what the period holds: the texts with an approved version in the
period, the action points with a status row in it, the indicators with a value stated in
it, and the goals and themes under which one of those stands. Those rows are period-bound,
so for a closed period the closed-period guard keeps them as they were at closing. The
rest is read as it is today and is NOT part of the snapshot closing stores
(measures.report_input.freeze_period): the titles and numbers of goals, themes and action
points, an action point's owner and measures, and an indicator's name, unit and source.
Renaming one of them later changes what an unpublished report of a closed period shows; a
published report keeps its bytes.

Statuses are `measures.overview.StatusData`, looked up by id in the levels the caller
passes: the report passes its own (for a closed period the scale frozen at closing), the
page passes none and the programme's scale is read.

`load_chapter` runs a fixed number of queries, whatever the number of goals, themes,
action points, texts and indicators: see its docstring and CHAPTER_QUERIES.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from indicators import figures
from indicators.chart import IndicatorChart, indicator_chart
from indicators.models import ValueKind
from measures.changes import previous_period
from measures.models import Goal, Measure, Programme, ReportingPeriod, StatusLevel
from measures.overview import StatusData
from measures.overview_data import status_data

from . import body
from .models import ActionPoint, ActionPointStatus, TextVersion, Theme

# load_chapter's queries when the caller passes the levels (the report), for a programme
# with indicators; see load_chapter. The page adds one (the levels); a programme without
# indicators takes two fewer (no parts to prefetch, no series to read).
CHAPTER_QUERIES = 10


@dataclass(frozen=True)
class ShownText:
    """An approved text: its heading and its body as paragraphs and lists."""

    heading: str
    kind: str
    blocks: list[body.Block]


@dataclass(frozen=True)
class StatusAt:
    """An action point's approved status in one period, with its explanation."""

    status: StatusData | None
    explanation: str

    @property
    def blocks(self) -> list[body.Block]:
        return body.parse(self.explanation)


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

    @property
    def explanation_label(self) -> str:
        """ "Ad 8": the heading of this period's explanation, as Enschede writes it."""
        return _("Ad %(number)s") % {"number": self.point.number or self.point.title}


@dataclass
class ThemeSection:
    theme: Theme
    texts: list[ShownText] = field(default_factory=list)
    points: list[PointRow] = field(default_factory=list)

    @property
    def points_key(self) -> str:
        return f"thema-{self.theme.pk}-actiepunten"

    @property
    def has_content(self) -> bool:
        return bool(self.texts or self.points)


@dataclass(frozen=True)
class ValueRow:
    """A kind of value (nulmeting, realisatie, streefwaarde) across the table's years."""

    kind_label: str
    cells: list[str]


@dataclass
class IndicatorSection:
    """An indicator with the values the period stated: as entries (one a year and kind),
    as a table of kinds by years, and (not for a BBV indicator) its chart over the years."""

    reported: figures.Reported
    years: list[int]
    rows: list[ValueRow]
    chart: IndicatorChart | None

    @property
    def indicator(self):
        return self.reported.indicator

    @property
    def entries(self) -> list[figures.Entry]:
        return self.reported.entries

    @property
    def unit_with_year(self) -> str:
        """The unit with the year it applies to: "Aantal per 10.000 inwoners (2017)"."""
        unit, year = self.reported.unit, self.indicator.unit_year
        return f"{unit} ({year})" if unit and year else unit

    @property
    def source(self) -> str:
        return self.indicator.display_source

    @property
    def policy_field(self) -> str:
        national = self.indicator.national
        return national.policy_field if national else ""

    @property
    def latest(self) -> figures.Entry | None:
        """The latest realisatie (or, without one, the latest figure): the BBV score."""
        actuals = [entry for entry in self.entries if entry.kind == ValueKind.ACTUAL]
        return max(actuals or self.entries, key=lambda entry: entry.year, default=None)

    @property
    def target_met_text(self) -> str:
        met = self.reported.target_met
        if met is None:
            return ""
        return _("Streefwaarde gehaald") if met else _("Streefwaarde niet gehaald")


@dataclass
class GoalSection:
    goal: Goal
    texts: list[ShownText] = field(default_factory=list)
    themes: list[ThemeSection] = field(default_factory=list)
    # Action points under the goal but under none of its themes.
    points: list[PointRow] = field(default_factory=list)
    # The goal's own indicators, and those of its themes.
    indicators: list[IndicatorSection] = field(default_factory=list)

    @property
    def points_key(self) -> str:
        return f"doel-{self.goal.pk}-actiepunten"

    @property
    def title(self) -> str:
        return _("Doel %(label)s: %(heading)s") % {
            "label": self.goal.label,
            "heading": self.goal.heading,
        }

    @property
    def running_title(self) -> str:
        return _("Programma: doel %(label)s") % {"label": self.goal.label}

    @property
    def has_tree(self) -> bool:
        return bool(self.texts or self.themes or self.points)


@dataclass
class Chapter:
    programme: Programme
    period: ReportingPeriod
    previous: ReportingPeriod | None
    levels: list[StatusData]
    texts: list[ShownText]
    # The goals under which the period holds something, in their order.
    goals: list[GoalSection]
    # Themes and action points under no goal, after the goals.
    themes: list[ThemeSection]
    points: list[PointRow]
    # The programme's own indicators in their order (goals' and the others'), and those
    # of them under no goal or theme of a goal.
    indicators: list[IndicatorSection]
    loose_indicators: list[IndicatorSection]
    # The mandatory BBV indicators.
    national: list[IndicatorSection]

    @property
    def tree_goals(self) -> list[GoalSection]:
        """The goals with texts, themes or action points (not only indicators)."""
        return [goal for goal in self.goals if goal.has_tree]

    @property
    def has_tree(self) -> bool:
        return bool(self.tree_goals or self.themes or self.points)

    @property
    def has_action_points(self) -> bool:
        themes = [*self.themes, *(theme for goal in self.goals for theme in goal.themes)]
        return bool(
            self.points
            or any(goal.points for goal in self.goals)
            or any(theme.points for theme in themes)
        )

    @property
    def has_content(self) -> bool:
        return bool(self.texts or self.has_tree or self.indicators or self.national)


def _shown(version: TextVersion) -> ShownText | None:
    if not (version.approved_body or version.approved_heading):
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


def load_chapter(period: ReportingPeriod, *, levels: list[StatusData] | None = None) -> Chapter:
    """The chapter of the period's programme (select_related on the period). `levels` is
    the status scale to show the statuses and the legend in (the report's, frozen for a
    closed period); without it the programme's scale is read. Queries:

    1. the previous period of the programme (measures.changes.previous_period);
    2. the action points' statuses in both periods, with their action point and its owner;
    3. the measures those action points carry;
    4. the goals;
    5. the themes;
    6. the approved texts of the period;
    7.-9. the indicators, their parts (only when there are indicators) and the period's
       values (figures.reported);
    10. the own indicators' series over the periods up to this one (figures.series; only
       when there are own indicators);
    and, without `levels`, the status scale's levels (the legend).
    """
    programme = period.programme
    previous = previous_period(period)
    if levels is None:
        levels = [
            status_data(level)
            for level in StatusLevel.objects.filter(scale_id=programme.status_scale_id)
        ]
    by_level = {level.id: level for level in levels}

    def status_at(row: ActionPointStatus | None) -> StatusAt | None:
        if row is None:
            return None
        return StatusAt(by_level.get(row.approved_status_id), row.approved_explanation)

    period_ids = [period.pk] + ([previous.pk] if previous else [])
    before, now = {}, []
    for row in ActionPointStatus.objects.filter(
        period_id__in=period_ids, action_point__programme=programme
    ).select_related("action_point__owner"):
        if row.period_id == period.pk:
            now.append(row)
        else:
            before[row.action_point_id] = row
    now.sort(
        key=lambda row: (row.action_point.order, row.action_point.sort_key, row.action_point.title)
    )
    measures = defaultdict(list)
    for link in (
        ActionPoint.measures.through.objects.filter(actionpoint__programme=programme)
        .select_related("measure")
        .order_by("measure__sort_key", "measure__title")
    ):
        measures[link.actionpoint_id].append(link.measure)
    goals = list(Goal.objects.filter(programme=programme))
    themes = list(Theme.objects.filter(programme=programme))
    texts = defaultdict(list)
    versions = (
        TextVersion.objects.filter(
            period=period, text__programme=programme, approved_at__isnull=False
        )
        .select_related("text")
        .order_by("text__order", "text_id")
    )
    for version in versions:
        shown = _shown(version)
        if shown is not None:
            texts[_place(version.text)].append(shown)

    goal_sections = {goal.pk: GoalSection(goal, texts[("goal", goal.pk)]) for goal in goals}
    theme_sections = {theme.pk: ThemeSection(theme, texts[("theme", theme.pk)]) for theme in themes}
    loose_points = []
    for row in now:
        point = row.action_point
        shown = PointRow(
            point,
            before=status_at(before.get(point.pk)),
            now=status_at(row),
            measures=measures[point.pk],
            texts=texts[("action_point", point.pk)],
        )
        if point.theme_id in theme_sections:
            theme_sections[point.theme_id].points.append(shown)
        elif point.goal_id in goal_sections:
            goal_sections[point.goal_id].points.append(shown)
        else:
            loose_points.append(shown)
    loose_themes = []
    for theme in themes:
        section = theme_sections[theme.pk]
        if not section.has_content:
            continue
        if theme.goal_id in goal_sections:
            goal_sections[theme.goal_id].themes.append(section)
        else:
            loose_themes.append(section)

    reported = [item for item in figures.reported(period) if item.in_report]
    own = [item for item in reported if not item.indicator.national_id]
    indicators = _indicator_sections(period, own)
    goal_of_theme = {theme.pk: theme.goal_id for theme in themes}
    loose_indicators = []
    for section in indicators:
        indicator = section.indicator
        goal_id = indicator.goal_id or goal_of_theme.get(indicator.theme_id)
        if goal_id in goal_sections:
            goal_sections[goal_id].indicators.append(section)
        else:
            loose_indicators.append(section)

    return Chapter(
        programme=programme,
        period=period,
        previous=previous,
        levels=levels,
        texts=texts[("goal", None)],
        goals=[
            section for section in goal_sections.values() if section.has_tree or section.indicators
        ],
        themes=loose_themes,
        points=loose_points,
        indicators=indicators,
        loose_indicators=loose_indicators,
        national=[
            _indicator_section(item, None) for item in reported if item.indicator.national_id
        ],
    )


KIND_ROWS = (ValueKind.BASELINE, ValueKind.ACTUAL, ValueKind.TARGET)


def _indicator_sections(period, own: list[figures.Reported]) -> list[IndicatorSection]:
    series = figures.series(period, [item.indicator for item in own]) if own else {}
    return [
        _indicator_section(item, indicator_chart(item.indicator, series.get(item.indicator.pk, {})))
        for item in own
    ]


def _indicator_section(item: figures.Reported, chart: IndicatorChart | None) -> IndicatorSection:
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
    return IndicatorSection(reported=item, years=years, rows=rows, chart=chart)
