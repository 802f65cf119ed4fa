"""The programme's chapter in the report: its approved texts, per goal the texts, the
themes with their action points' status at two moments (the previous period and this one,
as Enschede reports them) and the indicators, and the mandatory BBV indicators.

Only approved copies (`approved_*`) are shown, never a draft. Bodies are plain text
(chapters.body), parsed into paragraphs and bullet lists here and escaped by the template.
Indicator values come formatted from indicators.figures; nothing is computed here.

What is shown is what the period holds: the texts and action points with a row in the
period, the indicators with a value stated in it. Those rows are period-bound, so for a
closed period the closed-period guard keeps them as they were at closing. The rest is
read as it is today and is NOT part of the snapshot closing stores
(measures.report_input.freeze_period): the titles and numbers of goals, themes and action
points, and an indicator's name, unit and source. Renaming one of them later changes what
an unpublished report of a closed period shows; a published report keeps its bytes.

`programme_chapter` runs a fixed number of queries, whatever the number of texts, action
points and indicators: see CHAPTER_QUERIES.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from chapters.body import Block, parse
from chapters.models import ActionPointStatus, TextVersion, Theme
from indicators.figures import Entry, Reported, reported
from measures.changes import previous_period
from measures.models import Goal, ReportingPeriod
from measures.overview import StatusData

# The previous period (1), the period's approved texts with their text (1), the goals (1),
# the themes (1), the action points' statuses in both periods with their action point
# (1), and indicators.figures.reported: the indicators (1), their parts (1, only when
# there is an indicator) and the period's values (1).
CHAPTER_QUERIES = 8


@dataclass(frozen=True)
class TextSection:
    heading: str
    blocks: list[Block]


@dataclass(frozen=True)
class ActionRow:
    number: str
    title: str
    before: StatusData | None
    now: StatusData | None


@dataclass(frozen=True)
class Explanation:
    """ "Ad 8": what this period's approved status says about an action point."""

    label: str
    blocks: list[Block]


@dataclass
class ThemeSection:
    """A theme with its action points, or (title "") the action points directly under a
    goal or the programme."""

    anchor: str
    title: str
    texts: list[TextSection] = field(default_factory=list)
    rows: list[ActionRow] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.texts or self.rows)


@dataclass(frozen=True)
class IndicatorLine:
    """One year and kind of an indicator, as a row of its table."""

    year: int
    kind: str
    kind_label: str
    text: str


@dataclass(frozen=True)
class IndicatorRow:
    name: str
    unit: str
    source: str
    policy_field: str
    note: str
    lines: list[IndicatorLine]


@dataclass
class Part:
    """What hangs under a goal, or directly under the programme."""

    texts: list[TextSection] = field(default_factory=list)
    themes: list[ThemeSection] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.texts or self.themes or self.indicators)


@dataclass(frozen=True)
class GoalChapter:
    anchor: str
    title: str  # "Doel A: Multidisciplinair werken"
    running_title: str
    part: Part


@dataclass(frozen=True)
class ProgrammeChapter:
    period_name: str
    previous_name: str  # "" without a previous period: one status column
    levels: list[StatusData]
    programme: Part
    goals: list[GoalChapter]
    national: list[IndicatorRow]

    @property
    def has_action_points(self) -> bool:
        parts = [self.programme, *(goal.part for goal in self.goals)]
        return any(theme.rows for part in parts for theme in part.themes)

    @property
    def has_content(self) -> bool:
        return bool(self.programme.has_content or self.goals or self.national)


