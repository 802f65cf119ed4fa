"""The indicator export: CSV and XLSX read back, for every role, scoped."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from measures.constants import Role
from tests.indicators.conftest import EIGEN_KRACHT, ENSCHEDE_PRINTED, SOCIAL_SUPPORT, member


def export(client, period, fmt):
    return client.get(reverse("indicators:export"), {"periode": period.pk, "format": fmt})


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_csv_with_text_and_number(client, enschede_2018, role):
    client.force_login(member(enschede_2018, f"x-{role.value}", role))

    response = export(client, enschede_2018, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "Nummer", "Indicator", "Deel", "Eenheid", "Jaar", "Soort", "Waarde", "Getal",
    ]  # fmt: skip
    assert [row[6] for row in rows[1:]] == ENSCHEDE_PRINTED
    assert [row[7] for row in rows[1:]] == ["47,7", "1,17", "11,58", "9,2", "1,9", "0,8", "730"]


def test_the_xlsx_holds_numbers_to_compute_with(client, hengelo_2018, hengelo_controller):
    client.force_login(hengelo_controller)

    response = export(client, hengelo_2018, "xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    composite = [row for row in rows if row[1] == EIGEN_KRACHT]
    assert [row[2] for row in composite] == [
        "kan ik beter dingen doen die ik wil",
        "kan ik me beter redden",
        "heb ik een betere kwaliteit van leven",
    ]
    assert [row[6] for row in composite] == ["76%", "80%", "76%"]
    assert [Decimal(str(row[7])) for row in composite] == [76, 80, 76]
    assert {row[9] for row in composite} == {"76%; 80%; 76%"}
    support = next(row for row in rows if row[1] == SOCIAL_SUPPORT)
    assert support[6] == "4.301"
    assert support[7] == 4301
    assert support[8] == "Wmo voorziening"
    assert support[9] == "4.301 (Wmo voorziening)"


def test_venlo_keeps_its_two_decimals_in_the_number_format(client, venlo_2017):
    client.force_login(member(venlo_2017, "vera", Role.MANAGER))

    sheet = load_workbook(io.BytesIO(export(client, venlo_2017, "xlsx").content)).active

    assert sheet["G3"].value == "7,00"
    assert sheet["H3"].value == 7
    assert sheet["H3"].number_format == "#,##0.00"


def test_another_organisations_period_is_not_found(client, enschede_2018, hengelo_controller):
    client.force_login(hengelo_controller)

    assert export(client, enschede_2018, "csv").status_code == 404
    assert export(client, enschede_2018, "xlsx").status_code == 404


@pytest.mark.parametrize("query", ["format=pdf&periode={pk}", "", "periode=abc", "periode=0"])
def test_an_unknown_format_or_period_is_not_found(client, enschede_2018, query):
    client.force_login(member(enschede_2018, "erik", Role.INVOERDER))
    url = reverse("indicators:export") + "?" + query.format(pk=enschede_2018.pk)

    assert client.get(url).status_code == 404
