"""The programme's chapter in the PDF report: approved texts, per goal the themes with
their action points' status at two moments, the indicators and the BBV table, read back
from a real PDF."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from chapters.chapter import CHAPTER_QUERIES, load_chapter
from chapters.models import (
    ActionPoint,
    ActionPointStatus,
    Text,
    TextKind,
    TextVersion,
    Theme,
)
from indicators.models import Indicator, IndicatorPart, IndicatorValue, NationalIndicator
from measures.constants import UpdateState
from measures.models import Goal, ReportingPeriod, StatusLevel, StatusScale
from reports.builder import build_report_data
from tests.factories import make_programme
from tests.reports.pdfs import (
    outline_titles,
    page_texts,
    pdf_through_job,
    squeezed,
    structure_elements,
)

# Enschede's five levels, with their long labels.
FIVE_LEVELS = [
    ("Loopt achter, bijsturing heeft onvoldoende effect", "cross", False),
    ("Loopt achter, bijsturing mogelijk", "warning", False),
    ("Conform verwachting", "check", True),
    ("Boven verwachting", "arrow_up", True),
    ("Neutrale wijziging", "dash", True),
]


def make_chapter(action_points: int = 3):
    """A programme with a five-level scale, a previous and a current period, a goal A
    with a theme of action points, texts (approved and draft) and indicators."""
    current = make_programme(2, name="Programma Sociaal domein")
    programme = current.programme
    current.name = "Jaarverslag 2024"
    current.reference_date = date(2024, 12, 31)
    current.save()
    previous = ReportingPeriod.objects.create(
        programme=programme,
        name="Tussenrapportage 2024",
        kind="tussenrapportage",
        reference_date=date(2024, 6, 30),
    )
    scale = StatusScale.objects.create(organisation=programme.organisation, name="Vijf niveaus")
    levels = [
        StatusLevel.objects.create(
            scale=scale, label=label, icon=icon, counts_as_on_course=on_course, order=i
        )
        for i, (label, icon, on_course) in enumerate(FIVE_LEVELS)
    ]
    programme.status_scale = scale
    programme.save()

    goal = Goal.objects.create(
        programme=programme,
        number=1,
        code="A",
        title="Inwoners doen mee naar vermogen in een inclusieve stad",
        short_title="Meedoen naar vermogen",
    )
    theme = Theme.objects.create(
        programme=programme, goal=goal, number="1", title="Toegang tot ondersteuning"
    )
    approved = {"approved_at": timezone.now(), "state": UpdateState.APPROVED}
    points = ActionPoint.objects.bulk_create(
        ActionPoint(
            programme=programme,
            theme=theme,
            number=str(i + 1),
            sort_key=str(i + 1).zfill(5),
            title=f"Actiepunt {i + 1}: wijkteams werken samen met de huisarts",
        )
        for i in range(action_points)
    )
    ActionPointStatus.objects.bulk_create(
        ActionPointStatus(
            action_point=point,
            period=previous,
            approved_status=levels[1],
            approved_explanation="",
            **approved,
        )
        for point in points
    )
    ActionPointStatus.objects.bulk_create(
        ActionPointStatus(
            action_point=point,
            period=current,
            status=levels[4],  # the draft says otherwise: not shown
            approved_status=levels[0] if i == 0 else levels[2],
            approved_explanation="De wachttijd is opgelopen door personeelstekort."
            if i == 0
            else "",
            **approved,
        )
        for i, point in enumerate(points)
    )

    def text(kind, heading, body, *, goal=None, draft_body="", approve=True):
        place = Text.objects.create(programme=programme, goal=goal, kind=kind, heading=heading)
        TextVersion.objects.create(
            text=place,
            period=current,
            heading=heading,
            body=draft_body or body,
            approved_heading=heading if approve else "",
            approved_body=body if approve else "",
            **(approved if approve else {}),
        )

    text(TextKind.AMBITION, "Ambitie", "Iedereen doet mee.\n\nWe werken <samen> in de wijk.")
    text(
        TextKind.RESULTS,
        "Behaalde resultaten",
        "- Wachttijden Wmo gehalveerd\n- 300 inwoners aan het werk",
        goal=goal,
        draft_body="Conceptversie die nog niet is goedgekeurd",
    )
    text(TextKind.LOOKING_BACK, "Terugblik", "Nog niet goedgekeurde terugblik", approve=False)

    sporters = Indicator.objects.create(
        programme=programme, national=NationalIndicator.objects.get(number=20), decimals=1
    )
    IndicatorValue.objects.create(
        indicator=sporters, period=current, year=2016, kind="realisatie", value=Decimal("47.7")
    )
    own_strength = Indicator.objects.create(
        programme=programme,
        goal=goal,
        name="Eigen kracht van inwoners",
        unit="%",
        unit_after_value=True,
        source="Burgerpeiling",
    )
    for i, (label, figure) in enumerate([("Redden", 76), ("Meedoen", 80), ("Gezond", 76)]):
        part = IndicatorPart.objects.create(indicator=own_strength, label=label, order=i)
        IndicatorValue.objects.create(
            indicator=own_strength,
            part=part,
            period=current,
            year=2017,
            kind="streefwaarde",
            value=Decimal(figure),
        )
    households = Indicator.objects.create(
        programme=programme, name="Huishoudens met hulp bij het huishouden", unit="aantal"
    )
    IndicatorValue.objects.create(
        indicator=households, period=current, year=2016, kind="realisatie", value=Decimal(6626)
    )
    return ReportingPeriod.objects.select_related("programme__organisation").get(pk=current.pk)


@pytest.fixture
def current(db):
    return make_chapter()


@pytest.fixture
def pdf(current, manager_client):
    return pdf_through_job(manager_client, current)


@pytest.fixture
def text(pdf):
    """The chapter's text, from its heading on."""
    whole = "\n".join(squeezed(page) for page in page_texts(pdf))
    return whole[whole.rindex("Programma: doelen, actiepunten en indicatoren") :]


