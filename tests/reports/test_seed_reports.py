"""Each seed's chapter produced by `manage.py report` from the demo, with that seed's
layout (its sections and headings, fixtures/*_demo.json) and its figures
(fixtures/reference/*.json), read back from the PDF."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from measures.constants import PeriodKind
from measures.models import Programme, ReportingPeriod
from reports.services import report_pdf
from tests.factories import make_programme
from tests.reports.pdfs import outline_titles, page_texts, reader, squeezed

pytestmark = pytest.mark.seed_layouts

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"


def reference(name: str) -> dict:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


def thousands(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def produce(tmp_path, organisation, period, programme=None) -> bytes:
    output = tmp_path / "rapport.pdf"
    options = {"organisation": organisation, "period": period, "output": str(output)}
    if programme:
        options["programme"] = programme
    call_command("report", **options)
    return output.read_bytes()


def body_text(content: bytes) -> str:
    """The pages after the cover and the contents, squeezed."""
    return "\n".join(squeezed(page) for page in page_texts(content)[2:])


def assert_in_order(text: str, headings: list[str]) -> None:
    position = 0
    for heading in headings:
        found = text.find(heading, position)
        assert found >= 0, f"{heading!r} not found after position {position}"
        position = found + len(heading)


def test_almelo_midterm_review_has_its_sections_and_op_koers_figures(db, tmp_path):
    content = produce(tmp_path, "Almelo", "Midterm review 2020", "Programma Zorg")
    text = body_text(content)
    headings = [
        "Samenvatting",
        "Ambitie en strategische doelen",
        "Terugblik",
        "Waar staan we nu",
        "Betekenis voor de toekomst",
    ]
    assert_in_order(text, headings)
    assert [title for title in outline_titles(content) if title in headings] == headings
    expected = reference("almelo_midterm_2020.json")["expected"]
    totals = " ".join(thousands(value) for value in expected["total_expected_savings"].values())
    assert f"Totaal taakstelling maatregelen {totals}" in text
    assert f"per 2022 {thousands(expected['on_track_total_in_target_year'])}" in text
    assert f"Saldo {expected['balance_in_target_year']}" in text


def test_almelo_jaarverantwoording_has_goals_with_their_results(db, tmp_path):
    text = body_text(produce(tmp_path, "Almelo", "Jaarverantwoording 2018", "Hoofdopgave Zorg"))
    assert_in_order(
        text,
        [
            "Wat wilden we bereiken?",
            "Multidisciplinair",
            "Behaalde resultaten in 2018",
            "Meervoudige",
            "Behaalde resultaten in 2018",
        ],
    )


def test_venlo_jaarverslag_has_its_sections_and_boxes(db, tmp_path):
    text = body_text(produce(tmp_path, "Venlo", "Jaarverslag 2017", "Sociaal domein"))
    assert_in_order(
        text,
        [
            "Begroot vs Realisatie",
            "Wat hebben wij bereikt?",
            "Indicator",
            "Klanttevredenheid",
            "Wat hebben wij daarvoor gedaan?",
            "Veilig Thuis",
            "Wat heeft het gekost?",
            "Producten binnen het programma",
            "Beschermd wonen",
        ],
    )
    # The seed's "Wat heeft het gekost?" of its product Sociale Wijkteams.
    for row in reference("budget_tables.json")["venlo_2017_sociale_wijkteams"]["rows"]:
        figures = [thousands(row["budget"]), thousands(row["actual"]), f"{row['pct']}%"]
        assert f"{row['label']} {' '.join(figures)} {thousands(row['difference'])}" in text


def test_enschede_jaarverslag_has_its_sections_statement_and_explanations(db, tmp_path):
    text = body_text(
        produce(tmp_path, "Enschede", "Jaarverslag 2018", "Maatschappelijke ondersteuning")
    )
    assert_in_order(
        text,
        [
            "Doelenboom",
            "Indicatoren",
            "Wettelijk verplichte indicatoren",
            "Wat hebben we ervoor gedaan?",
            "Status Tussenrapportage 2018",
            "Status Jaarverslag 2018",
            "Wat heeft het gekost?",
            "Toelichting",
            "Verklaring van de verschillen",
        ],
    )
    rows = reference("budget_tables.json")["enschede_2018_maatschappelijke_ondersteuning"]["rows"]
    for row in rows:
        if row["label"] in ("Lasten", "Baten", "Resultaat"):
            figures = " ".join(thousands(value) for value in row["values"])
            assert f"{row['label']} {figures}" in text


def test_hengelo_begroting_has_developments_and_policy_indicators_per_year(db, tmp_path):
    text = body_text(produce(tmp_path, "Hengelo", "Begroting 2018", "Welzijn en Zorg"))
    assert_in_order(
        text,
        [
            "Wat zijn de belangrijkste nieuwe ontwikkelingen in 2018?",
            "Thuis in de buurt",
            "Maatwerk zorg",
            "Beleidsindicatoren",
            "Begroting 2017 Begroting 2018",
        ],
    )
    table = reference("seed_tables_more.json")["hengelo_2018_beleidsindicatoren"]
    clients, support = table["rows"][1], table["rows"][2]
    for row in (clients, support):
        assert thousands(row["begroting_2017"]["value"]) in text
    assert (
        " ".join(thousands(clients[year]["value"]) for year in ("begroting_2017", "begroting_2018"))
        in text
    )
    own_strength = "; ".join(
        f"{value}%" for value in table["rows"][0]["begroting_2018"]["values_pct"]
    )
    assert own_strength in text


def test_long_status_labels_stay_within_the_page(db, tmp_path):
    """Enschede's five-level scale: every glyph of the action points' pages lies inside
    the page box."""
    content = produce(tmp_path, "Enschede", "Jaarverslag 2018", "Maatschappelijke ondersteuning")
    pdf = reader(content)
    checked = 0
    for page in pdf.pages:
        width = float(page.mediabox.width)
        positions = []

        def visit(text, cm, tm, font, size, positions=positions):
            if text.strip():
                positions.append((tm[4] * cm[0] + cm[4], text))

        page.extract_text(visitor_text=visit)
        if not any("bijsturing" in text for _x, text in positions):
            continue
        checked += 1
        assert all(0 <= x < width for x, _text in positions)
    assert checked


def test_a_table_over_two_pages_repeats_its_header(db):
    """The op-koers table of a programme with 60 measures runs over several pages; each
    of them starts the table with its header."""
    period = ReportingPeriod.objects.select_related("programme__organisation").get(
        pk=make_programme(60).pk
    )
    texts = [squeezed(page) for page in page_texts(report_pdf(period).content)]
    # The section's pages: from its first page (its heading after the running header)
    # to the page before the next section, which starts on a page of its own.
    first = next(i for i, text in enumerate(texts) if "\nWaar staan we nu: op koers\n" in text)
    after = next(i for i, text in enumerate(texts) if "\nDoelen en maatregelen\n" in text)
    overview_pages = texts[first:after]
    assert len(overview_pages) >= 2
    for text in overview_pages:
        assert "Volgnr Omschrijving" in text


def test_whole_document_has_every_programme_in_contents_and_bookmarks(almelo, db, tmp_path):
    other = Programme.objects.get(name="Hoofdopgave Zorg")
    ReportingPeriod.objects.create(
        programme=almelo,
        name="Jaarverantwoording 2018",
        kind=PeriodKind.JAARVERANTWOORDING,
        reference_date=date(2018, 12, 31),
    )
    content = produce(tmp_path, "Almelo", "Jaarverantwoording 2018")
    titles = outline_titles(content)
    assert "Hoofdopgave Zorg" in titles and "Programma Zorg" in titles
    contents = squeezed(page_texts(content, layout=False)[1])
    assert contents.index("Hoofdopgave Zorg") < contents.index("Programma Zorg")
    assert "Wat wilden we bereiken?" in contents
    assert other.name in body_text(content)
    assert reader(content).trailer["/Root"].get("/StructTreeRoot") is not None
    assert "Pagina 3 van" in "\n".join(page_texts(content))
