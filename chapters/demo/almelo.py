"""Almelo: the Jaarverantwoording 2018 of the hoofdopgave Zorg (seed 000) and the
Midterm review 2020 of Programma Zorg (seed 001). Almelo reports its indicators at the
jaarverantwoording, says seed 001, so the midterm review has none."""

from chapters.models import ActionPointKind, TextKind
from measures.models import Measure

from . import action_point, set_goal, text, user, write_texts

PROGRAMME_2018 = "Hoofdopgave Zorg"
PROGRAMME_2020 = "Programma Zorg"

WANTED_2018 = """\
Almelo wil dat inwoners die zorg of ondersteuning nodig hebben die ook passend krijgen, \
en vernieuwt daarvoor de zorg: problemen vroeg zien en aanpakken, en waar het kan een \
lichtere vorm van hulp inzetten dan een dure. Dat is beter voor de inwoner en goedkoper \
voor de gemeente.

- Integraal en multidisciplinair werken, met ontschotte middelen.
- De problemen van huishoudens met meervoudige problematiek beheersbaar houden.
- Met preventie voorkomen dat inwoners dure zorg nodig hebben."""

# Per goal (number, short title): the results of 2018 as bullets (6, 2 and 6).
RESULTS_2018 = [
    (
        1,
        "Multidisciplinair en integraal werken",
        [
            "Extra formatie heeft de wachtlijst en de werkdruk bij het wijkteam verlaagd; "
            "de wijkcoaches zijn per 1 januari 2019 binnen de gemeente geplaatst. De "
            "kosten van maatwerk stegen daardoor.",
            "De raad kreeg in december 2018 een raadsbrief over de financiële prognose "
            "2018 van Wmo en Jeugd (Raad 5187).",
            "Sinds september 2018 lopen pilots met integrale dienstverlening in de "
            "Windmolenbroek en het Nieuwstraatkwartier, met inlooppunten voor de toegang "
            "en schuldhulp in het team; de evaluatie volgt in het voorjaar van 2019.",
            "Meer huisartspraktijken werken met een wijkcoach Jeugd als POH; nog 5 "
            "praktijken doen niet mee. In 55% van de gevallen helpt de wijkcoach-POH de "
            "patiënt zelf of via een voorliggende voorziening.",
            "Wmo en Jeugd zijn lokaal ingekocht op prijs maal volume, met eigen "
            "voorwaarden; het aantal gecontracteerde aanbieders daalde van 260 naar 160.",
            "In de pilot integrale aanpak jongeren begeleiden scholen (VSO en "
            "praktijkonderwijs), ouders en gemeentelijke disciplines jongeren samen en "
            "langdurig, om zware maatwerkvoorzieningen te voorkomen.",
        ],
    ),
    (
        2,
        "Meervoudige problematiek beheersbaar houden",
        [
            "Een MPG-team van 6 fte begeleidt gemiddeld 35 gezinnen. In de eerste 5 "
            "maanden voorkwam het onder meer 13 uitzettingen of afsluitingen, 14 crises "
            "en 3 uithuisplaatsingen, en hielp het 10 mensen van de bijstand naar werk "
            "(65.000 euro minder uitkeringen).",
            "Voor 2019-2021 is een project voorbereid om 375 multiprobleemhuishoudens met "
            "de doorbraakmethode te benaderen, met een risicodragende financier en het "
            "Instituut voor Publieke Waarden.",
        ],
    ),
    (
        3,
        "Via preventie voorkomen dat mensen gebruik maken van dure zorg",
        [
            "De werkgroep Kom Erbij organiseerde de week tegen eenzaamheid en maakt een "
            "beleids- en activiteitenplan tegen eenzaamheid.",
            "Er is gewerkt aan een algemene voorziening voor dagstructurering.",
            "De vier betrokken zorgaanbieders stelden het projectplan Integrale "
            "Ketenaanpak Maatschappelijke Opvang regio Almelo op; het loopt van september "
            "2018 tot september 2020.",
            "Met de partners in de geboorteketen is Kansrijke Start begonnen, als deel "
            "van het plan Het Jonge Kind.",
            "Met beide woningcorporaties is gestart met het vroeg signaleren van schulden "
            "(Vroeg erop af).",
            "Met de rechtbank en de stadsbank is gestart met een voorliggende voorziening "
            "die de instroom in bewindvoering moet beperken.",
        ],
    ),
]


def load_jaarverantwoording_2018(period) -> None:
    programme = period.programme
    writer, approver = user("invoerder"), user("controller")
    writings = [(text(programme, TextKind.WHAT_WE_WANTED, order=0, owner=writer), WANTED_2018)]
    for number, short_title, bullets in RESULTS_2018:
        goal = set_goal(programme, number, short_title=short_title)
        place = text(
            programme,
            TextKind.RESULTS,
            goal=goal,
            order=number,
            owner=writer,
            heading="Behaalde resultaten in 2018",
        )
        writings.append((place, "\n".join(f"- {bullet}" for bullet in bullets)))
    write_texts(period, writings, writer=writer, approver=approver)


