"""The seed's table, typed into Excel by a controller, imported through the page, gives
the seed's figures on the overview; the preview before it changes nothing."""

from django.urls import reverse

from imports.models import ImportRecord, ImportSource, ImportStatus
from measures.models import Assessment, Measure, YearTarget
from tests.imports.conftest import (
    almelo_rows,
    confirm,
    csv_bytes,
    digest_in,
    preview_and_confirm,
    upload,
    xlsx,
)
from tests.reference import EXPECTED, REFERENCE, YEARS, shown
from tests.test_overview_page import row_by_label, table_rows


def overview_rows(client, period) -> list[list[str]]:
    response = client.get(reverse("overview"), {"periode": period.pk})
    assert response.status_code == 200
    return table_rows(response.content.decode())


def assert_reference_figures(rows):
    for plan in REFERENCE["plans"]:
        subtotal = row_by_label(rows, f"Subtotaal {plan['name']}")
        assert subtotal[2:6] == [shown(plan["expected_subtotal"][y]) for y in YEARS]
    assert row_by_label(rows, "Totaal taakstelling maatregelen")[2:6] == [
        shown(EXPECTED["total_expected_savings"][y]) for y in YEARS
    ]
    assert row_by_label(rows, "Inventarisatie invulling taakstelling per 2022")[5] == "5.832"
    assert row_by_label(rows, "Saldo")[5] == "82"
    assert row_by_label(rows, "Onderzoeken gebruik scootmobielen")[2:6] == ["", "PM", "PM", "PM"]
    assert row_by_label(rows, "Versterken voorliggend veld")[2:6] == ["", "", "", ""]


def test_almelo_table_from_excel_gives_the_reference_overview(zorg, midterm, controller_client):
    result = preview_and_confirm(
        controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm
    )
    page = result.content.decode()
    assert "Import uitgevoerd" in page
    assert "15 nieuwe maatregelen, 0 gewijzigd, 0 ongewijzigd." in page
    assert_reference_figures(overview_rows(controller_client, midterm))
    assert zorg.measures.get(number="6.1").parent == zorg.measures.get(
        number="6", plan__name="Maatregelenplan 2"
    )
    assert list(zorg.plans.values_list("name", "decision_reference", "order")) == [
        ("Maatregelenplan 1", "BW-6696", 1),
        ("Maatregelenplan 2", "BW-7023", 2),
    ]
    record = ImportRecord.objects.get()
    assert record.status == ImportStatus.APPLIED and record.source == ImportSource.PAGE
    assert record.user.username == "carl" and record.applied_at is not None
    assert record.unit == "duizend" and record.counts["created"] == 15
    assert any("Doorbraakmethode" in entry["measure"] for entry in record.changes)
    history = [
        *Measure.history.filter(programme_id=zorg.pk),
        *YearTarget.history.filter(measure__programme=zorg),
        *Assessment.history.filter(period_id=midterm.pk),
    ]
    assert len(history) == 15 + 44 + 14
    assert {entry.history_user.username for entry in history} == {"carl"}


def test_preview_shows_each_row_and_writes_nothing(zorg, midterm, controller_client):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    preview = controller_client.get(response["Location"])
    page = preview.content.decode()
    assert "15 regels met maatregelen gelezen: 15 nieuw, 0 gewijzigd, 0 ongewijzigd." in page
    assert "Nieuwe maatregelenplannen: Maatregelenplan 1, Maatregelenplan 2." in page
    assert "Bedragen gelezen in duizenden euro&#x27;s (x € 1.000)" in page
    assert 'id="regel-5"' in page and "Doorbraakmethode" in page and "2.251" in page
    assert "Import bevestigen" in page
    assert not zorg.measures.exists()
    assert not zorg.plans.exists()
    assert not YearTarget.objects.filter(measure__programme=zorg).exists()
    assert not Assessment.objects.filter(period=midterm).exists()
    assert ImportRecord.objects.get().status == ImportStatus.PREVIEW


def state(programme) -> dict:
    """Every row the import writes, with its history."""
    return {
        "measures": list(programme.measures.order_by("pk").values()),
        "targets": list(
            YearTarget.objects.filter(measure__programme=programme).order_by("pk").values()
        ),
        "assessments": list(
            Assessment.objects.filter(measure__programme=programme).order_by("pk").values()
        ),
        "history": Measure.history.count()
        + YearTarget.history.count()
        + Assessment.history.count(),
    }


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    zorg, midterm, controller_client
):
    content = xlsx(almelo_rows())
    preview_and_confirm(controller_client, content, programme=zorg, period=midterm)
    before = state(zorg)
    response = upload(controller_client, content, programme=zorg, period=midterm)
    preview = controller_client.get(response["Location"]).content.decode()
    assert "0 nieuw, 0 gewijzigd, 15 ongewijzigd" in preview
    assert "Dit bestand verandert niets" in preview and "Import bevestigen" not in preview
    confirm(controller_client, response["Location"], {"digest": digest_in_plan(preview)})
    assert state(zorg) == before
    assert ImportRecord.objects.order_by("pk").last().counts["unchanged"] == 15


def digest_in_plan(html: str) -> str:
    """The digest is only in the page with a confirm button; without one, confirm what
    the record holds, as an old browser tab would."""
    record = ImportRecord.objects.order_by("pk").last()
    return digest_in(html) if 'name="digest"' in html else record.preview_digest


def test_csv_from_dutch_excel_imports_the_same(zorg, midterm, controller_client):
    content = csv_bytes(almelo_rows(), encoding="cp1252")
    result = preview_and_confirm(
        controller_client, content, programme=zorg, period=midterm, name="maatregelen.csv"
    )
    assert "Import uitgevoerd" in result.content.decode()
    assert_reference_figures(overview_rows(controller_client, midterm))


def test_imported_statuses_become_the_owners_starting_point(zorg, midterm, controller_client):
    """The working copy follows the import as approved, so the owner's next update starts
    from the imported status instead of bringing back the one it replaced."""
    from measures.constants import UpdateState
    from measures.models import MeasureUpdate

    preview_and_confirm(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    update = MeasureUpdate.objects.get(
        period=midterm, measure__title="Uitbreiden kinder- en pubercoach"
    )
    assert update.state == UpdateState.APPROVED and update.status.label == "Nee"
    rows = almelo_rows()
    next(row for row in rows if len(row) > 3 and row[3] == "Uitbreiden kinder- en pubercoach")[
        -1
    ] = "Ja"
    preview_and_confirm(controller_client, xlsx(rows), programme=zorg, period=midterm)
    update.refresh_from_db()
    assert update.status.label == "Ja" and update.version == 2


def test_an_update_waiting_for_approval_is_left_for_the_controller(
    zorg, midterm, controller_client, django_user_model
):
    from measures import services
    from measures.constants import UpdateState
    from measures.models import MeasureUpdate, StatusLevel

    preview_and_confirm(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    update = MeasureUpdate.objects.get(period=midterm, measure__title="Peuteropvang")
    controller = django_user_model.objects.get(username="controller")
    nee = StatusLevel.objects.get(scale=zorg.status_scale, label="Nee")
    services.save_update(
        update_id=update.pk,
        user=controller,
        expected_version=update.version,
        content={"status": nee, "cause": "c", "consequence": "g", "corrective_action": "b"},
        years={},
    )
    services.submit_update(update_id=update.pk, user=controller)
    rows = almelo_rows()
    next(row for row in rows if len(row) > 3 and row[3] == "Peuteropvang")[-1] = "-"
    preview_and_confirm(controller_client, xlsx(rows), programme=zorg, period=midterm)
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED and update.status == nee
