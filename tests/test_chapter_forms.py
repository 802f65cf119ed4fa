"""Writing a text, setting an action point's status and entering an indicator's values in
forms (issue 10 item 5): Dutch messages at the field, nothing saved on bad input,
concurrent saves told, closed periods read-only."""

from decimal import Decimal

import pytest
from django.urls import reverse

from chapters import services
from chapters.models import ActionPointStatus, TextVersion
from indicators.models import IndicatorPart, IndicatorValue
from measures import services as measure_services
from measures.constants import UpdateState
from measures.models import ReportingPeriod
from tests.chapter_data import chapter_in, demo_user, level
from tests.factories import make_programme
from tests.workflow import form_in_page, open_period


@pytest.fixture
def chapter(almelo):
    return chapter_in(open_period())


@pytest.fixture
def writer(client, chapter):
    client.force_login(chapter.owner)
    return client


def fresh(row):
    return type(row).objects.get(pk=row.pk)


def text_url(chapter):
    return reverse("chapters:text_form", args=[chapter.version.pk])


def status_url(chapter):
    return reverse("chapters:status_form", args=[chapter.status.pk])


# -- The text form --------------------------------------------------------------------


def test_the_text_form_explains_the_body_rule(writer, chapter):
    page = writer.get(text_url(chapter)).content.decode()
    assert "Een lege regel begint een nieuwe alinea" in page
    assert "&#x27;- &#x27; (streepje en spatie) is een opsommingsteken" in page
    assert 'aria-describedby="id_body_helptext"' in page


def test_a_text_is_saved_as_a_draft_and_submitted(writer, chapter):
    data = form_in_page(writer.get(text_url(chapter)).content.decode(), "chapter-form")
    body = "Het jaar in het kort.\n\n- meer wijkteams\n-   minder wachttijd  \n\n\n"
    response = writer.post(text_url(chapter), {**data, "body": body, "save": "1"})
    assert response.status_code == 302
    row = fresh(chapter.version)
    assert row.state == UpdateState.DRAFT and row.updated_by == chapter.owner
    assert row.body == "Het jaar in het kort.\n\n- meer wijkteams\n- minder wachttijd"

    data = form_in_page(writer.get(text_url(chapter)).content.decode(), "chapter-form")
    response = writer.post(text_url(chapter), {**data, "submit": "1"}, follow=True)
    assert "is ingediend ter goedkeuring" in response.content.decode()
    row = fresh(chapter.version)
    assert row.state == UpdateState.SUBMITTED and row.submitted_by == chapter.owner


