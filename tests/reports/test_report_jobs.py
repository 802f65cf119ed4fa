"""A report's PDF and its publication made in the background (issue 12 item 2): the
request only starts the job; the task engine's worker code (jobs.testing.run_worker,
django-tasks' Worker.run_task) renders, stores one RenderedReport per data version, and a
second request for unchanged data comes from that cache without rendering."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobStatus
from jobs.services import recover_stalled
from jobs.testing import run_worker
from measures.constants import Role
from measures.models import Assessment
from organisations.models import Organisation
from reports import documents
from reports.models import PublishedReport, RenderedReport
from reports.services import publish_report
from reports.tasks import KEEP_VERSIONS
from tests.conftest import almelo_organisation, make_user
from tests.reports.pdfs import page_texts, reader

pytestmark = pytest.mark.django_db


def ask(client, period) -> Job:
    response = client.post(reverse("reports:make_pdf", args=[period.pk]))
    assert response.status_code == 302
    job = Job.all_jobs.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert response.url == reverse("jobs:detail", args=[job.pk])
    return job


def finished(job: Job) -> Job:
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.status, job.message)
    return job


def test_asking_starts_the_job_and_renders_nothing_in_the_request(
    najaarsrapportage, manager_client
):
    manager_client.get(reverse("reports:detail", args=[najaarsrapportage.pk]))  # warm session
    with CaptureQueriesContext(connection) as queries:
        job = ask(manager_client, najaarsrapportage)
    # A fixed 10: session, user and memberships, the period, the job and its task row in
    # one transaction (savepoints included), the task id on the job. No report data.
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    assert "measures_assessment" not in tables and "measures_measure" not in tables
    assert len(queries.captured_queries) == 10, [q["sql"] for q in queries.captured_queries]
    assert not RenderedReport.objects.exists()
    assert job.status == JobStatus.QUEUED and job.kind == "report_pdf"
    page = manager_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "In de wachtrij" in page


def test_the_worker_renders_it_and_the_download_is_the_pdf(najaarsrapportage, manager_client):
    job = finished(ask(manager_client, najaarsrapportage))
    rendered = RenderedReport.objects.get()
    assert (job.done, job.total, job.step) == (3, 3, "De PDF is klaar.")
    assert job.result_url == reverse(
        "reports:rendered", args=[najaarsrapportage.pk, rendered.data_version]
    )
    response = manager_client.get(job.result_url)
    assert response["Content-Type"] == "application/pdf"
    pages = page_texts(response.content)
    assert len(reader(response.content).pages) == rendered.page_count == len(pages)
    assert "Najaarsrapportage 2020" in pages[0]
    # The job page links to it.
    page = manager_client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f'href="{job.result_url}"' in page


def test_a_second_request_for_unchanged_data_comes_from_the_cache_without_rendering(
    najaarsrapportage, manager_client
):
    first = finished(ask(manager_client, najaarsrapportage))
    built = RenderedReport.objects.get().built_at
    second = finished(ask(manager_client, najaarsrapportage))
    assert RenderedReport.objects.count() == 1
    assert RenderedReport.objects.get().built_at == built
    assert second.result_url == first.result_url
    assert second.step.startswith("Uit de cache")
    assert "uit de cache" in second.message


def test_a_change_in_the_data_gives_a_new_version(najaarsrapportage, manager_client):
    first = finished(ask(manager_client, najaarsrapportage))
    Assessment.objects.filter(period=najaarsrapportage).update(
        explanation="Een nieuwe toelichting na de eerste PDF."
    )
    second = finished(ask(manager_client, najaarsrapportage))
    assert RenderedReport.objects.count() == 2
    assert second.result_url != first.result_url
    # Both downloads still work until the version falls out of the kept ones.
    assert manager_client.get(first.result_url).status_code == 200
    assert manager_client.get(second.result_url).status_code == 200


def test_only_the_last_versions_of_a_period_are_kept(najaarsrapportage, manager_client):
    urls = []
    for number in range(KEEP_VERSIONS + 1):
        Assessment.objects.filter(period=najaarsrapportage).update(
            explanation=f"Toelichting nummer {number}."
        )
        urls.append(finished(ask(manager_client, najaarsrapportage)).result_url)
    assert RenderedReport.objects.filter(period=najaarsrapportage).count() == KEEP_VERSIONS
    assert manager_client.get(urls[0]).status_code == 404
    assert manager_client.get(urls[-1]).status_code == 200


def test_a_failed_attempt_is_retried_and_leaves_nothing(
    najaarsrapportage, manager_client, monkeypatch
):
    """The only patch: the first render breaks after WeasyPrint produced the PDF, the way
    a worker dies between rendering and storing."""
    real = documents.render_pdf
    attempts = []

    def breaks_once(data):
        rendered = real(data)
        attempts.append(rendered.page_count)
        if len(attempts) == 1:
            assert not RenderedReport.objects.exists()
            raise OSError("disk full while storing")
        return rendered

    monkeypatch.setattr(documents, "render_pdf", breaks_once)
    job = ask(manager_client, najaarsrapportage)
    first_task = job.task_result_id
    assert run_worker() == 2
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert job.task_result_id != first_task
    assert len(attempts) == 2
    rendered = RenderedReport.objects.get()
    assert manager_client.get(job.result_url).content == bytes(rendered.pdf)


def test_the_old_pdf_address_of_a_draft_sends_to_the_report_page(najaarsrapportage, manager_client):
    response = manager_client.get(reverse("reports:pdf", args=[najaarsrapportage.pk]), follow=True)
    assert response.redirect_chain == [
        (reverse("reports:detail", args=[najaarsrapportage.pk]), 302)
    ]
    page = response.content.decode()
    assert "PDF maken" in page and "nog niet gepubliceerd" in page
    assert not RenderedReport.objects.exists()
    # After a job the report page offers the last PDF made, with its moment.
    job = finished(ask(manager_client, najaarsrapportage))
    page = manager_client.get(reverse("reports:detail", args=[najaarsrapportage.pk]))
    assert f'href="{job.result_url}"' in page.content.decode()
    assert "Laatst gemaakte PDF" in page.content.decode()


def test_a_published_report_needs_no_render(period, controller_client):
    PublishedReport.objects.create(
        period=period,
        pdf=b"%PDF-1.7 gepubliceerd",
        html="<p>gepubliceerd</p>",
        checksum=PublishedReport.checksum_of(b"%PDF-1.7 gepubliceerd"),
        page_count=1,
        built_at=timezone.now(),
    )
    assert controller_client.get(reverse("reports:pdf", args=[period.pk])).content == (
        b"%PDF-1.7 gepubliceerd"
    )
    job = finished(ask(controller_client, period))
    assert job.result_url == reverse("reports:pdf", args=[period.pk])
    assert not RenderedReport.objects.exists()


def test_publishing_runs_as_a_job_and_a_retry_does_not_publish_twice(period, controller_client):
    response = controller_client.post(reverse("reports:publish", args=[period.pk]))
    job = Job.all_jobs.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    assert job.kind == "report_publish" and not PublishedReport.objects.exists()
    # The first attempt published (its one transaction committed) and then its worker
    # died before it could finish the job: running, with a heartbeat long ago.
    publish_report(period=period, user=job.created_by)
    published = PublishedReport.objects.get()
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="RUNNING")
    Job.all_jobs.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert recover_stalled() == 1
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert "al gepubliceerd" in job.message
    assert list(PublishedReport.objects.all()) == [published]
    assert bytes(PublishedReport.objects.get().pdf) == bytes(published.pdf)
    assert job.result_url == reverse("reports:detail", args=[period.pk])


def test_publishing_as_a_job_publishes_once(period, controller_client):
    response = controller_client.post(reverse("reports:publish", args=[period.pk]))
    job = finished(Job.all_jobs.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1]))
    report = PublishedReport.objects.get()
    assert job.message == (
        f"Het rapport is gepubliceerd, gemaakt op {documents.moment_text(report.built_at)}."
    )
    assert report.published_by.username == "carl"


def test_another_organisations_user_gets_404_on_the_job_and_the_download(
    najaarsrapportage, manager_client, client
):
    job = finished(ask(manager_client, najaarsrapportage))
    elsewhere = Organisation.all_organisations.exclude(pk=almelo_organisation().pk).first()
    stranger = make_user("vreemde", Role.MANAGER, organisation=elsewhere)
    client.force_login(stranger)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    assert client.get(job.result_url).status_code == 404
    assert client.post(reverse("reports:make_pdf", args=[najaarsrapportage.pk])).status_code == 404
