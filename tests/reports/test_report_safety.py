"""WeasyPrint reads only the report's own static files; user text is text, never markup."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from measures.models import Assessment, Goal, Measure, ReportingPeriod
from reports import pdf as report_pdf
from reports.builder import build_report_data
from reports.documents import print_html, render_pdf, web_html
from reports.static import STATIC_DIR
from tests.reports.pdfs import page_texts

HOSTILE = (
    '<img src="http://127.0.0.1:9/pixel.png"><link rel="stylesheet" '
    'href="file:///etc/passwd"><script>alert(1)</script>'
)


@pytest.fixture
def fetches(monkeypatch):
    """Every URL WeasyPrint asks the renderer's fetcher for, from now on."""
    asked = []
    original = report_pdf.StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(report_pdf.StaticFilesFetcher, "fetch", spy)
    return asked


def test_fetcher_serves_the_report_stylesheets_and_fonts():
    fetcher = report_pdf.StaticFilesFetcher()
    response = fetcher.fetch((STATIC_DIR / "fonts" / "LiberationSans-Regular.ttf").as_uri())
    assert response.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch((STATIC_DIR / "report.css").as_uri()).content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/pixel.png",
        "https://example.org/font.ttf",
        "file:///etc/passwd",
        (STATIC_DIR / ".." / ".." / "zorg" / "settings.py").as_uri(),
        (STATIC_DIR / "fonts" / "missing.ttf").as_uri(),
        "file://otherhost" + (STATIC_DIR / "report.css").as_posix(),
        "data:text/css,body{}",
        "ftp://127.0.0.1/x",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(ValueError, match="Reports only read their own static files"):
        report_pdf.StaticFilesFetcher().fetch(url)


@pytest.fixture
def hostile_period(period):
    """An open period in which a measure's explanation, title and goal carry markup."""
    hostile = ReportingPeriod.objects.create(
        programme=period.programme,
        name="Tussenrapportage 2021",
        kind="tussenrapportage",
        reference_date=date(2021, 7, 1),
    )
    measure = Measure.objects.get(title="Peuteropvang")
    Assessment.objects.create(measure=measure, period=hostile, explanation=HOSTILE)
    Measure.objects.filter(pk=measure.pk).update(title="<b>Peuteropvang</b>")
    Goal.objects.filter(number=2).update(description=HOSTILE)
    return ReportingPeriod.objects.select_related("programme__organisation").get(pk=hostile.pk)


def test_user_text_is_printed_as_text_and_nothing_it_names_is_fetched(hostile_period, fetches):
    data = build_report_data(hostile_period, built_at=timezone.now())
    html = print_html(data)
    assert "<img" not in html and "<script" not in html and "<link" not in html
    assert "&lt;img src=&quot;http://127.0.0.1:9/pixel.png&quot;&gt;" in html
    assert "&lt;b&gt;Peuteropvang&lt;/b&gt;" in web_html(data)

    text = " ".join(" ".join(page_texts(render_pdf(data).content)).split())
    assert '<img src="http://127.0.0.1:9/pixel.png">' in text
    assert "<b>Peuteropvang</b>" in text
    assert all(url.startswith(STATIC_DIR.as_uri()) for url in fetches)
    assert not any("127.0.0.1" in url or "passwd" in url for url in fetches)


def test_web_version_escapes_user_text(hostile_period, manager_client):
    url = reverse("reports:html", args=[hostile_period.pk])
    page = manager_client.get(url).content.decode()
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_stylesheets_and_fonts_are_parsed_once_per_renderer(period, fetches, monkeypatch):
    renderer = report_pdf.PdfRenderer()
    assert sorted(url.rsplit("/", 1)[-1] for url in fetches) == [
        "LiberationSans-Bold.ttf",
        "LiberationSans-Regular.ttf",
    ]
    parsed = []
    original = report_pdf.CSS.__init__

    def counting(self, *args, **kwargs):
        parsed.append(kwargs.get("filename") or "inline")
        original(self, *args, **kwargs)

    monkeypatch.setattr(report_pdf.CSS, "__init__", counting)
    fetches.clear()
    html = print_html(build_report_data(period, built_at=timezone.now()))
    for _ in range(2):
        assert renderer.render(html).content.startswith(b"%PDF")
    assert parsed == [] and fetches == []
    assert report_pdf.renderer() is report_pdf.renderer()
