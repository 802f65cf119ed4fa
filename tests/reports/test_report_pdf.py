"""The PDF report of the Almelo midterm review, downloaded over HTTP and read back."""

import re

import pytest
from django.urls import reverse

from jobs.models import Job
from jobs.testing import run_worker
from measures.models import Assessment, Goal
from tests.reference import EXPECTED, REFERENCE, YEARS, shown
from tests.reports.pdfs import (
    outline_titles,
    page_texts,
    pdf_through_job,
    reader,
    squeezed,
    structure_elements,
)


@pytest.fixture
def pdf(period, manager_client):
    return pdf_through_job(manager_client, period)


@pytest.fixture
def pages(pdf):
    return [squeezed(text) for text in page_texts(pdf)]


def page_with(pages, heading: str) -> int:
    """The (1-based) number of the page whose first line after the header is `heading`."""
    for number, text in enumerate(pages, start=1):
        lines = [line for line in text.splitlines() if line.strip()]
        if heading in lines[1:3]:
            return number
    raise AssertionError(f"no page starts with {heading!r}")


def test_overview_offers_the_report_as_pdf_in_one_click(period, manager_client):
    page = manager_client.get(reverse("overview"), {"periode": period.pk}).content.decode()
    url = reverse("reports:make_pdf", args=[period.pk])
    assert f'action="{url}"' in page and "Rapport (PDF)" in page

    response = manager_client.post(url, follow=True)
    assert response.redirect_chain[-1][0].startswith("/taken/")
    run_worker()
    job = Job.all_jobs.get()
    response = manager_client.get(job.result_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="programma-zorg-midterm-review-2020-concept.pdf"'
    )
    assert response.content.startswith(b"%PDF-1.7")


def test_report_table_shows_the_seeds_figures(pages):
    text = "\n".join(pages)
    for plan in REFERENCE["plans"]:
        figures = " ".join(shown(plan["expected_subtotal"][year]) for year in YEARS)
        assert f"Subtotaal {plan['name']} {figures}" in text
    totals = " ".join(shown(EXPECTED["total_expected_savings"][year]) for year in YEARS)
    assert f"Totaal taakstelling maatregelen {totals}" in text
    assert "Inventarisatie invulling taakstelling per 2022 5.832" in text
    assert "Te realiseren besparingen -1.150 -3.150 -5.150 -7.550" in text
    assert "Inzet extra middelen jeugdhulp 1.800" in text
    assert re.search(r"^Saldo 82$", text, flags=re.M)
    assert "1 Doorbraakmethode 750 2.251 3.750 4.500 ● Ja" in text
    assert "6.2 Uitbreiden kinder- en pubercoach 50 50 50 ● Nee" in text


def test_every_page_after_the_cover_has_running_header_and_footer(pages):
    count = len(pages)
    assert count >= 6
    assert "Pagina" not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0].startswith("Programma Zorg · Midterm review 2020"), lines[0]
        assert lines[-1].startswith("Concept, gemaakt op "), lines[-1]
        assert lines[-1].endswith(f"Pagina {number} van {count}"), lines[-1]
    op_koers = page_with(pages, "Waar staan we nu: op koers")
    assert pages[op_koers - 1].splitlines()[0].endswith("Waar staan we nu: op koers")


def test_table_of_contents_gives_each_sections_page(pages):
    toc = pages[1]
    assert "Inhoudsopgave" in toc
    for heading in ("Samenvatting", "Waar staan we nu: op koers", "Doelen en maatregelen"):
        match = re.search(rf"^{re.escape(heading)} ?\.+ (\d+)$", toc, flags=re.M)
        assert match, f"{heading} not in the table of contents"
        assert int(match[1]) == page_with(pages, heading)
    for goal in Goal.objects.filter(programme__name="Programma Zorg"):
        assert f"Doel {goal.number}:" in toc


