"""Enschede: programme Maatschappelijke ondersteuning in the Tussenrapportage 2018 and the
Jaarverslag 2018 (seed 003): doelstellingen A and B with nine themes, nine indicators and
the seven mandatory BBV indicators, and 29 numbered action points (plus 7 sub-items) with
a status at both moments.

The seed's status icons were lost when its text was extracted, so the statuses here are
chosen for the demo: plausible from the seed's "Ad N" explanations (behind where it says
a task was not met, a neutral change where an action moved to 2019 or was dropped,
"conform verwachting" elsewhere). The demo says so in a text of the programme
(STATUS_NOTE) and in `load_demo --help`.
"""

from decimal import Decimal
from importlib import import_module

from chapters.models import ActionPoint, TextKind, Theme
from indicators.models import Direction, Indicator, NationalIndicator, ValueKind
from measures.models import StatusLevel

from . import (
    action_point,
    enter_value,
    indicator,
    report_statuses,
    set_goal,
    text,
    theme,
    user,
    write_texts,
)

THEMES = {
    # number: (doelstelling, title as the seed prints it)
    "1": ("A", "Bevorderen gezondheid en actieve sportdeelname."),
    "2": ("A", "Aanbieden van algemene voorzieningen."),
    "3": ("A", "Jongerenwerk en opvoedondersteuning"),
    "4": ("B", "Jeugdhulp (ondersteuning jeugd en gezin)"),
    "5": ("B", "Ondersteuning cliënten en mantelzorgers"),
    "6": ("B", "WMO-maatwerkvoorzieningen"),
    "7": ("B", "Woonbegeleiding"),
    "8": ("B", "Maatschappelijke en vrouwenopvang"),
    "9": ("B", "Inkomensondersteuning"),
}

NOT_APPLICABLE = "Een foutmarge is bij deze indicator niet van toepassing."
DISCONTINUED = "Gemeentebegroting 2019-2022"
# number: (name, theme, direction, margin note, discontinued, explanation in our words)
INDICATORS = {
    "1": (
        "Percentage jeugd van 6 tot en met 15 jaar dat een sport beoefent",
        "1",
        Direction.HIGHER,
        "Foutmarge 3,8% naar boven en beneden, bij een betrouwbaarheid van 95%.",
        True,
        "Net als in 2017 is de ambitie gehaald. De deelname schommelt tussen 89% en 95%, "
        "deels door de foutmarge van de Stadspeiling 2018.",
    ),
    "2": (
        "Percentage inwoners van 23 jaar of jonger dat geen gebruik maakt van een "
        "tweedelijns jeugdhulpvoorziening",
        "3",
        Direction.HIGHER,
        NOT_APPLICABLE,
        False,
        "Het gebruik van tweedelijns jeugdhulp nam toe; de ambitie uit 2014 is niet gehaald.",
    ),
    "3": (
        "Percentage cliënten dat het effect van jeugdhulpdienst(en) als voldoende scoort",
        "3",
        Direction.HIGHER,
        "",
        True,
        "Gemeten in de landelijke pilot van Stichting Alexander; de respons was laag (14% "
        "van 1441 vragenlijsten). 72% kan beter voor zichzelf opkomen, 83% doet het beter "
        "op school, werk of dagbesteding.",
    ),
    "4": (
        "Percentage unieke cliënten dat na één jaar niet opnieuw instroomt in 2e lijns Jeugdhulp",
        "3",
        Direction.HIGHER,
        NOT_APPLICABLE,
        False,
        "Anders dan de ambitie nam dit iets af, net als landelijk.",
    ),
    "5": (
        "De mate waarin een Wmo-maatwerkvoorziening volgens de cliënt bijdraagt aan de "
        "versterking van de zelfredzaamheid en participatie",
        "2",
        Direction.HIGHER,
        "",
        False,
        "Uit het cliëntervaringsonderzoek over 2017: 79% van de cliënten redt zich beter "
        "door de ondersteuning.",
    ),
    "6": (
        "Percentage inwoners dat geen gebruik maakt van een Wmo-maatwerkvoorziening",
        "2",
        Direction.HIGHER,
        NOT_APPLICABLE,
        False,
        "Minder inwoners gebruiken een Wmo-maatwerkvoorziening.",
    ),
    "7": (
        "Percentage 75+ dat aangeeft in een sociaal isolement te raken zonder deelname aan "
        "een door de gemeente gesubsidieerde voorziening",
        "2",
        Direction.LOWER,
        NOT_APPLICABLE,
        True,
        "Geen score voor 2017 en 2018: te weinig 75-plussers in het panel van de Stadspeiling.",
    ),
    "8": (
        "Het aantal overlastmeldingen bij de politie van cliënten in Beschermd wonen",
        "7",
        Direction.LOWER,
        NOT_APPLICABLE,
        False,
        "De Monitor Opvang & Beschermd wonen over 2017 bevat geen overlastmeldingen.",
    ),
    "9": (
        "Het percentage unieke inwoners dat gebruik maakt van bijzondere bijstand",
        "9",
        Direction.NONE,
        NOT_APPLICABLE,
        False,
        "Stabiel ten opzichte van 2017.",
    ),
}
UNITS = {"8": "aantal"}

