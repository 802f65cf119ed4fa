"""`manage.py indicators` prints every indicator a period reported, as the report shows it."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from tests.indicators.conftest import (
    EIGEN_KRACHT,
    ENSCHEDE_PRINTED,
    SOCIAL_SUPPORT,
    UNIQUE_CLIENTS,
    VENLO_NAME,
)


def run(*args) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out)
    return out.getvalue()


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_enschede_prints_the_seven_bbv_scores_with_their_names(enschede_2018):
    rows = csv_rows(
        run(
            "--organisation", "Enschede",
            "--period", "Jaarverslag 2018",
            "--programme", "Sociaal domein (indicatoren)",
            "--format", "csv",
        )
    )  # fmt: skip

    assert rows[0] == ["Nummer", "Indicator", "Eenheid", "Jaar", "Soort", "Waarde"]
    assert [row[5] for row in rows[1:]] == ENSCHEDE_PRINTED
    assert rows[1] == ["20", "Niet-sporters", "%", "2018", "Realisatie", "47,7"]
    assert rows[7] == [
        "32",
        "Cliënten met een maatwerkarrangement WMO",
        "Aantal per 10.000 inwoners",
        "2018",
        "Realisatie",
        "730",
    ]


def test_hengelo_prints_the_composite_and_the_counts(hengelo_2018):
    rows = csv_rows(
        run(
            "--organisation",
            "Hengelo",
            "--period",
            "Begroting 2018",
            "--programme",
            "Thuis in de buurt (indicatoren)",
            "--format",
            "csv",
        )  # fmt: skip
    )

    values = {row[1]: row[5] for row in rows[1:]}
    assert values == {
        EIGEN_KRACHT: "76%; 80%; 76%",
        UNIQUE_CLIENTS: "6.626",
        SOCIAL_SUPPORT: "4.301 (Wmo voorziening)",
    }


def test_venlo_prints_two_decimals(venlo_2017):
    text = run(
        "--organisation", "Venlo",
        "--period", "Jaarverslag 2017",
        "--programme", "Sociaal domein (indicatoren)",
        "--format", "text",
    )  # fmt: skip

    line = next(line for line in text.splitlines() if VENLO_NAME in line)
    assert line.split()[0] == "1"
    assert line.rstrip().endswith("7,00")
    assert "rapportcijfer" in line and "2017" in line and "Streefwaarde" in line


def test_the_text_table_is_aligned(enschede_2018):
    text = run(
        "--organisation", "Enschede",
        "--period", "Jaarverslag 2018",
        "--programme", "Sociaal domein (indicatoren)",
    )  # fmt: skip

    lines = text.splitlines()
    assert lines[0] == "Sociaal domein (indicatoren): Jaarverslag 2018"
    header, rule, *body = lines[2:]
    assert set(rule) == {"-"}
    value_end = len(rule)
    assert [line[:value_end].rstrip() for line in body] == body
    assert all(len(line) == value_end for line in body)  # values right-aligned to the rule
    for printed, line in zip(ENSCHEDE_PRINTED, body, strict=True):
        assert line.endswith(" " + printed)


def test_a_period_name_in_two_programmes_needs_the_programme(enschede_2018):
    # The demo's Enschede has a "Jaarverslag 2018" of its own programme too.
    from tests.indicators.conftest import period_in

    if (
        not enschede_2018.programme.organisation.programmes.filter(periods__name="Jaarverslag 2018")
        .exclude(pk=enschede_2018.programme_id)
        .exists()
    ):
        period_in(
            enschede_2018.programme.organisation,
            "Tweede programma",
            "Jaarverslag 2018",
            "jaarverantwoording",
            enschede_2018.reference_date,
        )

    with pytest.raises(CommandError) as refused:
        run("--organisation", "Enschede", "--period", "Jaarverslag 2018")
    assert "bestaat in meer programma's" in str(refused.value)
    assert "kies met --programme" in str(refused.value)


def test_an_unknown_period_is_a_clear_error(enschede_2018):
    with pytest.raises(CommandError) as refused:
        run("--organisation", "Enschede", "--period", "Jaarverslag 2099")
    assert "Rapportagemoment 'Jaarverslag 2099' niet gevonden" in str(refused.value)


def test_another_organisations_period_is_not_found(enschede_2018, venlo_2017):
    with pytest.raises(CommandError) as refused:
        run("--organisation", "Enschede", "--period", "Jaarverslag 2017")
    assert "niet gevonden" in str(refused.value)


def test_the_rows_take_three_queries_however_many_indicators(
    enschede_2018, hengelo_2018, django_assert_num_queries
):
    from indicators import table

    # The indicators with their national definitions, their parts, the period's values.
    with django_assert_num_queries(3):
        assert len(table.entry_rows(enschede_2018)) == 7
    with django_assert_num_queries(3):
        assert len(table.value_rows(hengelo_2018)) == 5
