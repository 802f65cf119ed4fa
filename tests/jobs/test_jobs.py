"""Background jobs: started at once, run by the task engine's worker code, progress on
the page, retried after a failed attempt, recovered after a lost worker, seen only by
who asked for it in its own organisation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, JobStatus
from jobs.services import recover_stalled, start_job
from jobs.testing import run_worker
from measures.constants import Role
from organisations.models import Organisation
from tests.conftest import almelo_organisation, make_user

from .tasks import always_fails, count_to, fails_once, refuses_input

pytestmark = pytest.mark.django_db


def _start(user, task, *args, **extra):
    return start_job(
        organisation=almelo_organisation(),
        user=user,
        kind="test",
        title="Testtaak",
        task=task,
        args=list(args),
        **extra,
    )


def test_starting_a_job_enqueues_its_task_and_returns_at_once(manager):
    job = _start(manager, count_to, 3)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    queued = DBTaskResult.objects.get(pk=job.task_result_id)
    assert queued.task_path == "tests.jobs.tasks.count_to"
    assert queued.args_kwargs["args"] == [str(job.pk), 3]


def test_the_worker_runs_it_with_progress_to_the_end(manager):
    job = _start(manager, count_to, 4)
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts) == (JobStatus.DONE, 4, 4, 1)
    assert job.result_url == "/klaar/" and job.message == "Alles geteld."
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "SUCCESSFUL"


def test_a_failed_attempt_is_retried_with_a_new_task(manager):
    job = _start(manager, fails_once)
    first = job.task_result_id
    assert run_worker() == 2
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result_url) == (JobStatus.DONE, 2, "/tweede-keer/")
    assert DBTaskResult.objects.get(pk=first).status == "FAILED"
    assert job.task_result_id != first


def test_a_job_that_keeps_failing_stops_after_its_attempts_with_a_dutch_message(manager):
    job = _start(manager, always_fails, max_attempts=3)
    assert run_worker() == 3
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert "na 3 pogingen niet gelukt" in job.message


def test_refused_input_fails_at_once_without_retry(manager):
    job = _start(manager, refuses_input)
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.message == "De invoer klopt niet: kolom Naam ontbreekt."


def test_a_job_whose_worker_died_is_enqueued_again_and_then_finished(manager):
    job = _start(manager, count_to, 2)
    # The worker claimed it and died: running, with a heartbeat long ago.
    DBTaskResult.objects.filter(pk=job.task_result_id).update(status="RUNNING")
    Job.all_jobs.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    assert recover_stalled() == 1
    assert run_worker() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == (JobStatus.DONE, 2, 2)


def test_a_recent_running_job_is_left_alone(manager):
    job = _start(manager, count_to, 2)
    Job.all_jobs.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    assert recover_stalled() == 0


def test_the_progress_page_and_its_status_for_who_asked(client, manager):
    job = _start(manager, count_to, 2)
    client.force_login(manager)
    page = client.get(reverse("jobs:detail", args=[job.pk]))
    assert page.status_code == 200
    assert "In de wachtrij" in page.content.decode()
    run_worker()
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status["finished"] is True and status["status"] == "done"
    assert status["percent"] == 100 and status["result_url"] == "/klaar/"
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'href="/klaar/"' in page and "Alles geteld." in page


def test_another_user_or_organisation_does_not_see_the_job(client, manager):
    job = _start(manager, count_to, 1)
    colleague = make_user("collega", Role.MANAGER)
    client.force_login(colleague)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:status", args=[job.pk])).status_code == 404
    elsewhere = Organisation.all_organisations.exclude(pk=almelo_organisation().pk).first()
    stranger = make_user("vreemde", Role.MANAGER, organisation=elsewhere)
    client.force_login(stranger)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
