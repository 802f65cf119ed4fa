"""The demo's money (issue 11): products, figures in whole euros, statement layouts and
variance explanations of Venlo's Jaarverslag 2017 and Enschede's Jaarverslag 2018, and
Almelo's savings measures linked to the products whose lasten they lower.

measures.demo calls `load_period_money` in its walk of every demo period, after the
chapter and before the period closes; like the rest of the demo it runs only for a period
that is new. The figures are stored the way users store them (budgets.services), the
explanations written by an invoerder and approved by a controller (four eyes).

Every published figure comes out of these euros: the amounts of
../shared/reference/seed_euro_amounts.json where the seed's rounding needs them, whole
thousands elsewhere. Where the seeds print only totals, the split over products is the
demo's choice, made so that the totals, the doelenboom and the five explained variances
of Enschede's financial result all come out; the explanation texts are our own words.
"""

from decimal import Decimal
from importlib import import_module

from django.apps import apps as django_apps

from chapters.demo import set_goal, upsert, user
from chapters.models import Theme
from measures.models import Measure

from . import services
from .models import Product, StatementLayout, TaskField

VENLO_LAYOUT = {
    "title": "Wat heeft het gekost?",
    "saldo": "baten_min_lasten",
    "rows": [
        ["baten", "Baten"],
        ["lasten", "Lasten"],
        ["saldo", "Saldo baten en lasten"],
        ["onttrekking", "Onttrekkingen aan reserves (baten)"],
        ["storting", "Toevoegingen aan reserves (lasten)"],
        ["saldo_reserves", "Saldo verrekening met reserves"],
        ["resultaat", "Totaal resultaat collegeproduct: {name}"],
    ],
    "columns": [
        ["na_wijziging", "Begroting na wijziging {year}"],
        ["realisatie", "Rekening {year}"],
        ["percentage", "%"],
        ["verschil", "Verschil"],
    ],
    "show_product_boxes": True,
    # Venlo's financiële verordening as the demo sets it: 5% with a floor of € 15.000.
    "threshold_percent": Decimal("5"),
    "threshold_amount": 15_000,
}

ENSCHEDE_LAYOUT = {
    "title": "Wat heeft het gekost?",
    "saldo": "lasten_min_baten",
    "rows": [
        ["lasten", "Lasten"],
        ["baten", "Baten"],
        ["saldo", "Gerealiseerde saldo van baten en lasten"],
        ["storting", "Storting reserves"],
        ["onttrekking", "Onttrekking reserves"],
        ["saldo_reserves", "Gerealiseerde saldo van mutaties reserves"],
        ["resultaat", "Resultaat"],
    ],
    "columns": [
        ["primair", "Begroting (primair)"],
        ["na_wijziging", "Begroting (na wijziging)"],
        ["realisatie", "Realisatie"],
        ["verschil", "Saldo (- = nadeel)"],
    ],
    "show_product_boxes": False,
    # A fixed € 100.000, as the demo sets Enschede's verordening.
    "threshold_percent": None,
    "threshold_amount": 100_000,
}

# Venlo, collegeproducten of Sociaal domein: name, taakveld, (lasten begroot, realisatie),
# (baten begroot, realisatie) in euros. Sociale Wijkteams has the amounts of
# seed_euro_amounts.json (its table's rounding needs them); the others whole thousands.
VENLO_PRODUCTS = [
    ("Sociale Basisondersteuning", "6.1", (29_277_000, 26_771_000), (3_284_000, 3_473_000)),
    ("Beschermd wonen", "6.81", (43_521_000, 48_603_000), (2_000_000, 2_264_000)),
    ("Sociale Wijkteams", "6.2", (46_236_500, 66_877_000), (2_179_000, 2_039_501)),
    ("Gezondheid van burgers", "7.1", (6_631_000, 6_475_000), (606_000, 619_000)),
]

VENLO_EXPLANATIONS = [
    (
        "Sociale Wijkteams",
        ["Sociale Wijkteams"],
        -20_779_999,
        "De wijkteams zetten veel meer maatwerk in dan begroot: vooral jeugdhulp en "
        "begeleiding groeiden. De raad krijgt de volledige analyse in de paragraaf sociaal "
        "domein.",
    ),
    (
        "Beschermd wonen",
        ["Beschermd wonen"],
        -4_818_000,
        "Meer inwoners hadden een plek in beschermd wonen nodig en bleven er langer; de "
        "hogere eigen bijdragen dekken daar maar een klein deel van.",
    ),
    (
        "Sociale Basisondersteuning",
        ["Sociale Basisondersteuning"],
        2_695_000,
        "Subsidies voor basisvoorzieningen zijn lager vastgesteld dan begroot en een deel "
        "van de nieuwe activiteiten start pas in 2018.",
    ),
]

