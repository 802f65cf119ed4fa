"""WCAG 2.1 contrast, computed without a database (organisations.contrast)."""

import pytest

from organisations.contrast import contrast_ratio, format_ratio, parse_hex, relative_luminance


def test_black_on_white_is_21_to_1():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#000") == pytest.approx(21.0)


def test_grey_777_on_white_misses_4_5_to_1():
    ratio = contrast_ratio("#777777", "#ffffff")
    assert ratio == pytest.approx(4.478, abs=0.001)
    assert ratio < 4.5


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes on white
        ("#ffffff", "#0000ff", 8.59),
        ("#ff0000", "#ffffff", 3.99),
        ("#123456", "#123456", 1.0),
    ],
)
def test_known_pairs(foreground, background, expected):
    assert contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)


def test_order_does_not_matter():
    assert contrast_ratio("#5115ef", "#ffffff") == contrast_ratio("#ffffff", "#5115ef")


def test_luminance_runs_from_black_to_white():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == pytest.approx(1)


@pytest.mark.parametrize("value", ["", "fff", "#ffff", "#gggggg", "red", "#12345", None])
def test_only_hex_colours_are_read(value):
    with pytest.raises(ValueError):
        parse_hex(value)


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [(21.0, "21:1"), (4.478, "4,4:1"), (4.5, "4,5:1"), (2.86, "2,8:1"), (3.0, "3:1")],
)
def test_a_ratio_is_shown_rounded_down_with_a_decimal_comma(ratio, shown):
    assert format_ratio(ratio) == shown
