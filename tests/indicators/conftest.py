"""Indicator data shaped exactly like the seeds, each in a programme of its own next to
the demo's: Enschede's seven BBV scores of the Jaarverslag 2018 (the national set of
migration indicators/0002), Hengelo's Begroting 2018 with the composite 'eigen kracht'
(76%; 80%; 76%) and 6.626 and 4.301 (Wmo voorziening), Venlo's 7,00 of 2017."""

from datetime import date
from decimal import Decimal

import pytest

from indicators.models import (
    Direction,
    Indicator,
    IndicatorPart,
    IndicatorValue,
    NationalIndicator,
    ValueKind,
)
from measures.constants import Role
from measures.models import ReportingPeriod
from organisations.models import Organisation
from tests.conftest import make_user
from tests.factories import make_programme

ENSCHEDE_BBV = {20: "47.7", 22: "1.17", 23: "11.58", 29: "9.2", 30: "1.9", 31: "0.8", 32: "730"}
ENSCHEDE_PRINTED = ["47,7", "1,17", "11,58", "9,2", "1,9", "0,8", "730"]
EIGEN_KRACHT = (
    "Samengestelde indicator ‘eigen kracht’. Door de Wmo-ondersteuning: kan ik beter dingen "
    "doen die ik wil; kan ik me beter redden; heb ik een betere kwaliteit van leven"
)
EIGEN_KRACHT_PARTS = [
    "kan ik beter dingen doen die ik wil",
    "kan ik me beter redden",
    "heb ik een betere kwaliteit van leven",
]
UNIQUE_CLIENTS = (
    "Aantal unieke cliënten die binnen een kalenderjaar een Wmo-voorziening hebben gehad"
)
SOCIAL_SUPPORT = "Kengetal sociale steun onder 65 plussers"
VENLO_NAME = "Klanttevredenheid ten aanzien van de maatwerkondersteuning"


def organisation(cbs_code: str, name: str) -> Organisation:
    found, _ = Organisation.all_organisations.get_or_create(
        cbs_code=cbs_code,
        defaults={"name": f"Gemeente {name}", "short_name": name, "slug": name.lower()},
    )
    return found


def period_in(org: Organisation, programme_name: str, name: str, kind: str, on: date):
    programme = make_programme(0, name=programme_name, organisation=org).programme
    return ReportingPeriod.objects.create(
        programme=programme, name=name, kind=kind, reference_date=on
    )


def value(indicator, period, year, kind, figure, *, part=None, qualifier=""):
    return IndicatorValue.objects.create(
        indicator=indicator,
        part=part,
        period=period,
        year=year,
        kind=kind,
        value=Decimal(figure),
        qualifier=qualifier,
    )


@pytest.fixture
def enschede_2018(db):
    """Enschede's Jaarverslag 2018 with the seven mandatory BBV scores of 2018."""
    period = period_in(
        organisation("0153", "Enschede"),
        "Sociaal domein (indicatoren)",
        "Jaarverslag 2018",
        "jaarverantwoording",
        date(2018, 12, 31),
    )
    for order, (number, score) in enumerate(ENSCHEDE_BBV.items()):
        national = NationalIndicator.objects.get(number=number, valid_from=2017)
        indicator = Indicator.objects.create(
            programme=period.programme,
            national=national,
            decimals=national.decimals,
            direction=national.direction,
            order=order,
        )
        value(indicator, period, 2018, ValueKind.ACTUAL, score)
    return period


@pytest.fixture
def hengelo_2018(db):
    """Hengelo's Begroting 2018: the composite of three percentages and two counts."""
    period = period_in(
        organisation("0164", "Hengelo"),
        "Thuis in de buurt (indicatoren)",
        "Begroting 2018",
        "begroting",
        date(2017, 11, 1),
    )
    programme = period.programme
    composite = Indicator.objects.create(
        programme=programme,
        name=EIGEN_KRACHT,
        unit="%",
        unit_after_value=True,
        direction=Direction.HIGHER,
        order=1,
    )
    parts = [
        IndicatorPart.objects.create(indicator=composite, label=label, order=order)
        for order, label in enumerate(EIGEN_KRACHT_PARTS, start=1)
    ]
    for part, figure in zip(parts, ["76", "80", "76"], strict=True):
        value(composite, period, 2018, ValueKind.TARGET, figure, part=part)
    clients = Indicator.objects.create(
        programme=programme, name=UNIQUE_CLIENTS, unit="aantal", order=2
    )
    value(clients, period, 2018, ValueKind.TARGET, "6626")
    support = Indicator.objects.create(
        programme=programme, name=SOCIAL_SUPPORT, unit="aantal", order=3
    )
    value(support, period, 2018, ValueKind.TARGET, "4301", qualifier="Wmo voorziening")
    return period


@pytest.fixture
def venlo_2017(db):
    """Venlo's Jaarverslag 2017: a customer satisfaction mark with two decimals."""
    period = period_in(
        organisation("0983", "Venlo"),
        "Sociaal domein (indicatoren)",
        "Jaarverslag 2017",
        "jaarverantwoording",
        date(2017, 12, 31),
    )
    indicator = Indicator.objects.create(
        programme=period.programme,
        number="1",
        name=VENLO_NAME,
        unit="rapportcijfer",
        decimals=2,
        direction=Direction.HIGHER,
    )
    value(indicator, period, 2017, ValueKind.TARGET, "7")
    return period


@pytest.fixture
def hengelo_controller(hengelo_2018):
    return make_user("hanna", Role.CONTROLLER, organisation=hengelo_2018.programme.organisation)


def member(period, username: str, role: Role):
    return make_user(username, role, organisation=period.programme.organisation)
