"""A tiny evaluator for the formulas the exports write (SUM over cells and ranges, SUMIF
with a number as criterion), so tests can check that a sheet adds up to the page's
figures the way Excel will. Text and empty cells count as 0, as in Excel."""

import re

REFERENCE = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")


def value(sheet, coordinate: str, seen: frozenset = frozenset()):
    """The value of a cell, its formula evaluated."""
    if coordinate in seen:
        raise ValueError(f"circular reference at {coordinate}")
    raw = sheet[coordinate].value
    if isinstance(raw, str) and raw.startswith("="):
        return evaluate(sheet, raw[1:], seen | {coordinate})
    return raw


def number(sheet, coordinate: str, seen: frozenset) -> int:
    result = value(sheet, coordinate, seen)
    return result if isinstance(result, int | float) and not isinstance(result, bool) else 0


def cells(range_text: str) -> list[str]:
    start, _, end = range_text.partition(":")
    first_column, first_row = REFERENCE.fullmatch(start).groups()
    last_column, last_row = REFERENCE.fullmatch(end or start).groups()
    assert first_column == last_column, "only ranges within one column are used"
    return [f"{first_column}{row}" for row in range(int(first_row), int(last_row) + 1)]


def evaluate(sheet, formula: str, seen: frozenset = frozenset()):
    match = re.fullmatch(r"SUM\((.*)\)", formula)
    if match:
        return sum(
            number(sheet, cell, seen)
            for part in match.group(1).split(",")
            for cell in cells(part.replace("$", ""))
        )
    match = re.fullmatch(r"SUMIF\(([^,]+),(\d+),([^,]+)\)", formula)
    if match:
        criteria = cells(match.group(1).replace("$", ""))
        summed = cells(match.group(3).replace("$", ""))
        wanted = int(match.group(2))
        return sum(
            number(sheet, target, seen)
            for flag, target in zip(criteria, summed, strict=True)
            if value(sheet, flag, seen) == wanted
        )
    raise ValueError(f"formula not understood: ={formula}")
