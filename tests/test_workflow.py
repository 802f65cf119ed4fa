"""The update workflow: owners update, controllers approve or send back, periods close."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from measures import services
from measures.constants import Role, UpdateState
from measures.models import Assessment, Measure, MeasureUpdate, ReportingPeriod, StatusLevel
from measures.overview_data import load_overview
from tests.conftest import make_user
from tests.workflow import form_data, open_period, update_of


@pytest.fixture
def owner(almelo, django_user_model):
    return django_user_model.objects.get(username="invoerder")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def demo_controller(almelo, django_user_model):
    return django_user_model.objects.get(username="controller")


def level(label: str) -> StatusLevel:
    return StatusLevel.objects.get(scale__programmes__name="Programma Zorg", label=label)


def test_my_measures_lists_what_needs_doing_with_the_deadline(owner_client):
    content = owner_client.get(reverse("my_measures")).content.decode()
    assert "uiterlijk bijwerken op <strong>23 oktober 2020</strong>" in content
    assert "Nog bij te werken (6)" in content and "Wacht op goedkeuring (2)" in content
    assert "Peuteropvang" not in content  # owned by someone else


def test_my_measures_shows_a_returned_update_with_its_reason(almelo, client, django_user_model):
    client.force_login(django_user_model.objects.get(username="projectleider.jeugd"))
    content = client.get(reverse("my_measures")).content.decode()
    assert "Teruggestuurd: graag aanpassen (1)" in content
    assert "Geef aan of de ombouw in 2021 nog start" in content


def test_owner_saves_dutch_amounts_and_pm_and_sees_them_echoed(owner_client):
    update = update_of("Stoppen met dienstencheques")
    data = form_data(
        update, forecast_2021="115.000", forecast_2022="PM", realised_2019="82", save="1"
    )
    response = owner_client.post(reverse("update_form", args=[update.pk]), data)
    assert response.status_code == 302
    update.refresh_from_db()
    years = {y.year: (y.forecast, y.forecast_is_pm, y.realised) for y in update.years.all()}
    assert years[2021] == (115_000, False, None) and years[2022] == (None, True, None)
    assert years[2019] == (None, False, 82)
    assert update.state == UpdateState.DRAFT and update.version == 2
    page = owner_client.get(reverse("update_form", args=[update.pk])).content.decode()
    assert 'value="115.000"' in page and 'value="PM"' in page


def test_bad_amount_gets_a_dutch_message_at_the_field_and_saves_nothing(owner_client):
    update = update_of("Stoppen met dienstencheques")
    data = form_data(update, forecast_2021="veel", explanation="gewijzigd", save="1")
    response = owner_client.post(reverse("update_form", args=[update.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["forecast_2021"] == [
        "Vul een bedrag in hele euro's in, zoals 1.580.000, of PM."
    ]
    update.refresh_from_db()
    assert update.explanation != "gewijzigd" and update.version == 1


def test_not_on_course_needs_cause_consequence_and_corrective_action(owner_client):
    update = update_of("Stoppen met dienstencheques")
    data = form_data(update, status=str(level("Nee").pk), submit="1")
    response = owner_client.post(reverse("update_form", args=[update.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["cause"] == ["Beschrijf de oorzaak: de maatregel is niet op koers."]
    assert set(errors) == {"cause", "consequence", "corrective_action"}
    update.refresh_from_db()
    # A refused submit stores nothing, as the page says.
    assert update.state == UpdateState.DRAFT and update.version == 1
    assert update.status.label == "Ja"

    data = form_data(update, cause="c", consequence="g", corrective_action="b", submit="1")
    assert owner_client.post(reverse("update_form", args=[update.pk]), data).status_code == 302
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED and update.cause == "c"


def test_unchanged_measure_is_one_click(owner_client, owner):
    update = update_of("Dagstructurering")
    response = owner_client.post(reverse("submit_unchanged", args=[update.pk]))
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED and update.submitted_by == owner
    assert update.status.label == "Ja"  # carried over from the approved Midterm review


def test_the_controller_who_opened_the_period_approves_an_unchanged_submission(
    almelo, demo_controller, owner
):
    update = update_of("Dagstructurering")
    services.submit_update(update_id=update.pk, user=owner)
    approved = services.approve_updates(update_ids=[update.pk], user=demo_controller)
    assert approved[0].state == UpdateState.APPROVED


def test_exports_never_carry_submitted_statuses(almelo, controller_client):
    import csv
    import io

    params = {"periode": open_period().pk, "concepten": "1", "_export": "csv"}
    content = controller_client.get(reverse("overview"), params).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    washing = next(row for row in rows if row[1] == "Anders organiseren wassen en strijken")
    assert washing[6] == "-"  # the approved status, not the submitted "Nee"


def test_controller_approves_several_at_once_and_the_overview_follows(almelo, controller_client):
    waiting = list(MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED))
    assert len(waiting) == 2
    response = controller_client.post(reverse("approvals"), {"update": [u.pk for u in waiting]})
    assert response.status_code == 302
    assert not MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).exists()
    assessment = Assessment.objects.get(
        period=open_period(), measure__title="Anders organiseren wassen en strijken"
    )
    assert assessment.status.label == "Nee" and assessment.cause.startswith("De Europese")
    assert {y.year: y.forecast for y in assessment.years.all()} == {2020: 0, 2021: 200_000}


def test_the_overview_shows_the_approved_state_and_drafts_only_when_asked(
    almelo, controller_client
):
    period = open_period()
    rows = load_overview(period).overview.measure_rows
    washing = next(row for row in rows if row.label == "Anders organiseren wassen en strijken")
    assert washing.status.label == "-" and not washing.is_draft
    url = reverse("overview")
    page = controller_client.get(url, {"periode": period.pk, "concepten": "1"}).content.decode()
    assert "(ingediend)" in page and "hun status is gemarkeerd" in page
    rows = load_overview(period, include_submitted=True).overview.measure_rows
    washing = next(row for row in rows if row.label == "Anders organiseren wassen en strijken")
    assert washing.status.label == "Nee" and washing.is_draft


def test_managers_cannot_switch_on_the_drafts(almelo, manager_client):
    page = manager_client.get(reverse("overview"), {"periode": open_period().pk, "concepten": "1"})
    assert "(ingediend)" not in page.content.decode()


def test_four_eyes_nobody_approves_their_own_update(almelo, demo_controller):
    update = update_of("Peuteropvang")
    data = {"explanation": "Door de controller zelf", "status": level("Ja")}
    services.save_update(
        update_id=update.pk,
        user=demo_controller,
        expected_version=update.version,
        content=data,
        years={},
    )
    services.submit_update(update_id=update.pk, user=demo_controller)
    with pytest.raises(ValidationError, match="keurt een ander goed"):
        services.approve_updates(update_ids=[update.pk], user=demo_controller)
    other = make_user("tweede-controller", Role.CONTROLLER)
    services.approve_updates(update_ids=[update.pk], user=other)
    assert (
        Assessment.objects.get(period=update.period, measure=update.measure).explanation
        == "Door de controller zelf"
    )


def test_approving_is_all_or_nothing(almelo, demo_controller):
    submitted = update_of("Aanpassing PGB tarieven")
    draft = update_of("Dagstructurering")
    with pytest.raises(ValidationError, match="is niet ingediend"):
        services.approve_updates(update_ids=[submitted.pk, draft.pk], user=demo_controller)
    submitted.refresh_from_db()
    assert submitted.state == UpdateState.SUBMITTED


def test_sending_back_needs_a_reason_which_the_owner_sees(almelo, controller_client, owner):
    update = update_of("Aanpassing PGB tarieven")
    url = reverse("return_update", args=[update.pk])
    response = controller_client.post(url, {"reason": ""})
    assert response.context["form"].errors["reason"] == ["Geef aan waarom u de update terugstuurt."]
    controller_client.post(url, {"reason": "Onderbouw de 110 duizend euro."})
    update.refresh_from_db()
    assert update.state == UpdateState.RETURNED
    owner_client = Client()
    owner_client.force_login(owner)
    page = owner_client.get(reverse("update_form", args=[update.pk])).content.decode()
    assert "Onderbouw de 110 duizend euro." in page


def test_invoerder_cannot_edit_someone_elses_measure(owner_client, owner):
    update = update_of("Peuteropvang")
    assert owner_client.get(reverse("update_form", args=[update.pk])).status_code == 403
    assert owner_client.post(reverse("submit_unchanged", args=[update.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_update(
            update_id=update.pk, user=owner, expected_version=1, content={}, years={}
        )


def test_a_delegate_may_edit(almelo, client):
    delegate = make_user("plaatsvervanger", Role.INVOERDER)
    update = update_of("Peuteropvang")
    update.measure.delegates.add(delegate)
    client.force_login(delegate)
    assert client.get(reverse("update_form", args=[update.pk])).status_code == 200
    assert "Peuteropvang" in client.get(reverse("my_measures")).content.decode()


def test_open_period_starts_from_the_last_approved_values(almelo, controller_client):
    response = controller_client.post(
        reverse("periods"),
        {
            "programme": almelo.pk,
            "name": "Voorjaarsnota 2021",
            "kind": "voorjaarsnota",
            "reference_date": "2021-04-01",
            "deadline": "2021-04-20",
        },
    )
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(name="Voorjaarsnota 2021")
    doorbraak = MeasureUpdate.objects.get(period=period, measure__title="Doorbraakmethode")
    assert doorbraak.state == UpdateState.DRAFT
    assert {y.year: y.forecast for y in doorbraak.years.all()}[2020] == 1_800_000
    jeugdhulp = Assessment.objects.get(period=period, measure__title="Jeugdhulp in het onderwijs")
    assert jeugdhulp.status.label == "Nee"
    # Headings get no update of their own.
    assert not MeasureUpdate.objects.filter(
        period=period, measure__number="6", measure__plan__name="Maatregelenplan 2"
    ).exists()


def test_closing_is_refused_while_updates_wait(almelo, controller_client):
    period = open_period()
    response = controller_client.post(reverse("close_period", args=[period.pk]), follow=True)
    assert "Er wachten nog 2 updates op goedkeuring" in response.content.decode()
    period.refresh_from_db()
    assert not period.is_closed


def test_the_full_path_keeps_a_closed_period_exactly_as_approved(almelo, demo_controller, owner):
    """Open, fill, approve, close; later edits in a newer period leave the closed one alone."""
    period = services.open_period(
        programme=almelo,
        name="Voorjaarsnota 2021",
        kind="voorjaarsnota",
        reference_date=date(2021, 4, 1),
        user=demo_controller,
    )
    services.approve_updates(
        update_ids=list(
            MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).values_list("pk", flat=True)
        ),
        user=demo_controller,
    )
    services.close_period(period=open_period(), user=demo_controller)
    update = MeasureUpdate.objects.get(period=period, measure__title="Stoppen met dienstencheques")
    services.save_update(
        update_id=update.pk,
        user=owner,
        expected_version=update.version,
        content={
            "status": level("Nee"),
            "explanation": "x",
            "cause": "c",
            "consequence": "g",
            "corrective_action": "b",
        },
        years={2021: {"forecast": 60_000}},
    )
    services.submit_update(update_id=update.pk, user=owner)
    services.approve_updates(update_ids=[update.pk], user=demo_controller)
    services.close_period(period=period, user=demo_controller)
    before = load_overview(open_period()).overview

    newer = services.open_period(
        programme=almelo,
        name="Najaarsrapportage 2021",
        kind="najaarsrapportage",
        reference_date=date(2021, 10, 1),
        user=demo_controller,
    )
    measure = Measure.objects.get(title="Stoppen met dienstencheques")
    measure.title = "Dienstencheques afgeschaft"
    measure.save()
    measure.targets.filter(year=2021).update(amount=999_000)
    Measure.objects.create(programme=almelo, title="Nieuwe maatregel na afsluiten")
    newer_update = MeasureUpdate.objects.get(period=newer, measure=measure)
    services.save_update(
        update_id=newer_update.pk,
        user=owner,
        expected_version=newer_update.version,
        content={"status": level("Ja")},
        years={},
    )

    for closed in (open_period(), period):
        closed.refresh_from_db()
        assert closed.is_closed
    after = load_overview(open_period()).overview
    assert after.rows == before.rows and after.balance == before.balance == 82_000
    frozen = load_overview(period).overview
    row = next(r for r in frozen.measure_rows if r.label == "Stoppen met dienstencheques")
    assert row.status.label == "Nee" and row.cells[2021].euros == 120_000
    assert "Nieuwe maatregel na afsluiten" not in [r.label for r in frozen.rows]


def test_opening_a_period_with_bad_input_gets_dutch_messages_and_opens_nothing(
    almelo, controller_client
):
    before = ReportingPeriod.objects.count()
    response = controller_client.post(
        reverse("periods"),
        {"programme": "onzin", "name": "", "kind": "voorjaarsnota", "reference_date": "morgen"},
    )
    errors = response.context["form"].errors
    assert errors["programme"] == ["Kies een bestaand programma."]
    assert "name" in errors and "reference_date" in errors
    assert ReportingPeriod.objects.count() == before


def test_closing_asks_first(almelo, controller_client):
    MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).update(state=UpdateState.DRAFT)
    page = controller_client.get(reverse("close_period", args=[open_period().pk]))
    assert "Definitief afsluiten" in page.content.decode()
    assert not open_period().is_closed
