"""Bar charts as geometry for an inline SVG, each with the same figures as a table.

Two charts share the geometry: the summary's savings chart (the report and the dashboard)
and the dashboard's statuses per period, stacked. Money is not added up here, nor are
measures counted: each series takes its figures from the computed overview
(measures.overview) or from the counts it is given; this module only scales them to bar
heights and picks round gridline values. templates/reports/_chart.html draws the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from measures.money import format_cell, format_thousands
from measures.overview import Amount, Overview, StatusData
from measures.overview import Series as OverviewSeries

WIDTH = 640
PLOT_LEFT, PLOT_RIGHT_MARGIN, PLOT_HEIGHT = 64, 12, 192
GRIDLINES = 4
LEGEND_TOP, LEGEND_ROW, LEGEND_SLOT = 8, 18, 190
# Per status column at least this wide, so that a period's name fits under its bar.
STATUS_COLUMN_WIDTH = 120
LABEL_LINE = 14
# Orange, teal, blue and grey stay apart for the common forms of colour blindness, and
# each has a contrast of at least 4.5:1 on white; each bar also carries its figure as text.
COLOURS = ("#b45309", "#0f766e", "#1f4e79", "#5f6368")
TEXT, MUTED, WHITE = "#1a1a1a", "#4d4d4d", "#ffffff"
# "Not assessed" is drawn as an outline: no colour of any scale, and no icon.
NOT_ASSESSED_FILL, NOT_ASSESSED_STROKE = WHITE, "#5f6368"
ICON_SIZE = 14


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    figures: dict[int, Amount | None]


# Coordinates are whole SVG units: precise enough for a chart, and an int prints the same
# in every locale, where a float would get a decimal comma in Dutch.
@dataclass(frozen=True)
class Bar:
    """A bar or a stacked segment with its figure: above a bar, inside a segment next to
    the status icon, so that no segment is told by its colour alone."""

    x: int
    y: int
    width: int
    height: int
    colour: str
    text: str
    text_x: int
    text_y: int
    text_colour: str = TEXT
    stroke: str = ""
    icon: str = ""
    icon_x: int = 0
    icon_y: int = 0
    icon_colour: str = ""


@dataclass(frozen=True)
class Gridline:
    y: int
    text: str


@dataclass(frozen=True)
class ChartText:
    """A text placed on the chart: a column's label (a line of it) or a stack's total."""

    x: int
    y: int
    text: str


@dataclass(frozen=True)
class LegendItem:
    x: int
    y: int
    colour: str
    text: str
    stroke: str = ""
    icon: str = ""

    @property
    def text_x(self) -> int:
        return self.x + 18

    @property
    def text_y(self) -> int:
        return self.y + 10


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[str]
    # For a row of the status chart: the status, shown with its icon and text.
    status: StatusData | None = None


@dataclass(frozen=True)
class BarChart:
    """What the template draws. `key` makes the element ids unique on a page with more
    than one chart; `columns` head the table's columns (years, or periods)."""

    key: str
    title: str
    unit: str
    description: str
    table_caption: str
    row_header: str
    columns: list[str]
    bars: list[Bar]
    gridlines: list[Gridline]
    column_labels: list[ChartText]
    legend: list[LegendItem]
    table: list[TableRow]
    width: int
    height: int
    totals: list[ChartText] = field(default_factory=list)
    plot_left: int = PLOT_LEFT

    @property
    def plot_right(self) -> int:
        return self.width - PLOT_RIGHT_MARGIN

    @property
    def gridline_label_x(self) -> int:
        return self.plot_left - 6


@dataclass(frozen=True)
class Layout:
    """Where the plot lies once the legend's rows and the labels' lines are known."""

    width: int
    legend: list[LegendItem]
    plot_bottom: int
    height: int

    @property
    def plot_right(self) -> int:
        return self.width - PLOT_RIGHT_MARGIN


