"""Asking for a report in a real browser (issue 12, "Done when"): "PDF maken" on the
report page leads at once to the job's progress page (checked by axe-core), a real
worker runs the task, the page shows the link when it is done, and the downloaded file
is the report's PDF, read back with pypdf.

The worker: on SQLite, jobs.testing.worker_thread() in this process (sharing the live
server's connection to the in-memory test database; see jobs/testing.py). On PostgreSQL
under CI, the `manage.py worker --queue-name ci-browser` that .ci/run starts against the
test database: KOERS_CI_WORKER_QUEUE names its queue, and the job is put there. Under
CI=true on PostgreSQL without that variable the test fails: CI must prove the real
worker process ran it. On PostgreSQL outside CI, a worker thread with its own connection.
"""

import os
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from .conftest import log_in

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixture skips these tests with the reason
    expect = None

pytestmark = pytest.mark.browser

CI = os.environ.get("CI", "").lower() == "true"
CI_WORKER_QUEUE = os.environ.get("KOERS_CI_WORKER_QUEUE", "")
# A worker process that .ci/run started may still be waiting for the test database.
WAIT_MS = 180_000 if CI_WORKER_QUEUE else 90_000


@pytest.fixture
def worker(settings, transactional_db):
    """Who runs the job: the CI worker process (its queue) or a worker thread here."""
    if connection.vendor == "postgresql" and CI_WORKER_QUEUE:
        settings.JOBS_QUEUE = CI_WORKER_QUEUE
        yield f"manage.py worker --queue-name {CI_WORKER_QUEUE}"
        return
    if connection.vendor == "postgresql" and CI:
        pytest.fail(
            "CI=true on PostgreSQL: .ci/run must start `manage.py worker --queue-name "
            "ci-browser` against the test database and set KOERS_CI_WORKER_QUEUE=ci-browser.",
            pytrace=False,
        )
    from jobs.testing import worker_thread

    thread, running_worker = worker_thread()
    yield "jobs.testing.worker_thread()"
    running_worker.running = False
    thread.join(timeout=60)


@pytest.fixture
def najaarsrapportage(demo):
    from measures.models import ReportingPeriod
    from organisations.scoping import unscoped

    with unscoped():
        return ReportingPeriod.objects.get(
            programme__organisation__cbs_code="0141", name="Najaarsrapportage 2020"
        )


def test_asking_for_a_report_shows_its_progress_and_then_the_pdf(
    page, worker, najaarsrapportage, check_accessibility, tmp_path
):
    from jobs.models import Job, JobStatus
    from tests.reports.pdfs import page_texts, reader

    log_in(page, "manager")
    page.goto(reverse("reports:detail", args=[najaarsrapportage.pk]))
    page.get_by_role("button", name="PDF maken").click()
    page.wait_for_url("**/taken/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Najaarsrapportage 2020")
    expect(page.get_by_text("Voortgang van de taak")).to_be_visible()
    check_accessibility(page, "the progress page of a report job")

    link = page.get_by_role("link", name="Resultaat openen")
    expect(link).to_be_visible(timeout=WAIT_MS)
    expect(page.locator("[data-job-label]")).to_have_text("Klaar")
    check_accessibility(page, "the progress page of a finished report job")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith("-concept.pdf")
    target = Path(tmp_path) / download.suggested_filename
    download.save_as(target)
    content = target.read_bytes()
    assert content.startswith(b"%PDF-")
    texts = page_texts(content)
    assert len(reader(content).pages) == len(texts) > 1
    assert "Najaarsrapportage 2020" in texts[0]

    job = Job.all_jobs.get()
    assert (job.status, job.kind, job.attempts) == (JobStatus.DONE, "report_pdf", 1)
    assert page.url.endswith(reverse("jobs:detail", args=[job.pk]))
