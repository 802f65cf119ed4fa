"""The data behind a published report's tables, for the public pages (the Woo's open data).

`report_tables` turns a report's data (reports.builder.ReportData, the one the PDF was
rendered from) into plain tables: each with a name for its address, a title and a
description, its columns (name, description, unit) and its rows. Figures are whole euros
as computed by measures.overview, never rounded to thousands and never added up here;
a PM target is the text "PM", a year without a figure is empty (None).

Publishing stores these tables with the report (PublishedReport.tables), so that the
files a reader downloads are the data of the published report, whatever changes later.
`published_tables` returns them, or, for a report published before they were stored,
builds them from the closed period's frozen input (which is what that report showed).

The files: a JSON document per table with "columns" and "rows" (one object per row,
keyed by column name), and a CSV file per table (semicolons and a BOM, as the app's other
exports, for Dutch spreadsheets) with the column names in its header row; the JSON
document and the report's page describe those columns.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from measures.exports import csv_document
from measures.overview import Amount
from measures.report_input import report_input
from measures.tables import ROW_KIND_LABELS

from .builder import KEY_FIGURE_KINDS, ReportData, build_report_data

EURO, TEXT, COUNT, YEAR, NUMBER = "euro", "tekst", "aantal", "jaar", "getal"


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    unit: str


@dataclass(frozen=True)
class DataTable:
    name: str  # in the file's address: letters, digits and hyphens
    title: str
    description: str
    columns: list[Column]
    rows: list[list]

    @classmethod
    def of(cls, stored: dict) -> DataTable:
        return cls(
            name=stored["name"],
            title=stored["title"],
            description=stored["description"],
            columns=[Column(**column) for column in stored["columns"]],
            rows=stored["rows"],
        )

    def records(self) -> list[dict]:
        names = [column.name for column in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


def report_tables(data: ReportData) -> list[dict]:
    """The report's tables as JSON-ready dicts, for PublishedReport.tables."""
    tables = [
        _overview_table(data),
        _key_figures_table(data),
        _status_table(data),
        _measure_figures_table(data),
    ]
    if data.chapter.indicators or data.chapter.national:
        tables.append(_indicator_table(data))
    # Through JSON and back, so that what is stored is what a later read gives.
    return json.loads(json.dumps([asdict(table) for table in tables], cls=DjangoJSONEncoder))


def published_tables(report) -> list[DataTable]:
    """The stored tables of a PublishedReport; for one published before they were
    stored, made from its closed period's frozen input."""
    stored = report.tables
    if stored is None:
        data = build_report_data(report.period, built_at=report.built_at, is_published=True)
        stored = report_tables(data)
    return [DataTable.of(table) for table in stored]


def find_table(report, name: str) -> DataTable | None:
    return next((table for table in published_tables(report) if table.name == name), None)


