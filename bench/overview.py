"""Query counts and timings of the "op koers" overview for a programme of N measures.

    .venv/bin/python bench/overview.py [--measures N] [--database-url URL] [--verbose]

By default the data goes into a throwaway SQLite file in a temporary directory; the
developer's db.sqlite3 and any DATABASE_URL in the environment are never used. With
--database-url the benchmark (re)creates that database: a PostgreSQL database is dropped
and created again through psycopg, a SQLite file is deleted, anything else is flushed.
Because that destroys data, the database name has to contain "bench" (or pass --force).

What is measured, each as warm-up runs followed by timed runs (median and minimum):

* `load_overview(period)`: the loader's queries plus `compute_overview`, and
  `compute_overview` alone on the input the loader built;
* a GET of the overview page through django.test.Client, logged in as a user in the
  Manager group (view permission, not a superuser), without and with a filter;
* the CSV and XLSX exports of the page (?_export=csv, ?_export=xlsx).

Times are wall-clock around the call in this process, so for the page they are the
server-side time of the request (middleware, view, template) without any network; the
CPU time of this process is shown next to them, as it suffers less from other
processes on a busy machine (on PostgreSQL it leaves out the server's own work).
Queries are counted with CaptureQueriesContext on the default connection.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV_DATABASE = REPO / "db.sqlite3"

FIRST_YEAR, LAST_YEAR = 2021, 2026
PLAN_COUNT = 8
OWNER_NAMES = ["Anna", "Bram", "Carla", "Daan", "Eva", "Frank"]
SEED = 2021

FILTER_QUERY = "?domain=jeugd"
PROFILE_QUERIES = {
    "page": "",
    "filtered": FILTER_QUERY,
    "csv": "?_export=csv",
    "xlsx": "?_export=xlsx",
}

# The targets this benchmark checks, for the overview page of 1,000 measures.
TARGET_MEASURES = 1000
TARGET_QUERIES = 8
TARGET_MS = 150.0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, default=1000, help="number of measures (1000)")
    parser.add_argument(
        "--database-url",
        help="database to benchmark on, e.g. postgres://postgres@127.0.0.1:5432/"
        "koersmonitor_bench (default: a temporary SQLite file)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (5)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs (1)")
    parser.add_argument("--verbose", action="store_true", help="list the SQL of the page requests")
    parser.add_argument(
        "--profile",
        nargs="?",
        const="page",
        choices=sorted(PROFILE_QUERIES),
        help="also profile one request (default: the page) with cProfile, by cumulative time",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help='allow --database-url to name a database without "bench" in its name',
    )
    args = parser.parse_args(argv)
    if args.measures < 1 or args.runs < 1 or args.warmup < 0:
        parser.error("--measures and --runs are at least 1, --warmup at least 0")
    return args


# --- The database -------------------------------------------------------------------


def prepare_database(url: str | None, force: bool) -> tuple[str, str, Path | None]:
    """Returns (DATABASE_URL, description, temporary directory to remove afterwards).

    Runs before django.setup(): only dj_database_url and psycopg are imported here.
    """
    import dj_database_url

    if url is None:
        tmp = Path(tempfile.mkdtemp(prefix="koersmonitor-bench-"))
        path = tmp / "bench.sqlite3"
        return f"sqlite:///{path}", "SQLite, temporary file", tmp

    config = dj_database_url.parse(url)
    engine, name = config["ENGINE"], str(config["NAME"])
    if engine.endswith("sqlite3") and name != ":memory:":
        path = Path(name).resolve()
        if path == DEV_DATABASE.resolve():
            sys.exit("Refusing to benchmark on the development database db.sqlite3.")
    if "bench" not in Path(name).name and name != ":memory:" and not force:
        sys.exit(
            f"Refusing to wipe database {name!r}: its name does not contain 'bench'. "
            "Pass --force if it really is a throwaway database."
        )
    if engine.endswith("postgresql"):
        recreate_postgres_database(config)
        return url, f"PostgreSQL {postgres_version(config)}, database {name}", None
    if engine.endswith("sqlite3"):
        if name != ":memory:":
            Path(name).unlink(missing_ok=True)
        return url, f"SQLite, {name}", None
    return url, f"{engine.rsplit('.', 1)[-1]}, database {name} (flushed)", None


def _postgres_connect(config: dict, dbname: str):
    import psycopg

    params = {
        "dbname": dbname,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    return psycopg.connect(
        **{key: value for key, value in params.items() if value is not None}, autocommit=True
    )


def recreate_postgres_database(config: dict) -> None:
    """Drop the benchmark database if it exists and create it empty."""
    from psycopg import sql

    with _postgres_connect(config, "postgres") as maintenance:
        name = sql.Identifier(config["NAME"])
        maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(name))


def postgres_version(config: dict) -> str:
    with _postgres_connect(config, config["NAME"]) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def migrate(flush: bool) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if flush:  # flush sends post_migrate too, so the role groups come back
        call_command("flush", verbosity=0, interactive=False)


# --- The data -----------------------------------------------------------------------

SUBJECTS = [
    "inkoop jeugdhulp",
    "hulpmiddelen Wmo",
    "huishoudelijke ondersteuning",
    "dagbesteding",
    "beschermd wonen",
    "leerlingenvervoer",
    "schuldhulpverlening",
    "re-integratie & participatie",
    "toegang sociaal domein",
    "'t wijkteam",
    "pgb-tarieven",
    "maatwerkvoorzieningen",
]
ACTIONS = [
    "Herijking van",
    "Scherper sturen op",
    "Taakstelling op",
    "Nieuwe aanbesteding",
    "Normeren van",
    "Preventieve aanpak",
    "Digitalisering van",
    "Versobering van",
]
DOMAINS = ["wmo", "jeugd", "participatie", "breed"]


@dataclass
class Generated:
    period: object
    viewer: object
    measures: int = 0
    headings: int = 0
    outside: int = 0
    targets: int = 0
    pm_targets: int = 0
    assessments: int = 0
    domain_counts: dict[str, int] = field(default_factory=dict)


def generate(n_measures: int, seed: int = SEED) -> Generated:
    """One programme with N measures; fixed random seed, so every run has the same data."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from measures.constants import PeriodKind, Role
    from measures.models import (
        Adjustment,
        Assessment,
        Goal,
        Measure,
        MeasurePlan,
        Programme,
        ReportingPeriod,
        SavingsTask,
        StatusLevel,
        StatusScale,
        YearTarget,
        natural_sort_key,
    )
    from organisations.models import Membership, Organisation

    rng = random.Random(seed)
    user_model = get_user_model()
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))

    with transaction.atomic():
        organisation = Organisation.all_organisations.create(
            name="Gemeente Benchdorp", short_name="Benchdorp", cbs_code="9999", slug="benchdorp"
        )
        scale = StatusScale.objects.create(organisation=organisation, name="Bench: Ja / Nee / -")
        on_course, off_course, dash = StatusLevel.objects.bulk_create(
            [
                StatusLevel(
                    scale=scale,
                    label="Ja",
                    description="op koers",
                    colour="#1d6b2f",
                    icon="smiley",
                    counts_as_on_course=True,
                    order=1,
                ),
                StatusLevel(
                    scale=scale,
                    label="Nee",
                    description="niet op koers",
                    colour="#b00020",
                    icon="frown",
                    order=2,
                ),
                StatusLevel(
                    scale=scale,
                    label="-",
                    description="niet beoordeeld of (nog) niet realiseerbaar",
                    colour="#5f6368",
                    icon="dash",
                    order=3,
                ),
            ]
        )
        programme = Programme.objects.create(
            name="Programma Zorg (benchmark)",
            organisation=organisation,
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
            target_year=LAST_YEAR,
            status_scale=scale,
        )
        goals = Goal.objects.bulk_create(
            Goal(programme=programme, number=number, title=f"Strategisch doel {number}")
            for number in (1, 2, 3)
        )
        plans = MeasurePlan.objects.bulk_create(
            MeasurePlan(
                programme=programme,
                name=f"Maatregelenplan {index + 1}",
                decision_reference=f"BW-{6696 + 37 * index}",
                decision_date=date(FIRST_YEAR - 1 + index // 3, 3 + index % 3 * 3, 15),
                first_year=FIRST_YEAR + index // 3,
                last_year=LAST_YEAR,
                order=index + 1,
            )
            for index in range(PLAN_COUNT)
        )
        unusable = make_password(None)
        owners = user_model.objects.bulk_create(
            user_model(
                username=f"eigenaar{index + 1}",
                first_name=name,
                last_name="Benchmark",
                password=unusable,
            )
            for index, name in enumerate(OWNER_NAMES)
        )
        viewer = user_model.objects.create(
            username="bench-manager", first_name="Mara", last_name="Manager", password=unusable
        )
        Membership.objects.create(user=viewer, organisation=organisation, role=Role.MANAGER)

        # Who goes where: (plan, number, index of the heading or None, is a heading).
        n_outside = max(1, round(n_measures * 0.03)) if n_measures > PLAN_COUNT else 0
        in_plans = n_measures - n_outside
        layout: list[tuple[object, str, int | None, bool]] = []
        for index, plan in enumerate(plans):
            remaining = in_plans // PLAN_COUNT + (1 if index < in_plans % PLAN_COUNT else 0)
            number = 0
            while remaining > 0:
                number += 1
                if remaining >= 3 and rng.random() < 0.12:
                    children = min(rng.randint(2, 4), remaining - 1)
                    heading = len(layout)
                    layout.append((plan, str(number), None, True))
                    for child in range(1, children + 1):
                        layout.append((plan, f"{number}.{child}", heading, False))
                    remaining -= 1 + children
                else:
                    layout.append((plan, str(number), None, False))
                    remaining -= 1
        for index in range(n_outside):
            # Replacement measures outside the plans: most without a number.
            layout.append((None, "" if index % 3 else str(90 + index), None, False))

        def new_measure(plan, number: str, parent, is_heading: bool) -> Measure:
            action, subject = rng.choice(ACTIONS), rng.choice(SUBJECTS)
            title = f"{action} {subject}"
            if is_heading:
                title = f"Programmalijn {subject}"
            elif plan is None:
                title = f"Vervangende maatregel: {subject}"
            return Measure(
                programme=programme,
                plan=plan,
                number=number,
                sort_key=natural_sort_key(number),  # what Measure.save() would set
                title=title,
                description=f"Toelichting bij {title.lower()}.",
                parent=parent,
                goal=rng.choice(goals) if rng.random() < 0.8 else None,
                owner=rng.choice(owners) if rng.random() < 0.9 else None,
                domain=rng.choice(DOMAINS) if rng.random() < 0.95 else "",
            )

        objects: list[Measure | None] = [None] * len(layout)
        top = [i for i, (_, _, parent, _) in enumerate(layout) if parent is None]
        created = Measure.objects.bulk_create(
            new_measure(layout[i][0], layout[i][1], None, layout[i][3]) for i in top
        )
        for i, measure in zip(top, created, strict=True):
            objects[i] = measure
        subs = [i for i, (_, _, parent, _) in enumerate(layout) if parent is not None]
        created = Measure.objects.bulk_create(
            new_measure(layout[i][0], layout[i][1], objects[layout[i][2]], False) for i in subs
        )
        for i, measure in zip(subs, created, strict=True):
            objects[i] = measure

        # A few replacement measures take over from a measure in a plan.
        in_plan_leaves = [
            m for m, spec in zip(objects, layout, strict=True) if spec[0] and not spec[3]
        ]
        replaces = Measure.replaces.through
        replaces.objects.bulk_create(
            replaces(from_measure_id=m.pk, to_measure_id=rng.choice(in_plan_leaves).pk)
            for m, spec in zip(objects, layout, strict=True)
            if spec[0] is None and in_plan_leaves
        )

        # Yearly targets: a ramp up to the target year; some PM, some years absent.
        targets: list[YearTarget] = []
        per_year = dict.fromkeys(years, 0)
        leaves = [m for m, spec in zip(objects, layout, strict=True) if not spec[3]]
        for measure in leaves:
            plan_years = measure.plan.years if measure.plan else years
            if rng.random() < 0.7:
                base = rng.randrange(10, 1500) * 1000
            else:
                base = rng.randrange(5_000, 1_500_000)
            if rng.random() < 0.02:
                base = -base  # a measure that costs money
            for step, year in enumerate(plan_years, start=1):
                draw = rng.random()
                if draw < 0.10:
                    continue
                if draw < 0.17:
                    targets.append(YearTarget(measure=measure, year=year, is_pm=True))
                    continue
                amount = round(base * step / len(plan_years))
                per_year[year] += amount
                targets.append(YearTarget(measure=measure, year=year, amount=amount))
        YearTarget.objects.bulk_create(targets, batch_size=2000)

        SavingsTask.objects.bulk_create(
            SavingsTask(programme=programme, year=year, amount=max(0, round(total * 0.9, -3)))
            for year, total in per_year.items()
        )
        Adjustment.objects.bulk_create(
            [
                Adjustment(
                    programme=programme,
                    label="Inzet extra middelen jeugdhulp",
                    year=LAST_YEAR,
                    amount=1_800_000,
                    order=1,
                ),
                Adjustment(
                    programme=programme,
                    label="Correctie loon- en prijsindexatie",
                    year=LAST_YEAR - 2,
                    amount=-350_000,
                    order=2,
                ),
            ]
        )

        period = ReportingPeriod.objects.create(
            programme=programme,
            name=f"Tussenrapportage {LAST_YEAR - 2}",
            kind=PeriodKind.TUSSENRAPPORTAGE,
            reference_date=date(LAST_YEAR - 2, 6, 30),
            deadline=date(LAST_YEAR - 2, 7, 15),
        )
        assessments = []
        for measure in leaves:  # headings are not assessed; their sub-measures are
            draw = rng.random()
            status = (
                on_course
                if draw < 0.55
                else off_course
                if draw < 0.80
                else dash
                if draw < 0.93
                else None
            )
            assessments.append(
                Assessment(
                    measure=measure,
                    period=period,
                    status=status,
                    explanation="Volgens planning." if status == on_course else "",
                )
            )
        Assessment.objects.bulk_create(assessments, batch_size=2000)

    domain_counts: dict[str, int] = {}
    for measure in objects:
        domain_counts[measure.domain] = domain_counts.get(measure.domain, 0) + 1
    return Generated(
        period=ReportingPeriod.objects.select_related("programme").get(pk=period.pk),
        viewer=viewer,
        measures=len(objects),
        headings=sum(1 for spec in layout if spec[3]),
        outside=n_outside,
        targets=len(targets),
        pm_targets=sum(1 for target in targets if target.is_pm),
        assessments=len(assessments),
        domain_counts=domain_counts,
    )


def analyze() -> None:
    """Give PostgreSQL's planner statistics, as autovacuum would after a bulk load."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- Measuring ----------------------------------------------------------------------


@dataclass
class Result:
    label: str
    times: list[float]
    cpu_times: list[float]
    query_counts: list[int]
    queries: list[dict]
    size: int | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.times) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu_times) * 1000

    @property
    def queries_text(self) -> str:
        low, high = min(self.query_counts), max(self.query_counts)
        return str(low) if low == high else f"{low}-{high}"


def run(label: str, fn, runs: int, warmup: int, size=None) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu_times, counts, last = [], [], [], None
    for attempt in range(warmup + runs):
        with CaptureQueriesContext(connection) as context:
            start, cpu_start = time.perf_counter(), time.process_time()
            last = fn()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        if attempt >= warmup:
            times.append(elapsed)
            cpu_times.append(cpu)
            counts.append(len(context.captured_queries))
    queries = list(context.captured_queries)
    return Result(label, times, cpu_times, counts, queries, size(last) if size else None)


def make_client(viewer):
    from django.test import Client

    # The settings allow 127.0.0.1 and localhost, not the test client's "testserver".
    client = Client(SERVER_NAME="localhost")
    client.force_login(viewer)
    return client


def get_page(client, query: str = ""):
    def fetch():
        response = client.get("/" + query)
        if response.status_code != 200:
            raise SystemExit(
                f"GET /{query} answered {response.status_code}: {response.content[:300]!r}"
            )
        return response

    return fetch


def capture_overview_input(period):
    """The OverviewInput that load_overview hands to compute_overview."""
    from measures import overview_data

    captured = {}
    original = overview_data.compute_overview

    def spy(data, **kwargs):
        captured["data"] = data
        return original(data, **kwargs)

    overview_data.compute_overview = spy
    try:
        overview_data.load_overview(period)
    finally:
        overview_data.compute_overview = original
    return captured["data"]


def profile_page(client, query: str = "", limit: int = 40) -> str:
    fetch = get_page(client, query)
    fetch()
    profiler = cProfile.Profile()
    profiler.enable()
    fetch()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("cumulative").print_stats(limit)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url, description, tmp = prepare_database(args.database_url, args.force)

    # This file's directory must not shadow anything; the project is imported from REPO.
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p not in (here, str(REPO))]
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url  # never the developer's database or environment
    os.environ.pop("CONN_MAX_AGE", None)

    import django

    django.setup()

    from django.conf import settings
    from django.db import connection

    from measures import overview_data
    from measures.overview import compute_overview
    from organisations.scoping import unscoped

    # The benchmark reads and writes as the installation; the page requests are scoped
    # to the viewer's organisation by the middleware, as in production.
    scope = unscoped()
    scope.__enter__()
    try:
        started = time.perf_counter()
        migrate(flush=connection.vendor not in ("sqlite", "postgresql"))
        data = generate(args.measures)
        analyze()
        setup_seconds = time.perf_counter() - started

        period = data.period
        client = make_client(data.viewer)
        labels = overview_data.overview_labels()
        overview_input = capture_overview_input(period)
        filter_query = FILTER_QUERY
        load_before = os.getloadavg()[0]

        def content_size(response):
            return len(response.content)

        results = [
            run(
                "load_overview(period)",
                lambda: overview_data.load_overview(period),
                args.runs,
                args.warmup,
            ),
            run(
                "  compute_overview alone",
                lambda: compute_overview(overview_input, labels=labels),
                args.runs,
                args.warmup,
            ),
            run("GET overview page", get_page(client), args.runs, args.warmup, content_size),
            run(
                f"GET page {filter_query}",
                get_page(client, filter_query),
                args.runs,
                args.warmup,
                content_size,
            ),
            run(
                "GET ?_export=csv",
                get_page(client, "?_export=csv"),
                args.runs,
                args.warmup,
                content_size,
            ),
            run(
                "GET ?_export=xlsx",
                get_page(client, "?_export=xlsx"),
                args.runs,
                args.warmup,
                content_size,
            ),
        ]
        page, filtered = results[2], results[3]
        row_marker = b'<tr class="row-measure'
        page_rows = get_page(client)().content.count(row_marker)
        filtered_rows = get_page(client, filter_query)().content.count(row_marker)

        print("Koersmonitor overview benchmark")
        print(f"  database     {description}; DEBUG={settings.DEBUG}")
        print(
            f"  data         {data.measures} measures: {data.headings} headings, "
            f"{data.outside} outside the {PLAN_COUNT} plans; {data.targets} yearly targets "
            f"({data.pm_targets} PM), {FIRST_YEAR}-{LAST_YEAR}; {data.assessments} assessments"
        )
        print(
            f"  page rows    {page_rows} measure rows; "
            f"{filter_query} shows {filtered_rows} "
            f"({data.domain_counts.get('jeugd', 0)} measures in that domain, plus headings)"
        )
        print(
            f"  runs         {args.warmup} warm-up + {args.runs} timed each; "
            f"data set up in {setup_seconds:.1f} s"
        )
        busy = " (busy: other processes inflate the times)" if load_before >= 0.5 else ""
        print(
            f"  machine      {os.cpu_count()} CPUs, load average {load_before:.2f} before "
            f"measuring{busy}"
        )
        print()
        width = max(len(result.label) for result in results)
        print(
            f"  {'':<{width}}  {'queries':>7}  {'median ms':>9}  {'min ms':>8}  "
            f"{'cpu ms':>8}  {'size KB':>8}"
        )
        for result in results:
            size = f"{result.size / 1024:8.1f}" if result.size is not None else ""
            line = (
                f"  {result.label:<{width}}  {result.queries_text:>7}  "
                f"{result.median_ms:9.1f}  {result.min_ms:8.1f}  {result.cpu_ms:8.1f}  {size}"
            )
            print(line.rstrip())
        print(
            "  ms: wall clock around the call (median, min); cpu ms: median CPU time of this\n"
            "  process, which leaves out the database server's own work on PostgreSQL."
        )
        print()

        queries_ok = max(page.query_counts) <= TARGET_QUERIES
        time_ok = page.median_ms <= TARGET_MS
        note = (
            ""
            if args.measures == TARGET_MEASURES
            else f" (the target is set for {TARGET_MEASURES})"
        )
        print(
            f"  Target for the page of {TARGET_MEASURES:,} measures: "
            f"<= {TARGET_QUERIES} queries and <= {TARGET_MS:.0f} ms server time{note}"
        )
        print(f"    queries  {page.queries_text:>6}   {'met' if queries_ok else 'NOT MET'}")
        print(f"    median   {page.median_ms:6.1f} ms  {'met' if time_ok else 'NOT MET'}")

        if args.verbose:
            for result in (page, filtered):
                print()
                print(f"  SQL of {result.label.strip()} ({len(result.queries)} queries):")
                for number, query in enumerate(result.queries, start=1):
                    sql = " ".join(query["sql"].split())
                    print(f"    {number:>2}. {sql[:100]}")
        if args.profile:
            query = PROFILE_QUERIES[args.profile]
            print()
            print(f"  Profile of one request GET /{query} (cProfile, cumulative time):")
            print(profile_page(client, query))
    finally:
        connection.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