def test_chapter_shows_the_approved_texts_and_never_a_draft(text):
    assert "Ambitie" in text
    assert "Iedereen doet mee." in text
    assert "We werken <samen> in de wijk." in text
    assert "• Wachttijden Wmo gehalveerd" in text
    assert "• 300 inwoners aan het werk" in text
    assert "Conceptversie" not in text
    assert "Nog niet goedgekeurde terugblik" not in text
    assert "Terugblik" not in text


def test_action_points_show_both_moments_with_their_labels(text):
    assert re.search(r"Actiepunt Status Tussenrapportage 2024 Status Jaarverslag 2024", text)
    # Both columns: the previous period's status and this one's, icon and label.
    assert "Loopt achter, bijsturing" in text
    assert "Conform verwachting" in text
    assert "Loopt achter, bijsturing heeft onvoldoende effect" in text.replace("\n", " ")
    assert "Ad 1" in text
    assert "De wachttijd is opgelopen door personeelstekort." in text
    # The draft's "Neutrale wijziging" is only in the legend, once.
    assert text.count("Neutrale wijziging") == 1
    assert "Legenda bij de status van de actiepunten:" in text


def test_indicators_and_the_bbv_table(text):
    assert "Doel A: Meedoen naar vermogen" in text
    assert "Eigen kracht van inwoners" in text
    assert "76%; 80%; 76%" in text
    assert "Beleidsveld Naam indicator Eenheid Jaar Score Bron" in text
    # The policy field wraps inside its cell, wherever the width makes it.
    assert re.search(r"^5\. Sport, cultuur .*Niet-sporters % 2016 47,7 Gezondheidsenqu", text, re.M)
    assert "recreatie" in text
    # Each indicator its own table, named in its caption.
    assert re.search(
        r"^Huishoudens met hulp bij het huishouden\nEenheid Jaar Soort Waarde Bron\n+"
        r"aantal 2016 Realisatie 6\.626$",
        text,
        re.M,
    )


def test_indicator_charts_are_tagged_figures_kept_whole_with_their_figures(pdf):
    """The chapter page's chart of each indicator with a series (a composite has none),
    as the savings chart stands in the PDF: a tagged figure with its text alternative
    and its figures as a table, on one page."""
    alternatives = [
        element["/Alt"]
        for element in structure_elements(pdf)
        if element["/S"] == "/Figure" and "Huishoudens" in element.get("/Alt", "")
    ]
    assert alternatives == [
        "Staafdiagram van Huishoudens met hulp bij het huishouden per jaar, 2016 tot en met "
        "2016, met realisatie. De cijfers staan in de tabel bij de grafiek."
    ]
    [page] = [page for page in page_texts(pdf) if "Verloop per jaar (aantal)" in page]
    figures = squeezed(page)
    assert "Cijfers bij de grafiek van Huishoudens met hulp bij het huishouden" in figures
    assert re.search(r"^Soort 2016\n+Realisatie 6\.626$", figures, re.M)
    assert "Cijfers bij de grafiek van Eigen kracht" not in "\n".join(page_texts(pdf))


def test_new_headings_are_bookmarked_and_in_the_contents_and_pages_stay_numbered(pdf):
    titles = outline_titles(pdf)
    for title in (
        "Programma: doelen, actiepunten en indicatoren",
        "Ambitie",
        "Doel A: Meedoen naar vermogen",
        "1. Toegang tot ondersteuning",
        "Verplichte beleidsindicatoren (BBV)",
        "Indicatoren van het programma",
    ):
        assert title in titles
    contents = squeezed(page_texts(pdf, layout=False)[1])
    assert re.search(r"Programma: doelen, actiepunten en indicatoren ?\.+ ?\d+", contents)
    assert re.search(r"Doel A: Meedoen naar vermogen ?\.+ ?\d+", contents)
    pages = [squeezed(page) for page in page_texts(pdf)]
    for number, page in enumerate(pages[1:], start=2):
        lines = [line for line in page.splitlines() if line.strip()]
        assert lines[-1].endswith(f"Pagina {number} van {len(pages)}")


def test_a_programme_without_chapter_leaves_it_out(db, manager_client):
    period = make_programme(2)
    data = build_report_data(
        ReportingPeriod.objects.select_related("programme__organisation").get(pk=period.pk),
        built_at=timezone.now(),
    )
    assert not data.chapter.has_content
    content = pdf_through_job(manager_client, period)
    assert "Programma: doelen" not in "\n".join(page_texts(content))


@pytest.mark.parametrize("action_points", [10, 200])
def test_chapter_takes_the_same_queries_for_any_number_of_action_points(
    action_points, db, django_assert_num_queries
):
    period = make_chapter(action_points)
    levels = build_report_data(period, built_at=timezone.now()).levels
    with django_assert_num_queries(CHAPTER_QUERIES):
        chapter = load_chapter(period, levels=levels)
    [goal] = chapter.goals
    assert len(goal.themes[0].points) == action_points
