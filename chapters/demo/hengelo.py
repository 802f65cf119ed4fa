"""Hengelo: programme Welzijn en Zorg in the Begroting 2018 (seed 004), and the Begroting
2017 whose column of policy indicators the 2018 budget prints next to its own.

The programme lines "Thuis in de buurt" and "Maatwerk zorg" are themes directly under
the programme (the demo fixture also has them as goals 1 and 2). Each budget states its
indicator values as targets of its own year; the qualifiers are kept exactly as printed
("cijfers 2016", "2016", "Wmo voorziening")."""

from decimal import Decimal

from chapters.models import TextKind, Theme
from indicators.models import Direction, Indicator, ValueKind

from . import enter_value, indicator, text, theme, user, write_texts

LINES = ["Thuis in de buurt", "Maatwerk zorg"]

OWN_STRENGTH = "Samengestelde indicator ‘eigen kracht’. Door de Wmo-ondersteuning:"
OWN_STRENGTH_PARTS = [
    "kan ik beter dingen doen die ik wil",
    "kan ik me beter redden",
    "heb ik een betere kwaliteit van leven",
]
CLIENTS = "Aantal unieke cliënten die binnen een kalenderjaar een Wmo-voorziening hebben gehad"
SUPPORT = "Kengetal sociale steun onder 65 plussers"

# Per budget (period name, year): per indicator its value(s) and qualifier as printed.
VALUES = {
    "Begroting 2017": {
        OWN_STRENGTH: (["76", "80", "76"], "cijfers 2016"),
        CLIENTS: (["6626"], "2016"),
        SUPPORT: (["4301"], "Wmo voorziening"),
    },
    "Begroting 2018": {
        OWN_STRENGTH: (["76", "80", "76"], ""),
        CLIENTS: (["6626"], ""),
        SUPPORT: (["4301"], "Wmo voorziening"),
    },
}

DEVELOPMENTS = {
    "Thuis in de buurt": """\
Na nieuwe Rijksbezuinigingen op de Wmo in 2017 en 2018 moet Hengelo meer hulp bieden \
via algemene voorzieningen in de buurt in plaats van via maatwerk, met meer samenhang \
tussen het aanbod voor jeugd en volwassenen. Wijkracht werkt daarvoor aan een plan met \
zeven actielijnen en concrete resultaten voor 2018.

- De aanpak van gezondheidsachterstanden (GIDS) wordt geëvalueerd en waar nodig \
bijgesteld voor 2018-2020.
- Projecten voor een gezonde leefstijl, zoals het maatjesproject Samen Actief.
- De actieplannen mantelzorg en vrijwilligerswerk worden uitgevoerd, met Wijkracht als \
vraagbaak.
- De regeling "Lang zult u wonen" loopt door.
- Meer lichte, algemene dag- en vrijetijdsbesteding dicht bij huis.""",
    "Maatwerk zorg": """\
- De contracten voor OZL en OMD zijn voor 2018 verlengd; daarna volgt een aanbesteding \
samen met de inkoop van jeugdhulp.
- De huishoudelijke ondersteuning is opnieuw ingekocht; wassen en strijken valt sinds \
2018 onder de maatwerkvoorziening en wordt gevolgd.
- Extra capaciteit voor toezicht en handhaving in de Wmo.
- Onafhankelijke cliëntondersteuning wordt verder ontwikkeld, ook op de grens van Wmo \
en Wet langdurige zorg.
- Een pilot bereidt de overgang van beschermd wonen voor, samen met centrumgemeente \
Enschede.""",
}


def _indicators(programme, writer) -> dict[str, Indicator]:
    return {
        OWN_STRENGTH: indicator(
            programme,
            lookup={"name": OWN_STRENGTH},
            parts=OWN_STRENGTH_PARTS,
            unit="%",
            unit_after_value=True,
            direction=Direction.HIGHER,
            owner=writer,
            order=0,
        ),
        CLIENTS: indicator(
            programme, lookup={"name": CLIENTS}, unit="aantal", owner=writer, order=1
        ),
        SUPPORT: indicator(
            programme, lookup={"name": SUPPORT}, unit="aantal", owner=writer, order=2
        ),
    }


def _enter_budget_values(period, indicators: dict, writer) -> None:
    year = period.reference_date.year
    for name, (figures, qualifier) in VALUES[period.name].items():
        found = indicators[name]
        parts = list(found.parts.all()) or [None]
        for part, figure in zip(parts, figures, strict=True):
            enter_value(
                found,
                period,
                year=year,
                kind=ValueKind.TARGET,
                value=Decimal(figure),
                part=part,
                qualifier=qualifier,
                user=writer,
            )


def load_begroting_2017(period) -> None:
    programme = period.programme
    writer = user("hengelo-invoerder")
    for order, title in enumerate(LINES):
        theme(programme, title, order=order)
    _enter_budget_values(period, _indicators(programme, writer), writer)


def load_begroting_2018(period) -> None:
    programme = period.programme
    writer, approver = user("hengelo-invoerder"), user("hengelo-controller")
    _enter_budget_values(period, _indicators(programme, writer), writer)
    themes = {found.title: found for found in Theme.objects.filter(programme=programme)}
    write_texts(
        period,
        [
            (
                text(
                    programme, TextKind.DEVELOPMENTS, theme=themes[title], order=order, owner=writer
                ),
                body,
            )
            for order, (title, body) in enumerate(DEVELOPMENTS.items())
        ],
        writer=writer,
        approver=approver,
    )


LOADERS = {
    ("0164", "Welzijn en Zorg", "Begroting 2017"): load_begroting_2017,
    ("0164", "Welzijn en Zorg", "Begroting 2018"): load_begroting_2018,
}
