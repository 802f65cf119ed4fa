"""`manage.py worker` in its own processes against the real database: it runs what is
queued and replaces its worker process after --recycle-after tasks. PostgreSQL only: the
worker processes must reach the test database, which an in-memory SQLite one is not."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from jobs.models import JobStatus
from jobs.services import start_job
from tests.conftest import almelo_organisation

from .tasks import count_to, note_priority, note_process

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def _run_worker(*arguments):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker", *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _start(user, task, *args):
    return start_job(
        organisation=almelo_organisation(),
        user=user,
        kind="test",
        title="Procestaak",
        task=task,
        args=list(args),
    )


def test_the_worker_command_runs_the_queued_jobs(manager):
    job = _start(manager, count_to, 5)
    done = _run_worker("--batch")
    assert done.returncode == 0, done.stderr
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 5, 5)


def test_the_worker_process_is_replaced_after_its_number_of_tasks(manager):
    jobs = [_start(manager, note_process) for _ in range(4)]
    done = _run_worker("--batch", "--recycle-after", "2")
    assert done.returncode == 0, done.stderr
    for job in jobs:
        job.refresh_from_db()
        assert job.status == JobStatus.DONE
    processes = [job.message for job in jobs]
    # Two tasks per process: two processes, each ran two jobs.
    assert len(set(processes)) == 2
    assert sorted(processes.count(pid) for pid in set(processes)) == [2, 2]


def test_a_worker_waiting_for_its_database_stops_at_once_when_asked():
    """.ci/run starts the worker before the test database exists and stops it at the end:
    a worker between two attempts to start stops on SIGTERM without sleeping on."""
    import signal
    import time

    db = connection.settings_dict
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{host}/test_no_such_db"}
    process = subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:
            if "opnieuw over 2 s" in line:  # the second pause has begun
                break
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 1.5
    finally:
        if process.poll() is None:
            process.kill()


def test_the_worker_process_runs_at_a_lower_cpu_priority_than_the_web_server(manager):
    own = os.nice(0)
    job = _start(manager, note_priority)
    done = _run_worker("--batch", "--nice", "7")
    assert done.returncode == 0, done.stderr
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert int(job.message) == min(19, own + 7)
