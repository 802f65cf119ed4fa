"""The spreadsheets that go out: the import template and the export of the measures.

Both use the columns of `imports.columns`, so an export is also a filled-in template:
change it and import it again. The export's first sheet lists the measures (one row
each, nothing computed, so it imports back); its second sheet is the overview with its
subtotals and totals as formulas (measures.exports).

The export also carries what the period's approved assessment says besides the status and
explanation: cause, consequence and corrective action, and per year the forecast, the
realisation (hard and soft) and the volumes (`export_columns`). The import recognises
those columns (`columns.is_export_only`) and leaves them alone, since they change only
through an update a controller approves. The owner is written as the import reads it: by
full name where that names one person, else by user name (`planning.users_by_name`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from measures import exports
from measures.constants import PolicyDomain
from measures.models import Programme, ReportingPeriod, StatusLevel
from measures.overview import StatusData
from measures.overview_data import load_overview
from measures.report_input import MeasureRecord, PlanInfo, ReportInput, report_input
from measures.tables import OverviewTable
from organisations.scoping import members

from .columns import (
    EXPORT_FIGURES,
    EXPORT_TEXTS,
    FIELDS_AFTER_YEARS,
    FIELDS_BEFORE_YEARS,
    HEADERS,
    REALISED_HEADER,
    UNIT_CHOICES,
    UNIT_LABEL,
    VOLUME_UNIT_HEADER,
    Field,
    Unit,
)
from .planning import users_by_name
from .reading import MAX_COLUMNS, MAX_FILE_BYTES, MAX_MEASURE_ROWS, SHEET_NAME

HEADER_ROW = 4
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
INPUT_FORMAT = "#,##0"
TEMPLATE_ROWS = 300


@dataclass
class MeasureLine:
    """A measure as the export writes it, as frozen at closing for a closed period: its
    record (targets, texts and yearly figures of its approved assessment), plan, status,
    and the owner as the import reads them back."""

    measure: MeasureRecord
    plan: PlanInfo | None
    status: StatusData | None
    owner: str = ""


@dataclass(frozen=True)
class ExportColumn:
    header: str
    value: Callable[[MeasureLine], object]
    width: int = 14
    is_amount: bool = False


def measure_columns(years: list[int], *, texts=()) -> list[ExportColumn]:
    """The template's columns; `texts` go after the explanation."""

    def target(year):
        def value(line: MeasureLine):
            found = line.measure.targets.get(year)
            if found is None:
                return None
            return "PM" if found.is_pm else found.euros

        return value

    def plan_value(attribute):
        return lambda line: getattr(line.plan, attribute) if line.plan else ""

    by_field = {
        Field.PLAN: ExportColumn(str(HEADERS[Field.PLAN]), plan_value("name"), 24),
        Field.DECISION: ExportColumn(
            str(HEADERS[Field.DECISION]), plan_value("decision_reference"), 13
        ),
        Field.NUMBER: ExportColumn(str(HEADERS[Field.NUMBER]), lambda line: line.measure.number, 8),
        Field.TITLE: ExportColumn(str(HEADERS[Field.TITLE]), lambda line: line.measure.title, 45),
        Field.DOMAIN: ExportColumn(
            str(HEADERS[Field.DOMAIN]), lambda line: _domain_label(line.measure.domain), 18
        ),
        Field.STATUS: ExportColumn(
            str(HEADERS[Field.STATUS]), lambda line: line.status.label if line.status else "", 12
        ),
        Field.EXPLANATION: ExportColumn(
            str(HEADERS[Field.EXPLANATION]), lambda line: line.measure.narrative.explanation, 50
        ),
        Field.OWNER: ExportColumn(str(HEADERS[Field.OWNER]), lambda line: line.owner, 18),
    }
    after_years = []
    for name in FIELDS_AFTER_YEARS:
        after_years.append(by_field[name])
        if name is Field.EXPLANATION:
            after_years.extend(texts)
    return [
        *(by_field[f] for f in FIELDS_BEFORE_YEARS),
        *(ExportColumn(str(year), target(year), 12, is_amount=True) for year in years),
        *after_years,
    ]


def _domain_label(domain: str) -> str:
    return str(PolicyDomain(domain).label) if domain else ""


