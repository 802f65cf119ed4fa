"""An export of the measures imports back into an empty programme and gives the same
overview, figure for figure; imported into its own programme it changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from imports.models import ImportRecord
from measures.models import Assessment, ReportingPeriod
from measures.overview_data import load_overview
from tests.imports.conftest import preview_and_confirm, upload


def figures(period) -> list[tuple]:
    """Every row of the period's overview: what it is, its label, cells and status."""
    return [
        (
            row.kind,
            row.number,
            row.label,
            {year: cell and (cell.euros, cell.is_pm) for year, cell in row.cells.items()},
            row.status.label if row.status else None,
            row.depth,
            row.is_heading,
        )
        for row in load_overview(period).overview.rows
    ]


def measure_details(programme) -> list[tuple]:
    return sorted(
        (m.plan.name if m.plan else "", m.number, m.title, m.domain, m.owner_id)
        for m in programme.measures.select_related("plan")
    )


def explanations(period) -> dict:
    return {
        (a.measure.plan.name if a.measure.plan else "", a.measure.number, a.measure.title): (
            a.explanation
        )
        for a in Assessment.objects.filter(period=period).select_related("measure__plan")
    }


@pytest.fixture
def najaars(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Najaarsrapportage 2020")


@pytest.fixture
def empty_najaars(zorg):
    return ReportingPeriod.objects.create(
        programme=zorg,
        name="Najaarsrapportage 2020",
        kind="najaarsrapportage",
        reference_date=date(2020, 10, 1),
    )


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_an_export_imports_back_into_an_empty_programme_with_the_same_overview(
    almelo, najaars, zorg, empty_najaars, controller_client, export_format
):
    exported = controller_client.get(
        reverse("imports:measures_export"), {"periode": najaars.pk, "formaat": export_format}
    )
    assert exported.status_code == 200
    result = preview_and_confirm(
        controller_client,
        exported.content,
        programme=zorg,
        period=empty_najaars,
        name=f"export.{export_format}",
    )
    assert "Import uitgevoerd" in result.content.decode()
    assert figures(empty_najaars) == figures(najaars)
    assert measure_details(zorg) == measure_details(almelo)
    assert explanations(empty_najaars) == {
        key: text for key, text in explanations(najaars).items() if text
    }


def test_an_export_imported_into_its_own_programme_changes_nothing(
    almelo, najaars, controller_client
):
    exported = controller_client.get(reverse("imports:measures_export"), {"periode": najaars.pk})
    response = upload(controller_client, exported.content, programme=almelo, period=najaars)
    assert response.status_code == 302
    preview = controller_client.get(response["Location"]).content.decode()
    assert "Dit bestand verandert niets" in preview
    assert "0 nieuw, 0 gewijzigd, 15 ongewijzigd" in preview
    assert ImportRecord.objects.get().counts["unchanged"] == 15