# Enschede, the doelenboom of Maatschappelijke ondersteuning: name, theme number (None:
# under doelstelling A as a whole, themes 1-3), taakveld, and per column the lasten and
# baten in euros (None: no baten). The realisatie is the doelenboom's, adding up exactly
# to the statement's 203.510.000 and 8.985.500; begroting primair and na wijziging are
# split over the products so that their totals and the five explained variances come out.
ENSCHEDE_PRODUCTS = [
    # name, theme, taakveld, lasten (primair, na wijziging, realisatie), baten (same)
    (
        "Algemene maatschappelijke voorziening",
        None,
        "6.1",
        (27_458_000, 27_458_000, 27_466_500),
        (251_000, 251_000, 251_000),
    ),
    (
        "Jeugdhulp gedwongen kader",
        "4",
        "6.82",
        (10_387_000, 10_387_000, 9_987_000),
        None,
    ),
    (
        "Jeugdhulp vrijwillig kader",
        "4",
        "6.72",
        (36_063_999, 37_428_000, 39_228_000),
        (79_000, 79_000, 79_000),
    ),
    (
        "Lichte ondersteuning en regie",
        "5",
        "6.2",
        (13_301_000, 13_301_000, 12_801_000),
        (927_000, 927_000, 1_227_000),
    ),
    ("Wmo begeleiding", "6", "6.71", (21_269_000, 21_269_000, 21_769_000), (700_000,) * 3),
    (
        "Wmo individuele voorzieningen",
        "6",
        "6.6",
        (21_836_002, 21_836_002, 22_872_000),
        (1_429_500, 1_622_501, 1_896_000),
    ),
    (
        "Beschermd wonen",
        "7",
        "6.81",
        (39_046_999, 51_046_999, 39_410_000),
        (1_865_500, 1_865_500, 3_365_500),
    ),
    (
        "Opvangvoorzieningen",
        "8",
        "6.81",
        (16_940_500, 16_940_500, 16_140_500),
        (772_000, 772_000, 772_000),
    ),
    (
        "Inkomensondersteuning",
        "9",
        "6.3",
        (14_336_000, 14_336_000, 13_836_000),
        (95_000, 95_000, 695_000),
    ),
]

# Reserve mutations per product: (category, product, (primair, na wijziging, realisatie)).
ENSCHEDE_RESERVES = [
    ("storting", "Beschermd wonen", (6_500, 14_000, 11_650_999)),
    ("onttrekking", "Jeugdhulp vrijwillig kader", (1_535_500, 2_000_000, 5_000_000)),
    ("onttrekking", "Wmo individuele voorzieningen", (None, 1_671_001, 2_633_500)),
]

# The five variances of the financial result (seed 003, "5,5 miljoen voordelig").
ENSCHEDE_EXPLANATIONS = [
    (
        "Centrumtaak WMO/Beschermd wonen",
        ["Beschermd wonen", "Opvangvoorzieningen"],
        2_300_000,
        "Als centrumgemeente gaven we minder uit aan beschermd wonen en opvang dan het "
        "bijgestelde budget; het overschot op beschermd wonen is in de reserve gestort.",
    ),
    (
        "Inkomensondersteuning",
        ["Inkomensondersteuning"],
        1_100_000,
        "Minder aanvragen voor bijzondere bijstand dan verwacht en meer terugontvangen bedragen.",
    ),
    (
        "Jeugdhulpzorg",
        ["Jeugdhulp gedwongen kader", "Jeugdhulp vrijwillig kader"],
        1_600_000,
        "Het saldo van het gedwongen en het vrijwillig kader: de bijsturing op de "
        "instroom in de jeugdhulp werkte sneller dan in de tussenrapportage voorzien.",
    ),
    (
        "Lichte ondersteuning en regie",
        ["Lichte ondersteuning en regie"],
        800_000,
        "Vacatures in de wijkteams zijn later ingevuld en de bijdrage van partners viel hoger uit.",
    ),
    (
        "WMO",
        ["Wmo begeleiding", "Wmo individuele voorzieningen"],
        -300_000,
        "Het saldo van begeleiding en individuele voorzieningen: meer inwoners met "
        "begeleiding, deels opgevangen doordat hulpmiddelen goedkoper werden ingekocht.",
    ),
]

ENSCHEDE_GOALS = {"A": 1, "B": 2}

# Almelo, Programma Zorg: products (our choice, after the seed's Wmo and Jeugd budgets)
# and the measures that lower their lasten, as the op-koers table numbers them ("MP2 1":
# measure 1 of Maatregelenplan 2; the replacing measure by its title).
ALMELO_PRODUCTS = [
    ("Wmo-maatwerkvoorzieningen", "6.6", ["MP2 1", "MP2 2", "MP2 3", "MP2 4", "MP2 5"]),
    ("Begeleiding en dagbesteding", "6.71", ["MP1 2", "MP2 6.1"]),
    ("Jeugdhulp", "6.72", ["MP1 4", "MP2 6.2", "MP2 7", "MP2 8"]),
    ("Toegang en wijkteams", "6.2", ["MP1 1", "MP1 3"]),
    ("Jeugdbescherming en -reclassering", "6.82", ["Gecertificeerde instellingen"]),
]


