"""The import of indicator values: preview, all-or-nothing confirm, refusals per row and
column in Dutch, closed periods and other organisations' indicators refused."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from imports.models import ImportKind, ImportRecord, ImportStatus
from indicators.models import IndicatorValue
from measures.constants import Role
from measures.services import close_period
from tests.indicators.conftest import (
    EIGEN_KRACHT,
    SOCIAL_SUPPORT,
    UNIQUE_CLIENTS,
    VENLO_NAME,
    member,
)

HEADER = ["Indicator", "Deel", "Jaar", "Soort", "Waarde", "Kanttekening"]


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows) -> bytes:
    return ("\n".join(";".join(str(c) for c in row) for row in rows) + "\n").encode("utf-8")


def upload(client, period, content: bytes, name="waarden.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("indicators:import_start"),
        {"period": period.pk, "file": SimpleUploadedFile(name, content)},
    )


def confirm(client, response):
    page = client.get(response["Location"])
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page.content.decode()).group(1)
    return client.post(response["Location"], {"digest": digest})


def snapshot():
    return sorted(
        IndicatorValue.objects.values_list("pk", "indicator_id", "part_id", "year", "kind", "value")
    )


GOOD_ROWS = [
    HEADER,
    [EIGEN_KRACHT, "kan ik beter dingen doen die ik wil", 2019, "streefwaarde", "78%", ""],
    [EIGEN_KRACHT, "kan ik me beter redden", 2019, "Streefwaarde", "81%", ""],
    [EIGEN_KRACHT, "heb ik een betere kwaliteit van leven", 2019, "streefwaarde", "77%", ""],
    [UNIQUE_CLIENTS, "", 2018, "streefwaarde", "6.700", ""],
    [SOCIAL_SUPPORT, "", "2018", "streefwaarde", 4301, "Wmo voorziening"],
]


def test_preview_changes_nothing_and_confirm_writes_with_history(
    client, hengelo_2018, hengelo_controller
):
    client.force_login(hengelo_controller)
    before = snapshot()

    response = upload(client, hengelo_2018, xlsx(GOOD_ROWS))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "5 regels gelezen: 3 nieuwe waarden, 1 gewijzigd, 1 ongewijzigd" in page
    assert "6.626" in page and "6.700" in page
    assert snapshot() == before

    result = confirm(client, response)

    assert result.status_code == 302
    values = IndicatorValue.objects.filter(period=hengelo_2018)
    composite = values.filter(indicator__name=EIGEN_KRACHT, year=2019).order_by("part__order")
    assert [v.value for v in composite] == [78, 81, 77]
    clients = values.get(indicator__name=UNIQUE_CLIENTS)
    assert clients.value == Decimal(6700)
    assert clients.updated_by == hengelo_controller
    assert clients.history.first().history_user == hengelo_controller
    assert clients.history.count() == 2
    record = ImportRecord.objects.get(kind=ImportKind.INDICATOR_VALUES, period=hengelo_2018)
    assert record.status == ImportStatus.APPLIED
    assert "Import uitgevoerd" in client.get(result["Location"]).content.decode()


def test_the_same_file_again_changes_nothing(client, hengelo_2018, hengelo_controller):
    client.force_login(hengelo_controller)
    confirm(client, upload(client, hengelo_2018, xlsx(GOOD_ROWS)))
    history = IndicatorValue.history.count()

    page = client.get(upload(client, hengelo_2018, xlsx(GOOD_ROWS))["Location"])

    assert "Dit bestand verandert niets" in page.content.decode()
    assert IndicatorValue.history.count() == history


def test_a_csv_by_number_reads_too(client, venlo_2017):
    controller = member(venlo_2017, "vince", Role.CONTROLLER)
    client.force_login(controller)
    content = csv_bytes(
        [["Nummer", "Jaar", "Soort", "Waarde"], ["1", "2017", "realisatie", "7,40"]]
    )

    confirm(client, upload(client, venlo_2017, content, name="venlo.csv"))

    added = IndicatorValue.objects.get(period=venlo_2017, kind="realisatie")
    assert added.value == Decimal("7.4")
    assert added.indicator.name == VENLO_NAME


def test_a_bad_file_is_refused_whole_with_every_problem_at_its_cell(
    client, hengelo_2018, hengelo_controller
):
    client.force_login(hengelo_controller)
    before, history = snapshot(), IndicatorValue.history.count()
    rows = [
        HEADER,
        [UNIQUE_CLIENTS, "", 2018, "streefwaarde", "6.800", ""],  # fine on its own
        [EIGEN_KRACHT, "", 2019, "streefwaarde", "76%", ""],  # part missing
        [SOCIAL_SUPPORT, "", 2018, "prognose", "4301", ""],  # unknown kind
        ["Bestaat niet", "", 2018, "realisatie", "1", ""],  # unknown indicator
        [UNIQUE_CLIENTS, "", 1850, "realisatie", "6,5", ""],  # year, decimals
        [UNIQUE_CLIENTS, "", 2018, "streefwaarde", "=A1*2", ""],  # formula; duplicate of row 2
    ]

    response = upload(client, hengelo_2018, xlsx(rows))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Er is niets geïmporteerd" in page
    assert "Regel 3, kolom B (Deel)" in page and "Deze indicator bestaat uit delen" in page
    assert "Regel 4, kolom D (Soort)" in page and "streefwaarde, realisatie of nulmeting" in page
    assert "Regel 5, kolom A (Indicator)" in page and "bestaat niet in" in page
    assert "Regel 6, kolom C (Jaar)" in page
    assert "Regel 6, kolom E (Waarde)" in page and "kent geen decimalen" in page
    assert "Regel 7, kolom E (Waarde)" in page and "formule" in page
    assert snapshot() == before
    assert IndicatorValue.history.count() == history
    assert ImportRecord.objects.get(period=hengelo_2018).status == ImportStatus.REFUSED


def test_a_duplicate_row_is_refused(client, hengelo_2018, hengelo_controller):
    client.force_login(hengelo_controller)
    rows = [HEADER, *[[UNIQUE_CLIENTS, "", 2018, "realisatie", "1", ""]] * 2]

    page = upload(client, hengelo_2018, xlsx(rows)).content.decode()

    assert "Deze waarde staat ook al in regel 2" in page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 nothing", "geen Excel-werkmap"),
        (xlsx([["Titel", "Waarde"]]), "Geen kopregel gevonden"),
        (xlsx([["Indicator", "Waarde"], ["x", "1"]]), "De kolom Jaar ontbreekt"),
    ],
)
def test_unreadable_files_are_refused_in_dutch(
    client, hengelo_2018, hengelo_controller, content, message
):
    client.force_login(hengelo_controller)
    before = snapshot()

    page = upload(client, hengelo_2018, content).content.decode()

    assert message in page
    assert snapshot() == before


def test_another_organisations_indicator_names_are_refused(
    client, hengelo_2018, hengelo_controller, venlo_2017
):
    client.force_login(hengelo_controller)
    before = snapshot()

    page = upload(
        client, hengelo_2018, xlsx([HEADER, [VENLO_NAME, "", 2017, "realisatie", "7,40", ""]])
    ).content.decode()

    assert "bestaat niet in Thuis in de buurt (indicatoren)" in page
    assert snapshot() == before


def test_another_organisations_period_is_no_choice(client, hengelo_controller, venlo_2017):
    client.force_login(hengelo_controller)

    response = upload(client, venlo_2017, xlsx(GOOD_ROWS))

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not ImportRecord.objects.filter(period=venlo_2017).exists()


def test_a_closed_period_is_refused_at_upload(client, hengelo_2018, hengelo_controller):
    client.force_login(hengelo_controller)
    close_period(period=hengelo_2018, user=hengelo_controller)

    response = upload(client, hengelo_2018, xlsx(GOOD_ROWS))

    assert response.status_code == 200
    assert "is afgesloten" in response.content.decode()


def test_a_period_closed_after_the_preview_is_refused_at_confirm(
    client, hengelo_2018, hengelo_controller
):
    client.force_login(hengelo_controller)
    response = upload(client, hengelo_2018, xlsx(GOOD_ROWS))
    page = client.get(response["Location"]).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    close_period(period=hengelo_2018, user=hengelo_controller)
    before, history = snapshot(), IndicatorValue.history.count()

    result = client.post(response["Location"], {"digest": digest})

    assert snapshot() == before
    assert IndicatorValue.history.count() == history
    record = ImportRecord.objects.get(period=hengelo_2018)
    assert record.status == ImportStatus.REFUSED
    assert "is afgesloten" in client.get(result["Location"]).content.decode()


def test_a_change_between_preview_and_confirm_asks_again(client, hengelo_2018, hengelo_controller):
    client.force_login(hengelo_controller)
    response = upload(client, hengelo_2018, xlsx(GOOD_ROWS))
    page = client.get(response["Location"]).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', page).group(1)
    IndicatorValue.objects.filter(indicator__name=UNIQUE_CLIENTS, period=hengelo_2018).update(
        value=6650
    )

    result = client.post(response["Location"], {"digest": digest})

    assert result.status_code == 200
    assert "Er is intussen iets veranderd" in result.content.decode()
    assert not IndicatorValue.objects.filter(period=hengelo_2018, year=2019).exists()


def test_only_who_may_import_reaches_the_pages(client, hengelo_2018):
    client.force_login(member(hengelo_2018, "ivo", Role.INVOERDER))

    assert client.get(reverse("indicators:import_start")).status_code == 403
    assert upload(client, hengelo_2018, xlsx(GOOD_ROWS)).status_code == 403


def test_the_template_lists_the_periods_indicators_and_reads_back(
    client, hengelo_2018, hengelo_controller
):
    client.force_login(hengelo_controller)

    response = client.get(reverse("indicators:import_template", args=[hengelo_2018.pk]))

    sheet = load_workbook(io.BytesIO(response.content))["Indicatorwaarden"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nummer", "Indicator", "Deel", "Jaar", "Soort", "Waarde", "Kanttekening")
    assert [row[2] for row in rows[1:4]] == [
        "kan ik beter dingen doen die ik wil",
        "kan ik me beter redden",
        "heb ik een betere kwaliteit van leven",
    ]
    assert rows[4][1] == UNIQUE_CLIENTS


def test_the_export_reads_back_into_the_import_unchanged(client, hengelo_2018, hengelo_controller):
    client.force_login(hengelo_controller)
    exported = client.get(
        reverse("indicators:export"), {"periode": hengelo_2018.pk, "format": "xlsx"}
    ).content

    page = client.get(upload(client, hengelo_2018, exported)["Location"]).content.decode()

    assert "5 regels gelezen: 0 nieuwe waarden, 0 gewijzigd, 5 ongewijzigd" in page