# The scores of the mandatory BBV indicators, realisatie 2018, as printed.
BBV_SCORES = {
    20: "47.7",
    22: "1.17",
    23: "11.58",
    29: "9.2",
    30: "1.9",
    31: "0.8",
    32: "730",
}

# number: (theme, title); the titles are the seed's, shortened where it opens with a
# sentence rather than a name.
ACTION_POINTS = [
    ("1", "1", "Zwembadvisie, fase 1: programma van eisen"),
    ("2", "1", "Pilot sportcluster Diekman"),
    ("3", "1", "Exploitatiesubsidie IJsbaan Twente"),
    ("4", "2", "Van maatwerk naar algemene voorzieningen"),
    ("5", "2", "Wijkwelzijn"),
    ("5a", "2", "Inventarisatie van gemeentelijke middelen in de wijk"),
    ("5b", "2", "Monitoring van resultaten en effect van wijkwelzijn"),
    ("6", "2", "Personen die verward gedrag vertonen"),
    ("7", "3", "Jongerenwerk en opvoedondersteuning"),
    ("8", "4", "Wijkteams en voorliggend"),
    ("9", "4", "Sturing op verwijzers"),
    ("10", "4", "Sturen op aanbieders"),
    ("11", "4", "Beleidsaanpassingen Jeugdhulp"),
    ("11a", "4", "Jeugd-GGZ vanaf 18 jaar uit de Zorgverzekeringswet"),
    ("11b", "4", "Onderwijs-zorgarrangementen"),
    ("11c", "4", "Social Impact Bond jongvolwassenen"),
    ("12", "4", "Inkoop jeugdhulp"),
    ("13", "4", "OZJT"),
    ("14", "4", "Aanvullende niet-wettelijke subsidies GGD op het preventieve veld"),
    ("15", "4", "Verbonden partij: Regio Twente, onderdelen GGD en OZJT"),
    ("16", "5", "Actieplan Mantelzorg"),
    ("17", "6", "Inzet vernieuwing maatschappelijke ondersteuning"),
    ("18", "6", "Landelijke werkagenda Menzis"),
    ("19", "6", "Maatwerkvoorzieningen Olz, Omd en kortdurend verblijf"),
    ("20", "7", "Scheiden wonen en zorg"),
    ("20a", "7", "Nieuwe woonvormen voor jongeren en jongvolwassenen"),
    ("20b", "7", "Stap naar zelfstandig wonen voor cliënten beschermd wonen"),
    ("21", "7", "Gedragscode Beschermd Wonen Twente"),
    ("22", "7", "Beschermd wonen in de verslavingszorg"),
    ("23", "7", "Toekomst maatschappelijke opvang en beschermd wonen"),
    ("24", "8", "KamerRaad"),
    ("25", "8", "Opvang daklozen"),
    ("26", "8", "Bed-bad-brood"),
    ("27", "9", "Armoedebeleid"),
    ("28", "9", "Versoberen collectieve ziektekostenverzekering Minima (CZM)"),
    ("30", "9", "Sturen op kosten Stadsbank"),
]

BEHIND_FAILING = "Loopt achter, bijsturing heeft onvoldoende effect"
BEHIND = "Loopt achter, bijsturing mogelijk"
AS_EXPECTED = "Conform verwachting"
NEUTRAL = "Neutrale wijziging"

