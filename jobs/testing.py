"""Running queued tasks in tests with the task engine's own worker code.

`run_worker()` takes every ready task of the database backend and runs it through
django-tasks' `Worker.run_task`, the code `db_worker` runs, in this process and on this
connection, so that it works inside a test's transaction. It returns how many it ran.
A browser test that needs a worker polling in the background starts `worker_thread()`.

On SQLite the test database lives in memory, and the live server's thread already shares
the test thread's connection to it (Django's LiveServerThread does that). A second
connection from a worker thread would meet SQLite's shared-cache table locks ("database
table is locked" at once, no waiting) whenever the worker writes while a page polls, so
there `worker_thread()` shares that same connection too and takes tasks the way
`run_worker()` does (no BEGIN EXCLUSIVE of its own: it is the only worker), each through
the real `Worker.run_task`. Elsewhere it runs django-tasks' own polling loop, `Worker.run`.
"""

import threading
import time

from django.db import DEFAULT_DB_ALIAS, connections
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


def run_worker(*, limit: int = 100, worker: Worker | None = None) -> int:
    worker = worker or _worker()
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
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        connection.inc_thread_sharing()

        def poll() -> None:
            connections[DEFAULT_DB_ALIAS] = connection
            try:
                while worker.running:
                    if not run_worker(worker=worker):
                        time.sleep(worker.interval)
            finally:
                connection.dec_thread_sharing()

        target = poll
    else:
        target = worker.run
    thread = threading.Thread(target=target, daemon=True, name="task-worker")
    thread.start()
    return thread, worker
