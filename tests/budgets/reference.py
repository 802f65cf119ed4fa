"""The seeds' budget figures (fixtures/reference, copies of ../shared/reference): what
the statement, the doelenboom and the boxes must reproduce, read by the tests as data."""

import json
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent.parent / "fixtures" / "reference"


def load(name: str) -> dict:
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))


BUDGET_TABLES = load("budget_tables.json")
EURO_AMOUNTS = load("seed_euro_amounts.json")
TABLES_MORE = load("seed_tables_more.json")


def shown(thousands: int) -> str:
    """A reference figure in thousands as we print it: 46237 -> "46.237"."""
    text = f"{abs(thousands):,}".replace(",", ".")
    return f"-{text}" if thousands < 0 else text