# Statuses chosen for the demo (module docstring); the rest is "conform verwachting".
# Mid-year: what was already behind.
MIDYEAR = {
    "4": (BEHIND, "De gebiedstafels per stadsdeel komen langzamer op gang dan gepland."),
    "5a": (BEHIND, "Wacht op de voortgang van actiepunt 4."),
    "8": (BEHIND, "De taakstelling die aan deze actie hangt, is nog niet binnen."),
    "10": (BEHIND, "De taakstelling die aan deze actie hangt, is nog niet binnen."),
    "11a": (BEHIND, "De taakstelling die aan deze actie hangt, is nog niet binnen."),
    "13": (BEHIND, "De herijking loopt vertraging op door de inkoop 2019 van OZJT."),
}
AD_8_10_11A = (
    BEHIND,
    "De acties zijn uitgevoerd, maar de bijbehorende taakstelling is nog niet helemaal "
    "gehaald; het effect komt later. De totale jeugdzorgkosten bewegen, anders dan "
    "landelijk, al de goede kant op.",
)
# At 31-12-2018, with the seed's "Ad N" explanations in our own words.
YEAR_END = {
    "2": (
        BEHIND,
        "Niet alle partijen hebben al besloten mee te doen; dat besluit volgt "
        "in het eerste kwartaal van 2019 en staat ook in de GB2019.",
    ),
    "4": (
        BEHIND_FAILING,
        "De trajecten van de gebiedstafels zijn gestart, maar het "
        "opbouwen kost veel tijd, dus het rendement komt later: de taakstelling is niet "
        "gehaald.",
    ),
    "5a": (
        NEUTRAL,
        "Hangt samen met actiepunt 4 en schuift daarom door naar 2019 (opgenomen in de GB2019).",
    ),
    "8": AD_8_10_11A,
    "9": (
        BEHIND,
        "De proef met een praktijkondersteuner jeugd bij huisartsen leidde tot "
        "minder verwijzingen naar de tweede lijn; een voorstel om dit uit te breiden is "
        "in de maak. De taakstelling is niet helemaal gehaald.",
    ),
    "10": AD_8_10_11A,
    "11a": AD_8_10_11A,
    "11c": (NEUTRAL, "De oriëntatie wees uit dat de Social Impact Bond nu niet haalbaar is."),
    "13": (
        BEHIND_FAILING,
        "Vertraagd, mede door de intensieve aanbesteding voor de inkoop "
        "2019 van OZJT; voorstellen voor een deel liggen er, maar zijn niet "
        "definitief.",
    ),
    "20": (
        BEHIND,
        "De woonvorm voor twintig jongeren is er nog niet; eerst loopt een "
        "kleinschalige proef in Zuid waar studenten en jongeren met een zorgvraag "
        "samenwonen.",
    ),
    "22": (
        NEUTRAL,
        "Met het oog op de decentralisatie schuift de realisatie door naar "
        "2019 (opgenomen in de GB2019).",
    ),
    "27": (
        AS_EXPECTED,
        "Gerapporteerd met de monitor van de instrumenten van het "
        "armoedebeleid 2015-2017: gebruik en bereik van de regelingen.",
    ),
}

VERBONDEN_PARTIJEN = [
    # after theme, party, its contribution in our own words
    (
        "1",
        "Sportaal B.V.",
        "Sportaal voert het sportbeleid uit de Sportnota 2015-2018 "
        "uit: sportstimulering, en exploitatie en onderhoud van de sportaccommodaties.",
    ),
    (
        "4",
        "Regio Twente, onderdelen GGD en OZJT",
        "De GGD zorgt dat kinderen gezond "
        "opgroeien en voorkomt en beheerst infectieziekten.\n\n"
        "OZJT regelt tweedelijns ondersteuning onder de Jeugdwet en de Wmo, en het "
        "regionale meldpunt kindermishandeling en huiselijk geweld.",
    ),
    (
        "9",
        "Stadsbank Oost Nederland",
        "De Stadsbank voert de gemeentelijke "
        "schuldhulpverlening uit (Wet gemeentelijke schuldhulpverlening).",
    ),
]

STATUS_NOTE = (
    "De statussen van de actiepunten in deze demo zijn gekozen, niet overgenomen: in de "
    "bron (Jaarverslag 2018) zijn de statusiconen verloren gegaan. Ze passen bij de "
    "toelichtingen bij de actiepunten."
)


