"""The columns of a measures spreadsheet, shared by the template, the measures export and
the import, so that what goes out is exactly what comes back in.

A sheet has a few free lines (a title, the unit), a header row, then one row per
measure. Headers are matched loosely (case, spaces, a trailing colon or asterisk), and a
few names controllers already use are accepted: "Omschrijving" for the title, as in the
Almelo table, "Nr" for the number.
"""

import re
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from measures.constants import MAX_YEAR, MIN_YEAR


class Field(StrEnum):
    PLAN = "plan"
    DECISION = "decision"
    NUMBER = "number"
    TITLE = "title"
    DOMAIN = "domain"
    STATUS = "status"
    EXPLANATION = "explanation"
    OWNER = "owner"


# The header each field gets in the template and the export, in this order, with the
# year columns between DOMAIN and STATUS.
HEADERS = {
    Field.PLAN: _("Maatregelenplan"),
    Field.DECISION: _("Besluitnummer"),
    Field.NUMBER: _("Volgnr"),
    Field.TITLE: _("Titel"),
    Field.DOMAIN: _("Beleidsterrein"),
    Field.STATUS: _("Op koers"),
    Field.EXPLANATION: _("Toelichting"),
    Field.OWNER: _("Eigenaar"),
}
FIELDS_BEFORE_YEARS = [Field.PLAN, Field.DECISION, Field.NUMBER, Field.TITLE, Field.DOMAIN]
FIELDS_AFTER_YEARS = [Field.STATUS, Field.EXPLANATION, Field.OWNER]
REQUIRED = [Field.PLAN, Field.NUMBER, Field.TITLE]
# Fields that belong to a reporting period: read only when the import names one.
PERIOD_FIELDS = [Field.STATUS, Field.EXPLANATION]

# Columns only the measures export has: what a period's approved assessment says about a
# measure besides its status and explanation. They change only through an update that a
# controller approves (four eyes), so an import reads past them and says so once.
EXPORT_TEXTS = {
    "cause": _("Oorzaak"),
    "consequence": _("Gevolg"),
    "corrective_action": _("Bijsturing"),
}
VOLUME_UNIT_HEADER = _("Eenheid volume")
# Per year: the header of each figure, "Prognose 2021" and so on.
EXPORT_FIGURES = {
    "forecast": _("Prognose %(year)s"),
    "realised": _("Realisatie hard %(year)s"),
    "realised_soft": _("Realisatie zacht %(year)s"),
    "volume_planned": _("Volume gepland %(year)s"),
    "volume_realised": _("Volume gerealiseerd %(year)s"),
}
# The realisation where a programme does not split it in hard and soft.
REALISED_HEADER = _("Realisatie %(year)s")


def is_export_only(header) -> bool:
    """Whether a header names one of the export's columns that an import leaves alone."""
    name = normalise(header)
    texts = [*EXPORT_TEXTS.values(), VOLUME_UNIT_HEADER]
    if any(name == normalise(text) for text in texts):
        return True
    return any(
        re.fullmatch(
            re.escape(normalise(pattern % {"year": "0000"})).replace("0000", r"\d{4}"), name
        )
        for pattern in [*EXPORT_FIGURES.values(), REALISED_HEADER]
    )


# Other names controllers use for the same columns (already normalised, see `normalise`).
ALIASES = {
    Field.PLAN: ["plan"],
    Field.DECISION: ["besluit", "besluitnr"],
    Field.NUMBER: ["volgnummer", "nr", "nummer"],
    Field.TITLE: ["omschrijving", "maatregel", "naam"],
    Field.DOMAIN: ["domein"],
    Field.STATUS: ["status"],
    Field.EXPLANATION: [],
    Field.OWNER: ["eigenaar (gebruikersnaam)", "gebruikersnaam eigenaar"],
}

MAX_LENGTHS = {
    Field.PLAN: 200,
    Field.DECISION: 50,
    Field.NUMBER: 20,
    Field.TITLE: 300,
    Field.DOMAIN: 50,
    Field.STATUS: 100,
    Field.EXPLANATION: 5000,
    Field.OWNER: 150,
}


class Unit(StrEnum):
    """What the amounts of a sheet are in; stated on the sheet, never guessed from numbers."""

    EUROS = "euro"
    THOUSANDS = "duizend"

    @property
    def factor(self) -> int:
        return 1000 if self is Unit.THOUSANDS else 1


# The label of the unit line and the values the template offers for it.
UNIT_LABEL = _("Eenheid bedragen")
UNIT_CHOICES = {Unit.THOUSANDS: "x € 1.000", Unit.EUROS: "euro"}

# "x € 1.000", "x EUR 1.000", "x 1000", "bedragen x € 1.000", "in duizenden euro's".
THOUSANDS_STATEMENT = re.compile(r"x\s*(€|eur|euro)?\s*1[.,]?000(?![.,]?\d)|duizend", re.IGNORECASE)
# "euro", "in euro's", "hele euro's", "x € 1", "€".
EUROS_STATEMENT = re.compile(r"^(€|eur|euro|euro's|hele euro's|x\s*€\s*1)$|\bin (hele )?euro", re.I)


def normalise(header) -> str:
    """A header as compared: lower case, single spaces, no trailing colon or asterisk."""
    text = re.sub(r"\s+", " ", str(header)).strip().lower()
    return text.rstrip(":*").strip()


def field_for(header) -> Field | None:
    name = normalise(header)
    for field in Field:
        if name == normalise(HEADERS[field]) or name in ALIASES[field]:
            return field
    return None


def year_in(header) -> int | None:
    """The year a header names (2019, "2019", 2019.0), whether or not it is a plausible one."""
    if isinstance(header, float) and header.is_integer():
        header = int(header)
    if isinstance(header, str) and re.fullmatch(r"\s*[0-9]{4}\s*", header):
        header = int(header)
    if isinstance(header, int) and not isinstance(header, bool) and 1000 <= header <= 9999:
        return header
    return None


def is_plausible_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def unit_in(text: str) -> Unit | None:
    """The unit a line of text states, or None when it states none (or both)."""
    thousands = bool(THOUSANDS_STATEMENT.search(text))
    euros = bool(EUROS_STATEMENT.search(text.strip()))
    if thousands == euros:
        return None
    return Unit.THOUSANDS if thousands else Unit.EUROS
