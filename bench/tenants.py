"""One programme's overview, alone in the database and among many organisations.

    .venv/bin/python bench/tenants.py [--organisations 340] [--programmes 3] [--measures 100]
        [--database-url URL] [--runs 7] [--explain]

A hosting party serves hundreds of municipalities from one database. This benchmark
generates one programme of --measures measures with bench/overview.py's generator (fixed
seed), copies that database (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite: the file),
adds to the copy --organisations organisations with --programmes programmes of
--measures measures each (yearly targets for 2021-2026, a reporting period with an
assessment per measure, the savings task, a manager), and measures the programme's
overview page in both databases, run by run in turns, so that whatever else the machine
does weighs on both alike. The page must cost the same number of queries and at most
1.2 times the time: every query of the overview reaches its rows through an index on the
programme, the period or the measure, never by reading other organisations' rows.

The other organisations are written with bulk_create in large batches, not through the
models' save(), so no history rows are made for them (the overview reads none).

Like overview.py it works in a temporary SQLite file unless --database-url is given
(its name must contain "bench", or pass --force; it is dropped and created again). The
page is fetched through django.test.Client as a Manager of the programme's organisation.
Each measurement is --warmup warm-ups and --runs timed runs; the table shows the median
and the minimum. --explain prints the query plan of each of the page's queries with all
organisations in the database (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on
SQLite).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import shutil
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
SEED = 340
FIRST_YEAR, LAST_YEAR = 2021, 2026
TARGET_RATIO = 1.2
BATCH = 5000


def load_overview_bench():
    spec = importlib.util.spec_from_file_location("bench_overview", HERE / "overview.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=340, help="other organisations")
    parser.add_argument("--programmes", type=int, default=3, help="programmes each (3)")
    parser.add_argument("--measures", type=int, default=100, help="measures per programme")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--runs", type=int, default=7, help="timed runs (7)")
    parser.add_argument("--warmup", type=int, default=2, help="warm-up runs (2)")
    parser.add_argument("--explain", action="store_true", help="print the page's query plans")
    parser.add_argument("--force", action="store_true", help='allow a name without "bench"')
    return parser.parse_args(argv)


def add_other_organisations(n_organisations: int, n_programmes: int, n_measures: int) -> dict:
    """Bulk-write the other tenants; returns the row counts written."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from measures.constants import PeriodKind, Role
    from measures.models import (
        Assessment,
        Measure,
        Programme,
        ReportingPeriod,
        SavingsTask,
        StatusLevel,
        StatusScale,
        natural_sort_key,
    )
    from organisations.models import Membership, Organisation

    rng = random.Random(SEED)
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    counts = {}
    with transaction.atomic():
        organisations = Organisation.all_organisations.bulk_create(
            Organisation(
                name=f"Gemeente Tenant {index:04d}",
                short_name=f"Tenant {index:04d}",
                cbs_code=f"{index:04d}",
                slug=f"tenant-{index:04d}",
            )
            for index in range(n_organisations)
        )
        unusable = make_password(None)
        users = get_user_model().objects.bulk_create(
            get_user_model()(username=f"manager-{org.slug}", password=unusable)
            for org in organisations
        )
        Membership.all_memberships.bulk_create(
            Membership(user=user, organisation=org, role=Role.MANAGER)
            for user, org in zip(users, organisations, strict=True)
        )
        scales = StatusScale.objects.bulk_create(
            StatusScale(organisation=org, name="Ja / Nee / -") for org in organisations
        )
        levels = StatusLevel.objects.bulk_create(
            StatusLevel(
                scale=scale,
                label=label,
                colour=colour,
                icon=icon,
                counts_as_on_course=order == 1,
                order=order,
            )
            for scale in scales
            for order, (label, colour, icon) in enumerate(
                [
                    ("Ja", "#1d6b2f", "smiley"),
                    ("Nee", "#b00020", "frown"),
                    ("-", "#5f6368", "dash"),
                ],
                start=1,
            )
        )
        levels_of = {scale.pk: levels[3 * i : 3 * i + 3] for i, scale in enumerate(scales)}
        programmes = Programme.objects.bulk_create(
            Programme(
                organisation=org,
                name=f"Programma {number}",
                first_year=FIRST_YEAR,
                last_year=LAST_YEAR,
                target_year=LAST_YEAR,
                status_scale=scale,
            )
            for org, scale in zip(organisations, scales, strict=True)
            for number in range(1, n_programmes + 1)
        )
        measures = Measure.objects.bulk_create(
            (
                Measure(
                    programme=programme,
                    number=str(number),
                    sort_key=natural_sort_key(str(number)),
                    title=f"Maatregel {number}",
                    domain=rng.choice(["wmo", "jeugd", "participatie", "breed"]),
                )
                for programme in programmes
                for number in range(1, n_measures + 1)
            ),
            batch_size=BATCH,
        )
        targets = insert_year_targets(programmes, years)
        SavingsTask.objects.bulk_create(
            (
                SavingsTask(programme=programme, year=year, amount=1_000_000)
                for programme in programmes
                for year in years
            ),
            batch_size=BATCH,
        )
        periods = ReportingPeriod.objects.bulk_create(
            ReportingPeriod(
                programme=programme,
                name=f"Tussenrapportage {LAST_YEAR - 2}",
                kind=PeriodKind.TUSSENRAPPORTAGE,
                reference_date=date(LAST_YEAR - 2, 6, 30),
            )
            for programme in programmes
        )
        period_of = {period.programme_id: period for period in periods}
        scale_of = {programme.pk: programme.status_scale_id for programme in programmes}
        assessments = Assessment.objects.bulk_create(
            (
                Assessment(
                    measure=measure,
                    period=period_of[measure.programme_id],
                    status=rng.choice(levels_of[scale_of[measure.programme_id]]),
                )
                for measure in measures
            ),
            batch_size=BATCH,
        )
    counts.update(
        organisations=len(organisations),
        programmes=len(programmes),
        measures=len(measures),
        targets=targets,
        assessments=len(assessments),
    )
    return counts