def savings_chart(overview: Overview, *, key: str = "grafiek") -> BarChart:
    """The programme's savings task against the measures' targets, forecasts and
    realised savings, per year, each as the overview computed it (load it with
    `with_figures=True`) and named as the overview names it, so that each series has the
    figures of the overview's total row for that series."""
    names = overview.labels.series
    series = [
        Series(
            overview.labels.programme_task,
            COLOURS[0],
            {year: Amount(euros) for year, euros in overview.savings_task.items()},
        ),
        *(
            Series(names[each], colour, dict(overview.totals[each]))
            for each, colour in zip(
                (OverviewSeries.TARGET, OverviewSeries.FORECAST, OverviewSeries.REALISED),
                COLOURS[1:],
                strict=True,
            )
        ),
    ]
    years = overview.years
    first, last = (years[0], years[-1]) if years else ("", "")
    title = _("Taakstelling, prognose en realisatie per jaar")
    layout = chart_layout(WIDTH, [(item.label, item.colour, "") for item in series], label_lines=1)
    values = [
        amount.euros for item in series for amount in item.figures.values() if amount is not None
    ]
    top = _gridline_step(max([*values, 0])) * GRIDLINES
    group_width = (layout.plot_right - PLOT_LEFT) / max(len(years), 1)
    # Four series share a year: the bars take most of it, so that each bar's figure (9px)
    # fits over its own bar.
    bar_width = group_width * 0.86 / max(len(series), 1)
    bars = []
    for index, year in enumerate(years):
        group_left = PLOT_LEFT + index * group_width + group_width * 0.07
        for position, item in enumerate(series):
            amount = item.figures.get(year)
            if amount is None:
                continue
            height = PLOT_HEIGHT * max(amount.euros, 0) / top
            x, y, width = (
                round(group_left + position * bar_width),
                round(layout.plot_bottom - height),
                round(bar_width * 0.92),
            )
            bars.append(
                Bar(
                    x=x,
                    y=y,
                    width=width,
                    height=round(height),
                    colour=item.colour,
                    text=format_cell(amount),
                    text_x=x + width // 2,
                    text_y=y - 4,
                )
            )
    return BarChart(
        key=key,
        title=title,
        unit=_("(x € 1.000)"),
        description=_(
            "Staafdiagram per jaar, %(first)s tot en met %(last)s, met de reeksen %(names)s; "
            "bedragen x € 1.000. De cijfers staan in de tabel onder de grafiek."
        )
        % {"first": first, "last": last, "names": ", ".join(item.label for item in series)},
        table_caption=_("Cijfers bij de grafiek: %(title)s (bedragen x € 1.000)")
        % {"title": title},
        row_header=_("Reeks"),
        columns=[str(year) for year in years],
        bars=bars,
        gridlines=_gridlines(layout, top, format_thousands),
        column_labels=column_labels(layout, [[str(year)] for year in years]),
        legend=layout.legend,
        table=[
            TableRow(item.label, [format_cell(item.figures.get(year)) for year in years])
            for item in series
        ],
        width=layout.width,
        height=layout.height,
    )


@dataclass(frozen=True)
class StatusColumn:
    """One period of the status chart: how many measures had each status (in the scale's
    order, "not assessed" as None) and how many left "on course" since the period before
    (None for the first period, which has nothing to compare with)."""

    label: str
    counts: list[tuple[StatusData | None, int]]
    moved_off_course: int | None


