"""The measures export carries everything a period's approved assessment says about a
measure: forecasts, realisations (hard and soft), volumes, cause, consequence and
corrective action, and the owner by name. The import reads it back and names, once, the
columns it leaves alone."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from measures.constants import Role
from measures.exports import THOUSANDS_FORMAT
from measures.models import Measure, ReportingPeriod
from tests.conftest import make_user
from tests.imports.conftest import upload

HEADER = [
    "Maatregelenplan",
    "Besluitnummer",
    "Volgnr",
    "Titel",
    "Beleidsterrein",
    "2019",
    "2020",
    "2021",
    "2022",
    "Op koers",
    "Toelichting",
    "Oorzaak",
    "Gevolg",
    "Bijsturing",
    "Eigenaar",
    "Prognose 2019",
    "Prognose 2020",
    "Prognose 2021",
    "Prognose 2022",
    "Realisatie hard 2019",
    "Realisatie zacht 2019",
    "Realisatie hard 2020",
    "Realisatie zacht 2020",
    "Realisatie hard 2021",
    "Realisatie zacht 2021",
    "Realisatie hard 2022",
    "Realisatie zacht 2022",
    "Eenheid volume",
    "Volume gepland 2019",
    "Volume gerealiseerd 2019",
    "Volume gepland 2020",
    "Volume gerealiseerd 2020",
    "Volume gepland 2021",
    "Volume gerealiseerd 2021",
    "Volume gepland 2022",
    "Volume gerealiseerd 2022",
]


@pytest.fixture
def najaars(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Najaarsrapportage 2020")


def xlsx_rows(client, period):
    response = client.get(reverse("imports:measures_export"), {"periode": period.pk})
    sheet = load_workbook(io.BytesIO(response.content))["Maatregelen"]
    header = [cell.value for cell in sheet[4]]
    return header, {row[3].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(5)}


def csv_rows(client, period):
    response = client.get(
        reverse("imports:measures_export"), {"periode": period.pk, "formaat": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[2]
    return header, {row[3]: dict(zip(header, row, strict=True)) for row in rows[3:]}


def test_xlsx_export_has_the_approved_figures_texts_and_owner_names(najaars, manager_client):
    header, rows = xlsx_rows(manager_client, najaars)
    assert header == HEADER
    doorbraak = rows["Doorbraakmethode"]
    values = {name: cell.value for name, cell in doorbraak.items()}
    assert [values[f"Prognose {year}"] for year in range(2019, 2023)] == [
        None,
        1_800_000,
        3_750_000,
        4_500_000,
    ]
    assert values["Realisatie hard 2019"] == 750_000 and values["Realisatie zacht 2019"] is None
    assert doorbraak["Prognose 2020"].number_format == THOUSANDS_FORMAT
    assert doorbraak["Realisatie hard 2019"].number_format == THOUSANDS_FORMAT
    assert values["Eenheid volume"] == "casussen"
    assert (values["Volume gepland 2020"], values["Volume gerealiseerd 2020"]) == (150, 95)
    assert values["Eigenaar"] == "Inge Invoerder"
    coach = {name: cell.value for name, cell in rows["Persoonlijke netwerkcoach"].items()}
    assert (coach["Realisatie hard 2019"], coach["Realisatie zacht 2019"]) == (40_000, 120_000)
    pubercoach = {
        name: cell.value for name, cell in rows["Uitbreiden kinder- en pubercoach"].items()
    }
    assert pubercoach["Oorzaak"].startswith("Meer kind- en pubercoaches vragen eerst")
    assert pubercoach["Gevolg"] and pubercoach["Bijsturing"]
    assert pubercoach["Eigenaar"] == "Joke de Jong"
    assert {name: cell.value for name, cell in rows["Versterken voorliggend veld"].items()}[
        "Eigenaar"
    ] in ("", None)


def test_csv_export_has_the_same_columns_and_figures(najaars, manager_client):
    header, rows = csv_rows(manager_client, najaars)
    assert header == HEADER
    doorbraak = rows["Doorbraakmethode"]
    assert doorbraak["Prognose 2020"] == "1800000" and doorbraak["Prognose 2019"] == ""
    assert doorbraak["Volume gerealiseerd 2019"] == "60"
    assert doorbraak["Eigenaar"] == "Inge Invoerder"
    assert rows["Uitbreiden kinder- en pubercoach"]["Bijsturing"]


def test_a_pm_forecast_is_exported_as_pm(najaars, manager_client):
    from measures.models import AssessmentYear

    year = AssessmentYear.objects.get(
        parent__period=najaars, parent__measure__title="Doorbraakmethode", year=2021
    )
    AssessmentYear.objects.filter(pk=year.pk).update(forecast=None, forecast_is_pm=True)
    _, rows = xlsx_rows(manager_client, najaars)
    assert rows["Doorbraakmethode"]["Prognose 2021"].value == "PM"


def test_owner_falls_back_to_the_user_name_when_the_name_is_missing_or_shared(
    almelo, najaars, manager_client
):
    nameless = make_user("p.dejong")
    Measure.objects.filter(title="Peuteropvang").update(owner=nameless)
    # Names are told apart among the organisation's members: this one holds a role here.
    make_user("inge2", Role.INVOERDER, first_name="Inge", last_name="Invoerder")
    _, rows = xlsx_rows(manager_client, najaars)
    assert rows["Peuteropvang"]["Eigenaar"].value == "p.dejong"
    # Two people are called Inge Invoerder: the import could not tell them apart by name.
    assert rows["Doorbraakmethode"]["Eigenaar"].value == "invoerder"
    assert rows["Uitbreiden kinder- en pubercoach"]["Eigenaar"].value == "Joke de Jong"


def test_import_names_the_columns_it_leaves_alone_once(almelo, najaars, controller_client):
    exported = controller_client.get(reverse("imports:measures_export"), {"periode": najaars.pk})
    response = upload(controller_client, exported.content, programme=almelo, period=najaars)
    preview = controller_client.get(response["Location"]).content.decode()
    assert preview.count("worden niet ingelezen") == 1
    assert (
        "De kolommen Prognose, Realisatie, Eenheid volume, Volume, Oorzaak, Gevolg en "
        "Bijsturing worden niet ingelezen: die veranderen alleen met een update van de "
        "maatregel, die een controller goedkeurt."
    ) in preview
    assert "staat niet in het sjabloon" not in preview
    assert "Dit bestand verandert niets" in preview


def test_the_export_of_a_long_programme_with_volumes_imports_back(controller_client):
    """Twelve years with volumes: 72 columns, all read back within the import's limit."""
    from measures.models import Programme
    from tests.factories import make_programme

    period = make_programme(4, name="Programma Lang")
    Programme.objects.filter(pk=period.programme_id).update(last_year=2032)
    period.programme.refresh_from_db()
    Measure.objects.filter(programme=period.programme, title="Maatregel 0").update(
        volume_unit="trajecten"
    )
    exported = controller_client.get(reverse("imports:measures_export"), {"periode": period.pk})
    sheet = load_workbook(io.BytesIO(exported.content))["Maatregelen"]
    assert sheet.max_column == 72
    response = upload(
        controller_client, exported.content, programme=period.programme, period=period
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = controller_client.get(response["Location"]).content.decode()
    assert "Dit bestand verandert niets" in preview


def test_the_export_runs_a_fixed_number_of_queries(controller_client, controller):
    """The owners' names come with the measures: no query per measure."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_programme

    def count(period):
        with CaptureQueriesContext(connection) as queries:
            response = controller_client.get(
                reverse("imports:measures_export"), {"periode": period.pk, "formaat": "csv"}
            )
        assert response.status_code == 200
        return len(queries)

    small = make_programme(5, name="Klein", owner=controller)
    large = make_programme(100, name="Groot", owner=controller)
    assert count(small) == count(large)
