"""Query counts and timings of a programme's chapter (issue 10): the chapter page, the
indicators command and the report with the chapter in it, for a chapter of N extra action
points, texts and indicators besides a small fixed one.

    .venv/bin/python bench/chapter.py [--items 10 200 1000] [--runs 5] [--database-url URL]

The data is tests/chapters/builders.make_chapter (the chapter the page's tests use, with
`extra` more action points with statuses in two periods, approved texts and indicators
with values). Like bench/overview.py it never touches db.sqlite3 or the environment's
DATABASE_URL: a temporary SQLite file by default, or a database whose name contains
"bench". The page is fetched through django.test.Client as a manager (view rights only);
times are wall-clock in this process (median and minimum of --runs after one warm-up).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[10, 200, 1000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def timed(fn, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(context.captured_queries)
    return queries, statistics.median(times), min(times)


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p != str(Path(__file__).parent)]
    from bench.overview import make_client, migrate, prepare_database

    url, description, tmp = prepare_database(args.database_url, args.force)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url
    try:
        import django

        django.setup()
        from io import StringIO

        from django.core.management import call_command

        from measures.constants import Role
        from organisations.models import Membership, Organisation
        from organisations.scoping import unscoped
        from reports.builder import build_report_data
        from reports.documents import render_pdf
        from tests.chapters.builders import make_chapter

        scope = unscoped()
        scope.__enter__()
        migrate(flush=False)
        organisation = Organisation.all_organisations.create(
            name="Gemeente Bench", short_name="Bench", cbs_code="9999", slug="bench"
        )
        from django.contrib.auth import get_user_model

        viewer = get_user_model().objects.create_user("bench-manager")
        Membership.objects.create(user=viewer, organisation=organisation, role=Role.MANAGER)
        client = make_client(viewer)

        print(f"Koersmonitor chapter benchmark ({description}; {args.runs} runs after a warm-up)")
        print(f"  {'extra items':>11}  {'what':<22} {'queries':>7} {'median':>10} {'min':>10}")
        for count in args.items:
            period = make_chapter(organisation=organisation, name=f"Programma {count}", extra=count)
            url = f"/programmas/{period.programme_id}/hoofdstuk/?periode={period.pk}"

            def page(url=url):
                response = client.get(url)
                assert response.status_code == 200, response.status_code

            def command(period=period):
                call_command(
                    "indicators",
                    organisation="Bench",
                    period=period.name,
                    programme=period.programme.name,
                    format="csv",
                    stdout=StringIO(),
                )

            def report(period=period):
                from django.utils import timezone

                render_pdf(build_report_data(period, built_at=timezone.now()))

            for label, fn, runs, unit in [
                ("chapter page", page, args.runs, "ms"),
                ("indicators command", command, args.runs, "ms"),
                ("report PDF", report, 1, "s"),
            ]:
                queries, median, least = timed(fn, runs)
                scale = 1000 if unit == "s" else 1
                print(
                    f"  {count:>11}  {label:<22} {queries:>7} {median / scale:>8.2f} {unit} "
                    f"{least / scale:>7.2f} {unit}"
                )
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
