"""The report's chart names its series as the overview does, and shows the same figures as
the op-koers table for the same series: read back from the PDF and from the page."""

import re

import pytest
from django.urls import reverse

from measures.models import ReportingPeriod
from tests.reports.pdfs import page_texts, pdf_through_job, squeezed
from tests.test_overview_page import row_by_label, table_rows

# The chart's series and the row of the overview (with its ?reeks=) that has its figures.
SAME_FIGURES = [
    ("Taakstelling maatregelen", "taakstelling", "Totaal taakstelling maatregelen"),
    ("Prognose", "prognose", "Totaal prognose"),
    ("Realisatie (hard)", "realisatie", "Totaal realisatie (hard)"),
]


@pytest.fixture(params=["Midterm review 2020", "Najaarsrapportage 2020"])
def any_period(request, almelo):
    return ReportingPeriod.objects.select_related("programme__organisation").get(
        programme=almelo, name=request.param
    )


def chart_rows(pdf: bytes) -> dict[str, list[str]]:
    """The rows of the table under the chart: its series name, then a figure per year."""
    text = "\n".join(squeezed(page) for page in page_texts(pdf))
    table = text.split("Cijfers bij de grafiek", 1)[1]
    rows = {}
    for name in [name for name, *_ in SAME_FIGURES] + ["Taakstelling programma"]:
        match = re.search(rf"^{re.escape(name)}((?: -?[\d.]+)*)$", table, flags=re.M)
        assert match, f"{name} not in the chart's table"
        rows[name] = match[1].split()
    return rows


def test_chart_figures_equal_the_tables_figures_for_the_same_series(any_period, manager_client):
    pdf = pdf_through_job(manager_client, any_period)
    chart = chart_rows(pdf)
    for name, word, total in SAME_FIGURES:
        html = manager_client.get(
            reverse("overview"), {"periode": any_period.pk, "reeks": word}
        ).content.decode()
        table = [cell for cell in row_by_label(table_rows(html), total)[2:6] if cell]
        assert chart[name] == table, name
    html = manager_client.get(reverse("overview"), {"periode": any_period.pk}).content.decode()
    task = row_by_label(table_rows(html), "Te realiseren besparingen")[2:6]
    assert chart["Taakstelling programma"] == [cell.removeprefix("-") for cell in task]


def test_the_report_no_longer_calls_the_targets_expected_savings(manager_client, almelo):
    period = ReportingPeriod.objects.get(programme=almelo, name="Najaarsrapportage 2020")
    pdf = pdf_through_job(manager_client, period)
    text = " ".join(" ".join(squeezed(page) for page in page_texts(pdf)).split())
    assert "Totaal verwachte besparingen" not in text and "Verwacht " not in text
    assert "Prognose (x € 1.000): 2020: 1.800 · 2021: 3.750 · 2022: 4.500" in text
    assert "Totaal taakstelling maatregelen 1.580 3.905 5.544 6.394" in text
    assert "Prognose 1.580 3.279 5.369 6.219" in text
    assert "Taakstelling, prognose en realisatie per jaar" in text
