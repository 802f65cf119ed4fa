"""The report and the exports of a closed period show it as it was closed, published or
not, whatever changes later in the measures, goals, plans, status scale or targets."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from measures import services
from measures.demo import load_demo
from measures.models import (
    Goal,
    Measure,
    MeasurePlan,
    ReportingPeriod,
    StatusLevel,
    YearTarget,
)
from measures.overview import Series
from measures.overview_data import load_overview
from tests.reports.pdfs import pdf_through_job

# The moment a report was built, printed in it: "22 november 2026 om 14:05", and the
# same moment in the HTML's metadata.
BUILD_MOMENT = re.compile(r"\d{1,2} \w+ \d{4} om \d{2}:\d{2}")
CREATED_META = re.compile(r'<meta name="dcterms.created" content="[^"]*">')
# What the overview page shows of the period; its filters offer today's plans and owners.
OVERVIEW_PARTS = re.compile(
    r'<p class="eyebrow">.*?</p>|<dd class="status-counts">.*?</dd>'
    r'|<table class="overview">.*?</table>',
    re.S,
)


@pytest.fixture
def closed(almelo):
    return ReportingPeriod.objects.get(programme=almelo, name="Midterm review 2020")


def without_build_moment(text: str) -> str:
    return CREATED_META.sub("", BUILD_MOMENT.sub("<moment>", text))


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def workbook_values(content: bytes) -> dict[str, list[tuple]]:
    """Every cell of every sheet: the XLSX's bytes hold the moment it was written."""
    workbook = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def documents(client: Client, period: ReportingPeriod) -> dict[str, object]:
    """What a reader gets of the period: the report as HTML and PDF, the measures export
    as XLSX and CSV, the overview page, and the overview export as CSV and XLSX."""

    def get(name, *args, **query):
        response = client.get(reverse(name, args=args), query)
        assert response.status_code == 200, name
        return response.content

    overview = {"periode": period.pk}
    return {
        "report html": without_build_moment(get("reports:html", period.pk).decode()),
        "report pdf": without_build_moment(pdf_text(pdf_through_job(client, period))),
        "measures xlsx": workbook_values(get("imports:measures_export", periode=period.pk)),
        "measures csv": get("imports:measures_export", periode=period.pk, formaat="csv"),
        "overview page": OVERVIEW_PARTS.findall(get("overview", **overview).decode()),
        "overview csv": get("overview", **overview, _export="csv"),
        "overview xlsx": workbook_values(get("overview", **overview, _export="xlsx")),
    }


def change_everything_around(period: ReportingPeriod, controller) -> None:
    """What may change after closing: everything outside the period's own rows."""
    programme = period.programme
    assert programme.separates_hard_soft
    programme.name = "Programma Zorg (hernoemd)"
    programme.separates_hard_soft = False
    programme.last_year += 1
    programme.save()
    owners = list(
        get_user_model()
        .objects.filter(owned_measures__programme=programme)
        .exclude(first_name="")
        .distinct()
        .order_by("username")
    )
    assert len(owners) >= 2
    renamed, deactivated = owners[:2]
    renamed.first_name, renamed.last_name = "Hernoemde", "Eigenaar"
    renamed.save()
    deactivated.is_active = False
    deactivated.save()
    measure = Measure.objects.get(title="Doorbraakmethode")
    measure.title, measure.description = "Doorbraak (hernoemd)", "Nieuwe omschrijving."
    measure.save()
    goal = Goal.objects.get(programme=period.programme, number=measure.goal.number)
    goal.title, goal.description = "Hernoemd doel", "Nieuwe toelichting bij het doel."
    goal.save()
    plan = MeasurePlan.objects.get(programme=period.programme, pk=measure.plan_id)
    plan.name, plan.decision_reference = "Hernoemd plan", "BW-0000"
    plan.save()
    for level in StatusLevel.objects.filter(scale=period.programme.status_scale):
        level.label, level.description = f"{level.label} (nieuw)", "Nieuwe omschrijving"
        level.save()
    target = YearTarget.objects.get(measure=measure, year=2022)
    services.revise_target(
        target=target,
        new=services.NewAmount(9_999_000),
        reason="Raadsbesluit na afsluiten",
        decision_reference="RB-1",
        decided_on=date(2021, 1, 1),
        user=controller,
    )
    Measure.objects.create(programme=period.programme, title="Nieuw na afsluiten")
    ReportingPeriod.objects.create(
        programme=period.programme,
        name="Voorjaarsnota 2020",
        kind="voorjaarsnota",
        reference_date=date(2020, 3, 1),
    )


def test_reports_and_exports_of_a_closed_period_stay_as_closed(
    closed, manager_client, django_user_model
):
    before = documents(manager_client, closed)
    assert "Doorbraakmethode" in before["report html"]
    assert "Realisatie (hard)" in before["report pdf"]
    assert b"Realisatie zacht" in before["measures csv"]
    change_everything_around(closed, django_user_model.objects.get(username="controller"))
    assert (
        "Doorbraak (hernoemd)"
        in documents(manager_client, ReportingPeriod.objects.get(name="Najaarsrapportage 2020"))[
            "report html"
        ]
    )

    after = documents(manager_client, closed)
    for name, document in before.items():
        assert after[name] == document, name


def test_the_report_page_of_a_closed_period_says_drafts_come_from_the_closed_data(
    closed, manager_client
):
    page = manager_client.get(reverse("reports:detail", args=[closed.pk])).content.decode()
    assert "uit de gegevens zoals ze bij het afsluiten waren" in page


@pytest.mark.django_db(transaction=True)
def test_migrating_freezes_the_report_of_a_period_closed_before_the_migration():
    """A period closed before the report was frozen kept only its overview: the migration
    keeps that, as closed, and freezes the rest of its report as it is then."""
    load_demo()
    closed = ReportingPeriod.objects.get(name="Midterm review 2020")
    overview_as_closed = closed.frozen_report["overview"]
    executor = MigrationExecutor(connection)
    executor.migrate([("measures", "0004_history_of_goals_plans_scales_and_roles")])
    Measure.objects.filter(title="Doorbraakmethode").update(title="Doorbraak (hernoemd)")

    call_command("migrate", verbosity=0)
    frozen = ReportingPeriod.objects.get(pk=closed.pk).frozen_report
    assert frozen["overview"] == overview_as_closed
    titles = {measure["title"] for measure in frozen["report"]["measures"]}
    assert "Doorbraak (hernoemd)" in titles and "Doorbraakmethode" not in titles


def test_a_period_closed_before_the_split_was_frozen_follows_the_programme(closed):
    """A snapshot stored before the hard/soft split was part of it still reads."""
    del closed.frozen_report["report"]["programme"]["separates_hard_soft"]
    assert load_overview(closed).overview.labels.series[Series.REALISED] == "Realisatie (hard)"
    closed.programme.separates_hard_soft = False
    assert load_overview(closed).overview.labels.series[Series.REALISED] == "Realisatie"
