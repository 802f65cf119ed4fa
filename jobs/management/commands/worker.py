"""Runs the background worker and recycles its process.

The worker itself is the task engine's: django-tasks' `db_worker` for the database
backend, django-rq's `rqworker` for the Redis backend (TASKS_BACKEND=rq). This command
starts it as a child process that exits after `--recycle-after` tasks (a PDF render of
500 measures leaves a few hundred MB in a Python process; a new process gives that
back), and starts the next one. The worker process runs at a lower CPU priority
(`--nice`, default 10): on a machine that also serves the pages, a request gets the CPU
before a render does, so five renders at once barely slow the pages down (issue 12
measured the overview's p95 at 16 users during 5 renders; bench/issue12.py).

Before each start it looks for jobs whose worker died (jobs.services.recover_stalled).
A child that fails to start (the database is not there yet) is started again after a
pause that grows to half a minute.

    python manage.py worker                      # next to the web server (make run)
    python manage.py worker --recycle-after 5
    python manage.py worker --batch              # run what is queued, then stop
                                                 # (still one process per --recycle-after)
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections

from jobs.services import recover_stalled


class Command(BaseCommand):
    help = (
        "Start de verwerker van achtergrondtaken (rapporten, publiceren, importeren) en "
        "vervang het proces na een aantal taken, zodat geheugen terugkomt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--recycle-after",
            type=int,
            default=getattr(settings, "JOBS_RECYCLE_AFTER", 10),
            help="Aantal taken waarna het verwerkingsproces wordt vervangen (standaard 10).",
        )
        parser.add_argument(
            "--queue-name", default="*", help="Wachtrij(en), gescheiden door komma's; * is alle."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconden tussen twee keer kijken."
        )
        parser.add_argument(
            "--nice",
            type=int,
            default=getattr(settings, "JOBS_WORKER_NICE", 10),
            help="Hoeveel lager de CPU-prioriteit van het verwerkingsproces is (0-19; "
            "standaard 10).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Voer uit wat in de wachtrij staat en stop dan (alleen de databaseversie).",
        )

    def handle(self, *args, **options):
        self.child = None
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        pause = 1.0
        while not self.stopping:
            try:
                found = recover_stalled()
            except Exception as error:  # the database may not be there yet
                self.stderr.write(f"Kan vastgelopen taken niet nakijken: {error}")
                found = 0
            if found:
                self.stdout.write(f"{found} vastgelopen taak/taken opnieuw ingepland.")
            close_old_connections()
            connections.close_all()
            self.child = subprocess.Popen(
                self._command(options), preexec_fn=_lower_priority(options["nice"])
            )
            code = self.child.wait()
            self.child = None
            if options["batch"] and code == 0 and not self._tasks_waiting():
                return
            if self.stopping:
                break
            if code == 0:
                self.stdout.write("Verwerker vervangen na zijn taken; een nieuw proces start.")
                pause = 1.0
            else:
                self.stderr.write(f"Verwerker stopte met code {code}; opnieuw over {pause:.0f} s.")
                self._pause(pause)
                pause = min(pause * 2, 30.0)

    def _command(self, options) -> list[str]:
        manage = str(settings.BASE_DIR / "manage.py")
        recycle = str(max(1, options["recycle_after"]))
        if getattr(settings, "TASKS_BACKEND", "database") == "rq":
            queues = options["queue_name"].replace("*", "default").split(",")
            return [sys.executable, manage, "rqworker", *queues, "--max-jobs", recycle]
        command = [
            sys.executable,
            manage,
            "db_worker",
            "--queue-name",
            options["queue_name"],
            "--interval",
            str(options["interval"]),
            "--no-reload",
            "--no-startup-delay",
            "--verbosity",
            str(options["verbosity"]),
        ]
        if options["batch"]:
            command.append("--batch")
        return command + ["--max-tasks", recycle]

    @staticmethod
    def _tasks_waiting() -> bool:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.ready().exists()
        connections.close_all()
        return waiting

    def _pause(self, seconds: float) -> None:
        """Sleep, but stop at once when asked to (CI and `make run` stop it on exit)."""
        until = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < until:
            time.sleep(0.1)

    def _stop(self, signum, frame):
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)


def _lower_priority(nice: int):
    """What the worker process runs before it starts: lower its CPU priority."""
    nice = min(19, max(0, nice))
    if not nice:
        return None
    return lambda: os.nice(nice)
