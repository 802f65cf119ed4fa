"""The summary's bar chart: geometry for an inline SVG, and the same figures as a table.

Money is not added up here. Each series takes its yearly figures from the computed
overview (measures.overview); this module only scales them to bar heights and picks
round gridline values. The template (templates/reports/_chart.html) draws the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from measures.money import format_cell, format_thousands
from measures.overview import Amount, Overview
from measures.overview import Series as OverviewSeries

WIDTH, HEIGHT = 640, 270
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 64, 628, 44, 236
GRIDLINES = 4
# Orange, teal, blue and grey stay apart for the common forms of colour blindness, and
# each has a contrast of at least 4.5:1 on white; each bar also carries its figure as text.
COLOURS = ("#b45309", "#0f766e", "#1f4e79", "#5f6368")
LEGEND_LEFT = 8
# A legend entry is a swatch, its text and a gap; the text's width is estimated from its
# length (12px Liberation Sans averages under 6.5px a character), as SVG cannot measure.
LEGEND_SWATCH, LEGEND_GAP, LEGEND_CHARACTER = 18, 16, 6.5


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    figures: dict[int, Amount | None]


# Coordinates are whole SVG units: precise enough for a chart, and an int prints the same
# in every locale, where a float would get a decimal comma in Dutch.
@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    colour: str
    text: str

    @property
    def text_x(self) -> int:
        return self.x + self.width // 2


@dataclass(frozen=True)
class Gridline:
    y: int
    text: str


@dataclass(frozen=True)
class YearLabel:
    x: int
    text: str


@dataclass(frozen=True)
class LegendItem:
    x: int
    colour: str
    text: str

    @property
    def text_x(self) -> int:
        return self.x + 18


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: list[str]


@dataclass(frozen=True)
class YearChart:
    title: str
    description: str
    years: list[int]
    bars: list[Bar]
    gridlines: list[Gridline]
    year_labels: list[YearLabel]
    legend: list[LegendItem]
    table: list[TableRow]
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    gridline_label_x: int = PLOT_LEFT - 6
    year_label_y: int = PLOT_BOTTOM + 18


def savings_chart(overview: Overview) -> YearChart:
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
    return YearChart(
        title=_("Taakstelling, prognose en realisatie per jaar"),
        description=_(
            "Staafdiagram per jaar, %(first)s tot en met %(last)s, met de reeksen %(names)s; "
            "bedragen x € 1.000. De cijfers staan in de tabel onder de grafiek."
        )
        % {"first": first, "last": last, "names": ", ".join(item.label for item in series)},
        years=years,
        **_geometry(series, years),
        table=[
            TableRow(item.label, [format_cell(item.figures.get(year)) for year in years])
            for item in series
        ],
    )


def _geometry(series: list[Series], years: list[int]) -> dict:
    values = [
        amount.euros for item in series for amount in item.figures.values() if amount is not None
    ]
    top = _gridline_step(max([*values, 0])) * GRIDLINES
    plot_height = PLOT_BOTTOM - PLOT_TOP
    group_width = (PLOT_RIGHT - PLOT_LEFT) / max(len(years), 1)
    # Four series share a year: the bars take most of it, so that each bar's figure (9px)
    # fits over its own bar.
    bar_width = group_width * 0.86 / max(len(series), 1)

    bars, year_labels = [], []
    for index, year in enumerate(years):
        group_left = PLOT_LEFT + index * group_width + group_width * 0.07
        year_labels.append(YearLabel(round(PLOT_LEFT + (index + 0.5) * group_width), str(year)))
        for position, item in enumerate(series):
            amount = item.figures.get(year)
            if amount is None:
                continue
            height = plot_height * max(amount.euros, 0) / top
            bars.append(
                Bar(
                    x=round(group_left + position * bar_width),
                    y=round(PLOT_BOTTOM - height),
                    width=round(bar_width * 0.92),
                    height=round(height),
                    colour=item.colour,
                    text=format_cell(amount),
                )
            )
    gridlines = [
        Gridline(
            round(PLOT_BOTTOM - plot_height * step / GRIDLINES),
            format_thousands(top * step // GRIDLINES),
        )
        for step in range(GRIDLINES + 1)
    ]
    legend, x = [], LEGEND_LEFT
    for item in series:
        legend.append(LegendItem(x, item.colour, item.label))
        x += LEGEND_SWATCH + round(len(item.label) * LEGEND_CHARACTER) + LEGEND_GAP
    return {"bars": bars, "gridlines": gridlines, "year_labels": year_labels, "legend": legend}


def _gridline_step(maximum: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) so that GRIDLINES steps reach at
    least the largest figure."""
    needed = max(-(-maximum // GRIDLINES), 1)
    magnitude = 10 ** (len(str(needed)) - 1)
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= needed)
