"""`manage.py statement` prints Venlo's and Enschede's tables from the demo's euros with
every figure of fixtures/reference/budget_tables.json, in the seeds' labels."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from .reference import BUDGET_TABLES, TABLES_MORE, shown


def run(*args) -> str:
    out = io.StringIO()
    call_command("statement", *args, stdout=out)
    return out.getvalue()


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.django_db
def test_enschede_programme_statement_as_csv():
    reference = BUDGET_TABLES["enschede_2018_maatschappelijke_ondersteuning"]
    rows = csv_rows(
        run(
            "--organisation", "Enschede",
            "--period", "Jaarverslag 2018",
            "--programme", "Maatschappelijke ondersteuning",
            "--format", "csv",
        )
    )  # fmt: skip
    assert rows[0][1:] == reference["columns"]
    assert rows[1:] == [[row["label"], *map(shown, row["values"])] for row in reference["rows"]]


@pytest.mark.django_db
def test_venlo_product_statement_as_csv_with_every_row_of_the_seed():
    reference = BUDGET_TABLES["venlo_2017_sociale_wijkteams"]
    more = TABLES_MORE["venlo_2017_sociale_wijkteams_missing_rows"]
    rows = csv_rows(
        run(
            "--organisation", "Venlo",
            "--period", "Jaarverslag 2017",
            "--product", "Sociale Wijkteams",
            "--format", "csv",
        )
    )  # fmt: skip
    assert rows[0][1:] == reference["columns"]
    assert [row[0] for row in rows[1:]] == more["row_order"]
    printed = {row[0]: row[1:] for row in rows[1:]}

    def cells(row):
        if row["budget"] is None:
            return ["", "", "", ""]
        return [
            shown(row["budget"]),
            shown(row["actual"]),
            f"{row['pct']}%",
            shown(row["difference"]),
        ]

    for row in reference["rows"] + more["rows"]:
        assert printed[row["label"]] == cells(row)


@pytest.mark.django_db
def test_text_format_has_the_title_unit_and_figures():
    text = run(
        "--organisation", "Enschede",
        "--period", "Jaarverslag 2018",
        "--programme", "Maatschappelijke ondersteuning",
    )  # fmt: skip
    assert "Wat heeft het gekost? (bedragen x € 1.000)" in text
    resultaat = next(line for line in text.splitlines() if line.startswith("Resultaat"))
    assert resultaat.split()[1:] == ["192.991", "204.033", "198.542", "5.492"]


@pytest.mark.django_db
def test_an_unknown_product_names_the_products_there_are():
    with pytest.raises(CommandError, match="Sociale Wijkteams"):
        run("--organisation", "Venlo", "--period", "Jaarverslag 2017", "--product", "Onbekend")