def test_an_empty_text_is_not_submitted_and_nothing_is_saved(writer, chapter):
    before = fresh(chapter.version)
    data = form_in_page(writer.get(text_url(chapter)).content.decode(), "chapter-form")
    response = writer.post(text_url(chapter), {**data, "heading": "Nieuw", "submit": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "De tekst is niet opgeslagen" in page
    assert 'id="id_body_error"' in page and "Schrijf de tekst voordat u hem indient." in page
    after = fresh(chapter.version)
    assert (after.heading, after.state, after.version) == (
        before.heading,
        before.state,
        before.version,
    )


def test_a_too_long_heading_gets_a_dutch_message_at_the_field(writer, chapter):
    data = form_in_page(writer.get(text_url(chapter)).content.decode(), "chapter-form")
    response = writer.post(text_url(chapter), {**data, "heading": "x" * 301, "save": "1"})
    assert "Een kop heeft ten hoogste 300 tekens." in response.content.decode()
    assert fresh(chapter.version).version == chapter.version.version


def test_two_writers_saving_the_same_text_are_told_not_overwritten(writer, chapter):
    data = form_in_page(writer.get(text_url(chapter)).content.decode(), "chapter-form")
    services.save_row(
        model=TextVersion,
        row_id=chapter.version.pk,
        user=demo_user("controller"),
        expected_version=chapter.version.version,
        content={"body": "Van de controller."},
    )
    response = writer.post(text_url(chapter), {**data, "body": "Van de schrijver.", "save": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Uw wijzigingen zijn niet opgeslagen" in page and "Van de controller." in page
    assert "Van de schrijver." in page  # still in the form
    assert fresh(chapter.version).body == "Van de controller."
    # Saving again after comparing goes on from their version.
    again = form_in_page(page, "chapter-form")
    assert writer.post(text_url(chapter), {**again, "save": "1"}).status_code == 302
    assert fresh(chapter.version).body == "Van de schrijver."


def test_the_return_reason_is_shown_on_the_form(writer, chapter):
    owner = chapter.owner
    services.save_row(
        model=TextVersion,
        row_id=chapter.version.pk,
        user=owner,
        expected_version=chapter.version.version,
        content={"body": "Tekst"},
    )
    services.submit_row(model=TextVersion, row_id=chapter.version.pk, user=owner)
    services.return_row(
        model=TextVersion, row_id=chapter.version.pk, user=demo_user("controller"), reason="Korter"
    )
    page = writer.get(text_url(chapter)).content.decode()
    assert "Teruggestuurd door de controller:" in page and "Korter" in page


@pytest.fixture
def closed_chapter(almelo):
    """A chapter whose period was closed through the service, after its rows were written."""
    period = make_programme(1, name="Programma Afgesloten")
    chapter = chapter_in(period, prefix="Oud: ")
    controller = demo_user("controller")
    measure_services.close_period(period=period, user=controller)
    chapter.period = ReportingPeriod.objects.get(pk=period.pk)
    return chapter


def test_a_closed_period_shows_the_text_and_status_read_only(closed_chapter, client):
    client.force_login(closed_chapter.owner)
    for url, name in [
        (text_url(closed_chapter), "body"),
        (status_url(closed_chapter), "explanation"),
    ]:
        page = client.get(url).content.decode()
        assert "Dit rapportagemoment is afgesloten" in page
        assert '<form method="post" class="form chapter-form"' not in page
        response = client.post(url, {name: "Achteraf", "version": 1, "save": "1"})
        assert response.status_code == 200 and "is afgesloten" in response.content.decode()
    assert fresh(closed_chapter.version).body == ""
    assert fresh(closed_chapter.status).explanation == ""


# -- The status form ------------------------------------------------------------------


def test_the_status_form_offers_the_programmes_scale_with_icons_and_labels(writer, chapter):
    page = writer.get(status_url(chapter)).content.decode()
    for status in chapter.period.programme.status_scale.levels.all():
        assert f'value="{status.pk}"' in page
        assert f'<use href="#icon-{status.icon}">' in page
        assert f'<span class="status__label">{status.label}</span>' in page


def test_a_status_off_course_needs_an_explanation_to_be_submitted(writer, chapter):
    off = level(chapter.period, on_course=False)
    data = form_in_page(writer.get(status_url(chapter)).content.decode(), "chapter-form")
    response = writer.post(status_url(chapter), {**data, "status": off.pk, "submit": "1"})
    page = response.content.decode()
    assert "Licht toe waarom het actiepunt achterloopt" in page
    assert 'id="id_explanation_error"' in page
    row = fresh(chapter.status)
    assert row.status_id is None and row.state == UpdateState.DRAFT

    response = writer.post(
        status_url(chapter),
        {**data, "status": off.pk, "explanation": "Vertraagd door de aanbesteding.", "submit": "1"},
    )
    assert response.status_code == 302
    row = fresh(chapter.status)
    assert row.status == off and row.state == UpdateState.SUBMITTED


def test_a_status_of_another_scale_is_refused_at_the_field(writer, chapter):
    data = form_in_page(writer.get(status_url(chapter)).content.decode(), "chapter-form")
    other = make_programme(1, name="Programma Anders").programme.status_scale.levels.first()
    response = writer.post(status_url(chapter), {**data, "status": other.pk, "save": "1"})
    assert "Kies een status van de schaal van het programma." in response.content.decode()
    assert fresh(chapter.status).status_id is None


def test_an_invoerder_cannot_set_another_owners_action_point(client, chapter):
    client.force_login(demo_user("projectleider.jeugd"))
    assert client.get(status_url(chapter)).status_code == 403
    assert client.post(status_url(chapter), {"version": 1, "save": "1"}).status_code == 403
    assert fresh(chapter.status).version == chapter.status.version


# -- Mijn hoofdstuk and the chapter's Goedkeuren -----------------------------------------


def test_my_chapter_lists_the_writers_texts_action_points_and_indicators(writer, chapter):
    page = writer.get(reverse("chapters:my_chapter")).content.decode()
    assert text_url(chapter) in page and status_url(chapter) in page
    assert reverse("indicators:values_form", args=[chapter.indicator.pk, chapter.period.pk]) in page


def submitted(chapter):
    owner = chapter.owner
    services.save_row(
        model=TextVersion,
        row_id=chapter.version.pk,
        user=owner,
        expected_version=chapter.version.version,
        content={"body": "- één\n- twee"},
    )
    services.submit_row(model=TextVersion, row_id=chapter.version.pk, user=owner)
    services.save_row(
        model=ActionPointStatus,
        row_id=chapter.status.pk,
        user=owner,
        expected_version=chapter.status.version,
        content={"status": level(chapter.period, on_course=True)},
    )
    services.submit_row(model=ActionPointStatus, row_id=chapter.status.pk, user=owner)


def test_a_controller_approves_texts_and_statuses_together(client, chapter):
    submitted(chapter)
    client.force_login(demo_user("controller"))
    page = client.get(reverse("chapters:approvals")).content.decode()
    assert "<li>één</li><li>twee</li>" in page
    response = client.post(
        reverse("chapters:approvals"),
        {"text": [chapter.version.pk], "status": [chapter.status.pk]},
        follow=True,
    )
    assert "2 onderdelen goedgekeurd." in response.content.decode()
    text, status = fresh(chapter.version), fresh(chapter.status)
    assert text.state == status.state == UpdateState.APPROVED
    assert text.approved_body == "- één\n- twee"
    assert status.approved_status == level(chapter.period, on_course=True)


def test_a_controller_sends_a_text_back_with_a_reason(client, chapter):
    submitted(chapter)
    client.force_login(demo_user("controller"))
    url = reverse("chapters:return_row", args=["tekst", chapter.version.pk])
    response = client.post(url, {"reason": ""})
    assert "Geef aan waarom u dit terugstuurt." in response.content.decode()
    assert fresh(chapter.version).state == UpdateState.SUBMITTED
    assert client.post(url, {"reason": "Graag concreter"}).status_code == 302
    row = fresh(chapter.version)
    assert (row.state, row.return_reason) == (UpdateState.RETURNED, "Graag concreter")


# -- Indicator values -----------------------------------------------------------------


def values_url(chapter):
    return reverse("indicators:values_form", args=[chapter.indicator.pk, chapter.period.pk])


def management(total: int, initial: int = 0) -> dict:
    return {
        "waarden-TOTAL_FORMS": str(total),
        "waarden-INITIAL_FORMS": str(initial),
        "waarden-MIN_NUM_FORMS": "0",
        "waarden-MAX_NUM_FORMS": "1000",
    }


def value_row(index: int, **fields) -> dict:
    return {f"waarden-{index}-{name}": value for name, value in fields.items()}


def stored(chapter):
    return sorted(
        IndicatorValue.objects.filter(indicator=chapter.indicator).values_list(
            "year", "kind", "value", "qualifier"
        )
    )


def test_indicator_values_are_entered_in_dutch_notation(writer, chapter):
    response = writer.post(
        values_url(chapter),
        {
            **management(3),
            **value_row(0, year="2018", kind="realisatie", value="7,2", qualifier="cijfers 2017"),
            **value_row(1, year="2019", kind="streefwaarde", value="7,5"),
            **value_row(2, year="", kind="", value=""),
        },
    )
    assert response.status_code == 302
    assert stored(chapter) == [
        (2018, "realisatie", Decimal("7.2"), "cijfers 2017"),
        (2019, "streefwaarde", Decimal("7.5"), ""),
    ]
    value = IndicatorValue.objects.get(indicator=chapter.indicator, year=2018)
    assert value.updated_by == chapter.owner
    assert value.history.first().history_user == chapter.owner
    page = writer.get(values_url(chapter)).content.decode()
    assert 'value="7,2"' in page and 'value="cijfers 2017"' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("7.2", "Vul een getal in zoals 47,7 of 6.626"),
        ("7,25", "Deze indicator heeft 1 decimalen; rond af op 1 cijfers na de komma."),
        ("zeven", "Vul een getal in zoals 47,7 of 6.626"),
    ],
)
def test_a_bad_value_gets_its_message_at_the_field_and_nothing_is_saved(
    writer, chapter, typed, message
):
    response = writer.post(
        values_url(chapter),
        {
            **management(2),
            **value_row(0, year="2018", kind="realisatie", value="7,2"),
            **value_row(1, year="2019", kind="realisatie", value=typed),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "De waarden zijn niet opgeslagen" in page
    assert 'id="id_waarden-1-value_error"' in page and message in page
    assert stored(chapter) == []


def test_the_same_year_and_kind_twice_is_refused(writer, chapter):
    response = writer.post(
        values_url(chapter),
        {
            **management(2),
            **value_row(0, year="2018", kind="realisatie", value="7,2"),
            **value_row(1, year="2018", kind="realisatie", value="7,3"),
        },
    )
    assert "Deze soort waarde staat er voor dit jaar al" in response.content.decode()
    assert stored(chapter) == []


def test_values_are_changed_and_removed_all_or_nothing(writer, chapter):
    first = IndicatorValue.objects.create(
        indicator=chapter.indicator, period=chapter.period, year=2018, kind="realisatie", value=7
    )
    second = IndicatorValue.objects.create(
        indicator=chapter.indicator, period=chapter.period, year=2019, kind="realisatie", value=8
    )
    bad = writer.post(
        values_url(chapter),
        {
            **management(3, initial=2),
            **value_row(0, pk=first.pk, year="2018", kind="realisatie", value="6,9"),
            **value_row(1, pk=second.pk, year="2019", kind="realisatie", value="8", remove="on"),
            **value_row(2, year="2020", kind="streefwaarde", value="1.000.000.000.000"),
        },
    )
    assert "Dit getal is onwaarschijnlijk groot." in bad.content.decode()
    assert len(stored(chapter)) == 2 and stored(chapter)[0][2] == Decimal("7")

    good = writer.post(
        values_url(chapter),
        {
            **management(3, initial=2),
            **value_row(0, pk=first.pk, year="2018", kind="realisatie", value="6,9"),
            **value_row(1, pk=second.pk, year="2019", kind="realisatie", value="8", remove="on"),
            **value_row(2, year="2020", kind="streefwaarde", value="7,5"),
        },
    )
    assert good.status_code == 302
    assert stored(chapter) == [
        (2018, "realisatie", Decimal("6.9"), ""),
        (2020, "streefwaarde", Decimal("7.5"), ""),
    ]
    assert first.history.order_by("-history_id").first().history_user == chapter.owner
    removal = IndicatorValue.history.filter(id=second.pk, history_type="-").get()
    assert removal.history_user == chapter.owner


def test_a_composite_indicators_values_belong_to_a_part(writer, chapter):
    parts = [
        IndicatorPart.objects.create(indicator=chapter.indicator, label=label, order=n)
        for n, label in enumerate(["redden", "meedoen"])
    ]
    response = writer.post(
        values_url(chapter),
        {
            **management(2),
            **value_row(0, part=parts[0].pk, year="2018", kind="realisatie", value="7,6"),
            **value_row(1, part="", year="2018", kind="realisatie", value="8"),
        },
    )
    assert "Kies het deel van de indicator." in response.content.decode()
    assert stored(chapter) == []
    response = writer.post(
        values_url(chapter),
        {
            **management(2),
            **value_row(0, part=parts[0].pk, year="2018", kind="realisatie", value="7,6"),
            **value_row(1, part=parts[1].pk, year="2018", kind="realisatie", value="8"),
        },
    )
    assert response.status_code == 302
    assert sorted(
        IndicatorValue.objects.filter(indicator=chapter.indicator).values_list(
            "part__label", "value"
        )
    ) == [("meedoen", Decimal("8")), ("redden", Decimal("7.6"))]


def test_a_closed_period_shows_values_read_only_and_the_service_refuses(closed_chapter, client):
    from indicators import services as indicator_services
    from indicators.services import ValueRow
    from measures.models import PeriodClosedError

    client.force_login(closed_chapter.owner)
    url = values_url(closed_chapter)
    assert "de waarden kunnen niet meer veranderen" in client.get(url).content.decode()
    client.post(url, {**management(1), **value_row(0, year="2018", kind="realisatie", value="7")})
    assert stored(closed_chapter) == []
    with pytest.raises(PeriodClosedError):
        indicator_services.save_values(
            indicator=closed_chapter.indicator,
            period=closed_chapter.period,
            user=closed_chapter.owner,
            rows=[ValueRow(None, None, 2018, "realisatie", Decimal(7))],
        )
    assert stored(closed_chapter) == []


def test_an_invoerder_cannot_enter_another_owners_indicator(client, chapter):
    client.force_login(demo_user("projectleider.jeugd"))
    url = values_url(chapter)
    assert client.get(url).status_code == 403
    client.post(url, {**management(1), **value_row(0, year="2018", kind="realisatie", value="7")})
    assert stored(chapter) == []
