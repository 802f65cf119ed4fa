"""The public pages (issue 12 item 4): an organisation's published reports without a login,
each with its web version, its PDF byte for byte and its tables as CSV and JSON in whole
euros; nothing unpublished, of another organisation or of an inactive one is reachable."""

import csv
import hashlib
import html
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import resolve, reverse

from measures.constants import Role
from measures.models import Assessment, Measure, ReportingPeriod
from measures.services import close_period
from organisations.models import Organisation
from reports.models import PublishedReport
from reports.open_data import published_tables
from reports.services import publish_report
from tests.conftest import make_user
from tests.reference import EXPECTED, REFERENCE, YEARS, euros, measure_lines


@pytest.fixture
def published(period, controller):
    return publish_report(period=period, user=controller)


@pytest.fixture
def anonymous():
    return Client()


def public_urls(report) -> dict[str, str]:
    slug = report.period.programme.organisation.slug
    return {
        "list": reverse("public:reports", args=[slug]),
        "page": reverse("public:report", args=[slug, report.pk]),
        "pdf": reverse("public:pdf", args=[slug, report.pk]),
        "web": reverse("public:web", args=[slug, report.pk]),
        "csv": reverse("public:table_csv", args=[slug, report.pk, "op-koers"]),
        "json": reverse("public:table_json", args=[slug, report.pk, "op-koers"]),
        "compare": reverse("public:compare", args=[slug, report.period.programme_id]),
    }


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_anonymous_visitor_sees_the_list_and_the_report_page(anonymous, published):
    urls = public_urls(published)
    response = anonymous.get(urls["list"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Midterm review 2020" in page
    assert published.checksum in page
    assert urls["page"] in page

    response = anonymous.get(urls["page"])
    assert response.status_code == 200
    page = response.content.decode()
    assert published.checksum in page
    for url in (urls["pdf"], urls["web"], urls["csv"], urls["json"]):
        assert url in page
    # Every column's description is on the page, as in the JSON.
    assert "Taakstelling in 2022 in hele euro's." in html.unescape(page)


def test_pdf_and_web_version_are_the_stored_bytes(anonymous, published):
    urls = public_urls(published)
    response = anonymous.get(urls["pdf"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == bytes(published.pdf)
    assert hashlib.sha256(response.content).hexdigest() == published.checksum
    assert response["ETag"] == f'"{published.checksum}"'

    again = anonymous.get(urls["pdf"], headers={"If-None-Match": f'"{published.checksum}"'})
    assert again.status_code == 304

    response = anonymous.get(urls["web"])
    assert response.status_code == 200
    assert response.content == published.html.encode()
    assert "default-src 'none'" in response["Content-Security-Policy"]


def test_op_koers_table_is_the_report_in_whole_euros(anonymous, published):
    """The seed's figures (thousands) times 1000: each measure, each plan's subtotal, the
    total, the on-course inventory, the savings task, the adjustment and the balance."""
    urls = public_urls(published)
    document = json.loads(anonymous.get(urls["json"]).content)
    names = [column["name"] for column in document["columns"]]
    assert names == ["regel", "volgnummer", "omschrijving", "op_koers"] + [
        f"taakstelling_{year}" for year in YEARS
    ]
    assert all(column["description"] and column["unit"] for column in document["columns"])
    assert {column["unit"] for column in document["columns"][4:]} == {"euro"}
    assert document["controlegetal_pdf"] == published.checksum
    rows = document["rows"]

    def figures(row):
        return [row[f"taakstelling_{year}"] for year in YEARS]

    measures = [row for row in rows if row["regel"] == "Maatregel"]
    for _plan, number, title, targets, status in measure_lines():
        row = next(r for r in measures if r["omschrijving"].endswith(title))
        assert row["volgnummer"] == number
        assert figures(row) == [euros(targets[y]) if y in targets else None for y in YEARS]
        assert row["op_koers"] == status
    subtotals = [figures(row) for row in rows if row["regel"] == "Subtotaal"]
    assert subtotals == [
        [euros(plan["expected_subtotal"][y]) for y in YEARS] for plan in REFERENCE["plans"]
    ]
    (total,) = [figures(row) for row in rows if row["regel"] == "Totaal"]
    assert total == [euros(EXPECTED["total_expected_savings"][y]) for y in YEARS]
    (on_course,) = [row for row in rows if row["regel"] == "Op koers"]
    assert on_course["taakstelling_2022"] == euros(EXPECTED["on_track_total_in_target_year"])
    (task,) = [figures(row) for row in rows if row["regel"] == "Taakstelling"]
    assert task == [euros(EXPECTED["savings_task"][y]) for y in YEARS]
    (balance,) = [row for row in rows if row["regel"] == "Saldo"]
    assert balance["taakstelling_2022"] == euros(EXPECTED["balance_in_target_year"])

    # The CSV holds the same rows under the same column names.
    rows_csv = csv_rows(anonymous.get(urls["csv"]))
    assert rows_csv[0] == names
    assert rows_csv[1:] == [
        ["" if row[name] is None else str(row[name]) for name in names] for row in rows
    ]


def test_key_figures_and_status_counts_are_the_reports(anonymous, published):
    slug = published.period.programme.organisation.slug
    url = reverse("public:table_json", args=[slug, published.pk, "invulling-taakstelling"])
    rows = json.loads(anonymous.get(url).content)["rows"]
    assert rows == [
        {"onderdeel": rows[0]["onderdeel"], "bedrag": 5_832_000},
        {"onderdeel": "Te realiseren besparingen", "bedrag": -7_550_000},
        {"onderdeel": "Inzet extra middelen jeugdhulp", "bedrag": 1_800_000},
        {"onderdeel": "Saldo", "bedrag": 82_000},
    ]
    url = reverse("public:table_json", args=[slug, published.pk, "maatregelen-per-status"])
    counts = json.loads(anonymous.get(url).content)["rows"]
    # The heading "6 Versterken voorliggend veld" has no status of its own and is not counted.
    statuses = [status for *_, status in measure_lines() if status]
    assert {row["op_koers"]: row["aantal"] for row in counts} == {
        status: statuses.count(status) for status in set(statuses)
    }


def test_measure_figures_per_year_carry_the_approved_forecast(anonymous, published, period):
    slug = published.period.programme.organisation.slug
    url = reverse("public:table_json", args=[slug, published.pk, "maatregelen-per-jaar"])
    rows = json.loads(anonymous.get(url).content)["rows"]
    for assessment in Assessment.objects.filter(period=period).prefetch_related("years"):
        for year in assessment.years.all():
            if year.forecast is None and not year.forecast_is_pm:
                continue
            (row,) = [
                r
                for r in rows
                if r["maatregel"] == assessment.measure.title and r["jaar"] == year.year
            ]
            assert row["prognose"] == ("PM" if year.forecast_is_pm else year.forecast)


def test_tables_of_an_earlier_publication_are_made_from_the_frozen_input(published):
    stored = published_tables(PublishedReport.objects.get(pk=published.pk))
    PublishedReport.objects.filter(pk=published.pk).update(tables=None)
    rebuilt = published_tables(PublishedReport.objects.get(pk=published.pk))
    assert rebuilt == stored


def test_an_unknown_table_is_not_found(anonymous, published):
    slug = published.period.programme.organisation.slug
    url = reverse("public:table_csv", args=[slug, published.pk, "bestaat-niet"])
    assert anonymous.get(url).status_code == 404


def test_nothing_unpublished_is_reachable(anonymous, period, najaarsrapportage, controller):
    """The closed midterm review is not published yet, the najaarsrapportage is open: the
    list shows neither, and no report address answers for them."""
    slug = period.programme.organisation.slug
    response = anonymous.get(reverse("public:reports", args=[slug]))
    assert response.status_code == 200
    assert "Midterm review 2020" not in response.content.decode()
    assert "Er zijn nog geen rapporten gepubliceerd." in response.content.decode()
    compare = reverse("public:compare", args=[slug, period.programme_id])
    assert anonymous.get(compare).status_code == 404
    # A stored report of a period that is (somehow) open again is not public either.
    report = PublishedReport.objects.create(
        period=najaarsrapportage,
        pdf=b"%PDF-1.7 concept",
        html="<p>concept</p>",
        checksum=PublishedReport.checksum_of(b"%PDF-1.7 concept"),
        page_count=1,
        built_at=period.closed_at,
        published_by=controller,
    )
    for name, url in public_urls(report).items():
        if name in ("list", "compare"):
            continue
        assert anonymous.get(url).status_code == 404, name
    assert (
        "Najaarsrapportage"
        not in anonymous.get(reverse("public:reports", args=[slug])).content.decode()
    )


def test_another_organisations_address_and_an_inactive_organisation_give_404(anonymous, published):
    Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0983", defaults={"name": "Gemeente Venlo", "short_name": "Venlo", "slug": "venlo"}
    )
    for name, url in public_urls(published).items():
        wrong = url.replace("/openbaar/almelo/", "/openbaar/venlo/")
        expected = 200 if name == "list" else 404
        assert anonymous.get(wrong).status_code == expected, name
        assert (
            anonymous.get(url.replace("/openbaar/almelo/", "/openbaar/nergens/")).status_code == 404
        )
    assert "Midterm review 2020" not in anonymous.get("/openbaar/venlo/").content.decode()

    Organisation.all_organisations.filter(slug="almelo").update(is_active=False)
    for name, url in public_urls(published).items():
        assert anonymous.get(url).status_code == 404, name


def test_a_logged_in_user_of_another_organisation_sees_the_same_public_pages(published):
    hengelo, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0164",
        defaults={"name": "Gemeente Hengelo", "short_name": "Hengelo", "slug": "hengelo"},
    )
    client = Client()
    client.force_login(make_user("henk", Role.CONTROLLER, organisation=hengelo))
    urls = public_urls(published)
    assert client.get(urls["page"]).status_code == 200
    assert client.get(urls["pdf"]).content == bytes(published.pdf)


def test_public_pages_link_only_to_public_pages(anonymous, published):
    urls = public_urls(published)
    hrefs = set()
    for name in ("list", "page", "compare"):
        response = anonymous.get(urls[name])
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "Uitloggen" not in page and "/beheer/" not in page
        hrefs |= set(re.findall(r'href="([^"#]+)', page))
    assert hrefs
    for href in hrefs:
        path = href.split("?")[0]
        if path.startswith("/static/"):
            continue
        assert resolve(path).namespace == "public", href


# -- Comparing two published reports of a programme ------------------------------------


@pytest.fixture
def two_published(period, najaarsrapportage, controller):
    """The midterm review and the najaarsrapportage, both published. Before the
    najaarsrapportage closes, a target is revised, an approved explanation rewritten and
    an approved status changed; what still waits for approval goes back to draft."""
    midterm = publish_report(period=period, user=controller)
    doorbraak = Measure.objects.get(title="Doorbraakmethode")
    target = doorbraak.targets.get(year=2022)
    target.amount = 4_750_000
    target.save()
    assessment = Assessment.objects.get(measure=doorbraak, period=najaarsrapportage)
    levels = list(period.programme.status_scale.levels.all())
    other_status = next(level for level in levels if level.pk != assessment.status_id)
    Assessment.objects.filter(pk=assessment.pk).update(
        explanation="Meer gezinnen bereikt dan verwacht.", status=other_status
    )
    from measures.constants import UpdateState
    from measures.services import reviewed_models

    for model in reviewed_models():
        model.objects.filter(period=najaarsrapportage, state=UpdateState.SUBMITTED).update(
            state=UpdateState.DRAFT
        )
    close_period(period=najaarsrapportage, user=controller)
    later = publish_report(
        period=ReportingPeriod.objects.select_related("programme__organisation").get(
            pk=najaarsrapportage.pk
        ),
        user=controller,
    )
    return midterm, later, other_status


def test_comparison_shows_changed_status_target_and_text(anonymous, two_published):
    midterm, later, new_status = two_published
    url = public_urls(midterm)["compare"]
    response = anonymous.get(url, {"van": midterm.pk, "naar": later.pk})
    assert response.status_code == 200
    page = response.content.decode()
    block = page[page.index("Doorbraakmethode</h3>") :]
    block = block[: block.index("</section>")]
    assert "Taakstelling 2022" in block
    assert "€ 4.500.000" in block and "€ 4.750.000" in block
    assert "Meer gezinnen bereikt dan verwacht." in block
    assert "Op koers" in block and new_status.label in block


def test_comparison_refuses_bad_choices_in_dutch(anonymous, two_published, period):
    midterm, later, _ = two_published
    url = public_urls(midterm)["compare"]
    response = anonymous.get(url, {"van": midterm.pk})
    assert response.status_code == 200
    assert "Kies een gepubliceerd rapport." in response.content.decode()
    response = anonymous.get(url, {"van": midterm.pk, "naar": midterm.pk})
    assert "Kies twee verschillende rapporten om te vergelijken." in response.content.decode()
    unpublished = ReportingPeriod.objects.create(
        programme=period.programme,
        name="Tussenrapportage 2021",
        kind="tussenrapportage",
        reference_date=date(2021, 6, 1),
    )
    for wrong in (str(unpublished.pk), "abc", "999999"):
        response = anonymous.get(url, {"van": midterm.pk, "naar": wrong})
        assert "Van Midterm review 2020 naar" not in response.content.decode()
        assert "staat niet tussen de gepubliceerde rapporten" in response.content.decode()
    # Without a choice the form is simply shown.
    assert anonymous.get(url).status_code == 200


def test_public_pages_run_a_fixed_number_of_queries(
    anonymous, two_published, django_assert_num_queries
):
    midterm, later, _ = two_published
    urls = public_urls(midterm)
    # The organisation by its address; its published reports with periods and programmes.
    with django_assert_num_queries(2):
        anonymous.get(urls["list"])
    # The organisation; the report with its stored tables; the programme's other reports.
    with django_assert_num_queries(3):
        anonymous.get(urls["page"])
    # The organisation and the report, for the ETag; the same again, with the PDF.
    with django_assert_num_queries(4):
        anonymous.get(urls["pdf"])
    # The organisation; the programme; its published reports; each period's frozen input.
    with django_assert_num_queries(5):
        anonymous.get(urls["compare"], {"van": midterm.pk, "naar": later.pk})


def test_indicator_values_are_the_periods_as_stored(anonymous, controller):
    """Enschede's Jaarverslag 2018, closed and published: each stated value of a
    one-part indicator is in the indicators' table, exactly as stored."""
    from indicators.models import IndicatorValue
    from measures.constants import UpdateState
    from measures.services import reviewed_models

    period = ReportingPeriod.objects.select_related("programme__organisation").get(
        programme__name="Maatschappelijke ondersteuning", name="Jaarverslag 2018"
    )
    enschede = period.programme.organisation
    closer = make_user("erik", Role.CONTROLLER, organisation=enschede)
    for model in reviewed_models():
        model.objects.filter(period=period, state=UpdateState.SUBMITTED).update(
            state=UpdateState.DRAFT
        )
    close_period(period=period, user=closer)
    period.refresh_from_db()
    report = publish_report(period=period, user=closer)
    url = reverse("public:table_json", args=[enschede.slug, report.pk, "indicatoren"])
    rows = json.loads(anonymous.get(url).content)["rows"]
    stored = IndicatorValue.objects.filter(period=period, part__isnull=True).select_related(
        "indicator"
    )
    assert stored
    for value in stored:
        (row,) = [
            r
            for r in rows
            if r["indicator"] == value.indicator.display_name
            and r["jaar"] == value.year
            and r["soort_waarde"] == value.get_kind_display()
        ]
        assert Decimal(row["waarde"]) == value.value


def test_the_reports_own_page_links_to_its_public_page(published, manager_client):
    response = manager_client.get(reverse("reports:detail", args=[published.period_id]))
    assert public_urls(published)["page"] in response.content.decode()