# The ambition as seed 001 states it: one line, quoted.
AMBITION_2020 = "Ervoor zorgen dat mensen en de stad het beste uit zichzelf kunnen halen."

SUMMARY_2020 = """\
Sinds 2019 werkt Almelo met projecten en maatregelen aan vier strategische doelen: \
zelfredzame inwoners, talentontwikkeling van jongeren, beter uitkomen met de \
Rijksmiddelen en doeltreffende zorg. Het doel over de Rijksmiddelen is uitgewerkt in de \
maatregelenplannen 1 en 2, die de taakstelling uit de programmabegroting 2019 invullen.

De taakstelling ligt op koers, maar de begroting laat groeiende tekorten zien: de \
zorgvraag stijgt, de Rijksbijdrage dekt de kosten niet en Rijksbesluiten maken zorg \
duurder. Almelo blijft daarom inzetten op alle activiteiten en op de lobby voor een \
kostendekkende bijdrage.

De indicatoren bij deze doelen staan in de jaarverantwoording 2019; voor de eerste \
vier maanden van 2020 zijn ze niet bijgewerkt."""

LOOKING_BACK_2020 = """\
Om de oplopende taakstelling van ruim 7,5 miljoen euro in 2022 op Wmo en Jeugd in te \
vullen, stelde het college de maatregelenplannen 1 en 2 vast (BW-6696 en BW-7023). De \
keuze was om niet alleen te bezuinigen, maar ook te vernieuwen.

Daarnaast lopen projecten voor goede en vernieuwende zorg die op lange termijn \
betaalbaar blijft, gericht op de eigen kracht van inwoners en gestart op basis van \
trends als vergrijzing, langer thuis wonen en het hoge gebruik van jeugdhulp."""

FUTURE_2020 = """\
De meeste maatregelen halen hun financiële doel, maar uitkomen met de Rijksmiddelen \
blijft een grote opgave. Autonome ontwikkelingen (meer thuiswonende ouderen en \
kwetsbaren, veel en complexere zorgvragen van jongeren) en Rijksbeleid bepalen veel, en \
de coronacrisis kan de zorgvraag verder verhogen.

Op de prijs en het volume van de open-einderegelingen heeft de gemeente weinig invloed, \
en nieuwe verdeelmodellen, de doordecentralisatie van beschermd wonen en het nieuwe \
woonplaatsbeginsel maken de financiën onzeker. Halverwege de periode zijn inkomsten en \
uitgaven nog niet in balans; de lobby voor meer structurele Rijksmiddelen gaat door."""