def export_columns(data: ReportInput, *, with_volumes: bool) -> list[ExportColumn]:
    """The measures export's columns: the template's with cause, consequence and corrective
    action after the explanation, then per year the forecast, the realisation (hard and
    soft where the programme separates them) and, `with_volumes`, the volumes. Years and
    the split come from the report input: as frozen at closing for a closed period."""

    def text(name):
        return lambda line: getattr(line.measure.narrative, name)

    def figure(year, name):
        def value(line: MeasureLine):
            figures = line.measure.years.get(year)
            if figures is None:
                return None
            if name == "forecast" and figures.forecast_is_pm:
                return "PM"
            return getattr(figures, name)

        return value

    def column(header, year, name, *, is_amount=True):
        return ExportColumn(str(header % {"year": year}), figure(year, name), 14, is_amount)

    years = data.years
    texts = [ExportColumn(str(header), text(name), 40) for name, header in EXPORT_TEXTS.items()]
    columns = [*measure_columns(years, texts=texts)]
    columns += [column(EXPORT_FIGURES["forecast"], year, "forecast") for year in years]
    for year in years:
        if data.programme.separates_hard_soft:
            columns.append(column(EXPORT_FIGURES["realised"], year, "realised"))
            columns.append(column(EXPORT_FIGURES["realised_soft"], year, "realised_soft"))
        else:
            columns.append(column(REALISED_HEADER, year, "realised"))
    if with_volumes:
        columns.append(
            ExportColumn(str(VOLUME_UNIT_HEADER), lambda line: line.measure.volume_unit, 14)
        )
        for year in years:
            for name in ("volume_planned", "volume_realised"):
                columns.append(column(EXPORT_FIGURES[name], year, name, is_amount=False))
    return columns


def measure_lines(period: ReportingPeriod, data: ReportInput) -> list[MeasureLine]:
    """The programme's measures, by plan and number, with their status in the period and
    their owner: for an open period as the import reads it back (one query: the active
    users' names), for a closed one by the name frozen at closing (`_owner_label`)."""
    plans = {plan.id: plan for plan in data.plans}
    levels = {level.id: level for level in data.levels}
    users = None if period.is_closed else users_by_name()
    return [
        MeasureLine(
            measure,
            plans.get(measure.plan_id),
            levels.get(measure.status_id),
            owner=_owner_label(measure, users),
        )
        for measure in data.measures
    ]


def _owner_label(measure: MeasureRecord, users: dict | None) -> str:
    """The owner's full name where the import reads it back as this person, else the user
    name (no name given, or a name two people share or someone has as user name).

    Without `users` (a closed period) the name frozen at closing, as it is: checking it
    against today's users would let a rename or a departure change a closed export, and
    an import checks the name against the users of its own day anyway."""
    if not measure.owner:
        return ""
    if users is None:
        return measure.owner_name or measure.owner
    match = users.get(measure.owner_name.lower()) if measure.owner_name else None
    if match is not None and match.username == measure.owner:
        return measure.owner_name
    return measure.owner


def _export_columns(data: ReportInput, lines: list[MeasureLine]) -> list[ExportColumn]:
    return export_columns(data, with_volumes=any(line.measure.volume_unit for line in lines))


def measures_xlsx(period: ReportingPeriod) -> bytes:
    data = report_input(period)
    programme = data.programme
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    title = _("Maatregelen %(programme)s: %(period)s") % {
        "programme": programme.name,
        "period": period.name,
    }
    _write_intro(
        sheet,
        title,
        Unit.EUROS,
        _(
            "Bedragen in hele euro's, weergegeven x € 1.000; PM telt als 0. Dit blad kan na "
            "bewerking weer worden geïmporteerd; oorzaak, gevolg, bijsturing, prognoses, "
            "realisaties en volumes leest de import niet in: die veranderen met een update "
            "van de maatregel. Het tabblad Op koers telt de bedragen op."
        ),
    )
    lines = measure_lines(period, data)
    columns = _export_columns(data, lines)
    _write_header(sheet, columns)
    for line in lines:
        exports.append_row(sheet, [column.value(line) for column in columns])
        for column, cell in zip(columns, sheet[sheet.max_row], strict=False):
            if column.is_amount and isinstance(cell.value, int):
                cell.number_format = exports.THOUSANDS_FORMAT
            elif isinstance(cell.value, str):
                cell.data_type = "s"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(sheet.max_row, HEADER_ROW + 1)}"
    sheet.freeze_panes = f"E{HEADER_ROW + 1}"
    overview = OverviewTable(load_overview(period).overview, for_export=True)
    exports.write_overview_sheet(
        workbook.create_sheet(), overview, f"{programme.name}: {period.name}"
    )
    return exports.workbook_bytes(workbook)