def insert_year_targets(programmes, years) -> int:
    """The bulk of the rows (a target per measure and year) in one INSERT ... SELECT per
    year, computed by the database: many times faster than building the objects."""
    from django.db import connection

    from measures.models import Measure, YearTarget

    target, measure = YearTarget._meta, Measure._meta
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(target.db_table)} "
        f"({quote('measure_id')}, {quote('year')}, {quote('amount')}, {quote('is_pm')}) "
        f"SELECT {quote('id')}, %s, ({quote('id')} * 7919 %% 1490 + 10) * 1000, %s "
        f"FROM {quote(measure.db_table)} WHERE {quote('programme_id')} BETWEEN %s AND %s"
    )
    low, high = min(p.pk for p in programmes), max(p.pk for p in programmes)
    written = 0
    with connection.cursor() as cursor:
        for year in years:
            cursor.execute(sql, [year, False, low, high])
            written += cursor.rowcount
    return written


def clone_database(bench, settings: dict) -> str:
    """A copy of the (closed) database: PostgreSQL's CREATE DATABASE ... TEMPLATE, or a
    copy of the SQLite file. Returns the copy's name."""
    name = str(settings["NAME"])
    if settings["ENGINE"].endswith("postgresql"):
        from psycopg import sql

        clone = f"{name}_among"
        with bench._postgres_connect(settings, "postgres") as maintenance:
            maintenance.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(clone)))
            maintenance.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(clone), sql.Identifier(name)
                )
            )
        return clone
    path = Path(name)
    clone = path.with_name(f"{path.stem}-among{path.suffix}")
    shutil.copyfile(path, clone)
    return str(clone)


