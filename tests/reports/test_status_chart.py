"""The stacked status chart's geometry, on plain data: any scale, any colours."""

from measures.overview import StatusData
from reports.chart import StatusColumn, status_chart

BEHIND = StatusData(
    1, "Loopt achter, bijsturing heeft onvoldoende effect", "cross", "#b00020", False
)
POSSIBLE = StatusData(2, "Loopt achter, bijsturing mogelijk", "warning", "#8a5a00", False)
AS_EXPECTED = StatusData(3, "Conform verwachting", "check", "#1d6b2f", True)
ABOVE = StatusData(4, "Boven verwachting", "arrow_up", "#0b4f82", True)
# A scale's colours are data: a light one must still carry a readable figure.
NEUTRAL = StatusData(5, "Neutrale wijziging", "neutral", "#ffe066", False)


def chart():
    counts = [(BEHIND, 3), (POSSIBLE, 4), (AS_EXPECTED, 20), (ABOVE, 5), (NEUTRAL, 6)]
    return status_chart(
        [
            StatusColumn("Voorjaarsnota 2023", counts, None),
            StatusColumn("Najaarsrapportage 2023", [*counts, (None, 2)], 1),
        ]
    )


def test_long_legend_texts_wrap_into_rows_without_overlapping():
    legend = chart().legend
    rows: dict[int, list] = {}
    for item in legend:
        rows.setdefault(item.y, []).append(item)
    assert len(rows) > 1
    for items in rows.values():
        for left, right in zip(items, items[1:], strict=False):
            assert left.text_x + len(left.text) * 6.5 <= right.x
    # The plot starts below the legend.
    assert chart().gridlines[-1].y > max(item.y for item in legend) + 12


def test_figures_stay_readable_on_light_and_dark_colours():
    bars = {bar.colour: bar for bar in chart().bars}
    assert bars["#1d6b2f"].text_colour == "#ffffff"
    assert bars["#1d6b2f"].icon_colour == "#1d6b2f"  # white strokes on the segment
    assert bars["#ffe066"].text_colour == "#1a1a1a"
    assert bars["#ffe066"].icon_colour == "#1a1a1a"  # a dark disc on a light segment
    # "Not assessed" has no colour of the scale: an outline, without icon.
    not_assessed = bars["#ffffff"]
    assert not_assessed.stroke and not not_assessed.icon


def test_table_holds_every_count_the_totals_and_the_moves():
    table = chart().table
    assert [row.label for row in table] == [
        BEHIND.label,
        POSSIBLE.label,
        AS_EXPECTED.label,
        ABOVE.label,
        NEUTRAL.label,
        "Niet beoordeeld",
        "Totaal",
        "Van op koers naar niet op koers",
    ]
    assert table[5].cells == ["0", "2"]
    assert table[-2].cells == ["38", "40"]
    assert table[-1].cells == ["–", "1"]
    assert [line.text for line in chart().column_labels] == [
        "Voorjaarsnota",
        "2023",
        "Najaarsrapportage",
        "2023",
    ]