def measures_csv(period: ReportingPeriod) -> bytes:
    """The measures sheet as CSV (semicolons, UTF-8 with BOM), formulas neutralised."""
    data = report_input(period)
    lines = measure_lines(period, data)
    columns = _export_columns(data, lines)
    return exports.csv_document(
        [
            [f"{data.programme.name}: {period.name}"],
            [f"{UNIT_LABEL}:", UNIT_CHOICES[Unit.EUROS]],
            [column.header for column in columns],
            *([_csv_value(column.value(line)) for column in columns] for line in lines),
        ]
    )


def _csv_value(value):
    return "" if value is None else value


def template_xlsx(programme: Programme) -> bytes:
    """An empty measures sheet for a programme, with an explanation and choice lists."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    _write_intro(
        sheet,
        _("Maatregelen importeren: %(programme)s (%(municipality)s)")
        % {"programme": programme.name, "municipality": programme.organisation.short_name},
        Unit.THOUSANDS,
        _(
            "Eén regel per maatregel, vanaf regel 5. Bedragen in duizenden euro's (1.580 is "
            "€ 1.580.000), of kies hierboven euro. PM als het bedrag nog niet bekend is; leeg "
            "als er dat jaar geen taakstelling is. Zie het tabblad Uitleg."
        ),
    )
    columns = measure_columns(programme.years)
    _write_header(sheet, columns)
    lists = _write_choice_lists(workbook.create_sheet(_("Keuzelijsten")), programme)
    _write_explanation(workbook.create_sheet(_("Uitleg"), 1), programme)
    unit_choice = DataValidation(
        type="list", formula1=f'"{",".join(UNIT_CHOICES.values())}"', allow_blank=False
    )
    unit_choice.add("B2")
    sheet.add_data_validation(unit_choice)
    first, last = HEADER_ROW + 1, HEADER_ROW + TEMPLATE_ROWS
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        if column.is_amount:
            for row in range(first, last + 1):
                sheet.cell(row, index).number_format = INPUT_FORMAT
        choices = lists.get(column.header)
        if choices:
            source, strict = choices
            validation = DataValidation(
                type="list",
                formula1=source,
                allow_blank=True,
                errorStyle="stop" if strict else "warning",
                error=_("Kies een waarde uit de lijst op het tabblad Keuzelijsten."),
                errorTitle=_("Onbekende waarde"),
                showErrorMessage=True,
            )
            validation.add(f"{letter}{first}:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = f"E{HEADER_ROW + 1}"
    return exports.workbook_bytes(workbook)


def _write_intro(sheet, title: str, unit: Unit, note: str) -> None:
    exports.append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    exports.append_row(sheet, [f"{UNIT_LABEL}:", UNIT_CHOICES[unit]])
    sheet["A2"].font = Font(bold=True)
    sheet["B2"].font = Font(bold=True)
    sheet["B2"].comment = Comment(
        _("x € 1.000: bedragen in duizenden euro's. euro: bedragen in hele euro's."),
        "Koersmonitor",
    )
    exports.append_row(sheet, [note])
    sheet["A3"].alignment = Alignment(wrap_text=False)


def _write_header(sheet, columns: list[ExportColumn]) -> None:
    exports.append_row(sheet, [column.header for column in columns])
    for index, (column, cell) in enumerate(zip(columns, sheet[HEADER_ROW], strict=True), 1):
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="right" if column.is_amount else "left")
        sheet.column_dimensions[get_column_letter(index)].width = column.width


def _write_choice_lists(sheet, programme: Programme) -> dict[str, tuple[str, bool]]:
    """The values the template's cells may take, as columns on a sheet of their own; per
    header the range its validation uses and whether other values are refused."""
    users = members().filter(is_active=True).order_by("username")
    lists = {
        str(HEADERS[Field.PLAN]): (
            [[plan.name, plan.decision_reference] for plan in programme.plans.all()],
            [_("Maatregelenplan"), _("Besluitnummer")],
            False,
        ),
        str(HEADERS[Field.DOMAIN]): (
            [[str(choice.label)] for choice in PolicyDomain],
            [_("Beleidsterrein")],
            True,
        ),
        str(HEADERS[Field.STATUS]): (
            [
                [level.label, level.description]
                for level in StatusLevel.objects.filter(scale_id=programme.status_scale_id)
            ],
            [_("Op koers"), _("Betekenis")],
            True,
        ),
        str(HEADERS[Field.OWNER]): (
            [[user.get_username(), user.get_full_name()] for user in users],
            [_("Eigenaar (gebruikersnaam)"), _("Naam")],
            False,
        ),
    }
    result = {}
    column = 1
    for header, (rows, titles, strict) in lists.items():
        for offset, title in enumerate(titles):
            cell = sheet.cell(1, column + offset, exports.neutralise(title))
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            sheet.column_dimensions[get_column_letter(column + offset)].width = 28
        for row_index, values in enumerate(rows, start=2):
            for offset, value in enumerate(values):
                sheet.cell(row_index, column + offset, exports.neutralise(value))
        if rows:
            letter = get_column_letter(column)
            result[header] = (f"'{sheet.title}'!${letter}$2:${letter}${len(rows) + 1}", strict)
        column += len(titles) + 1
    return result


def _write_explanation(sheet, programme: Programme) -> None:
    first, last = programme.first_year, programme.last_year
    rows = [
        [_("Kolom"), _("Verplicht"), _("Wat vult u in"), _("Voorbeeld")],
        [
            HEADERS[Field.PLAN],
            _("kolom wel, waarde niet"),
            _(
                "De naam van het maatregelenplan. Een nieuwe naam maakt een nieuw plan. Leeg "
                "voor een maatregel buiten de plannen, zoals een vervangende maatregel."
            ),
            "Maatregelenplan 1",
        ],
        [
            HEADERS[Field.DECISION],
            _("nee"),
            _("Het besluitnummer van een nieuw maatregelenplan."),
            "BW-6696",
        ],
        [
            HEADERS[Field.NUMBER],
            _("ja, in een plan"),
            _(
                "Het volgnummer in het plan. Een deelmaatregel 6.1 valt onder maatregel 6; "
                "zet de bedragen dan bij 6.1 en laat 6 leeg. Typ 6.10 als tekst, anders maakt "
                "Excel er 6,1 van."
            ),
            "6.1",
        ],
        [HEADERS[Field.TITLE], _("ja"), _("De naam van de maatregel."), "Doorbraakmethode"],
        [
            HEADERS[Field.DOMAIN],
            _("nee"),
            _("Wmo, Jeugd, Participatie of Sociaal domein breed."),
            "Jeugd",
        ],
        [
            f"{first} … {last}",
            _("nee"),
            _(
                "De taakstelling per jaar, in de eenheid van regel 2. PM als het bedrag nog "
                "niet bekend is (telt als 0); leeg als er dat jaar geen taakstelling is. Een "
                "lege cel haalt een bestaande taakstelling weg."
            ),
            "1.580",
        ],
        [
            HEADERS[Field.STATUS],
            _("nee"),
            _(
                "Of de maatregel op koers is, met een waarde uit de statusschaal (tabblad "
                "Keuzelijsten). Alleen bij een import in een rapportagemoment."
            ),
            _("Ja"),
        ],
        [
            HEADERS[Field.EXPLANATION],
            _("nee"),
            _("De toelichting bij de status in het rapportagemoment."),
            "",
        ],
        [
            HEADERS[Field.OWNER],
            _("nee"),
            _(
                "De naam of de gebruikersnaam van de eigenaar (tabblad Keuzelijsten). Een "
                "naam die twee mensen delen, leest de import niet: gebruik dan de "
                "gebruikersnaam."
            ),
            "",
        ],
        [],
        [
            _("Regels"),
            "",
            _(
                "Hoogstens %(rows)s maatregelen, %(columns)s kolommen en %(size)s MB per "
                "bestand. Geen formules, subtotalen of totalen: die rekent Koersmonitor uit. "
                "Een import gaat helemaal door of helemaal niet; u ziet eerst een voorbeeld. "
                "Maatregelen die niet in het bestand staan, blijven zoals ze zijn."
            )
            % {
                "rows": f"{MAX_MEASURE_ROWS:,}".replace(",", "."),
                "columns": MAX_COLUMNS,
                "size": MAX_FILE_BYTES // (1024 * 1024),
            },
            "",
        ],
    ]
    for values in rows:
        exports.append_row(sheet, [str(value) for value in values])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCD", (18, 20, 90, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