def status_chart(columns: list[StatusColumn], *, key: str = "statussen") -> BarChart:
    """The statuses per period as stacked bars, bottom to top in the scale's order."""
    levels: list[StatusData | None] = []
    for column in columns:
        levels += [status for status, _count in column.counts if status not in levels]
    counts = [{_id(status): count for status, count in column.counts} for column in columns]
    labels = [_wrap(column.label, STATUS_COLUMN_WIDTH) for column in columns]
    width = max(WIDTH, PLOT_LEFT + len(columns) * STATUS_COLUMN_WIDTH + PLOT_RIGHT_MARGIN)
    layout = chart_layout(
        width,
        [(_status_label(status), *_status_look(status)) for status in levels],
        label_lines=max(map(len, labels), default=1),
    )
    totals = [sum(column.values()) for column in counts]
    top = _gridline_step(max([*totals, 1])) * GRIDLINES
    group_width = (layout.plot_right - PLOT_LEFT) / max(len(columns), 1)
    bar_width = round(min(group_width * 0.6, 96))

    bars, total_texts = [], []
    for index, column in enumerate(counts):
        x = round(PLOT_LEFT + (index + 0.5) * group_width - bar_width / 2)
        below = 0
        for status in levels:
            count = column.get(_id(status), 0)
            if not count:
                continue
            y = round(layout.plot_bottom - PLOT_HEIGHT * (below + count) / top)
            bottom = round(layout.plot_bottom - PLOT_HEIGHT * below / top)
            bars.append(_segment(status, count, x, y, bar_width, bottom - y))
            below += count
        bar_top = round(layout.plot_bottom - PLOT_HEIGHT * below / top)
        total_texts.append(ChartText(x + bar_width // 2, bar_top - 4, str(below)))

    first, last = (columns[0].label, columns[-1].label) if columns else ("", "")
    title = _("Maatregelen per status per rapportagemoment")
    table = [
        TableRow(
            _status_label(status),
            [str(column.get(_id(status), 0)) for column in counts],
            status=status,
        )
        for status in levels
    ]
    table.append(TableRow(_("Totaal"), [str(total) for total in totals]))
    table.append(
        TableRow(
            _("Van op koers naar niet op koers"),
            [
                "–" if column.moved_off_course is None else str(column.moved_off_course)
                for column in columns
            ],
        )
    )
    return BarChart(
        key=key,
        title=title,
        unit=_("(aantal maatregelen)"),
        description=_(
            "Gestapeld staafdiagram van het aantal maatregelen per status, per "
            "rapportagemoment van %(first)s tot en met %(last)s; de statussen staan van "
            "onder naar boven in de volgorde van de legenda. De cijfers staan in de tabel "
            "bij de grafiek."
        )
        % {"first": first, "last": last},
        table_caption=_("Cijfers bij de grafiek: %(title)s") % {"title": title},
        row_header=_("Status"),
        columns=[column.label for column in columns],
        bars=bars,
        gridlines=_gridlines(layout, top, str),
        column_labels=column_labels(layout, labels),
        legend=layout.legend,
        table=table,
        width=layout.width,
        height=layout.height,
        totals=total_texts,
    )


def _id(status: StatusData | None) -> int | None:
    return status.id if status else None


def _status_label(status: StatusData | None) -> str:
    return status.label if status else _("Niet beoordeeld")


def _status_look(status: StatusData | None) -> tuple[str, str]:
    """(colour, icon) of a status in the chart."""
    return (status.colour, status.icon) if status else (NOT_ASSESSED_FILL, "")


def _segment(status: StatusData | None, count: int, x: int, y: int, width: int, height: int):
    """A stacked segment with its count and, where they fit, the status icon beside it:
    the icon's white strokes drawn on the segment's own colour."""
    colour = status.colour if status else NOT_ASSESSED_FILL
    text_colour = _readable_on(colour)
    text = str(count) if height >= LABEL_LINE else ""
    # Roughly 6 units per digit at the 10-unit font.
    text_width = 6 * len(text)
    icon = status.icon if status and text and width >= ICON_SIZE + text_width + 12 else ""
    left = x + (width - (ICON_SIZE + 3 + text_width if icon else text_width)) // 2
    middle = y + height // 2
    return Bar(
        x=x,
        y=y,
        width=width,
        height=height,
        colour=colour,
        stroke="" if status else NOT_ASSESSED_STROKE,
        text=text,
        text_x=left + (ICON_SIZE + 3 if icon else 0) + text_width // 2,
        text_y=middle + 4,
        text_colour=text_colour,
        icon=icon,
        icon_x=left,
        icon_y=middle - ICON_SIZE // 2,
        # On a light colour the icon keeps its own disc, in dark, to stay visible.
        icon_colour=colour if text_colour == WHITE else TEXT,
    )


def chart_layout(
    width: int, legend_entries: list[tuple[str, str, str]], *, label_lines: int
) -> Layout:
    """The legend (text, colour, icon per entry) in rows of slots across the plot, where
    a long text takes more than one slot; then the plot, then the column labels."""
    slots_per_row = max((width - PLOT_LEFT) // LEGEND_SLOT, 1)
    legend, row, slot = [], 0, 0
    for text, colour, icon in legend_entries:
        # Roughly 6.5 units per character at the legend's 12-unit font.
        needed = min(-(-(18 + round(len(text) * 6.5)) // LEGEND_SLOT), slots_per_row)
        if slot + needed > slots_per_row:
            row, slot = row + 1, 0
        outlined = colour == NOT_ASSESSED_FILL
        legend.append(
            LegendItem(
                x=PLOT_LEFT + slot * LEGEND_SLOT,
                y=LEGEND_TOP + row * LEGEND_ROW,
                colour=colour,
                text=text,
                stroke=NOT_ASSESSED_STROKE if outlined else "",
                icon=icon,
            )
        )
        slot += needed
    plot_top = LEGEND_TOP + (row + 1) * LEGEND_ROW + 18
    plot_bottom = plot_top + PLOT_HEIGHT
    height = plot_bottom + 34 + (label_lines - 1) * LABEL_LINE
    return Layout(width, legend, plot_bottom, height)


def _gridlines(layout: Layout, top: int, text: Callable[[int], str]) -> list[Gridline]:
    return [
        Gridline(
            round(layout.plot_bottom - PLOT_HEIGHT * step / GRIDLINES),
            text(top * step // GRIDLINES),
        )
        for step in range(GRIDLINES + 1)
    ]


def column_labels(layout: Layout, labels: list[list[str]]) -> list[ChartText]:
    group_width = (layout.plot_right - PLOT_LEFT) / max(len(labels), 1)
    return [
        ChartText(
            round(PLOT_LEFT + (index + 0.5) * group_width),
            layout.plot_bottom + 18 + line * LABEL_LINE,
            text,
        )
        for index, lines in enumerate(labels)
        for line, text in enumerate(lines)
    ]


def _wrap(text: str, width: int) -> list[str]:
    """A label in lines that fit `width` units at the 12-unit font, broken at spaces."""
    limit = max(width // 7, 1)
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _readable_on(colour: str) -> str:
    """White or near-black text, whichever contrasts more with `colour` (WCAG 2.1's
    relative luminance); the scale's colours are data, so this is not assumed."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    background = luminance(colour)
    on_white = (1.05) / (background + 0.05)
    on_dark = (background + 0.05) / (luminance(TEXT) + 0.05)
    return WHITE if on_white >= on_dark else TEXT


def _gridline_step(maximum: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) so that GRIDLINES steps reach at
    least the largest figure."""
    needed = max(-(-maximum // GRIDLINES), 1)
    magnitude = 10 ** (len(str(needed)) - 1)
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= needed)
