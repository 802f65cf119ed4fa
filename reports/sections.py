"""The kinds of section a report can hold, and the sequence one report shows.

Each kind has a key (what a ReportLayout names), a Dutch name for the admin and the
validation messages, the heading it gets when a layout gives none, its partial (under
templates/reports/sections/) and, where it has any, the partial of its entries in the
contents. A kind that shows chapter texts names the text kinds (chapters.models.TextKind)
it shows; the seeds' headings map onto them:

- Almelo's midterm review: summary (samenvatting), ambition (ambitie, with the goals),
  goal_review (terugblik, with each goal's measures and projects), overview ("Waar staan
  we nu"), future (betekenis voor de toekomst), changes;
- Almelo's jaarverantwoording: goals_results ("Wat wilden we bereiken?" with each goal's
  "Behaalde resultaten");
- Venlo's jaarverslag: budget_boxes ("Begroot vs Realisatie"), achieved, indicators, done,
  statement ("Wat heeft het gekost?"), products;
- Enschede's jaarverslag: doelenboom, achieved, indicators, bbv, action_points (with the
  themes' texts, such as "Bijdrage verbonden partij"), statement, result;
- Hengelo's begroting: developments (per programme line), programme_lines,
  policy_indicators.

Without a layout a report shows DEFAULT_LAYOUT, the sequence reports always had, with the
whole programme chapter and the whole money section as one section each; there the
summary and the goal review show no texts, since the programme section shows them all.

Nothing here queries or adds up: the sections choose from what reports.builder gathered
(the chapter of chapters.chapter, the money of reports.money_section) and arrange it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chapters.chapter import Chapter, IndicatorSection, ShownText
from chapters.models import TextKind


@dataclass(frozen=True)
class SectionKind:
    key: str
    name: str
    heading: Callable[[object], str]
    template: str
    anchor: str
    # Whether the report holds anything for this section (the report is a ReportData).
    present: Callable[[object], bool]
    text_kinds: tuple[str, ...] = ()
    contents: str = ""


@dataclass(frozen=True)
class TextGroup:
    """Texts of a section under one place: the programme itself (no title), a goal or a
    theme (a programme line)."""

    title: str
    anchor: str
    texts: list[ShownText]


@dataclass(frozen=True)
class YearColumn:
    year: int
    label: str


@dataclass(frozen=True)
class PolicyRow:
    indicator: IndicatorSection
    cells: list[str]


@dataclass(frozen=True)
class PolicyTable:
    """Policy indicators per budget year (Hengelo's "Beleidsindicatoren"): a column per
    year with the streefwaarde (or else the figure) each budget stated."""

    columns: list[YearColumn]
    rows: list[PolicyRow]


@dataclass
class ShownSection:
    kind: SectionKind
    heading: str
    texts: list[TextGroup] = field(default_factory=list)
    # Only for the policy indicators.
    table: PolicyTable | None = None

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def anchor(self) -> str:
        return self.kind.anchor

    @property
    def template(self) -> str:
        return self.kind.template

    @property
    def contents(self) -> str:
        return self.kind.contents


def _static(text) -> Callable[[object], str]:
    return lambda report: str(text)


def _changes_heading(report) -> str:
    if report.changes is None:
        return _("Wijzigingen")
    return _("Wijzigingen sinds %(name)s") % {"name": report.changes.previous.name}


def _money(test: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda report: report.money is not None and bool(test(report.money))


def _always(report) -> bool:
    return True


KINDS: tuple[SectionKind, ...] = (
    SectionKind(
        "summary",
        gettext_lazy("Samenvatting met kerncijfers"),
        _static(gettext_lazy("Samenvatting")),
        "reports/sections/summary.html",
        "samenvatting",
        _always,
        text_kinds=(TextKind.SUMMARY,),
    ),
    SectionKind(
        "ambition",
        gettext_lazy("Ambitie en doelen"),
        _static(gettext_lazy("Ambitie en strategische doelen")),
        "reports/sections/ambition.html",
        "ambitie",
        lambda report: bool(report.goals),
        text_kinds=(TextKind.AMBITION,),
    ),
    SectionKind(
        "goal_review",
        gettext_lazy("Terugblik per doel met maatregelen en projecten"),
        _static(gettext_lazy("Doelen en maatregelen")),
        "reports/sections/goal_review.html",
        "doelen",
        _always,
        text_kinds=(TextKind.LOOKING_BACK,),
        contents="reports/sections/goal_review_contents.html",
    ),
    SectionKind(
        "overview",
        gettext_lazy("Op-koerstabel (Waar staan we nu)"),
        _static(gettext_lazy("Waar staan we nu: op koers")),
        "reports/sections/overview.html",
        "op-koers",
        _always,
    ),
    SectionKind(
        "future",
        gettext_lazy("Betekenis voor de toekomst"),
        _static(TextKind.FUTURE.label),
        "reports/sections/texts.html",
        "toekomst",
        lambda report: True,
        text_kinds=(TextKind.FUTURE,),
    ),
    SectionKind(
        "goals_results",
        gettext_lazy("Doelen met behaalde resultaten"),
        _static(TextKind.WHAT_WE_WANTED.label),
        "reports/sections/texts.html",
        "doelen-resultaten",
        lambda report: True,
        text_kinds=(TextKind.WHAT_WE_WANT, TextKind.WHAT_WE_WANTED, TextKind.RESULTS),
        contents="reports/sections/texts_contents.html",
    ),
    SectionKind(
        "achieved",
        gettext_lazy("Wat hebben we bereikt"),
        _static(TextKind.WHAT_WE_ACHIEVED.label),
        "reports/sections/texts.html",
        "bereikt",
        lambda report: True,
        text_kinds=(TextKind.WHAT_WE_ACHIEVED,),
    ),
    SectionKind(
        "done",
        gettext_lazy("Wat hebben we gedaan"),
        _static(TextKind.WHAT_WE_DID.label),
        "reports/sections/texts.html",
        "gedaan",
        lambda report: True,
        text_kinds=(TextKind.WHAT_WE_DID,),
    ),
    SectionKind(
        "developments",
        gettext_lazy("Belangrijkste ontwikkelingen (per programmalijn)"),
        _static(TextKind.DEVELOPMENTS.label),
        "reports/sections/texts.html",
        "ontwikkelingen",
        lambda report: True,
        text_kinds=(TextKind.DEVELOPMENTS,),
        contents="reports/sections/texts_contents.html",
    ),
    SectionKind(
        "programme_lines",
        gettext_lazy("Programmalijnen met hun teksten"),
        _static(gettext_lazy("Programmalijnen")),
        "reports/sections/texts.html",
        "programmalijnen",
        lambda report: True,
        contents="reports/sections/texts_contents.html",
    ),
    SectionKind(
        "indicators",
        gettext_lazy("Indicatoren"),
        _static(gettext_lazy("Indicatoren")),
        "reports/sections/indicators.html",
        "indicatoren",
        lambda report: bool(report.chapter.indicators),
    ),
    SectionKind(
        "policy_indicators",
        gettext_lazy("Beleidsindicatoren per begrotingsjaar"),
        _static(gettext_lazy("Beleidsindicatoren")),
        "reports/sections/policy_indicators.html",
        "beleidsindicatoren",
        lambda report: bool(report.chapter.indicators),
    ),
    SectionKind(
        "bbv",
        gettext_lazy("Verplichte beleidsindicatoren (BBV)"),
        _static(gettext_lazy("Verplichte beleidsindicatoren (BBV)")),
        "reports/sections/bbv.html",
        "bbv",
        lambda report: bool(report.chapter.national),
    ),
    SectionKind(
        "action_points",
        gettext_lazy("Actiepunten met hun status (per thema)"),
        _static(gettext_lazy("Actiepunten")),
        "reports/sections/action_points.html",
        "actiepunten",
        lambda report: report.chapter.has_tree,
    ),
    SectionKind(
        "programme",
        gettext_lazy("Het hele programmahoofdstuk (teksten, actiepunten, indicatoren)"),
        _static(gettext_lazy("Programma: doelen, actiepunten en indicatoren")),
        "reports/sections/programme.html",
        "programma",
        lambda report: report.chapter.has_content,
        contents="reports/sections/programme_contents.html",
    ),
    SectionKind(
        "budget_boxes",
        gettext_lazy("Begroot vs Realisatie"),
        _static(gettext_lazy("Begroot vs Realisatie")),
        "reports/sections/budget_boxes.html",
        "begroot",
        _money(lambda money: money.boxes),
    ),
    SectionKind(
        "doelenboom",
        gettext_lazy("Doelenboom"),
        _static(gettext_lazy("Doelenboom")),
        "reports/sections/doelenboom.html",
        "doelenboom",
        _money(lambda money: money.doelenboom),
    ),
    SectionKind(
        "statement",
        gettext_lazy("Wat heeft het gekost?"),
        lambda report: report.money.title if report.money else _("Wat heeft het gekost?"),
        "reports/sections/statement.html",
        "kosten",
        _money(lambda money: money.statement),
    ),
    SectionKind(
        "products",
        gettext_lazy("Producten binnen het programma"),
        _static(gettext_lazy("Producten binnen het programma")),
        "reports/sections/products.html",
        "producten",
        _money(lambda money: money.products_lasten or money.product_statements),
    ),
    SectionKind(
        "result",
        gettext_lazy("Financieel resultaat met toelichtingen"),
        _static(gettext_lazy("Toelichting op het resultaat")),
        "reports/sections/result.html",
        "resultaat",
        _money(lambda money: True),
    ),
    SectionKind(
        "money",
        gettext_lazy("De hele financiële paragraaf"),
        _static(gettext_lazy("Financiën")),
        "reports/sections/money.html",
        "geld",
        _money(lambda money: True),
        contents="reports/sections/money_contents.html",
    ),
    SectionKind(
        "changes",
        gettext_lazy("Wijzigingen sinds het vorige rapportagemoment"),
        _changes_heading,
        "reports/sections/changes.html",
        "wijzigingen",
        lambda report: report.changes is not None,
    ),
)

BY_KEY = {kind.key: kind for kind in KINDS}

# The sequence of a report without a layout: the one reports always had.
DEFAULT_LAYOUT = (
    ("summary", ""),
    ("overview", ""),
    ("goal_review", ""),
    ("programme", ""),
    ("money", ""),
    ("changes", ""),
)

MAX_HEADING = 200


def layout_errors(value) -> list[str]:
    """What is wrong with a layout's sections (a list of [key, heading]), in Dutch; an
    empty list when nothing is."""
    shape = _(
        "Geef een lijst van [sleutel, kop]-paren in de volgorde van het rapport, zoals "
        '[["summary", "Samenvatting"], ["overview", "Waar staan we nu"]].'
    )
    if not isinstance(value, list) or not value:
        return [shape]
    errors = []
    seen = set()
    for position, item in enumerate(value, start=1):
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], str)
        ):
            return [shape]
        key, heading = item
        if key not in BY_KEY:
            errors.append(
                _("Onderdeel %(position)s: onbekende sleutel %(key)r; kies uit %(keys)s.")
                % {"position": position, "key": key, "keys": ", ".join(BY_KEY)}
            )
        elif key in seen:
            errors.append(
                _("Onderdeel %(position)s: %(key)r staat al eerder in het rapport.")
                % {"position": position, "key": key}
            )
        if len(heading) > MAX_HEADING:
            errors.append(
                _("Onderdeel %(position)s: de kop is langer dan %(max)s tekens.")
                % {"position": position, "max": MAX_HEADING}
            )
        seen.add(key)
    return errors


def shown_sections(report, layout: list | None) -> list[ShownSection]:
    """The sections `report` (a ReportData) shows, in order: those of `layout` (a valid
    ReportLayout.sections) or, without one, DEFAULT_LAYOUT; a section with nothing to
    show is left out. A heading may say {year}: the year of the period's reference date
    ("Wat zijn de belangrijkste nieuwe ontwikkelingen in {year}?")."""
    custom = layout is not None
    shown = []
    for key, heading in layout if custom else DEFAULT_LAYOUT:
        kind = BY_KEY.get(key)
        if kind is None or not kind.present(report):
            continue
        texts = text_groups(report.chapter, kind) if custom else []
        if kind.template == TEXTS_TEMPLATE and not texts:
            continue
        table = policy_table(report) if key == "policy_indicators" else None
        heading = heading.replace("{year}", str(report.period.reference_date.year))
        shown.append(ShownSection(kind, heading or kind.heading(report), texts, table))
    return shown


TEXTS_TEMPLATE = "reports/sections/texts.html"


def text_groups(chapter: Chapter, kind: SectionKind) -> list[TextGroup]:
    """The chapter's texts of the section's text kinds: the programme's own, then per goal
    (with the texts of its themes), then per theme under no goal. The programme lines
    section takes every text of the themes."""
    kinds = set(kind.text_kinds)
    lines_only = kind.key == "programme_lines"

    def chosen(texts: list[ShownText]) -> list[ShownText]:
        return [text for text in texts if lines_only or text.kind in kinds]

    groups = []
    if not lines_only:
        own = [text for text in chapter.texts if text.kind in kinds]
        if own:
            groups.append(TextGroup("", "", own))
    for goal in chapter.goals:
        if not lines_only:
            texts = chosen(goal.texts)
            if texts:
                groups.append(TextGroup(goal.title, f"{kind.anchor}-doel-{goal.goal.pk}", texts))
        for theme in goal.themes:
            texts = chosen(theme.texts)
            if texts:
                groups.append(
                    TextGroup(str(theme.theme), f"{kind.anchor}-thema-{theme.theme.pk}", texts)
                )
    for theme in chapter.themes:
        texts = chosen(theme.texts)
        if texts:
            groups.append(
                TextGroup(str(theme.theme), f"{kind.anchor}-thema-{theme.theme.pk}", texts)
            )
    return groups


def kind_label_heading(text: ShownText) -> bool:
    """Whether a text carries only its kind's name as heading (no heading of its own)."""
    return text.heading == str(TextKind(text.kind).label)


def policy_table(report) -> PolicyTable:
    """The programme's indicators by year: each year of the period's figures and of the
    indicator's series (indicators.figures.series, up to this period), the period's own
    figure where it has one (a composite's parts included), else the series' figure. The
    column says the period kind and year ("Begroting 2018")."""
    indicators = report.chapter.indicators
    by_indicator = []
    years: set[int] = set()
    for item in indicators:
        cells: dict[int, str] = {}
        if item.chart is not None:
            preferred = _preferred_row(item.chart.table)
            if preferred is not None:
                for year, text in zip(item.chart.columns, preferred.cells, strict=True):
                    if text:
                        cells[int(year)] = text
        for year in item.years:
            entry = _preferred_entry(item, year)
            if entry is not None:
                cells[year] = entry.text
        years.update(cells)
        by_indicator.append((item, cells))
    ordered = sorted(years)
    kind = report.period.get_kind_display()
    return PolicyTable(
        columns=[YearColumn(year, f"{kind} {year}") for year in ordered],
        rows=[
            PolicyRow(item, [cells.get(year, "–") for year in ordered])
            for item, cells in by_indicator
        ],
    )


def _preferred_row(rows):
    """The streefwaarde row of a chart's table, else its last (realisatie) row."""
    from indicators.chart import KIND_LABELS
    from indicators.models import ValueKind

    target = str(KIND_LABELS[ValueKind.TARGET])
    for row in rows:
        if row.label == target:
            return row
    return rows[-1] if rows else None


def _preferred_entry(item: IndicatorSection, year: int):
    from indicators.models import ValueKind

    for kind in (ValueKind.TARGET, ValueKind.ACTUAL, ValueKind.BASELINE):
        entry = item.reported.entry(year, kind)
        if entry is not None:
            return entry
    return None
