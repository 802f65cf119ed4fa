"""Venlo: product Sociale Wijkteams in the Jaarverslag 2017 (seed 002): what was achieved,
what was done for it (eleven headed sections) and the indicator on client satisfaction."""

from decimal import Decimal

from chapters.models import TextKind
from indicators.models import Direction, ValueKind

from . import enter_value, indicator, set_goal, text, user, write_texts

ACHIEVED = [
    "De sociale wijkteams geven vorm aan één integrale toegang tot zorg en ondersteuning.",
    "Venlo verzorgde de regionale toegang tot beschermd wonen en maatschappelijke opvang.",
    "Met maatschappelijke partners is een nieuw concept voor de maatschappelijke opvang "
    "ontwikkeld: maatschappelijke opvang 2.0.",
    "Na een evaluatie is de integrale toegang tot zorg en ondersteuning opnieuw ingericht.",
    "Bij vier aanbestedingen is de nieuwe methodiek van prestatiedenken gebruikt.",
    "Inwoners kregen maatwerkondersteuning en zorg onder de Wmo 2015 en de Jeugdwet, op "
    "basis van een leefzorgplan.",
]

# The eleven headed sections of "Wat hebben wij daarvoor gedaan?", in our own words.
DONE = [
    (
        "Zorg- en Veiligheidshuis (ZVH)",
        "De Regiovisie Bijzondere Doelgroepen 2017-2020 is in maart 2017 vastgesteld. Het "
        "ZVH werkt sinds 2017 gebiedsgericht en bouwde kennis op over radicalisering, "
        "verwarde personen en niet-uitzetbare vreemdelingen; de bestuurlijke aansturing "
        "eenvoudiger maken lukte nog niet.",
    ),
    (
        "Inkoop maatwerkvoorzieningen 2017 en 2018",
        "Met prestatiedenken vraagt de gemeente wat er bereikt moet worden en laat zij "
        "het hoe aan de aanbieder. Zo zijn ingekocht:\n\n"
        "- Algemeen Maatschappelijk Werk\n- Begeleiding Individueel (Wmo)\n"
        "- Maatwerkdiensten Jeugd\n- Beschermd Wonen en Beschermd Thuis",
    ),
    (
        "Hulpmiddelen",
        "Het indicatieprotocol voor hulpmiddelen is strenger gemaakt, en in oktober begon "
        "een pilot om efficiënter samen te werken met de leverancier.",
    ),
    (
        "Huishoudelijke hulp",
        "De uitvoeringsteams huishoudelijke hulp zijn in 2017 gestopt; ongeveer 800 "
        "inwoners gingen over naar de maatwerkvoorziening. Onder de regionale "
        "raamovereenkomst groeide het aantal aanbieders in Venlo van vier naar negen.",
    ),
    (
        "Uitvoeringsteams individuele ondersteuning",
        "De vier teams hielpen gemiddeld ruim 600 klanten per maand. Na een evaluatie "
        "stoppen ze per 1 januari 2018.",
    ),
    (
        "Logeren/ kortdurend verblijf als respijtzorg",
        "Met Zorgkantoor en zorgverzekeraar VGZ, huisartsen, ziekenhuis en aanbieders "
        "begon in 2017 een project om kwetsbare inwoners snel een tijdelijke plek te "
        "geven, te beginnen met het eerstelijnsverblijf; een app gaat laten zien waar "
        "een bed vrij is.",
    ),
    (
        "Maatschappelijke Opvang",
        "Met de regiogemeenten en zorginstellingen is gewerkt aan een nieuwe aanpak van "
        "de maatschappelijke opvang in Noord-Limburg, en de versnipperde toegang is "
        "verbeterd.",
    ),
    (
        "Vrouwenopvang",
        "De Mutsaersstichting verzorgde de vrouwenopvang voor de regio, met 18 bedden. "
        "Het alarmsysteem Aware werd in 2017 door 39 personen gebruikt.",
    ),
    (
        "Toezicht en handhaving in de Wmo",
        "De 7 gemeenten in Noord-Limburg hebben samen een toezichthouder Wmo, die ook "
        "toezicht houdt op beschermd wonen. Aanbieders deden 7 meldingen, en er waren "
        "twee risicogestuurde onderzoeken.",
    ),
    (
        "Maatwerkvoorzieningen jeugd",
        "De keten rond jeugdigen is sluitender gemaakt, met huisartsen en gecertificeerde "
        "instellingen, en de maatwerkdiensten jeugd zijn met prestatiedenken "
        "aanbesteed. De toegang tot crisishulp wordt in 2018 verder ingericht.",
    ),
    (
        "Veilig Thuis",
        "Veilig Thuis nam 7.440 nieuwe casussen op, 1.966 uit Venlo, en deed in 109 "
        "daarvan onderzoek. Het trainde 550 professionals uit de regio.",
    ),
]

INDICATOR_NOTE = (
    "De Stadspeiling mat deze indicator tot en met 2016 niet en kan dat ook niet. Het "
    "cliëntervaringsonderzoek Wmo (CEO WMO) meet iets vergelijkbaars: in 2017 gaven "
    "Wmo-cliënten de kwaliteit van de ondersteuning gemiddeld een 7,4."
)
# Seed 002 prints three values of 7,00 under six columns (JR 2016, JR 2017, 2017-2020)
# and the text does not show which columns they fill. The note says the indicator was
# not measured up to 2016, so there is no realisation: we read them as the targets of
# 2017, 2018 and 2019 (as reference/seed_tables_more.json suggests: "probably targets").
TARGET_YEARS = (2017, 2018, 2019)


def load_jaarverslag_2017(period) -> None:
    programme = period.programme
    writer, approver = user("venlo-invoerder"), user("venlo-controller")
    goal = set_goal(programme, 1)
    writings = [
        (
            text(programme, TextKind.WHAT_WE_ACHIEVED, goal=goal, order=0, owner=writer),
            "\n".join(f"- {bullet}" for bullet in ACHIEVED),
        )
    ]
    for order, (heading, body) in enumerate(DONE, start=1):
        place = text(
            programme,
            TextKind.WHAT_WE_DID,
            goal=goal,
            order=order,
            owner=writer,
            heading=heading,
        )
        writings.append((place, body))
    write_texts(period, writings, writer=writer, approver=approver)

    satisfaction = indicator(
        programme,
        lookup={"name": "Klanttevredenheid ten aanzien van de maatwerkondersteuning"},
        goal=goal,
        unit="rapportcijfer",
        decimals=2,
        direction=Direction.HIGHER,
        source="Stadspeiling",
        note=INDICATOR_NOTE,
        owner=writer,
    )
    for year in TARGET_YEARS:
        enter_value(
            satisfaction,
            period,
            year=year,
            kind=ValueKind.TARGET,
            value=Decimal("7.00"),
            user=writer,
        )


LOADERS = {("0983", "Sociaal domein", "Jaarverslag 2017"): load_jaarverslag_2017}
