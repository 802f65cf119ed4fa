"""Reports rendered in the background: what asking costs, what rendering costs, and what
the web side feels while N reports render in N worker processes.

    .venv/bin/python bench/render.py --database-url postgres://postgres@127.0.0.1:5432/km_bench
        [--measures 500] [--runs 7] [--workers 1 3 5]

PostgreSQL only (the worker processes and this process share the database), and the
database name must contain "bench": it is dropped and created again (bench/overview.py's
prepare_database). The data is the Almelo demo plus a generated programme of --measures
measures with an open period (bench/report.py's generator).

Printed, never asserted:
* the request that asks for a report (POST "PDF maken": it writes the job and its task
  and redirects), in ms, median and max of --runs, server-side through django.test.Client
  in this process; and the web version (HTML), which stays in the request, for comparison;
* one render in one `manage.py worker` process: the job's time from its start to its end
  (reading the data, the data version, the PDF, storing it), and the time from asking to
  done as the user waits it;
* a second request for the same data: the cache hit, no render (the same two times);
* for N in --workers: N reports asked at once (the cache emptied first, so each renders),
  N worker processes running them, and meanwhile the asking request and the report page
  sampled again and again (their median and max); then how many jobs did not end done
  ("lost"), and the wall time until all were done.
The latency samples run in this process, which competes for the same CPUs as the
workers, as a web server on the same machine would.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
TARGET_ASK_MS = 200.0


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database named *bench*")
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7, help="samples of the asking request (7)")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 3, 5])
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait per round")
    return parser.parse_args(argv)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main(argv=None) -> int:
    args = parse_args(argv)
    overview_bench = _load("overview")
    report_bench = _load("report")
    url, description, _tmp = overview_bench.prepare_database(args.database_url, False)
    if not url.startswith("postgres"):
        sys.exit("bench/render.py needs PostgreSQL: the worker processes share the database.")

    sys.path[:] = [str(REPO)] + [p for p in sys.path if p not in (str(BENCH), str(REPO))]
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CONN_MAX_AGE", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from jobs.models import Job, JobStatus
    from measures.constants import Role
    from measures.demo import load_demo
    from organisations.models import Membership
    from organisations.scoping import unscoped
    from reports.models import RenderedReport

    scope = unscoped()
    scope.__enter__()
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    load_demo()
    period = report_bench.generate(args.measures, random.Random(report_bench.SEED))
    from django.contrib.auth import get_user_model

    viewer = get_user_model().objects.create_user(username="bench-render", password="x")
    Membership.objects.create(
        user=viewer, organisation=period.programme.organisation, role=Role.MANAGER.value
    )
    setup_seconds = time.perf_counter() - started
    client = Client(SERVER_NAME="localhost")
    client.force_login(viewer)
    ask_url = reverse("reports:make_pdf", args=[period.pk])
    page_url = reverse("reports:detail", args=[period.pk])
    html_url = reverse("reports:html", args=[period.pk])
    env = {**os.environ, "DATABASE_URL": url}
    workers: list[subprocess.Popen] = []

    def timed(fn) -> float:
        begun = time.perf_counter()
        fn()
        return time.perf_counter() - begun

    def ask() -> Job:
        response = client.post(ask_url)
        assert response.status_code == 302, response.status_code
        return Job.all_jobs.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])

    def ask_idle() -> None:
        """Ask on a queue no worker reads, so that the sample adds no render."""
        settings.JOBS_QUEUE = "bench-idle"
        try:
            ask()
        finally:
            settings.JOBS_QUEUE = "default"

    def page() -> None:
        assert client.get(page_url).status_code == 200

    def forget_idle() -> None:
        idle = DBTaskResult.objects.filter(queue_name="bench-idle")
        Job.all_jobs.filter(
            task_result_id__in=[str(pk) for pk in idle.values_list("pk", flat=True)]
        ).delete()
        idle.delete()

    def start_workers(count: int) -> None:
        for _ in range(count):
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(REPO / "manage.py"),
                        "worker",
                        "--queue-name",
                        "default",
                        "--interval",
                        "0.2",
                    ],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def stop_workers() -> None:
        for process in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in workers:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        workers.clear()

    def wait_done(jobs: list[Job], timeout: float) -> float:
        begun = time.perf_counter()
        ids = [job.pk for job in jobs]
        while time.perf_counter() - begun < timeout:
            if not Job.all_jobs.filter(pk__in=ids, status__in=["queued", "running"]).exists():
                break
            time.sleep(0.1)
        return time.perf_counter() - begun

    def job_seconds(job: Job) -> float:
        job.refresh_from_db()
        if job.started_at is None or job.finished_at is None:
            return float("nan")
        return (job.finished_at - job.started_at).total_seconds()

    try:
        # The asking request, nothing running.
        for _ in range(2):
            ask_idle()  # warm-up: imports, the first query plans
        quiet = [timed(ask_idle) for _ in range(args.runs)]
        html = [timed(lambda: client.get(html_url)) for _ in range(3)]
        forget_idle()

        # One render, then the cache hit, in one worker process.
        start_workers(1)
        asked = time.perf_counter()
        first = ask()
        wait_done([first], args.timeout)
        first_wait = time.perf_counter() - asked
        first_job = job_seconds(first)
        asked = time.perf_counter()
        second = ask()
        wait_done([second], args.timeout)
        second_wait = time.perf_counter() - asked
        second_job = job_seconds(second)
        second.refresh_from_db()
        stop_workers()
        pages = RenderedReport.objects.get(period=period).page_count

        rounds = []
        for count in args.workers:
            RenderedReport.objects.all().delete()
            jobs = [ask() for _ in range(count)]
            start_workers(count)
            begun = time.perf_counter()
            asking, viewing = [], []
            ids = [job.pk for job in jobs]
            while time.perf_counter() - begun < args.timeout:
                asking.append(timed(ask_idle))
                viewing.append(timed(page))
                if not Job.all_jobs.filter(pk__in=ids, status__in=["queued", "running"]).exists():
                    break
                time.sleep(0.2)
            wall = time.perf_counter() - begun
            stop_workers()
            forget_idle()
            done = Job.all_jobs.filter(pk__in=ids, status=JobStatus.DONE).count()
            renders = [job_seconds(job) for job in jobs]
            rounds.append((count, asking, viewing, count - done, wall, renders))
    finally:
        stop_workers()

    print("Koersmonitor background report rendering benchmark")
    print(
        f"  {description}; {args.measures} measures ({pages} pages); setup "
        f"{setup_seconds:.0f} s; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    print()
    print("  request                                     median ms    max ms")
    verdict = "met" if statistics.median(quiet) * 1000 <= TARGET_ASK_MS else "NOT MET"
    print(
        f"  ask for a report (POST PDF maken), quiet     {ms(statistics.median(quiet))}  "
        f"{ms(max(quiet))}   target <= {TARGET_ASK_MS:.0f} ms {verdict}"
    )
    print(
        f"  web version (HTML) in the request          {ms(statistics.median(html))}  "
        f"{ms(max(html))}"
    )
    print()
    print("  one worker process                          job s   asked-to-done s")
    print(f"  render (data, version, PDF, store)      {first_job:9.2f}  {first_wait:12.2f}")
    print(
        f"  second request, same data (cache hit)   {second_job:9.2f}  {second_wait:12.2f}"
        f"   step: {second.step}"
    )
    print()
    print(
        "  N renders in N workers   ask median/max ms   report page median/max ms   "
        "render s (min-max)   all done s   lost"
    )
    for count, asking, viewing, lost, wall, renders in rounds:
        print(
            f"  N={count:<22} {statistics.median(asking) * 1000:8.1f} /{max(asking) * 1000:7.1f}"
            f"   {statistics.median(viewing) * 1000:11.1f} /{max(viewing) * 1000:8.1f}"
            f"        {min(renders):6.1f}-{max(renders):5.1f}   {wall:10.1f}   {lost:4d}"
            f"   ({len(asking)} samples)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
