"""Sections that depend on the data: changes since the previous period, long tables."""

import re

from django.utils import timezone

from measures.models import Assessment, Measure, ReportingPeriod
from reports.builder import build_report_data
from reports.documents import print_html, render_pdf
from tests.factories import make_programme
from tests.reports.pdfs import page_texts, squeezed


def test_report_lists_changes_since_the_previous_period(najaarsrapportage):
    Assessment.objects.create(
        period=najaarsrapportage,
        measure=Measure.objects.create(
            programme=najaarsrapportage.programme, title="Inzet wijkteams"
        ),
    )
    data = build_report_data(najaarsrapportage, built_at=timezone.now())
    content = render_pdf(data).content
    text = "\n".join(squeezed(page) for page in page_texts(content))

    assert "Wijzigingen sinds Midterm review 2020 ...." in page_texts(content, layout=False)[1]
    assert "Vergeleken met Midterm review 2020 (peildatum 1 juli 2020)." in text
    assert "8 Jeugdhulp in het onderwijs Maatregelenplan 2 Status gewijzigd - Nee" in text
    assert (
        "1 Doorbraakmethode Maatregelenplan 1 Prognose gewijzigd (2020) € 2.251.000 € 1.800.000"
    ) in text
    assert "Inzet wijkteams Buiten de plannen Nieuwe maatregel" in text


def test_report_without_a_previous_period_has_no_changes_section(period):
    html = print_html(build_report_data(period, built_at=timezone.now()))
    assert "Wijzigingen sinds" not in html


def test_long_overview_table_repeats_its_header_and_keeps_each_row_on_one_page(db):
    period = ReportingPeriod.objects.select_related("programme__organisation").get(
        pk=make_programme(90).pk
    )
    data = build_report_data(period, built_at=timezone.now())
    pages = [squeezed(text) for text in page_texts(render_pdf(data).content)]
    # A whole row on one line: number, title, six yearly figures and the status.
    row = re.compile(r"^\d+ Maatregel (\d+)(?: (?:[\d.]+|PM)){6} ● (?:Ja|Nee)$", flags=re.M)
    header = "Volgnr Omschrijving 2021 2022 2023 2024 2025 2026 Op koers"

    rows_per_page = [row.findall(text) for text in pages]
    table_pages = [text for text, rows in zip(pages, rows_per_page, strict=True) if rows]
    assert len(table_pages) >= 2
    assert all(header in text for text in table_pages)
    shown = sorted(int(number) for rows in rows_per_page for number in rows)
    assert shown == list(range(90))