def test_goal_sections_show_each_measures_status_figures_and_explanation(period, pages):
    text = " ".join(" ".join(pages).split())
    for assessment in Assessment.objects.filter(period=period).exclude(explanation=""):
        assert " ".join(assessment.explanation.split()) in text
    assert "Doel 4: In 2022 krijgen Almeloërs" in text
    assert "Op koers: ● Ja (op koers) Taakstelling (x € 1.000): 2019: 750 · 2020: 2.251" in text
    assert "Prognose (x € 1.000): 2020: 2.251 Realisatie (x € 1.000): 2019: 750" in text
    assert "Realisatie (x € 1.000): 2019: 40 (zacht 120)" in text
    assert "Oorzaak: Meer kind- en pubercoaches vragen eerst een investering" in text
    assert "Bijsturing: De taakstelling wordt opgevangen door het project" in text
    assert "onderdeel van 6 Versterken voorliggend veld" in text
    assert "Vervangt: 6.2 Uitbreiden kinder- en pubercoach (Maatregelenplan 2)" in text


def test_summary_gives_the_key_figures_statuses_and_chart_figures(pages):
    summary = pages[page_with(pages, "Samenvatting") - 1]
    assert "Op de peildatum 1 juli 2020 telt het programma 14 maatregelen" in summary
    assert "Te realiseren besparingen -7.550" in summary
    assert re.search(r"^Saldo 82$", summary, flags=re.M)
    assert "● Nee (niet op koers) 1" in summary
    assert "Taakstelling programma 1.150 3.150 5.150 7.550" in summary
    assert "Taakstelling maatregelen 1.580 3.905 5.544 6.394" in summary
    # Forecasts where given (equal to the targets in the Midterm review), else the targets.
    assert "Prognose 1.580 3.905 5.544 6.394" in summary
    # Realised hard savings 2019: Doorbraakmethode 750, Dagstructurering 300, netwerkcoach 40.
    assert "Realisatie (hard) 1.090" in summary


def test_pdf_is_tagged_pdf_ua_with_title_language_and_bookmarks(pdf):
    document = reader(pdf)
    root = document.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nl"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert document.metadata.title == "Midterm review 2020, Programma Zorg, Gemeente Almelo"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert [float(size) for size in document.pages[0].mediabox[2:]] == pytest.approx(
        [595.28, 841.89], abs=0.1
    )
    tags = {element["/S"] for element in structure_elements(pdf)}
    assert {"/H1", "/H2", "/H3", "/H4", "/Table", "/TH", "/TD", "/Figure", "/P"} <= tags
    titles = outline_titles(pdf)
    for title in ("Inhoudsopgave", "Samenvatting", "Waar staan we nu: op koers"):
        assert title in titles
    assert any(title.startswith("Doel 3: In 2022 komt de gemeente") for title in titles)


def test_chart_has_a_text_alternative(pdf):
    figures = [element for element in structure_elements(pdf) if element["/S"] == "/Figure"]
    assert len(figures) == 1
    assert figures[0]["/Alt"].startswith(
        "Staafdiagram per jaar, 2019 tot en met 2022, met de reeksen Taakstelling programma, "
        "Taakstelling maatregelen, Prognose, Realisatie (hard)"
    )
    assert "De cijfers staan in de tabel onder de grafiek." in figures[0]["/Alt"]


def test_fonts_are_embedded(pdf):
    fonts = set()
    for page in reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]
            fonts.add(font["/BaseFont"].split("+")[-1])
    assert fonts == {"Liberation-Sans", "Liberation-Sans-Bold"}


def test_pdf_is_read_back_without_system_tools(pdf, monkeypatch):
    """`make test` needs only Python: with no program on the PATH (poppler's pdftotext and
    pdftoppm included) the report tests still read the PDF's text."""
    monkeypatch.setenv("PATH", "")
    pages = [squeezed(text) for text in page_texts(pdf)]
    assert len(pages) == len(reader(pdf).pages)
    assert re.search(r"^Saldo 82$", "\n".join(pages), flags=re.M)
