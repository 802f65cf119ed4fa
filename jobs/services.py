"""Starting background work, running it, and finding work that lost its worker.

The engine is Django's tasks API (the django-tasks backport): the database backend by
default, with its worker `manage.py worker`; the Redis-backed RQ backend when
TASKS_BACKEND=rq (zorg/settings.py). Nothing here depends on which one runs.

The contract, for every kind of background work (report rendering, publishing, import):
- `start_job(...)` writes the Job and enqueues its task, and returns at once; the view
  redirects to the job's progress page. With the database backend the task row is
  written in the same transaction as the job (both or neither); another backend gets
  the task once the transaction has committed.
- The task is a django-tasks `@task` whose first argument is the job's id. It does its
  work inside `with running(job_id) as job:`, which activates the job's organisation
  scope (a task has no request), marks the job running, and reports progress through
  `job.progress(...)`; it ends with `job.finish(result_url=...)`.
- An attempt that raises is retried: the job goes back into the queue with a fresh task
  until `max_attempts` attempts have been made, then it is failed with a Dutch message.
  Work must therefore be all-or-nothing per attempt (one transaction for what it writes).
- A worker that dies mid-task (killed, out of memory) leaves its job running with an old
  heartbeat; `recover_stalled()`, run by `manage.py worker` each time it starts a worker
  process, enqueues such a job again or fails it when its attempts are used up.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from organisations.scoping import organisation_scope

from .models import Job, JobStatus

logger = logging.getLogger(__name__)


def start_job(
    *, organisation, user, kind: str, title: str, task, args: list, max_attempts: int = 3
) -> Job:
    """Write the job and enqueue `task(job_id, *args)`. `args` must be JSON: ids, not objects."""
    with transaction.atomic():
        job = Job.all_jobs.create(
            organisation=organisation,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            kind=kind,
            title=title,
            task_path=task.module_path,
            arguments=list(args),
            max_attempts=max_attempts,
        )
        _enqueue(job)
    return job


def _enqueue(job: Job) -> None:
    """Enqueue the job's next attempt and remember its task id."""

    def enqueue() -> None:
        task = import_string(job.task_path)
        queue = getattr(settings, "JOBS_QUEUE", "default")
        result = task.using(queue_name=queue).enqueue(str(job.pk), *job.arguments)
        job.task_result_id = str(result.id)
        Job.all_jobs.filter(pk=job.pk).update(task_result_id=job.task_result_id)

    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db."):
        enqueue()
    else:
        transaction.on_commit(enqueue)


class JobRun:
    """What a task sees of its job while it runs."""

    def __init__(self, job: Job):
        self.job = job

    @property
    def id(self):
        return self.job.pk

    def progress(self, done: int, total: int | None = None, step: str = "") -> None:
        """Record how far the work is (one UPDATE, outside the task's own transaction
        when it has one open on another connection; on the same connection it becomes
        visible when the task's transaction commits)."""
        values = {"done": done, "heartbeat_at": timezone.now()}
        if total is not None:
            values["total"] = total
        if step:
            values["step"] = step[:300]
        Job.all_jobs.filter(pk=self.job.pk).update(**values)
        for name, value in values.items():
            setattr(self.job, name, value)

    def finish(self, *, result_url: str = "", message: str = "") -> None:
        now = timezone.now()
        values = {
            "status": JobStatus.DONE,
            "result_url": result_url,
            "message": message,
            "finished_at": now,
            "heartbeat_at": now,
        }
        if self.job.total:
            values["done"] = self.job.total
        Job.all_jobs.filter(pk=self.job.pk).update(**values)
        for name, value in values.items():
            setattr(self.job, name, value)

    def fail(self, message: str) -> None:
        """End the job as failed for a reason the user must act on (bad input): no retry."""
        _mark_failed(self.job, message)
        self.job.status = JobStatus.FAILED


class JobNotRunnable(Exception):
    """The job is finished, gone, or belongs to another attempt: nothing to do."""


@contextmanager
def running(job_id):
    """Run one attempt of the job inside its organisation's scope (see the module doc)."""
    with transaction.atomic():
        job = Job.all_jobs.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            raise JobNotRunnable(job_id)
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = job.started_at or now
        job.heartbeat_at = now
        job.save(update_fields=["status", "attempts", "started_at", "heartbeat_at"])
    run = JobRun(job)
    try:
        with organisation_scope(job.organisation_id):
            yield run
    except Exception as error:
        logger.exception("Job %s (%s) failed in attempt %s", job.pk, job.kind, job.attempts)
        retry_or_fail(job, error)
        raise
    if run.job.status == JobStatus.RUNNING:
        run.finish()


def retry_or_fail(job: Job, error: BaseException | None = None) -> None:
    """Enqueue the job again while it has attempts left, else mark it failed."""
    if job.attempts < job.max_attempts:
        Job.all_jobs.filter(pk=job.pk).update(
            status=JobStatus.QUEUED,
            step=_("Opnieuw in de wachtrij na een mislukte poging (%(attempt)s van %(most)s).")
            % {"attempt": job.attempts, "most": job.max_attempts},
        )
        _enqueue(job)
    else:
        _mark_failed(
            job,
            _(
                "Het is na %(attempts)s pogingen niet gelukt. Er is niets half opgeslagen; "
                "probeer het later opnieuw of neem contact op met de beheerder."
            )
            % {"attempts": job.attempts},
        )


def _mark_failed(job: Job, message: str) -> None:
    now = timezone.now()
    Job.all_jobs.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message, finished_at=now, heartbeat_at=now
    )


def recover_stalled(*, older_than: timedelta | None = None) -> int:
    """Enqueue again (or fail) the running jobs whose worker stopped giving signs of life.
    Returns how many were found."""
    if older_than is None:
        older_than = timedelta(seconds=getattr(settings, "JOBS_STALLED_AFTER", 600))
    cutoff = timezone.now() - older_than
    stalled = list(
        Job.all_jobs.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff).order_by(
            "created_at"
        )
    )
    for job in stalled:
        logger.warning("Job %s (%s) lost its worker; attempt %s", job.pk, job.kind, job.attempts)
        retry_or_fail(job)
    return len(stalled)