def use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def alternate(bench, label: str, fn, databases: list[str], runs: int, warmup: int):
    """Time `fn` on each database in turn, run after run; a Result per database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    collected = [([], [], [], None) for _ in databases]
    for attempt in range(warmup + runs):
        for index, database in enumerate(databases):
            use_database(database)
            with CaptureQueriesContext(connection) as context:
                start, cpu_start = time.perf_counter(), time.process_time()
                fn()
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            times, cpu_times, counts, _ = collected[index]
            if attempt >= warmup:
                times.append(elapsed)
                cpu_times.append(cpu)
                counts.append(len(context.captured_queries))
            collected[index] = (times, cpu_times, counts, list(context.captured_queries))
    return [
        bench.Result(label, times, cpu_times, counts, queries)
        for times, cpu_times, counts, queries in collected
    ]


def explain(queries: list[dict]) -> None:
    from django.db import connection

    for number, query in enumerate(queries, start=1):
        sql = query["sql"]
        print(f"  {number}. {' '.join(sql.split())[:160]}")
        prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
        try:
            with connection.cursor() as cursor:
                cursor.execute(prefix + sql)
                for row in cursor.fetchall():
                    print("       " + " ".join(str(part) for part in row[-1:]))
        except Exception as error:  # a captured SQL text that cannot be re-run as is
            print(f"       (no plan: {type(error).__name__}: {str(error)[:120]})")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    bench = load_overview_bench()
    url, description, tmp = bench.prepare_database(args.database_url, args.force)
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p not in (str(HERE), str(REPO))]
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CONN_MAX_AGE", None)

    import django

    django.setup()
    from django.db import connection

    from measures import overview_data
    from organisations.scoping import unscoped

    scope = unscoped()
    scope.__enter__()
    try:
        bench.migrate(flush=connection.vendor not in ("sqlite", "postgresql"))
        data = bench.generate(args.measures)
        bench.analyze()
        client = bench.make_client(data.viewer)
        period = data.period

        # The same programme in two databases: a copy made now, and the original, to
        # which the other organisations are added. The runs then take turns between the
        # two, so that a busy machine weighs on both alike.
        alone_db = connection.settings_dict["NAME"]
        connection.close()
        among_db = clone_database(bench, connection.settings_dict)
        started = time.perf_counter()
        use_database(among_db)
        counts = add_other_organisations(args.organisations, args.programmes, args.measures)
        bench.analyze()
        generate_seconds = time.perf_counter() - started
        load_before = os.getloadavg()[0]

        measurements = [
            ("GET overview page", bench.get_page(client)),
            ("load_overview(period)", lambda: overview_data.load_overview(period)),
        ]
        alone, among = [], []
        for label, fn in measurements:
            results = alternate(bench, label, fn, [alone_db, among_db], args.runs, args.warmup)
            alone.append(results[0])
            among.append(results[1])
        load_after = os.getloadavg()[0]

        print("Koersmonitor tenants benchmark: one programme's overview among many")
        print(f"  database     {description}")
        print(
            f"  programme    {data.measures} measures, {data.targets} yearly targets, "
            f"{data.assessments} assessments (bench/overview.py's generator)"
        )
        print(
            f"  others       {counts['organisations']} organisations x {args.programmes} "
            f"programmes: {counts['programmes']} programmes, {counts['measures']:,} measures, "
            f"{counts['targets']:,} yearly targets, {counts['assessments']:,} assessments; "
            f"written in {generate_seconds:.1f} s"
        )
        print(
            f"  runs         {args.warmup} warm-up + {args.runs} timed each, alone and among "
            f"others in turns; load average {load_before:.2f} before, {load_after:.2f} after; "
            f"{os.cpu_count()} CPUs"
        )
        print()
        print(
            f"  {'':<22} {'queries':>7} {'alone ms':>9} {'among ms':>9} {'ratio':>6} "
            f"{'min alone':>9} {'min among':>9} {'ratio':>6}"
        )
        for before, after in zip(alone, among, strict=True):
            print(
                f"  {before.label:<22} {before.queries_text + '/' + after.queries_text:>7} "
                f"{before.median_ms:9.1f} {after.median_ms:9.1f} "
                f"{after.median_ms / before.median_ms:6.2f} {before.min_ms:9.1f} "
                f"{after.min_ms:9.1f} {after.min_ms / before.min_ms:6.2f}"
            )
        page_before, page_after = alone[0], among[0]
        same = page_before.query_counts == page_after.query_counts
        ratio = page_after.median_ms / page_before.median_ms
        print()
        print(f"  Target: the same queries, and at most {TARGET_RATIO}x the time (median)")
        print(
            f"    queries  {page_before.queries_text} alone, {page_after.queries_text} among "
            f"others   {'met' if same else 'NOT MET'}"
        )
        print(f"    time     {ratio:.2f}x   {'met' if ratio <= TARGET_RATIO else 'NOT MET'}")
        if args.explain:
            print()
            print("  Query plans of the page with every organisation in the database:")
            use_database(among_db)
            explain(page_after.queries)
    finally:
        connection.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
