"""The chapter's core: the body rule, numbering, and the four-eyes workflow of texts and
action-point statuses through chapters.services, against the real database."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chapters import body, services
from chapters.models import (
    ActionPoint,
    ActionPointStatus,
    Text,
    TextKind,
    TextVersion,
    Theme,
    number_sort_key,
)
from measures import services as measure_services
from measures.constants import Role, UpdateState
from measures.models import Goal, PeriodClosedError, StatusLevel
from tests.conftest import make_user
from tests.factories import make_programme


def test_body_paragraphs_and_bullets():
    blocks = body.parse(
        "Eerste alinea\nloopt door.\n\n- punt een\n  vervolg\n* punt twee\n\nSlot <b>vet</b>"
    )
    assert [(b.kind, b.lines) for b in blocks] == [
        ("paragraph", ("Eerste alinea", "loopt door.")),
        ("list", ("punt een vervolg", "punt twee")),
        ("paragraph", ("Slot <b>vet</b>",)),
    ]
    assert body.bullets("• a\n• b") == ["a", "b"]
    assert body.normalised("  a  \n\n\n\n* b\n") == "a\n\n- b"


@pytest.mark.parametrize(
    ("numbers", "ordered"),
    [(["11a", "2", "11", "10", "5b", "5a"], ["2", "5a", "5b", "10", "11", "11a"])],
)
def test_numbers_sort_as_the_seed_numbers_them(numbers, ordered):
    assert sorted(numbers, key=number_sort_key) == ordered


def test_goal_label_is_its_letter_or_its_number(db):
    programme = make_programme(1, name="Programma Letters").programme
    lettered = Goal.objects.create(programme=programme, number=1, code="A", title="Versterken")
    numbered = Goal.objects.create(programme=programme, number=2, title="Ander doel")
    assert (lettered.label, numbered.label) == ("A", "2")
    assert str(lettered) == "Doel A: Versterken"


def test_action_point_number_must_look_like_the_seeds(db):
    programme = make_programme(1, name="Programma Nummers").programme
    point = ActionPoint(programme=programme, number="11-a", title="Fout")
    with pytest.raises(ValidationError) as error:
        point.full_clean()
    assert "number" in error.value.message_dict


@pytest.fixture
def chapter(db):
    """A programme with a theme, an action point owned by an invoerder and a text, and
    one open period with their rows."""
    period = make_programme(1, name="Programma Hoofdstuk")
    programme = period.programme
    writer = make_user("schrijver", Role.INVOERDER)
    controller = make_user("controleur", Role.CONTROLLER)
    other_controller = make_user("tweede", Role.CONTROLLER)
    theme = Theme.objects.create(programme=programme, number="1", title="Thema")
    point = ActionPoint.objects.create(
        programme=programme, theme=theme, number="1", title="AP", owner=writer
    )
    text = Text.objects.create(
        programme=programme, kind=TextKind.SUMMARY, heading="Samenvatting", owner=writer
    )
    services.carry_over(period=period, previous=None, user=controller)
    return {
        "programme": programme,
        "period": period,
        "writer": writer,
        "controller": controller,
        "other": other_controller,
        "point": point,
        "text": text,
        "version": TextVersion.objects.get(text=text, period=period),
        "status": ActionPointStatus.objects.get(action_point=point, period=period),
        "on_course": StatusLevel.objects.get(scale=programme.status_scale, label="Ja"),
        "off_course": StatusLevel.objects.get(scale=programme.status_scale, label="Nee"),
    }


def test_text_goes_through_four_eyes(chapter):
    version = chapter["version"]
    assert version.heading == "Samenvatting" and version.state == UpdateState.DRAFT
    saved = services.save_row(
        model=TextVersion,
        row_id=version.pk,
        user=chapter["writer"],
        expected_version=version.version,
        content={"heading": "Samenvatting", "body": "Alinea.\n\n- punt"},
    )
    services.submit_row(model=TextVersion, row_id=saved.pk, user=chapter["writer"])
    approved = services.approve_rows(
        model=TextVersion, row_ids=[saved.pk], user=chapter["controller"]
    )
    version.refresh_from_db()
    assert approved[0].pk == version.pk
    assert version.state == UpdateState.APPROVED
    assert version.approved_body == "Alinea.\n\n- punt"
    assert version.approved_by == chapter["controller"]


def test_a_controller_does_not_approve_a_text_they_changed(chapter):
    version = chapter["version"]
    controller = chapter["controller"]
    services.save_row(
        model=TextVersion,
        row_id=version.pk,
        user=controller,
        expected_version=version.version,
        content={"body": "Door de controller geschreven."},
    )
    # Someone else submits it after the controller's change: four eyes still hold.
    services.submit_row(model=TextVersion, row_id=version.pk, user=chapter["writer"])
    with pytest.raises(ValidationError, match="keurt een ander goed"):
        services.approve_rows(model=TextVersion, row_ids=[version.pk], user=controller)
    version.refresh_from_db()
    assert version.state == UpdateState.SUBMITTED and version.approved_body == ""
    services.approve_rows(model=TextVersion, row_ids=[version.pk], user=chapter["other"])


def test_an_invoerder_neither_approves_nor_writes_what_is_not_theirs(chapter):
    stranger = make_user("vreemde", Role.INVOERDER)
    status = chapter["status"]
    with pytest.raises(PermissionDenied):
        services.save_row(
            model=ActionPointStatus,
            row_id=status.pk,
            user=stranger,
            expected_version=status.version,
            content={"status": chapter["on_course"]},
        )
    with pytest.raises(PermissionDenied):
        services.approve_rows(model=ActionPointStatus, row_ids=[status.pk], user=chapter["writer"])


def test_an_action_point_off_course_needs_an_explanation(chapter):
    status = chapter["status"]
    services.save_row(
        model=ActionPointStatus,
        row_id=status.pk,
        user=chapter["writer"],
        expected_version=status.version,
        content={"status": chapter["off_course"], "explanation": ""},
    )
    with pytest.raises(ValidationError) as error:
        services.submit_row(model=ActionPointStatus, row_id=status.pk, user=chapter["writer"])
    assert "explanation" in error.value.message_dict


def test_a_stale_version_is_refused(chapter):
    version = chapter["version"]
    services.save_row(
        model=TextVersion,
        row_id=version.pk,
        user=chapter["writer"],
        expected_version=version.version,
        content={"body": "Eerst."},
    )
    with pytest.raises(measure_services.ConcurrentUpdateError):
        services.save_row(
            model=TextVersion,
            row_id=version.pk,
            user=chapter["writer"],
            expected_version=version.version,
            content={"body": "Later, over het eerste heen."},
        )
    version.refresh_from_db()
    assert version.body == "Eerst."


def submit_and_approve_status(chapter, level, explanation=""):
    status = ActionPointStatus.objects.get(action_point=chapter["point"], period=chapter["period"])
    services.save_row(
        model=ActionPointStatus,
        row_id=status.pk,
        user=chapter["writer"],
        expected_version=status.version,
        content={"status": level, "explanation": explanation},
    )
    services.submit_row(model=ActionPointStatus, row_id=status.pk, user=chapter["writer"])
    return status


def test_closing_waits_for_submitted_texts_and_then_freezes_them(chapter):
    status = submit_and_approve_status(chapter, chapter["on_course"])
    with pytest.raises(ValidationError, match="wachten nog 1"):
        measure_services.close_period(period=chapter["period"], user=chapter["controller"])
    services.approve_rows(model=ActionPointStatus, row_ids=[status.pk], user=chapter["controller"])
    measure_services.close_period(period=chapter["period"], user=chapter["controller"])
    version = chapter["version"]
    with pytest.raises(PeriodClosedError):
        services.save_row(
            model=TextVersion,
            row_id=version.pk,
            user=chapter["writer"],
            expected_version=version.version,
            content={"body": "Na sluiten."},
        )
    with pytest.raises(PeriodClosedError):
        TextVersion.objects.filter(pk=version.pk).update(body="Via de queryset.")
    version.refresh_from_db()
    assert version.body == ""


def test_opening_a_period_starts_from_the_previous_approved_copy(chapter):
    status = submit_and_approve_status(chapter, chapter["off_course"], "Ad 1: loopt achter.")
    services.approve_rows(model=ActionPointStatus, row_ids=[status.pk], user=chapter["controller"])
    measure_services.close_period(period=chapter["period"], user=chapter["controller"])
    later = measure_services.open_period(
        programme=chapter["programme"],
        name="Jaarverslag",
        kind="jaarverantwoording",
        reference_date=date(2024, 12, 31),
        user=chapter["controller"],
    )
    carried = ActionPointStatus.objects.get(action_point=chapter["point"], period=later)
    assert carried.approved_status == chapter["off_course"]
    assert carried.status == chapter["off_course"]
    assert carried.explanation == "Ad 1: loopt achter."
    assert carried.state == UpdateState.DRAFT
    assert TextVersion.objects.get(text=chapter["text"], period=later).heading == "Samenvatting"
