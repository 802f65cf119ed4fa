"""Four eyes on every path that approves a status: the Goedkeuren page, the import page,
the import in the admin and the import command. Nobody approves what they submitted or
last changed themselves, and every approval is on the name of a real user who may
approve."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from imports.models import ImportRecord, ImportStatus
from measures import services
from measures.constants import Role, UpdateState
from measures.models import Assessment, StatusLevel
from tests.conftest import make_user
from tests.imports.conftest import confirm, csv_bytes, digest_in, upload
from tests.workflow import open_period, update_of

MEASURE = "Peuteropvang"  # Maatregelenplan 1, number 4; its update is a draft in the demo


def nee():
    return StatusLevel.objects.get(scale__programmes__name="Programma Zorg", label="Nee")


def status_file(status: str = "Nee") -> bytes:
    """The controller's own status for Peuteropvang, as a CSV from Dutch Excel."""
    return csv_bytes(
        [
            ["Maatregelenplan", "Volgnr", "Titel", "Op koers"],
            ["Maatregelenplan 1", "4", MEASURE, status],
        ]
    )


def assessment():
    return Assessment.objects.select_related("status", "approved_by").get(
        period=open_period(), measure__title=MEASURE
    )


@pytest.fixture
def demo_controller(almelo, django_user_model):
    return django_user_model.objects.get(username="controller")


@pytest.fixture
def own_submission(demo_controller):
    """The demo controller's own update of Peuteropvang, waiting for approval."""
    update = update_of(MEASURE)
    services.save_update(
        update_id=update.pk,
        user=demo_controller,
        expected_version=update.version,
        content={"status": nee(), "cause": "o", "consequence": "g", "corrective_action": "b"},
        years={},
    )
    return services.submit_update(update_id=update.pk, user=demo_controller)


def try_to_import(client, url: str, content: bytes):
    """Upload and, when a preview comes back, confirm it: all a controller can do."""
    period = open_period()
    response = client.post(
        url,
        {
            "programme": period.programme.pk,
            "period": period.pk,
            "file": _named(content),
        },
    )
    if response.status_code != 302:
        return response
    preview = client.get(response["Location"])
    return confirm(
        client, response["Location"], {"digest": digest_in(preview.content.decode())}
    ).result


def _named(content: bytes):
    file = io.BytesIO(content)
    file.name = "statussen.csv"
    return file


def approval():
    """The approved state of Peuteropvang in the open period, and who approved it when."""
    approved = assessment()
    return (approved.status_id, approved.approved_by_id, approved.approved_at)


@pytest.mark.parametrize(
    "url_name", ["imports:start", "admin:imports_importrecord_import"], ids=["page", "admin"]
)
def test_a_controller_cannot_approve_their_own_update_by_importing_its_status(
    own_submission, demo_controller, client, url_name
):
    before = approval()
    client.force_login(demo_controller)
    response = try_to_import(client, reverse(url_name), status_file())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Regel 2, kolom D (Op koers)" in page
    assert "een update die u zelf indiende of wijzigde, keurt een ander goed" in page
    assert approval() == before
    own_submission.refresh_from_db()
    assert own_submission.state == UpdateState.SUBMITTED
    assert ImportRecord.objects.get().status == ImportStatus.REFUSED


