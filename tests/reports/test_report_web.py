"""The web version: one self-contained page with the same figures as the PDF."""

from django.urls import reverse
from django.utils import timezone

from measures.overview_data import load_overview
from reports.builder import build_report_data
from reports.chart import savings_chart


def test_web_version_is_one_self_contained_page(period, manager_client):
    response = manager_client.get(reverse("reports:html", args=[period.pk]))
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        'inline; filename="programma-zorg-midterm-review-2020.html"'
    )
    page = response.content.decode()
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page
    assert "<title>Midterm review 2020, Programma Zorg, Gemeente Almelo</title>" in page
    assert "<style>" in page and "<link" not in page and 'src="' not in page
    assert '<td class="amount">5.832</td>' in page
    assert '<td class="amount">82</td>' in page


def test_chart_is_svg_with_a_text_alternative_and_its_figures_in_a_table(period):
    data = build_report_data(period, built_at=timezone.now())
    chart = data.chart
    assert chart.description.startswith("Staafdiagram")
    assert [(row.label, row.cells) for row in chart.table] == [
        ("Taakstelling programma", ["1.150", "3.150", "5.150", "7.550"]),
        ("Taakstelling maatregelen", ["1.580", "3.905", "5.544", "6.394"]),
        ("Prognose", ["1.580", "3.905", "5.544", "6.394"]),
        ("Realisatie (hard)", ["1.090", "", "", ""]),
    ]
    from reports.documents import web_html

    page = web_html(data)
    assert f'role="img" aria-label="{chart.description}"' in page
    assert f"<title>{chart.description}</title>" in page


def test_chart_bars_follow_the_overview_figures_on_round_gridlines(period):
    chart = savings_chart(load_overview(period, with_figures=True).overview)
    assert [line.text for line in chart.gridlines] == ["0", "2.000", "4.000", "6.000", "8.000"]
    bottom = chart.gridlines[0].y
    top = chart.gridlines[-1].y
    heights = {bar.text: bar.height for bar in chart.bars}
    assert heights["7.550"] == round((bottom - top) * 7_550 / 8_000)
    assert heights["1.580"] == round((bottom - top) * 1_580 / 8_000)
    assert [label.text for label in chart.column_labels] == ["2019", "2020", "2021", "2022"]
