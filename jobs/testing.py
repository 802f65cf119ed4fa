"""Running queued tasks in tests with the task engine's own worker code.

`run_worker()` takes every ready task of the database backend and runs it through
django-tasks' `Worker.run_task`, the code `db_worker` runs, in this process and on this
connection, so that it works inside a test's transaction. It returns how many it ran.
A browser test that needs a worker polling in the background starts `worker_thread()`.
"""

import threading

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def _worker(**options) -> Worker:
    defaults = {
        "queue_names": ["*"],
        "interval": 0.2,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": "test-worker",
    }
    return Worker(**{**defaults, **options})


def run_worker(*, limit: int = 100) -> int:
    worker = _worker()
    ran = 0
    while ran < limit:
        result = DBTaskResult.objects.ready().order_by("-priority", "enqueued_at").first()
        if result is None:
            break
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def worker_thread() -> tuple[threading.Thread, Worker]:
    """A real polling worker in a daemon thread; stop it with `worker.running = False`."""
    worker = _worker(batch=False)
    thread = threading.Thread(target=worker.run, daemon=True, name="task-worker")
    thread.start()
    return thread, worker
