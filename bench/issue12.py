"""Every figure issue 12 asks for, in one run.

    .venv/bin/python bench/issue12.py \\
        [--server postgres://postgres@127.0.0.1:5432] [--steps import tenants render load]
        [--duration 20] [--renders 5]

Each step is one of the benchmarks in bench/, run in its own process (each sets Django up
with its own database), its output printed as it comes:

* import:  bench/import_bench.py, 500 measures, on a temporary SQLite file and on
           PostgreSQL (database issue12_import_bench): time and queries of preview and
           confirm, target ≤3 s and ≤200 queries;
* tenants: bench/tenants.py on PostgreSQL (issue12_tenants_bench): one programme's
           overview alone and among 340 organisations × 3 programmes × 100 measures,
           target ≤1.2× with the same number of queries;
* render:  bench/render.py on PostgreSQL (issue12_render_bench): asking for a 500-measure
           report (target ≤200 ms), one render, the cache hit, and the asking request while
           1, 3 and 5 reports render in as many worker processes, with lost renders;
* load:    bench/load.py behind gunicorn on PostgreSQL (issue12_load_bench): the overview
           at 16 and 50 users for Almelo and a 300-measure programme, CONN_MAX_AGE 0 and
           60, quiet and during --renders simultaneous 500-measure renders (this module's
           `renders_during`: that many `manage.py worker` processes kept busy with renders
           of a generated 500-measure programme, the cache emptied so that each job
           renders; at the end, how many renders were done and how many were lost).

The databases' names contain "bench": each step drops and creates its own. Figures are
printed, never asserted; run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
STEPS = ("import", "tenants", "render", "load")
RENDER_QUEUE = "bench-renders"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--steps", nargs="+", choices=STEPS, default=list(STEPS))
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per load point")
    parser.add_argument("--renders", type=int, default=5, help="renders during the load (5)")
    parser.add_argument("--measures", type=int, default=500, help="measures per render (500)")
    parser.add_argument("--users", nargs="+", default=["16", "50"], help="load: users (16 50)")
    parser.add_argument(
        "--programmes", nargs="+", default=["almelo", "300"], help="load: programmes (almelo 300)"
    )
    parser.add_argument(
        "--conn-max-age", nargs="+", default=["0", "60"], help="load: CONN_MAX_AGE (0 60)"
    )
    # Internal: run the load step in this process (it needs the render hook).
    parser.add_argument("--load-in-process", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def run(title: str, command: list[str]) -> int:
    print(f"\n==== {title} ====\n$ {' '.join(command)}", flush=True)
    started = time.perf_counter()
    code = subprocess.call(command, cwd=REPO)
    print(f"==== {title}: exit {code}, {time.perf_counter() - started:.0f} s ====", flush=True)
    return code


def renders_during(count: int, measures: int):
    """A `during` hook for bench/load.py: start() keeps `count` renders of a generated
    `measures`-measure programme going in `count` worker processes and returns stop(),
    which lets the running renders end and says how many were done and lost."""
    state: dict = {}

    def prepare():
        from django.contrib.auth import get_user_model

        from measures.constants import Role
        from organisations.models import Membership
        from organisations.scoping import unscoped

        report_bench = _load("report")
        with unscoped():
            period = report_bench.generate(measures, random.Random(report_bench.SEED))
            user = get_user_model().objects.create_user(username="bench-renders")
            Membership.objects.create(
                user=user, organisation=period.programme.organisation, role=Role.MANAGER.value
            )
        state.update(period=period, user=user)

    def start():
        from django.conf import settings

        from jobs.models import Job, JobStatus
        from jobs.services import start_job
        from organisations.scoping import unscoped
        from reports.models import RenderedReport
        from reports.tasks import render_report

        if "period" not in state:
            prepare()
        period, user = state["period"], state["user"]
        settings.JOBS_QUEUE = RENDER_QUEUE
        env = {**os.environ, "JOBS_QUEUE": RENDER_QUEUE}
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(REPO / "manage.py"),
                    "worker",
                    "--queue-name",
                    RENDER_QUEUE,
                    "--interval",
                    "0.2",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(count)
        ]
        asked: list = []
        stopping = threading.Event()
        active = [JobStatus.QUEUED, JobStatus.RUNNING]

        def feed():
            # Keep `count` renders queued or running; empty the cache so each one renders.
            with unscoped():
                while not stopping.is_set():
                    RenderedReport.objects.filter(period=period).delete()
                    busy = Job.all_jobs.filter(pk__in=asked, status__in=active).count()
                    for _ in range(count - busy):
                        job = start_job(
                            organisation=period.programme.organisation,
                            user=user,
                            kind="bench_render",
                            title="Bench render",
                            task=render_report,
                            args=[period.pk],
                        )
                        asked.append(job.pk)
                    time.sleep(0.5)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()

        def stop() -> str:
            stopping.set()
            feeder.join()
            with unscoped():
                deadline = time.monotonic() + 300
                while time.monotonic() < deadline:
                    if not Job.all_jobs.filter(pk__in=asked, status__in=active).exists():
                        break
                    time.sleep(0.5)
                done = Job.all_jobs.filter(pk__in=asked, status=JobStatus.DONE).count()
                lost = len(asked) - done
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                try:
                    worker.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    worker.kill()
            return f"{count} rendering: {done} renders done, {lost} lost"

        return stop

    start.__name__ = f"{count} simultaneous {measures}-measure renders"
    return start


def main(argv=None) -> int:
    args = parse_args(argv)
    python = sys.executable
    if args.load_in_process:
        load = _load("load")
        return load.main(
            [
                "--database-url",
                f"{args.server}/issue12_load_bench",
                "--programmes",
                *args.programmes,
                "--users",
                *args.users,
                "--conn-max-age",
                *args.conn_max_age,
                "--duration",
                str(args.duration),
            ],
            during=renders_during(args.renders, args.measures),
        )
    print(f"Issue 12's benchmarks, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs")
    codes = []
    if "import" in args.steps:
        script = str(BENCH / "import_bench.py")
        codes.append(run("Import of 500 measures, SQLite", [python, script]))
        codes.append(
            run(
                "Import of 500 measures, PostgreSQL",
                [python, script, "--database-url", f"{args.server}/issue12_import_bench"],
            )
        )
    if "tenants" in args.steps:
        codes.append(
            run(
                "One programme among 340 organisations, PostgreSQL",
                [
                    python,
                    str(BENCH / "tenants.py"),
                    "--database-url",
                    f"{args.server}/issue12_tenants_bench",
                ],
            )
        )
    if "render" in args.steps:
        codes.append(
            run(
                "Reports in the background, PostgreSQL",
                [
                    python,
                    str(BENCH / "render.py"),
                    "--database-url",
                    f"{args.server}/issue12_render_bench",
                    "--measures",
                    str(args.measures),
                ],
            )
        )
    if "load" in args.steps:
        codes.append(
            run(
                f"The overview under load, quiet and during {args.renders} renders",
                [
                    python,
                    str(BENCH / "issue12.py"),
                    "--load-in-process",
                    "--server",
                    args.server,
                    "--duration",
                    str(args.duration),
                    "--renders",
                    str(args.renders),
                    "--measures",
                    str(args.measures),
                    "--users",
                    *args.users,
                    "--programmes",
                    *args.programmes,
                    "--conn-max-age",
                    *args.conn_max_age,
                ],
            )
        )
    return max(codes, default=0)


if __name__ == "__main__":
    sys.exit(main())
