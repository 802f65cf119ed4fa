"""Indicator values to Dutch text and back (indicators.formatting), and whether a target
was met following the indicator's direction (indicators.figures.target_met)."""

from decimal import Decimal

import pytest

from indicators.figures import target_met
from indicators.formatting import (
    ValueError_,
    format_number,
    format_value,
    format_values,
    parse_value,
)
from indicators.models import Direction


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        ("47.7", 1, "47,7"),
        ("1.17", 2, "1,17"),
        ("11.58", 2, "11,58"),
        ("730", 0, "730"),
        ("6626", 0, "6.626"),
        ("7", 2, "7,00"),
        ("1234567.891", 2, "1.234.567,89"),
        ("-20641", 0, "-20.641"),
        ("0.8", 1, "0,8"),
    ],
)
def test_values_are_shown_in_dutch_notation_with_the_indicators_decimals(value, decimals, text):
    assert format_number(Decimal(value), decimals) == text


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [("0.125", 2, "0,13"), ("-0.125", 2, "-0,13"), ("2.5", 0, "3"), ("1.05", 1, "1,1")],
)
def test_rounding_is_half_away_from_zero_on_the_exact_decimal(value, decimals, text):
    assert format_number(Decimal(value), decimals) == text


def test_a_rounded_negative_zero_shows_no_sign():
    assert format_number(Decimal("-0.04"), 1) == "0,0"


def test_unit_and_qualifier_follow_the_value():
    assert format_value(Decimal(76), decimals=0, suffix="%") == "76%"
    assert format_value(Decimal(4301), decimals=0, qualifier="Wmo voorziening") == (
        "4.301 (Wmo voorziening)"
    )
    assert format_value(None, decimals=1) == "–"


def test_a_composite_joins_its_parts_in_order():
    parts = [Decimal(76), Decimal(80), Decimal(76)]
    assert format_values(parts, decimals=0, suffix="%") == "76%; 80%; 76%"
    assert format_values(parts, decimals=0, suffix="%", qualifier="cijfers 2016") == (
        "76%; 80%; 76% (cijfers 2016)"
    )


@pytest.mark.parametrize(
    ("text", "decimals", "value"),
    [
        ("47,7", 1, Decimal("47.7")),
        ("6.626", 0, Decimal(6626)),
        ("1.234,5", 1, Decimal("1234.5")),
        ("76%", 0, Decimal(76)),
        ("-0,8", 1, Decimal("-0.8")),
        (" 7,00 ", 2, Decimal(7)),
        ("730", 0, Decimal(730)),
        ("1234", 0, Decimal(1234)),
        ("7,10", 1, Decimal("7.1")),
    ],
)
def test_parse_reads_what_a_dutch_user_types(text, decimals, value):
    parsed = parse_value(text, decimals=decimals)
    assert parsed == value
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("text", "decimals", "message"),
    [
        ("47.7", 1, "Vul een getal in zoals 47,7"),
        ("abc", 1, "Vul een getal in zoals 47,7"),
        ("", 1, "Vul een getal in zoals 47,7"),
        ("1,2,3", 1, "Vul een getal in zoals 47,7"),
        ("47,75", 1, "Deze indicator heeft 1 decimalen"),
        ("7,5", 0, "Deze indicator kent geen decimalen"),
        ("999.999.999.999", 0, "onwaarschijnlijk groot"),
    ],
)
def test_parse_refuses_bad_input_with_a_dutch_message(text, decimals, message):
    with pytest.raises(ValueError_) as refused:
        parse_value(text, decimals=decimals)
    assert message in refused.value.message


@pytest.mark.parametrize(
    ("direction", "target", "actual", "met"),
    [
        (Direction.HIGHER, "7", "7.4", True),
        (Direction.HIGHER, "7", "7", True),
        (Direction.HIGHER, "7", "6.9", False),
        (Direction.LOWER, "47.7", "45", True),
        (Direction.LOWER, "47.7", "50", False),
        (Direction.NONE, "9.2", "9.0", None),
        (Direction.HIGHER, None, "7", None),
        (Direction.HIGHER, "7", None, None),
    ],
)
def test_target_met_follows_the_direction(direction, target, actual, met):
    as_decimal = lambda text: None if text is None else Decimal(text)  # noqa: E731
    assert target_met(direction, as_decimal(target), as_decimal(actual)) is met
