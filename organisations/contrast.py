"""Contrast between two colours, as WCAG 2.1 defines it (success criteria 1.4.3, 1.4.6
and 1.4.11): pure arithmetic, no Django.

`contrast_ratio("#000000", "#ffffff")` is 21.0; text needs at least 4.5:1
(`TEXT_MINIMUM`), the parts of a control and a focus indicator at least 3:1
(`NON_TEXT_MINIMUM`). A ratio is compared unrounded, so #777777 on white (4.48:1) fails
4.5:1, and shown rounded down (`format_ratio`), so a failing ratio never reads as the
minimum it misses.
"""

from __future__ import annotations

import math
import re

TEXT_MINIMUM = 4.5
NON_TEXT_MINIMUM = 3.0

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(colour: str) -> tuple[int, int, int]:
    """ "#1a2b3c" or "#abc" -> (r, g, b) in 0..255; ValueError for anything else."""
    if not HEX_COLOUR.match(colour or ""):
        raise ValueError(f"Not a colour in #rrggbb notation: {colour!r}")
    digits = colour[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4))


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance: 0 for black, 1 for white."""
    red, green, blue = (_linear(channel) for channel in parse_hex(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05) with L1 the lighter colour: from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def format_ratio(ratio: float) -> str:
    """ "4,4:1": Dutch decimal comma, rounded down to one decimal ("21:1" when whole)."""
    shown = math.floor(ratio * 10 + 1e-9) / 10
    text = f"{shown:.1f}".removesuffix(".0")
    return f"{text.replace('.', ',')}:1"
