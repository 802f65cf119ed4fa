"""The "op koers" table: its columns, captions and export values.

django-tables2 defines the columns (headers, export values). The page does not render
rows cell by cell through tables2, which is slow for a thousand measures; it loops over
`OverviewTable.page_rows()` in a lean template (templates/measures/_overview_rows.html).
"""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .money import format_cell
from .overview import Amount, Overview, Row, RowKind

ROW_KIND_LABELS = {
    RowKind.PLAN: _("Maatregelenplan"),
    RowKind.MEASURE: _("Maatregel"),
    RowKind.SUBTOTAL: _("Subtotaal"),
    RowKind.TOTAL: _("Totaal"),
    RowKind.ON_COURSE: _("Op koers"),
    RowKind.SAVINGS_TASK: _("Taakstelling"),
    RowKind.ADJUSTMENT: _("Bijstelling"),
    RowKind.BALANCE: _("Saldo"),
}


def year_accessor(year: int) -> str:
    return f"y{year}"


class AmountColumn(tables.Column):
    """A year column: thousands on the page, whole euros (or "PM") in exports."""

    def __init__(self, year: int, **kwargs):
        self.year = year
        kwargs.setdefault("verbose_name", str(year))
        kwargs.setdefault("attrs", {"th": {"class": "amount"}, "td": {"class": "amount"}})
        super().__init__(accessor=year_accessor(year), orderable=False, default="", **kwargs)

    def render(self, value: Amount | None) -> str:
        return format_cell(value)

    def value(self, value: Amount | None):
        if value is None or value == "":
            return ""
        return "PM" if value.is_pm else value.euros


class StatusColumn(tables.Column):
    def render(self, value):
        return value.label if value else ""

    def value(self, value):
        return value.label if value else ""


class OverviewTable(tables.Table):
    number = tables.Column(verbose_name=_("Volgnr"), orderable=False, default="")
    title = tables.Column(verbose_name=_("Omschrijving"), orderable=False)
    status = StatusColumn(verbose_name=_("Op koers"), orderable=False, default="")
    kind = tables.Column(verbose_name=_("Regel"), orderable=False, visible=False)
    # The page names its series above the table; an exported row names it itself.
    series = tables.Column(verbose_name=_("Reeks"), orderable=False, visible=False)

    class Meta:
        orderable = False
        sequence = ("number", "title", "...", "status", "kind", "series")

    def __init__(self, overview: Overview, *, for_export: bool = False, **kwargs):
        """The page needs only the columns (it renders rows through its own template);
        an export also needs the rows as tables2 data, so only it pays for them."""
        self.overview = overview
        extra = [(year_accessor(year), AmountColumn(year)) for year in overview.years]
        data = [self.row_dict(row) for row in overview.rows] if for_export else []
        super().__init__(data, extra_columns=extra, **kwargs)

    def row_dict(self, row: Row) -> dict:
        data = {
            "kind": str(ROW_KIND_LABELS[row.kind]),
            "number": row.number,
            "title": row.label,
            "status": row.status,
            "series": self.overview.series_name,
        }
        for year in self.overview.years:
            data[year_accessor(year)] = row.cells.get(year)
        return data

    def page_sections(self) -> list[list[PageRow]]:
        """The rows, cells formatted in year order, split where a table body starts:
        one section per plan, one for the measures outside the plans, one for the totals."""
        years = self.overview.years
        sections: list[list[PageRow]] = [[]]
        for row in self.overview.rows:
            starts_section = row.kind in (RowKind.PLAN, RowKind.TOTAL) or (
                row.kind is RowKind.MEASURE and sections[-1] and sections[-1][-1].kind == "subtotal"
            )
            if starts_section and sections[-1]:
                sections.append([])
            sections[-1].append(PageRow(row, [format_cell(row.cells.get(year)) for year in years]))
        return [section for section in sections if section]


class PageRow:
    __slots__ = ("row", "cells", "kind")

    def __init__(self, row: Row, cells: list[str]):
        self.row = row
        self.cells = cells
        self.kind = row.kind.value