def as_json(table: DataTable, about: dict) -> bytes:
    document = {
        **about,
        "tabel": table.name,
        "titel": table.title,
        "beschrijving": table.description,
        "columns": [asdict(column) for column in table.columns],
        "rows": table.records(),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def as_csv(table: DataTable) -> bytes:
    header = [column.name for column in table.columns]
    return csv_document([header, *([_csv_cell(cell) for cell in row] for row in table.rows)])


def _csv_cell(value):
    return "" if value is None else value


def _cell(amount: Amount | None):
    if amount is None:
        return None
    return "PM" if amount.is_pm else amount.euros


def _year_description(kind: str, year: int) -> str:
    return _(
        "%(kind)s in %(year)s in hele euro's. PM: pro memorie, een taakstelling zonder "
        "bedrag (telt als 0). Leeg: geen bedrag in dat jaar."
    ) % {"kind": kind, "year": year}


def _overview_table(data: ReportData) -> DataTable:
    overview = data.overview
    columns = [
        Column("regel", _("Soort regel: maatregelenplan, maatregel, subtotaal, totaal enz."), TEXT),
        Column("volgnummer", _("Volgnummer van de maatregel binnen zijn plan."), TEXT),
        Column("omschrijving", _("Omschrijving van de regel, zoals in het rapport."), TEXT),
        Column("op_koers", _("Status van de maatregel op de peildatum."), TEXT),
        *(
            Column(f"taakstelling_{year}", _year_description(_("Taakstelling"), year), EURO)
            for year in overview.years
        ),
    ]
    rows = [
        [
            str(ROW_KIND_LABELS[row.kind]),
            row.number,
            row.label,
            row.status.label if row.status else "",
            *(_cell(row.cells.get(year)) for year in overview.years),
        ]
        for row in overview.rows
    ]
    return DataTable(
        "op-koers",
        _("Waar staan we nu: op koers"),
        _(
            "Per maatregel de taakstelling per jaar en of hij op koers ligt, met de subtotalen "
            "per maatregelenplan, het totaal, de inventarisatie van wat op koers ligt in "
            "%(year)s, de te realiseren besparingen en het saldo."
        )
        % {"year": overview.target_year},
        columns,
        rows,
    )


def _key_figures_table(data: ReportData) -> DataTable:
    overview = data.overview
    year = overview.target_year
    rows = [
        [row.label, _cell(row.cells.get(year))]
        for row in overview.rows
        if row.kind.value in KEY_FIGURE_KINDS and row.cells.get(year) is not None
    ]
    return DataTable(
        "invulling-taakstelling",
        _("Invulling van de taakstelling in %(year)s") % {"year": year},
        _(
            "Wat op koers ligt, de te realiseren besparingen, de bijstellingen en het saldo "
            "in %(year)s."
        )
        % {"year": year},
        [
            Column("onderdeel", _("Onderdeel van de invulling."), TEXT),
            Column("bedrag", _("Bedrag in %(year)s in hele euro's.") % {"year": year}, EURO),
        ],
        rows,
    )


def _status_table(data: ReportData) -> DataTable:
    return DataTable(
        "maatregelen-per-status",
        _("Maatregelen per status"),
        _("Het aantal maatregelen per status op de peildatum."),
        [
            Column("op_koers", _("Status; leeg: niet beoordeeld."), TEXT),
            Column(
                "telt_als_op_koers", _("Ja als deze status meetelt als op koers, anders nee."), TEXT
            ),
            Column("aantal", _("Aantal maatregelen met deze status."), COUNT),
        ],
        [
            [
                item.status.label if item.status else "",
                _("ja") if item.status and item.status.counts_as_on_course else _("nee"),
                item.count,
            ]
            for item in data.status_counts
        ],
    )


def _measure_figures_table(data: ReportData) -> DataTable:
    """Per measure and year its target, the approved forecast and realisation: the figures
    the report shows with each measure. Read from the period's report input, the one the
    report was built from (frozen for a closed period, so no query)."""
    source = report_input(data.period)
    levels = {level.id: level.label for level in source.levels}
    plans = {plan.id: plan.title for plan in source.plans}
    headings = {row.measure_id for row in data.overview.rows if row.is_heading}
    rows = []
    for measure in source.measures:
        if measure.id in headings:
            continue
        for year in source.years:
            target = measure.targets.get(year)
            figures = measure.years.get(year)
            forecast = None
            if figures is not None and (figures.forecast_is_pm or figures.forecast is not None):
                forecast = "PM" if figures.forecast_is_pm else figures.forecast
            realised = figures.realised if figures else None
            soft = figures.realised_soft if figures else None
            if target is None and forecast is None and realised is None and soft is None:
                continue
            rows.append(
                [
                    measure.number,
                    measure.title,
                    plans.get(measure.plan_id, ""),
                    levels.get(measure.status_id, ""),
                    year,
                    _cell(target),
                    forecast,
                    realised,
                    soft,
                ]
            )
    return DataTable(
        "maatregelen-per-jaar",
        _("Bedragen per maatregel en jaar"),
        _(
            "Per maatregel en jaar de taakstelling, de goedgekeurde prognose en de realisatie, "
            "zoals bij elke maatregel in het rapport."
        ),
        [
            Column("volgnummer", _("Volgnummer van de maatregel binnen zijn plan."), TEXT),
            Column("maatregel", _("Naam van de maatregel."), TEXT),
            Column("maatregelenplan", _("Het maatregelenplan; leeg: buiten de plannen."), TEXT),
            Column("op_koers", _("Status van de maatregel op de peildatum."), TEXT),
            Column("jaar", _("Het begrotingsjaar."), YEAR),
            Column(
                "taakstelling", _("Wat de maatregel dat jaar moet besparen (PM mogelijk)."), EURO
            ),
            Column(
                "prognose",
                _("Verwachte besparing volgens de goedgekeurde update (PM mogelijk)."),
                EURO,
            ),
            Column("realisatie", _("Gerealiseerde harde besparing."), EURO),
            Column("realisatie_zacht", _("Gerealiseerde zachte besparing."), EURO),
        ],
        rows,
    )


def _indicator_table(data: ReportData) -> DataTable:
    """The values the period stated for the programme's indicators and the mandatory BBV
    indicators, as the chapter shows them (chapters.chapter): one row per indicator, year
    and kind. A value is written as a decimal number in text ("12.5"), exactly as stored;
    an indicator of several parts has its values in the printed text only."""
    rows = []
    sections = [(_("eigen"), item) for item in data.chapter.indicators] + [
        (_("BBV"), item) for item in data.chapter.national
    ]
    for kind, section in sections:
        for entry in section.entries:
            single = entry.values[0] if len(entry.values) == 1 else None
            rows.append(
                [
                    section.reported.name,
                    kind,
                    section.unit_with_year,
                    section.source,
                    entry.year,
                    entry.kind_label,
                    None if single is None else str(single),
                    entry.qualifier,
                    entry.text,
                ]
            )
    return DataTable(
        "indicatoren",
        _("Indicatoren"),
        _(
            "De waarden die dit rapportagemoment vermeldt voor de indicatoren van het programma "
            "en de verplichte beleidsindicatoren (BBV), per jaar en soort waarde."
        ),
        [
            Column("indicator", _("Naam van de indicator."), TEXT),
            Column("soort_indicator", _("Eigen indicator of verplichte BBV-indicator."), TEXT),
            Column("eenheid", _("Eenheid van de waarde, met het jaar waarop die slaat."), TEXT),
            Column("bron", _("Bron van de cijfers."), TEXT),
            Column("jaar", _("Het jaar van de waarde."), YEAR),
            Column("soort_waarde", _("Nulmeting, realisatie of streefwaarde."), TEXT),
            Column(
                "waarde",
                _("De waarde als decimaal getal met een punt; leeg bij meerdere delen."),
                NUMBER,
            ),
            Column("kwalificatie", _("Een toevoeging bij de waarde, zoals een teken."), TEXT),
            Column("weergave", _("De waarde zoals het rapport haar toont."), TEXT),
        ],
        rows,
    )