def test_an_own_update_submitted_after_the_preview_is_refused_at_confirmation(
    demo_controller, client
):
    client.force_login(demo_controller)
    response = upload(
        client, status_file(), programme=open_period().programme, period=open_period()
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    update = update_of(MEASURE)
    services.save_update(
        update_id=update.pk,
        user=demo_controller,
        expected_version=update.version,
        content={"explanation": "Door de controller zelf"},
        years={},
    )
    before = approval()
    result = confirm(client, response["Location"], {"digest": digest_in(preview)}).page
    assert "Import niet uitgevoerd" in result and "keurt een ander goed" in result
    assert approval() == before


def test_another_controller_approves_the_imported_status_on_their_own_name(own_submission, client):
    colleague = make_user("tweede-controller", Role.CONTROLLER)
    client.force_login(colleague)
    response = try_to_import(client, reverse("imports:start"), status_file())
    assert "Import uitgevoerd" in response.content.decode()
    approved = assessment()
    assert approved.status == nee() and approved.approved_by == colleague
    own_submission.refresh_from_db()
    assert own_submission.state == UpdateState.SUBMITTED  # still the owner's word to review


def write_file(tmp_path, content: bytes):
    path = tmp_path / "statussen.csv"
    path.write_bytes(content)
    return str(path)


def run_import(path, *extra):
    period = open_period()
    call_command(
        "import_measures",
        path,
        "--programme",
        period.programme.name,
        "--period",
        period.name,
        *extra,
    )


def test_the_command_needs_a_user_to_approve_a_status(almelo, tmp_path):
    before = approval()
    with pytest.raises(CommandError, match="--user") as raised:
        run_import(write_file(tmp_path, status_file()))
    assert "niets geïmporteerd" in str(raised.value)
    assert approval() == before
    assert not Assessment.objects.filter(approved_by=None, approved_at__isnull=False).exists()


def test_the_command_refuses_a_user_who_submitted_the_update(own_submission, tmp_path, capsys):
    before = approval()
    with pytest.raises(CommandError, match="Niets geïmporteerd"):
        run_import(write_file(tmp_path, status_file()), "--user", "controller")
    assert "keurt een ander goed" in capsys.readouterr().out
    assert approval() == before


def test_the_command_refuses_a_user_who_may_not_approve(almelo, tmp_path):
    before = approval()
    with pytest.raises(CommandError, match="mag geen maatregelen importeren"):
        run_import(write_file(tmp_path, status_file()), "--user", "invoerder")
    assert approval() == before


def test_the_command_approves_on_the_name_of_the_user_it_is_given(own_submission, tmp_path):
    colleague = make_user("tweede-controller", Role.CONTROLLER)
    run_import(write_file(tmp_path, status_file()), "--user", colleague.username)
    approved = assessment()
    assert approved.status == nee() and approved.approved_by == colleague


def test_the_command_without_a_user_imports_nothing_at_all(almelo, tmp_path):
    """Every write is in a real user's name, also one that approves nothing."""
    content = csv_bytes(
        [
            ["Eenheid bedragen", "x € 1.000"],
            ["Maatregelenplan", "Volgnr", "Titel", 2022],
            ["Maatregelenplan 1", "4", MEASURE, "PM"],
        ]
    )
    with pytest.raises(CommandError, match="--user"):
        call_command(
            "import_measures", write_file(tmp_path, content), "--programme", "Programma Zorg"
        )
    assert not ImportRecord.objects.exists()
    assert not update_of(MEASURE).measure.targets.get(year=2022).is_pm


def test_no_approval_without_a_user(own_submission):
    with pytest.raises(PermissionDenied):
        services.approve_updates(update_ids=[own_submission.pk], user=None)
    with pytest.raises(ValidationError, match="op naam van een gebruiker"):
        services.approve(
            measure=own_submission.measure,
            period=own_submission.period,
            user=None,
            imported={"status": nee()},
        )
    own_submission.refresh_from_db()
    assert own_submission.state == UpdateState.SUBMITTED


def test_the_approval_page_refuses_an_own_update_and_a_colleague_approves_it(
    own_submission, demo_controller, client
):
    client.force_login(demo_controller)
    response = client.post(reverse("approvals"), {"update": [own_submission.pk]}, follow=True)
    assert "een update die u zelf indiende of wijzigde, keurt een ander goed" in (
        response.content.decode()
    )
    own_submission.refresh_from_db()
    assert own_submission.state == UpdateState.SUBMITTED

    colleague = make_user("tweede-controller", Role.CONTROLLER)
    client.force_login(colleague)
    response = client.post(reverse("approvals"), {"update": [own_submission.pk]}, follow=True)
    assert "1 update goedgekeurd." in response.content.decode()
    approved = assessment()
    assert approved.status == nee() and approved.approved_by == colleague


def test_a_controller_who_changed_the_update_cannot_approve_after_the_owner_resubmits(
    demo_controller, client
):
    """The owner submitting unchanged makes them the last saver, but the content is still
    the controller's: whoever changed an update since it was last approved approves
    nothing of it."""
    update = update_of(MEASURE)
    owner = update.measure.owner
    services.save_update(
        update_id=update.pk,
        user=demo_controller,
        expected_version=update.version,
        content={"explanation": "Door de controller geschreven."},
        years={},
    )
    # The owner opens the form and presses Indienen without changing anything: the form
    # saves (making the owner the last saver) and submits.
    update.refresh_from_db()
    services.save_update(
        update_id=update.pk, user=owner, expected_version=update.version, content={}, years={}
    )
    services.submit_update(update_id=update.pk, user=owner)
    before = approval()

    client.force_login(demo_controller)
    response = client.post(reverse("approvals"), {"update": [update.pk]}, follow=True)

    assert "een update die u zelf indiende of wijzigde, keurt een ander goed" in (
        response.content.decode()
    )
    assert approval() == before
    colleague = make_user("tweede-controller", Role.CONTROLLER)
    client.force_login(colleague)
    client.post(reverse("approvals"), {"update": [update.pk]})
    assert assessment().approved_by == colleague


def test_the_command_writes_nothing_in_the_name_of_a_user_who_may_not_import(almelo, tmp_path):
    content = csv_bytes(
        [
            ["Eenheid bedragen", "x € 1.000"],
            ["Maatregelenplan", "Volgnr", "Titel", 2022],
            ["Maatregelenplan 1", "4", MEASURE, "PM"],
        ]
    )
    with pytest.raises(CommandError, match="mag geen maatregelen importeren"):
        call_command(
            "import_measures",
            write_file(tmp_path, content),
            "--programme",
            "Programma Zorg",
            "--user",
            "invoerder",
        )
    assert not ImportRecord.objects.exists()


def test_goedkeuren_shows_which_updates_the_controller_may_not_approve(own_submission, client):
    """The controller's own submission cannot be chosen; a colleague's page offers it."""
    client.force_login(own_submission.submitted_by)
    page = client.get(reverse("approvals")).content.decode()
    box = f'value="{own_submission.pk}" id="update-{own_submission.pk}"'
    assert box in page
    assert page.split(box, 1)[1].split(">", 1)[0].strip().endswith("disabled")
    assert "U heeft deze update gewijzigd of ingediend: een collega keurt hem goed." in page

    client.force_login(make_user("tweede-controller", Role.CONTROLLER))
    page = client.get(reverse("approvals")).content.decode()
    assert "U heeft deze update gewijzigd of ingediend" not in page


# -- The chapter's texts and action points' statuses (issue 10) ---------------------------


@pytest.fixture
def chapter(almelo):
    from tests.chapter_data import chapter_in

    return chapter_in(open_period())


def write_and_submit(model, row, *, writer, submitter=None, content):
    from chapters import services as chapter_services

    row.refresh_from_db()
    chapter_services.save_row(
        model=model, row_id=row.pk, user=writer, expected_version=row.version, content=content
    )
    return chapter_services.submit_row(model=model, row_id=row.pk, user=submitter or writer)


def chapter_rows(chapter):
    from chapters.models import ActionPointStatus, TextVersion
    from tests.chapter_data import level

    on_course = level(chapter.period, on_course=True)
    return [
        (TextVersion, chapter.version, {"body": "Door de controller geschreven."}),
        (ActionPointStatus, chapter.status, {"status": on_course}),
    ]


@pytest.mark.parametrize("index", [0, 1], ids=["text", "action point"])
def test_a_controller_cannot_approve_a_text_or_status_they_wrote_and_submitted(
    chapter, demo_controller, client, index
):
    from chapters import services as chapter_services

    model, row, content = chapter_rows(chapter)[index]
    write_and_submit(model, row, writer=demo_controller, content=content)
    refusal = services.approval_refusal(update=model.objects.get(pk=row.pk), user=demo_controller)
    assert refusal == "een update die u zelf indiende of wijzigde, keurt een ander goed."
    with pytest.raises(ValidationError, match="keurt een ander goed"):
        chapter_services.approve_rows(model=model, row_ids=[row.pk], user=demo_controller)

    field = "text" if index == 0 else "status"
    client.force_login(demo_controller)
    response = client.post(reverse("chapters:approvals"), {field: [row.pk]}, follow=True)
    assert "keurt een ander goed" in response.content.decode()
    assert model.objects.get(pk=row.pk).state == UpdateState.SUBMITTED

    colleague = make_user("tweede-controller", Role.CONTROLLER)
    client.force_login(colleague)
    response = client.post(reverse("chapters:approvals"), {field: [row.pk]}, follow=True)
    assert "1 onderdeel goedgekeurd." in response.content.decode()
    approved = model.objects.get(pk=row.pk)
    assert approved.state == UpdateState.APPROVED and approved.approved_by == colleague


@pytest.mark.parametrize("index", [0, 1], ids=["text", "action point"])
def test_a_controller_who_edited_after_the_writer_submitted_cannot_approve(
    chapter, demo_controller, index
):
    """The writer submits; the controller changes it and it is submitted again by the
    writer: the content is partly the controller's, so a colleague approves it."""
    from chapters import services as chapter_services

    model, row, content = chapter_rows(chapter)[index]
    owner = chapter.owner
    write_and_submit(model, row, writer=owner, content=dict(content))
    row.refresh_from_db()
    edited = (
        {"body": "Door de controller aangepast."} if index == 0 else {"explanation": "Bijgesteld"}
    )
    write_and_submit(model, row, writer=demo_controller, submitter=owner, content=edited)
    row.refresh_from_db()
    assert row.submitted_by == owner and row.updated_by == demo_controller
    with pytest.raises(ValidationError, match="keurt een ander goed"):
        chapter_services.approve_rows(model=model, row_ids=[row.pk], user=demo_controller)
    # Even after the owner saves last, the controller's edit since approval counts.
    row.refresh_from_db()
    chapter_services.return_row(
        model=model, row_id=row.pk, user=make_user("derde", Role.CONTROLLER), reason="x"
    )
    write_and_submit(model, row, writer=owner, content={})
    with pytest.raises(ValidationError, match="keurt een ander goed"):
        chapter_services.approve_rows(model=model, row_ids=[row.pk], user=demo_controller)
    assert model.objects.get(pk=row.pk).state == UpdateState.SUBMITTED


def test_approving_texts_and_statuses_together_is_all_or_none(chapter, demo_controller):
    """One own row in the batch: nothing is approved, and the refusal names it."""
    from chapters import services as chapter_services
    from chapters.models import ActionPointStatus, TextVersion

    (_, text, text_content), (_, status, status_content) = chapter_rows(chapter)
    write_and_submit(TextVersion, text, writer=chapter.owner, content=text_content)
    write_and_submit(ActionPointStatus, status, writer=demo_controller, content=status_content)
    with pytest.raises(ValidationError) as refused:
        chapter_services.approve_chapter(
            text_ids=[text.pk], status_ids=[status.pk], user=demo_controller
        )
    assert any("keurt een ander goed" in message for message in refused.value.messages)
    assert TextVersion.objects.get(pk=text.pk).state == UpdateState.SUBMITTED
    assert ActionPointStatus.objects.get(pk=status.pk).state == UpdateState.SUBMITTED


def test_the_chapter_approval_page_shows_which_rows_the_controller_may_not_approve(
    chapter, demo_controller, client
):
    from chapters.models import TextVersion

    _, text, content = chapter_rows(chapter)[0]
    write_and_submit(TextVersion, text, writer=demo_controller, content=content)
    client.force_login(demo_controller)
    page = client.get(reverse("chapters:approvals")).content.decode()
    box = f'value="{text.pk}" id="tekst-{text.pk}"'
    assert page.split(box, 1)[1].split(">", 1)[0].strip().endswith("disabled")
    assert "U heeft deze tekst gewijzigd of ingediend: een collega keurt hem goed." in page


def test_no_chapter_approval_without_a_user_who_may_approve(chapter):
    from chapters import services as chapter_services
    from chapters.models import TextVersion

    _, text, content = chapter_rows(chapter)[0]
    write_and_submit(TextVersion, text, writer=chapter.owner, content=content)
    for user in (None, chapter.owner):
        with pytest.raises(PermissionDenied):
            chapter_services.approve_rows(model=TextVersion, row_ids=[text.pk], user=user)
    assert TextVersion.objects.get(pk=text.pk).state == UpdateState.SUBMITTED