# Per goal: its projects (title, the savings measures it carries as (plan, number) or a
# measure's title, a short description in our own words). 5, 6, 10 and 13 projects; the
# links follow the seed's "(maatregelenplan)" and "(vervangende maatregel)" marks.
MP1, MP2 = "Maatregelenplan 1", "Maatregelenplan 2"
PROJECTS_2020 = {
    1: [
        ("Preventieagenda", [], "Een agenda om verlies van zelfredzaamheid te voorkomen."),
        (
            "Gecombineerde Leefstijl Interventie (GLI)",
            [],
            "Groepsgericht bewegen voor ongeveer 100 minima met gezondheidsrisico's.",
        ),
        (
            "Wonen en Zorg",
            [],
            "Senioren langer veilig en zelfstandig thuis; gestart in februari 2020.",
        ),
        (
            "Blijverslening",
            [],
            "Een lening om de woning tijdig aan te passen; principe"
            "besluit van het college op 31 maart 2020.",
        ),
        ("Coalitie tegen eenzaamheid", [], "Samenwerking in de coalitie Kom Erbij Almelo."),
    ],
    2: [
        ("Jonge Kind & Kansrijke Start", [], "De visie van de stuurgroep Het jonge kind."),
        (
            "Kansrijke start",
            [],
            "Actieplan voor kwetsbare ouders rond de zwangerschap (juli 2019).",
        ),
        (
            "Buitenhuisproject",
            [],
            "Landelijke pilot: opvang voor 10 kinderen per jaar van "
            "ouders met psychische of verslavingsproblemen.",
        ),
        (
            "Project vroegtijdig schoolverlaters /Twentse belofte",
            [],
            "Minder voortijdig schoolverlaten in de regio Twente.",
        ),
        (
            "Praktijkondersteuners huisartsen-Jeugd (POH-Jeugd)",
            [],
            "POH-jeugd bij bijna alle huisartsen.",
        ),
        (
            "Schoolgericht Maatschappelijk Werk",
            [],
            "Meer preventief en groepsgericht, samen met het onderwijs.",
        ),
    ],
    3: [
        ("Rijksmiddelen en het verdeelmodel", [], "De herijking van het gemeentefonds."),
        ("Regionale samenwerking", [], "Positief-kritisch binnen Samen14."),
        ("Taakstellingen", [], "De taakstelling uit de begroting 2019."),
        ("Lobby", [], "Voor meer en beter verdeelde Rijksmiddelen."),
        (
            "Landelijke ontwikkelingen Jeugdwet en Beschermd Wonen",
            [],
            "Woonplaatsbeginsel en doordecentralisatie van beschermd wonen.",
        ),
        (
            "Aanscherpen Verordening/beleid en PGB-tarieven",
            [(MP2, "1"), (MP2, "2")],
            "Eén project voor twee maatregelen: de nieuwe verordening en de PGB-tarieven.",
        ),
        ("Was- en strijkservice", [(MP2, "4")], "Wassen en strijken anders organiseren."),
        (
            "Verscherpen toezicht en handhaving",
            [],
            "Terugvordering en beëindigde contracten na onderzoek door toezichthouders.",
        ),
        ("Monitoring en sturing", [], "Sturen op cijfers over zorggebruik en kosten."),
        ("Vlekkenkaart", [], "Zorggebruik per wijk in beeld."),
    ],
    4: [
        ("Dagstructurering", [(MP1, "2")], "Een algemene voorziening in plaats van maatwerk."),
        (
            "Doorontwikkeling toegang",
            [],
            "Wijkteams nieuwe stijl in alle wijken sinds 1 maart 2020.",
        ),
        (
            "Doorbraakmethode / MPG aanpak",
            [(MP1, "1")],
            "Met het Instituut voor Publieke Waarden; 60 cases in 2019.",
        ),
        (
            "Onderzoek gebruik scootmobielen",
            [(MP2, "5")],
            "Herbeoordeling van verstrekte scootmobielen.",
        ),
        (
            "Persoonlijke Netwerkcoach",
            [(MP2, "6.1")],
            "Een groter netwerk voor inwoners; eindevaluatie medio 2020.",
        ),
        ("Uitbreiding kind- en pubercoach", [(MP2, "6.2")], "Vraagt een meerjarige investering."),
        (
            "Onderwijs Jeugd Arrangementen",
            [(MP2, "8")],
            "Speciaal onderwijs en jeugdhulp samen; in 2019 on hold gezet.",
        ),
        (
            "Dagbehandeling Jeugd",
            [(MP2, "7")],
            "Dagbehandeling jonge kinderen bij een reguliere kinderopvang.",
        ),
        (
            "Project Gecertificeerde instellingen",
            ["Gecertificeerde instellingen"],
            "Vervangende maatregel: minder residentiële plaatsingen.",
        ),
        (
            "Integrale Ketenaanpak Maatschappelijke Opvang (MO)",
            [],
            "Minder en korter in de opvang, sneller naar een eigen woning.",
        ),
        (
            "Voorliggende voorzieningen Jeugd",
            [],
            "BSO en BSO Plus in plaats van geïndiceerde jeugdzorg.",
        ),
        ("Doorlopende lijn van zorg naar werk", [], "Wijk- en werkcoaches werken samen."),
        ("Zorg en Veiligheid", [], "Preventie van mensenhandel en uitbuiting."),
    ],
}


def _measure(programme, key) -> Measure:
    if isinstance(key, str):
        return Measure.objects.get(programme=programme, plan=None, title=key)
    plan, number = key
    return Measure.objects.get(programme=programme, plan__name=plan, number=number)


def load_midterm_review_2020(period) -> None:
    programme = period.programme
    writer, approver = user("invoerder"), user("controller")
    order = 0
    for number, projects in PROJECTS_2020.items():
        goal = set_goal(programme, number)
        for title, keys, description in projects:
            order += 1
            project = action_point(
                programme,
                title=title,
                order=order,
                goal=goal,
                kind=ActionPointKind.PROJECT,
                description=description,
                owner=writer,
            )
            project.measures.set([_measure(programme, key) for key in keys])
    texts = [
        (TextKind.AMBITION, AMBITION_2020),
        (TextKind.SUMMARY, SUMMARY_2020),
        (TextKind.LOOKING_BACK, LOOKING_BACK_2020),
        (TextKind.FUTURE, FUTURE_2020),
    ]
    write_texts(
        period,
        [
            (text(programme, kind, order=index, owner=writer), body)
            for index, (kind, body) in enumerate(texts)
        ],
        writer=writer,
        approver=approver,
    )


LOADERS = {
    ("0141", PROGRAMME_2018, "Jaarverantwoording 2018"): load_jaarverantwoording_2018,
    ("0141", PROGRAMME_2020, "Midterm review 2020"): load_midterm_review_2020,
}
