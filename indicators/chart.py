"""An indicator's series as a small bar chart: per year a bar for the nulmeting, the
realisatie and the streefwaarde, each with its figure as text.

The geometry and the drawing are those of the savings chart (reports.chart's BarChart,
drawn by templates/reports/_chart_figure.html); templates/indicators/_chart.html adds
the figures as a table for screen readers. Values stay Decimal until they are scaled to
whole SVG units, and every figure is written by indicators.formatting, so the chart says
what the tables say. The page and the PDF draw the same chart from the same data.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from reports.chart import (
    COLOURS,
    PLOT_HEIGHT,
    PLOT_LEFT,
    BarChart,
    Gridline,
    TableRow,
    chart_layout,
    column_labels,
)
from reports.chart import Bar as ChartBar

from .formatting import format_number, format_value
from .models import Indicator, ValueKind

WIDTH = 480
GRIDLINES = 4
MAX_BAR = 56
# Nulmeting grey, realisatie teal, streefwaarde orange: as the savings chart's series, apart
# for the common forms of colour blindness, each bar with its figure written above it.
KINDS = (
    (ValueKind.BASELINE, COLOURS[3]),
    (ValueKind.ACTUAL, COLOURS[1]),
    (ValueKind.TARGET, COLOURS[0]),
)
KIND_LABELS = dict(ValueKind.choices)

IndicatorChart = BarChart


def indicator_chart(
    indicator: Indicator, series: dict[str, list[tuple[int, Decimal]]]
) -> IndicatorChart | None:
    """The chart of one indicator's series (indicators.figures.series for it), or None
    when it has no figures to draw."""
    kinds = [(kind, colour) for kind, colour in KINDS if series.get(kind)]
    if not kinds:
        return None
    figures = {kind: dict(series[kind]) for kind, _colour in kinds}
    years = sorted({year for by_year in figures.values() for year in by_year})
    labels = [str(KIND_LABELS[kind]) for kind, _colour in kinds]
    layout = chart_layout(
        WIDTH,
        [(label, colour, "") for label, (_k, colour) in zip(labels, kinds, strict=True)],
        label_lines=1,
    )
    largest = max([value for by_year in figures.values() for value in by_year.values()])
    step = gridline_step(max(largest, Decimal(0)))
    top = step * GRIDLINES
    step_decimals = max(-step.normalize().as_tuple().exponent, 0)

    def text(value: Decimal | None) -> str:
        return format_value(value, decimals=indicator.decimals, suffix=indicator.value_suffix)

    group_width = (layout.plot_right - PLOT_LEFT) / max(len(years), 1)
    # A single year's bars would fill the plot: no bar wider than MAX_BAR.
    bar_width = min(group_width * 0.8 / len(kinds), MAX_BAR)
    bars = []
    for index, year in enumerate(years):
        group_left = PLOT_LEFT + (index + 0.5) * group_width - bar_width * len(kinds) / 2
        for position, (kind, colour) in enumerate(kinds):
            value = figures[kind].get(year)
            if value is None:
                continue
            height = PLOT_HEIGHT * max(value, Decimal(0)) / top
            x = round(group_left + position * bar_width)
            y = round(layout.plot_bottom - height)
            width = round(bar_width * 0.9)
            bars.append(
                ChartBar(
                    x=x,
                    y=y,
                    width=width,
                    height=round(height),
                    colour=colour,
                    text=text(value),
                    text_x=x + width // 2,
                    text_y=y - 4,
                )
            )
    name = indicator.display_name
    unit = indicator.display_unit
    first, last = years[0], years[-1]
    return BarChart(
        key=f"indicator-{indicator.pk}",
        title=_("Verloop per jaar"),
        unit=f"({unit})" if unit else "",
        description=_(
            "Staafdiagram van %(name)s per jaar, %(first)s tot en met %(last)s, met %(kinds)s. "
            "De cijfers staan in de tabel bij de grafiek."
        )
        % {"name": name, "first": first, "last": last, "kinds": ", ".join(labels).lower()},
        table_caption=_("Cijfers bij de grafiek van %(name)s") % {"name": name},
        row_header=_("Soort"),
        columns=[str(year) for year in years],
        bars=bars,
        gridlines=[
            Gridline(
                round(layout.plot_bottom - PLOT_HEIGHT * index / GRIDLINES),
                format_number(step * index, step_decimals),
            )
            for index in range(GRIDLINES + 1)
        ],
        column_labels=column_labels(layout, [[str(year)] for year in years]),
        legend=layout.legend,
        table=[
            TableRow(label, [text(figures[kind].get(year)) for year in years])
            for label, (kind, _colour) in zip(labels, kinds, strict=True)
        ],
        width=layout.width,
        height=layout.height,
    )


def gridline_step(largest: Decimal) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten, also below one: 0,2 or 0,05) so that
    GRIDLINES steps reach at least the largest figure."""
    needed = largest / GRIDLINES
    if needed <= 0:
        return Decimal(1)
    magnitude = Decimal(1).scaleb(needed.adjusted())
    return next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= needed)
