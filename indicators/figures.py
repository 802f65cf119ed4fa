"""What a reporting period says about its indicators, as page, export, command and report
show it: one computation, a fixed number of queries however many indicators.

`reported(period)` gives, per indicator of the period's programme (or of every programme
passed), the values that period stated, grouped by year and kind, composites' parts in
order, each already formatted (indicators.formatting), plus whether the period's target
for a year was met, following the indicator's direction. `series(...)` gives each
indicator's values over the years as the latest period up to this one stated them: the
chart's data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from .formatting import format_value, format_values
from .models import Direction, Indicator, IndicatorValue, ValueKind


@dataclass(frozen=True)
class Entry:
    """The value(s) of one year and kind: one figure, or one per part."""

    year: int
    kind: str
    kind_label: str
    values: tuple[Decimal | None, ...]
    qualifier: str
    text: str


@dataclass
class Reported:
    indicator: Indicator
    entries: list[Entry] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.indicator.display_name

    @property
    def unit(self) -> str:
        return self.indicator.display_unit

    def entry(self, year: int, kind: str) -> Entry | None:
        for entry in self.entries:
            if entry.year == year and entry.kind == kind:
                return entry
        return None

    @property
    def in_report(self) -> bool:
        """Part of the period's chapter: the period stated a value for it, or it is still
        reported (not discontinued), then with "no figures" (Enschede's indicators whose
        charts were lost). A discontinued indicator without values is left out."""
        return bool(self.entries) or not self.indicator.is_discontinued

    @property
    def target_met(self) -> bool | None:
        """For the latest year with both a target and an actual of a single figure."""
        for entry in sorted(self.entries, key=lambda e: -e.year):
            target = self.entry(entry.year, ValueKind.TARGET)
            actual = self.entry(entry.year, ValueKind.ACTUAL)
            if target and actual and len(target.values) == len(actual.values) == 1:
                return target_met(self.indicator.direction, target.values[0], actual.values[0])
        return None


def target_met(direction: str, target: Decimal | None, actual: Decimal | None) -> bool | None:
    """Whether an actual meets its target: at or above it where higher is better, at or
    below where lower is; no answer without a direction or a figure."""
    if target is None or actual is None or direction == Direction.NONE:
        return None
    return actual >= target if direction == Direction.HIGHER else actual <= target


KIND_ORDER = {ValueKind.BASELINE: 0, ValueKind.ACTUAL: 1, ValueKind.TARGET: 2}
KIND_LABELS = dict(ValueKind.choices)


def _entries(indicator: Indicator, values: list[IndicatorValue]) -> list[Entry]:
    parts = list(indicator.parts.all())
    grouped = defaultdict(dict)
    qualifiers = {}
    for value in values:
        key = (value.year, value.kind)
        grouped[key][value.part_id] = value.value
        qualifiers.setdefault(key, value.qualifier)
    entries = []
    for (year, kind), by_part in sorted(
        grouped.items(), key=lambda i: (i[0][0], KIND_ORDER[i[0][1]])
    ):
        if parts:
            figures = tuple(by_part.get(part.pk) for part in parts)
            text = format_values(
                list(figures),
                decimals=indicator.decimals,
                suffix=indicator.value_suffix,
                qualifier=qualifiers[(year, kind)],
            )
        else:
            figures = (by_part.get(None),)
            text = format_value(
                figures[0],
                decimals=indicator.decimals,
                suffix=indicator.value_suffix,
                qualifier=qualifiers[(year, kind)],
            )
        entries.append(
            Entry(year, kind, str(KIND_LABELS[kind]), figures, qualifiers[(year, kind)], text)
        )
    return entries


def indicators_of(programme_ids) -> list[Indicator]:
    return list(
        Indicator.objects.filter(programme_id__in=programme_ids)
        .select_related("national", "goal", "theme", "programme")
        .prefetch_related("parts")
        .order_by("programme_id", "order", "pk")
    )


def reported(period) -> list[Reported]:
    """Every indicator of the period's programme with the values the period stated.
    Three queries."""
    indicators = indicators_of([period.programme_id])
    values = defaultdict(list)
    for value in IndicatorValue.objects.filter(period=period).order_by(
        "year", "kind", "part__order"
    ):
        values[value.indicator_id].append(value)
    return [
        Reported(indicator, _entries(indicator, values[indicator.pk])) for indicator in indicators
    ]


def series(period, indicators) -> dict[int, dict[str, list[tuple[int, Decimal]]]]:
    """Per indicator and kind, (year, value) in year order, each year as the latest period
    up to and including `period` stated it; parts of composites are left out (a chart
    draws one line per kind). One query."""
    latest: dict[tuple[int, int, str], tuple] = {}
    rows = (
        IndicatorValue.objects.filter(
            indicator__in=[i.pk for i in indicators],
            part__isnull=True,
            period__programme_id=period.programme_id,
            period__reference_date__lte=period.reference_date,
        )
        .order_by("period__reference_date", "period_id")
        .values_list("indicator_id", "kind", "year", "value")
    )
    for indicator_id, kind, year, value in rows:
        latest[(indicator_id, year, kind)] = value
    out: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for (indicator_id, year, kind), value in sorted(latest.items()):
        out[indicator_id][kind].append((year, value))
    return out
