"""Publishing freezes a closed period's report; later downloads return the same bytes."""

import hashlib
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from jobs.testing import run_worker
from measures.models import Goal, Measure, ReportingPeriod, YearTarget
from reports.documents import moment_text
from reports.models import PublishedReport
from tests.reports.pdfs import page_texts, squeezed


def publish(client, period):
    """Publish as a controller does: the POST starts the job (or refuses at once), the
    task engine's worker code runs it, the progress page tells the outcome."""
    response = client.post(reverse("reports:publish", args=[period.pk]))
    if response.status_code == 302 and response.url.startswith("/taken/"):
        run_worker()
    return client.get(response.url) if response.status_code == 302 else response


@pytest.fixture
def open_period(period):
    return ReportingPeriod.objects.create(
        programme=period.programme,
        name="Tussenrapportage 2020",
        kind="tussenrapportage",
        reference_date=date(2020, 10, 1),
    )


def test_published_report_downloads_byte_for_byte_the_same_after_the_data_changed(
    period, controller_client, manager
):
    manager_client = Client()
    manager_client.force_login(manager)
    response = publish(controller_client, period)
    assert response.status_code == 200
    report = PublishedReport.objects.get(period=period)
    stored = bytes(report.pdf)
    assert report.checksum == hashlib.sha256(stored).hexdigest()
    assert report.published_by.username == "carl"
    assert f"Het rapport is gepubliceerd, gemaakt op {moment_text(report.built_at)}." in (
        response.content.decode()
    )
    pages = [squeezed(text) for text in page_texts(stored)]
    assert report.page_count == len(pages)
    assert (
        pages[1]
        .splitlines()[-1]
        .startswith(f"Gepubliceerd, gemaakt op {moment_text(report.built_at)}")
    )
    html_before = manager_client.get(reverse("reports:html", args=[period.pk])).content

    # A closed period's assessments cannot change any more; what around them can, does.
    doorbraak = Measure.objects.get(title="Doorbraakmethode")
    Measure.objects.filter(pk=doorbraak.pk).update(description="Herschreven na publicatie.")
    Goal.objects.filter(number=4).update(description="Nieuwe toelichting bij doel 4.")
    YearTarget.objects.filter(measure=doorbraak, year=2022).update(amount=9_999_000)

    response = manager_client.get(reverse("reports:pdf", args=[period.pk]))
    assert response.content == stored
    assert response["ETag"] == f'"{report.checksum}"'
    assert manager_client.get(reverse("reports:html", args=[period.pk])).content == html_before
    assert b"Herschreven na publicatie." not in html_before


def test_publishing_an_open_period_is_refused_and_stores_nothing(open_period, controller_client):
    response = publish(controller_client, open_period)
    assert "Tussenrapportage 2020 is nog niet afgesloten." in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_publishing_again_keeps_the_first_report(period, controller_client):
    publish(controller_client, period)
    first = PublishedReport.objects.get(period=period)
    response = publish(controller_client, period)
    assert "is al gepubliceerd; het gepubliceerde rapport blijft ongewijzigd" in (
        response.content.decode()
    )
    assert PublishedReport.objects.get().pk == first.pk
    assert bytes(PublishedReport.objects.get().pdf) == bytes(first.pdf)


@pytest.mark.parametrize("role", ["manager", "invoerder", "beheerder"])
def test_only_a_controller_may_publish(role, period, client, request):
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("reports:publish", args=[period.pk]))
    assert response.status_code == 403
    assert not PublishedReport.objects.exists()


def test_publishing_asks_first_and_a_get_publishes_nothing(period, controller_client):
    response = controller_client.get(reverse("reports:publish", args=[period.pk]))
    assert "Ja, definitief publiceren" in response.content.decode()
    assert not PublishedReport.objects.exists()


def test_report_page_offers_publishing_to_a_controller_only(
    period, controller_client, client, manager
):
    url = reverse("reports:detail", args=[period.pk])
    assert "Rapport publiceren" in controller_client.get(url).content.decode()
    client.force_login(manager)
    page = client.get(url).content.decode()
    assert "Rapport publiceren" not in page
    assert "nog niet gepubliceerd" in page


def test_report_page_of_an_open_period_says_publishing_waits_for_closing(
    open_period, controller_client
):
    page = controller_client.get(reverse("reports:detail", args=[open_period.pk])).content.decode()
    assert "Publiceren kan zodra dit rapportagemoment is afgesloten." in page
    assert "Rapport publiceren" not in page


def test_report_page_shows_the_published_checksum_and_moment(period, controller_client):
    publish(controller_client, period)
    report = PublishedReport.objects.get()
    page = controller_client.get(reverse("reports:detail", args=[period.pk])).content.decode()
    assert report.checksum in page
    assert "gemaakt op" in page
