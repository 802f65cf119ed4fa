"""Tasks for the jobs tests: real django-tasks tasks, run by the real worker code."""

from django_tasks import task

from jobs.services import running


@task()
def count_to(job_id: str, total: int) -> int:
    with running(job_id) as job:
        for done in range(1, total + 1):
            job.progress(done, total, f"stap {done}")
        job.finish(result_url="/klaar/", message="Alles geteld.")
    return total


@task()
def fails_once(job_id: str) -> str:
    with running(job_id) as job:
        if job.job.attempts < 2:
            raise RuntimeError("first attempt breaks")
        job.finish(result_url="/tweede-keer/")
    return "ok"


@task()
def always_fails(job_id: str) -> None:
    with running(job_id):
        raise RuntimeError("never works")


@task()
def refuses_input(job_id: str) -> None:
    with running(job_id) as job:
        job.fail("De invoer klopt niet: kolom Naam ontbreekt.")


@task()
def note_process(job_id: str) -> int:
    """Finishes with the worker process's id as its message."""
    import os

    with running(job_id) as job:
        job.finish(message=str(os.getpid()))
    return os.getpid()


@task()
def note_priority(job_id: str) -> int:
    """Finishes with the worker process's nice value as its message."""
    import os

    with running(job_id) as job:
        job.finish(message=str(os.nice(0)))
    return os.nice(0)
