"""Everything a report shows, gathered in a fixed number of queries.

The input comes from `measures.report_input.load_report`: the overview, made by the same
computation the "op koers" page uses, and the rest of what the report shows. For a
closed period both were frozen at closing, so that part never changes and runs no
query; for an open period they are read from today's data in a fixed number of queries
(see measures.overview_data and measures.report_input). The programme's chapter (texts,
action points, indicators) is the chapter page's computation (chapters.chapter), read
from its period-bound rows in a fixed number of queries, for a closed period too, with
the report's status scale. The period's budget money (budgets.data.load_money) is read
once, in a fixed number of queries, for a closed period too (its figures and
explanations are period-bound rows, kept by the closed-period guard), and turned into
the money section by reports.money_section. Money is formatted by `measures.money` and
`budgets.table`; nothing is added up here.

Which sections the report shows, in which order and under which headings, is the
organisation's ReportLayout for the period's kind (one query; reports.sections), read as it
is today, also for a closed period.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from budgets.data import load_money
from chapters.chapter import Chapter, load_chapter
from measures.models import ReportingPeriod
from measures.overview import Overview, StatusData
from measures.report_input import ChangesData, ProgrammeData, load_report
from measures.tables import OverviewTable, PageRow

from .chart import BarChart, savings_chart
from .goal_sections import GoalSection, goal_sections
from .models import ReportLayout
from .money_section import MoneySection, money_section
from .sections import ShownSection, shown_sections

KEY_FIGURE_KINDS = ("on_course", "savings_task", "adjustment", "balance")


@dataclass(frozen=True)
class KeyFigure:
    kind: str
    label: str
    text: str


@dataclass(frozen=True)
class StatusCount:
    status: StatusData | None
    count: int


@dataclass
class ReportData:
    period: ReportingPeriod
    programme: ProgrammeData
    built_at: datetime
    is_published: bool
    overview: Overview
    columns: list[str]
    sections: list[list[PageRow]]
    levels: list[StatusData]
    status_counts: list[StatusCount]
    chart: BarChart
    goals: list[GoalSection]
    changes: ChangesData | None
    chapter: Chapter
    # None for a period without budget figures or variance explanations.
    money: MoneySection | None
    # The sections shown, in order (reports.sections); set by build_report_data.
    parts: list[ShownSection] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return self.overview.years

    @property
    def measure_count(self) -> int:
        return sum(item.count for item in self.status_counts)

    @property
    def on_course_count(self) -> int:
        return sum(
            item.count
            for item in self.status_counts
            if item.status is not None and item.status.counts_as_on_course
        )

    @property
    def key_figures(self) -> list[KeyFigure]:
        """The overview's closing rows (on course, savings task, adjustments, saldo) with
        their figure in the target year, exactly as the table shows them."""
        column = self.years.index(self.overview.target_year)
        return [
            KeyFigure(page_row.kind, page_row.row.label, page_row.cells[column])
            for section in self.sections
            for page_row in section
            if page_row.kind in KEY_FIGURE_KINDS and page_row.cells[column]
        ]


def build_report_data(
    period: ReportingPeriod, *, built_at: datetime, is_published: bool = False
) -> ReportData:
    """The report of `period`; pass it with `select_related("programme__organisation")`."""
    overview, data = load_report(period)
    table = OverviewTable(overview)
    sections = table.page_sections()
    report = ReportData(
        period=period,
        programme=data.programme,
        built_at=built_at,
        is_published=is_published,
        overview=overview,
        columns=[str(column.header) for column in table.columns],
        sections=sections,
        levels=data.levels,
        status_counts=[StatusCount(*item) for item in overview.status_counts(data.levels)],
        chart=savings_chart(overview),
        goals=goal_sections(data, sections, overview.years),
        changes=data.changes,
        chapter=load_chapter(period, levels=data.levels),
        money=money_section(load_money(period)),
    )
    report.parts = shown_sections(report, report_layout(period))
    return report


def report_layout(period: ReportingPeriod) -> list | None:
    """The sections of the organisation's layout for the period's kind, or None. One
    query."""
    return (
        ReportLayout.objects.filter(
            organisation_id=period.programme.organisation_id, kind=period.kind
        )
        .values_list("sections", flat=True)
        .first()
    )
