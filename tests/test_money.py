import pytest

from measures.money import (
    AmountError,
    format_cell,
    format_euros,
    format_thousands,
    parse_amount,
    to_thousands,
)
from measures.overview import Amount


@pytest.mark.parametrize(
    ("euros", "shown"),
    [
        (1_580_000, "1.580"),
        (-20_641_000, "-20.641"),
        (82_000, "82"),
        (500, "1"),  # half rounds away from zero
        (499, "0"),
        (-1_500, "-2"),
        (46_237_000_000, "46.237.000"),
    ],
)
def test_thousands_with_dutch_separators(euros, shown):
    assert format_thousands(euros) == shown


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        to_thousands(1580.0)


def test_cells_distinguish_pm_zero_and_no_target():
    assert format_cell(Amount.pm()) == "PM"
    assert format_cell(Amount(0)) == "0"
    assert format_cell(None) == ""


def test_full_euros():
    assert format_euros(1_580_000) == "€ 1.580.000"
    assert format_euros(-82) == "€ -82"


@pytest.mark.parametrize(
    ("typed", "euros"),
    [
        ("1.580", 1_580),
        ("1580000", 1_580_000),
        ("€ 1.580.000", 1_580_000),
        ("-82.000", -82_000),
        ("1.580.000,00", 1_580_000),
        ("1.580.000,-", 1_580_000),
    ],
)
def test_dutch_amounts_as_users_type_them(typed, euros):
    assert parse_amount(typed) == Amount(euros)


@pytest.mark.parametrize("typed", ["1,5", "abc", "1.58", "12.3456", "1e6", "--5", "1.580,50"])
def test_anything_else_is_refused(typed):
    with pytest.raises(AmountError):
        parse_amount(typed)