def programme_chapter(period: ReportingPeriod, *, levels: list[StatusData]) -> ProgrammeChapter:
    """The chapter of `period`; `levels` is the report's status scale (frozen for a closed
    period), which gives both status columns and the legend."""
    previous = previous_period(period)
    by_level = {level.id: level for level in levels}
    goals = list(Goal.objects.filter(programme_id=period.programme_id).order_by("number"))
    themes = {
        theme.pk: theme
        for theme in Theme.objects.filter(programme_id=period.programme_id).order_by(
            "order", "sort_key", "title"
        )
    }
    goal_of_theme = {theme.pk: theme.goal_id for theme in themes.values()}

    programme = Part()
    goal_parts = {goal.pk: Part() for goal in goals}

    def part_of(goal_id: int | None) -> Part:
        return goal_parts.get(goal_id, programme)

    sections: dict[tuple[int | None, int | None], ThemeSection] = {}

    def section(goal_id: int | None, theme_id: int | None) -> ThemeSection:
        key = (goal_id, theme_id)
        if key not in sections:
            if theme_id:
                theme = themes[theme_id]
                sections[key] = ThemeSection(f"programma-thema-{theme.pk}", str(theme))
            else:
                sections[key] = ThemeSection(f"programma-actiepunten-{goal_id or 0}", "")
        return sections[key]

    statuses = _statuses(period, previous)
    for point, before, now in statuses:
        goal_id = point.goal_id or goal_of_theme.get(point.theme_id)
        target = section(goal_id, point.theme_id)
        target.rows.append(
            ActionRow(
                number=point.number,
                title=point.title,
                before=by_level.get(before.approved_status_id) if before else None,
                now=by_level.get(now.approved_status_id),
            )
        )
        if now.approved_explanation.strip():
            target.explanations.append(
                Explanation(
                    _("Ad %(number)s") % {"number": point.number or point.title},
                    parse(now.approved_explanation),
                )
            )

    for version in _approved_texts(period):
        text = version.text
        heading = version.approved_heading or text.get_kind_display()
        blocks = parse(version.approved_body)
        if text.action_point_id:
            point = text.action_point
            heading = f"{point}: {heading}"
            goal_id = point.goal_id or goal_of_theme.get(point.theme_id)
            section(goal_id, point.theme_id).texts.append(TextSection(heading, blocks))
        elif text.theme_id:
            section(goal_of_theme[text.theme_id], text.theme_id).texts.append(
                TextSection(heading, blocks)
            )
        else:
            part_of(text.goal_id).texts.append(TextSection(heading, blocks))

    # Themes in their order, then the action points without a theme.
    rank = {theme_id: position for position, theme_id in enumerate(themes)}
    for (goal_id, _theme), theme_section in sorted(
        sections.items(), key=lambda item: rank.get(item[0][1], len(rank))
    ):
        if theme_section.has_content:
            part_of(goal_id).themes.append(theme_section)

    national = []
    for item in reported(period):
        row = _indicator_row(item)
        if row is None:
            continue
        if item.indicator.national_id:
            national.append(row)
        else:
            indicator = item.indicator
            theme_goal = goal_of_theme.get(indicator.theme_id) if indicator.theme_id else None
            part_of(indicator.goal_id or theme_goal).indicators.append(row)

    return ProgrammeChapter(
        period_name=period.name,
        previous_name=previous.name if previous else "",
        levels=levels,
        programme=programme,
        goals=[
            GoalChapter(
                anchor=f"programma-doel-{goal.pk}",
                title=_("Doel %(label)s: %(heading)s")
                % {"label": goal.label, "heading": goal.heading},
                running_title=_("Programma: doel %(label)s") % {"label": goal.label},
                part=goal_parts[goal.pk],
            )
            for goal in goals
            if goal_parts[goal.pk].has_content
        ],
        national=national,
    )


def _statuses(period, previous):
    """Per action point with a row in the period, in order: the action point, its row in
    the previous period (or None) and its row in this one."""
    periods = [period.pk] + ([previous.pk] if previous else [])
    rows = ActionPointStatus.objects.filter(period_id__in=periods).select_related("action_point")
    before = {}
    now = []
    for row in rows.order_by():
        if row.period_id == period.pk:
            now.append(row)
        else:
            before[row.action_point_id] = row
    now.sort(
        key=lambda row: (row.action_point.order, row.action_point.sort_key, row.action_point.title)
    )
    return [(row.action_point, before.get(row.action_point_id), row) for row in now]


def _approved_texts(period) -> list[TextVersion]:
    """The period's texts with an approved body, in their order."""
    return list(
        TextVersion.objects.filter(period=period, approved_at__isnull=False)
        .exclude(approved_body="")
        .select_related("text", "text__action_point")
        .order_by("text__order", "text_id")
    )


def _unit(item: Reported) -> str:
    unit = item.unit
    year = item.indicator.unit_year
    return f"{unit} ({year})" if unit and year else unit


def _indicator_row(item: Reported) -> IndicatorRow | None:
    """The indicator's table row, or None when the period stated no value of it."""
    if not item.entries:
        return None
    indicator = item.indicator
    return IndicatorRow(
        name=str(indicator),
        unit=_unit(item),
        source=indicator.display_source,
        policy_field=indicator.national.policy_field if indicator.national_id else "",
        note=indicator.note,
        lines=[_line(entry) for entry in item.entries],
    )


def _line(entry: Entry) -> IndicatorLine:
    return IndicatorLine(entry.year, entry.kind, entry.kind_label, entry.text)
