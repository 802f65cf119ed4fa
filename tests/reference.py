"""The seed's "op koers" table (fixtures/reference), as the page shows it."""

import json
from pathlib import Path

REFERENCE = json.loads(
    (
        Path(__file__).resolve().parent.parent
        / "fixtures"
        / "reference"
        / "almelo_midterm_2020.json"
    ).read_text(encoding="utf-8")
)
YEARS = [str(year) for year in REFERENCE["years"]]
EXPECTED = REFERENCE["expected"]


def shown(value) -> str:
    """A reference figure (thousands or "PM") the way the page prints it."""
    if value == "PM":
        return "PM"
    return f"{value:,}".replace(",", ".")


def euros(value) -> int | str:
    """A reference figure as the exports carry it: whole euros, or "PM"."""
    return "PM" if value == "PM" else value * 1000


def measure_lines():
    """(plan name or None, number, title, {year: figure}, status) for every measure."""
    for plan in REFERENCE["plans"]:
        for measure in plan["measures"]:
            yield (
                plan["name"],
                measure["number"],
                measure["title"],
                measure["targets"],
                measure.get("on_track", ""),
            )
    for measure in REFERENCE["other_measures"]:
        yield None, "", measure["title"], measure["targets"], measure["on_track"]