def layout(organisation, values: dict) -> StatementLayout:
    return upsert(StatementLayout, {"organisation": organisation}, values)


def product(programme, name: str, task_field: str, *, order: int, **place) -> Product:
    return upsert(
        Product,
        {"programme": programme, "name": name},
        {"task_field": TaskField.objects.get(code=task_field), "order": order, **place},
    )


def figure_rows(product_, year: int, category: str, columns: dict) -> list:
    return [
        services.FigureRow(
            product=product_, year=year, category=category, column=column, amount=amount
        )
        for column, amount in columns.items()
        if amount is not None
    ]


def explain(period, explanations, products: dict, *, writer, approver) -> None:
    for label, names, amount, text in explanations:
        services.save_explanation(
            period=period,
            user=writer,
            label=label,
            amount=amount,
            text=text,
            products=[products[name] for name in names],
        )
    services.submit_explanations(period=period, user=writer)
    ids = list(period.variance_explanations.values_list("pk", flat=True))
    services.approve_explanations(period=period, row_ids=ids, user=approver)


def load_venlo_2017(period) -> None:
    programme = period.programme
    controller, writer = user("venlo-controller"), user("venlo-invoerder")
    layout(programme.organisation, VENLO_LAYOUT)
    goal = set_goal(programme, 1)
    products, rows = {}, []
    for order, (name, task_field, lasten, baten) in enumerate(VENLO_PRODUCTS):
        products[name] = product(programme, name, task_field, order=order, goal=goal)
        for category, (budget, actual) in (("lasten", lasten), ("baten", baten)):
            rows += figure_rows(
                products[name], 2017, category, {"na_wijziging": budget, "realisatie": actual}
            )
    services.save_figures(period=period, user=controller, rows=rows)
    explain(period, VENLO_EXPLANATIONS, products, writer=writer, approver=controller)


def load_enschede_2018(period) -> None:
    programme = period.programme
    controller, writer = user("enschede-controller"), user("enschede-invoerder")
    layout(programme.organisation, ENSCHEDE_LAYOUT)
    goal_a = set_goal(programme, ENSCHEDE_GOALS["A"])
    products, rows = {}, []
    for order, (name, theme_number, task_field, lasten, baten) in enumerate(ENSCHEDE_PRODUCTS):
        place = (
            {"goal": goal_a, "theme": None}
            if theme_number is None
            else {"theme": Theme.objects.get(programme=programme, number=theme_number)}
        )
        products[name] = product(programme, name, task_field, order=order, **place)
        for category, amounts in (("lasten", lasten), ("baten", baten)):
            if amounts is not None:
                rows += figure_rows(
                    products[name], 2018, category, dict(zip(COLUMNS, amounts, strict=True))
                )
    for category, name, amounts in ENSCHEDE_RESERVES:
        rows += figure_rows(
            products[name], 2018, category, dict(zip(COLUMNS, amounts, strict=True))
        )
    services.save_figures(period=period, user=controller, rows=rows)
    explain(period, ENSCHEDE_EXPLANATIONS, products, writer=writer, approver=controller)


COLUMNS = ("primair", "na_wijziging", "realisatie")


def table_name(measure: Measure) -> str:
    """ "MP2 1" for measure 1 of Maatregelenplan 2; the title of a measure of no plan."""
    if measure.plan_id is None:
        return measure.title
    return f"MP{measure.plan.name.split()[-1]} {measure.number}"


def load_almelo_midterm_2020(period) -> None:
    programme = period.programme
    measures = {
        table_name(measure): measure
        for measure in Measure.objects.filter(programme=programme).select_related("plan")
    }
    for order, (name, task_field, numbers) in enumerate(ALMELO_PRODUCTS):
        linked = product(programme, name, task_field, order=order)
        linked.measures.set([measures[number] for number in numbers])


LOADERS = {
    ("0983", "Sociaal domein", "Jaarverslag 2017"): load_venlo_2017,
    ("0153", "Maatschappelijke ondersteuning", "Jaarverslag 2018"): load_enschede_2018,
    ("0141", "Programma Zorg", "Midterm review 2020"): load_almelo_midterm_2020,
}


def ensure_task_fields() -> None:
    """The taakvelden come with migration budgets/0002; a test that flushed the database
    loads the demo without them, so load them the same way (as chapters' demo does with
    the BBV set)."""
    if TaskField.objects.exists():
        return
    import_module("budgets.migrations.0002_iv3_task_fields").load(django_apps, None)


def load_period_money(period) -> None:
    """Fill the money of a demo period that was just opened (and not yet closed)."""
    programme = period.programme
    loader = LOADERS.get((programme.organisation.cbs_code, programme.name, period.name))
    if loader is not None:
        ensure_task_fields()
        loader(period)
