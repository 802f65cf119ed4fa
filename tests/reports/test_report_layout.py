"""A report layout: its validation, in Dutch at the field, and one per organisation and
kind of period."""

import pytest
from django.core.exceptions import ValidationError

from measures.constants import PeriodKind
from reports.models import ReportLayout
from tests.conftest import almelo_organisation as the_almelo


@pytest.fixture
def almelo_organisation(db):
    return the_almelo()


def errors_of(almelo_organisation, sections) -> list[str]:
    layout = ReportLayout(
        organisation=almelo_organisation, kind=PeriodKind.BEGROTING, sections=sections
    )
    with pytest.raises(ValidationError) as raised:
        layout.full_clean()
    return raised.value.message_dict["sections"]


def test_a_layout_of_known_sections_is_valid(almelo_organisation, db):
    layout = ReportLayout(
        organisation=almelo_organisation,
        kind=PeriodKind.BEGROTING,
        sections=[["developments", "Belangrijkste ontwikkelingen {year}"], ["overview", ""]],
    )
    layout.full_clean()


@pytest.mark.parametrize("sections", ["summary", [["summary"]], [["summary", 3]], {"summary": "x"}])
def test_a_layout_must_be_a_list_of_key_and_heading(almelo_organisation, db, sections):
    assert errors_of(almelo_organisation, sections)[0].startswith(
        "Geef een lijst van [sleutel, kop]-paren"
    )


def test_an_unknown_key_is_named(almelo_organisation, db):
    (message,) = errors_of(almelo_organisation, [["summary", ""], ["taart", "Taart"]])
    assert message.startswith("Onderdeel 2: onbekende sleutel 'taart'; kies uit summary,")


def test_a_section_appears_once(almelo_organisation, db):
    (message,) = errors_of(almelo_organisation, [["summary", ""], ["summary", "Nog eens"]])
    assert message == "Onderdeel 2: 'summary' staat al eerder in het rapport."


def test_a_heading_has_a_maximum_length(almelo_organisation, db):
    (message,) = errors_of(almelo_organisation, [["summary", "x" * 201]])
    assert message == "Onderdeel 1: de kop is langer dan 200 tekens."


def test_one_layout_per_organisation_and_kind(almelo_organisation, db):
    ReportLayout.objects.create(
        organisation=almelo_organisation, kind=PeriodKind.BEGROTING, sections=[["summary", ""]]
    )
    duplicate = ReportLayout(
        organisation=almelo_organisation, kind=PeriodKind.BEGROTING, sections=[["summary", ""]]
    )
    with pytest.raises(ValidationError, match="al een opbouw voor deze soort"):
        duplicate.full_clean()