def ensure_national_set() -> None:
    """The BBV set comes with migration indicators/0002; a test that flushed the
    database loads the demo without it, so load it the same way."""
    if NationalIndicator.objects.exists():
        return
    # The migration's own list, written through the live model: its history rows then
    # name the user the demo writes as, like every other row of the demo.
    migration = import_module("indicators.migrations.0002_national_bbv_set")
    for number, field, name, unit, source, decimals, direction in migration.BBV_SET:
        NationalIndicator.objects.create(
            number=number,
            valid_from=migration.VALID_FROM,
            policy_field=field,
            name=name,
            unit=unit,
            source=source,
            decimals=decimals,
            direction=direction,
        )


def _chosen(programme, points: dict, table: dict, *, only_listed: bool = False) -> list:
    """(action point, level, explanation) for each point: from `table`, else "conform
    verwachting" without explanation; with `only_listed`, only the points in `table`."""
    levels = {
        level.label: level for level in StatusLevel.objects.filter(scale=programme.status_scale)
    }
    out = []
    for number, point in points.items():
        if only_listed and number not in table:
            continue
        label, explanation = table.get(number, (AS_EXPECTED, ""))
        out.append((point, levels[label], explanation))
    return out


def load_tussenrapportage_2018(period) -> None:
    programme = period.programme
    writer, approver = user("enschede-invoerder"), user("enschede-controller")
    goals = {"A": set_goal(programme, 1, code="A"), "B": set_goal(programme, 2, code="B")}
    themes = {
        number: theme(programme, title, number=number, goal=goals[code], order=int(number))
        for number, (code, title) in THEMES.items()
    }
    for order, (number, (name, in_theme, direction, margin, dropped, note)) in enumerate(
        INDICATORS.items()
    ):
        indicator(
            programme,
            lookup={"number": number, "national": None},
            name=name,
            theme=themes[in_theme],
            unit=UNITS.get(number, "%"),
            direction=direction,
            margin_note=margin,
            note=note,
            # Still reported in 2018; the seed says it is dropped from the next budget on.
            is_discontinued=False,
            discontinued_note=DISCONTINUED if dropped else "",
            owner=writer,
            order=order,
        )
    ensure_national_set()
    for order, number in enumerate(BBV_SCORES, start=len(INDICATORS)):
        national = NationalIndicator.objects.filter(number=number, valid_from__lte=2018).latest(
            "valid_from"
        )
        indicator(
            programme,
            lookup={"national": national},
            number=str(number),
            decimals=national.decimals,
            direction=national.direction,
            owner=writer,
            order=order,
        )
    points = {}
    for order, (number, in_theme, title) in enumerate(ACTION_POINTS):
        points[number] = action_point(
            programme,
            number=number,
            title=title,
            order=order,
            theme=themes[in_theme],
            owner=writer,
        )
    report_statuses(period, _chosen(programme, points, MIDYEAR), approver=approver)
    note = text(
        programme, TextKind.OTHER, order=0, owner=writer, heading="Over de statussen in deze demo"
    )
    write_texts(period, [(note, STATUS_NOTE)], writer=writer, approver=approver)


def load_jaarverslag_2018(period) -> None:
    programme = period.programme
    writer, approver = user("enschede-invoerder"), user("enschede-controller")
    # Opening the period carried every status over, approved as it was mid-year; only
    # the ones that changed (or got an explanation) are reported anew and approved.
    points = {point.number: point for point in ActionPoint.objects.filter(programme=programme)}
    report_statuses(
        period, _chosen(programme, points, YEAR_END, only_listed=True), approver=approver
    )
    for indicator_ in Indicator.objects.filter(programme=programme, national__isnull=False):
        enter_value(
            indicator_,
            period,
            year=2018,
            kind=ValueKind.ACTUAL,
            value=Decimal(BBV_SCORES[indicator_.national.number]),
            user=writer,
        )
    themes = {found.number: found for found in Theme.objects.filter(programme=programme)}
    write_texts(
        period,
        [
            (
                text(
                    programme,
                    TextKind.ASSOCIATED_PARTIES,
                    theme=themes[number],
                    order=int(number),
                    owner=writer,
                    heading=f"Bijdrage verbonden partij: {party}",
                ),
                body,
            )
            for number, party, body in VERBONDEN_PARTIJEN
        ],
        writer=writer,
        approver=approver,
    )


LOADERS = {
    ("0153", "Maatschappelijke ondersteuning", "Tussenrapportage 2018"): load_tussenrapportage_2018,
    ("0153", "Maatschappelijke ondersteuning", "Jaarverslag 2018"): load_jaarverslag_2018,
}
