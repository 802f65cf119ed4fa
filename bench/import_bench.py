"""Time and queries of a measures import of N rows (issue 12 item 3): the preview and the
confirmation, for a file that creates every measure and for one that changes every one.

    .venv/bin/python bench/import_bench.py [--measures 500] [--runs 3] [--database-url URL]

Like bench/overview.py it never touches db.sqlite3 or the environment's DATABASE_URL: a
temporary SQLite file by default, or a database whose name contains "bench" (wiped
first). The file is generated from a fixed seed: 8 new measure plans with numbered
measures (about 12% headings with 2-4 sub-measures), a few measures outside the plans,
targets for 2021-2026 (about 7% PM, 10% empty), a status, an explanation and an owner for
each. The import is by a controller (who approves the statuses it sets, four eyes).

Measured with imports.services, as the page, the command and the task call it:

* preview_import: reads, plans and records the file, changes no measure;
* confirm_import of that preview: "new" creates the N measures in an empty programme;
  "changed" imports, into the programme that now holds them, a file that changes every
  measure's title, status, explanation and one target (a council decision).

Each timed confirmation runs inside a transaction that is rolled back afterwards, so
every run starts from the same data; its own transactions become savepoints there, which
adds a few SAVEPOINT/RELEASE statements to the count. Times are wall-clock in this
process (median and minimum of --runs after --warmup); queries are counted with a
connection.execute_wrapper (an executemany counts once). It prints; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = 2021
FIRST_YEAR, LAST_YEAR = 2021, 2026
PLAN_COUNT = 8
OWNERS = ["anna", "bram", "carla", "daan", "eva", "frank"]
STATUSES = ["Ja", "Nee", "-"]
TARGET_MEASURES, TARGET_QUERIES, TARGET_SECONDS = 500, 200, 3.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=TARGET_MEASURES)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement (3)")
    parser.add_argument("--warmup", type=int, default=1, help="warm-up runs (1)")
    parser.add_argument("--database-url")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def rows_for(n_measures: int, seed: int = SEED, *, changed: bool = False) -> list[list]:
    """The sheet: a header and a row per measure. `changed`: the same measures, each with
    a new title, status and explanation, and its first target raised by 1.000."""
    rng = random.Random(seed)
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    header = ["Maatregelenplan", "Besluitnummer", "Volgnr", "Titel", "Beleidsterrein"]
    header += years + ["Op koers", "Toelichting", "Eigenaar"]
    rows = [["Maatregelen (benchmark)"], ["Eenheid bedragen", "euro"], [], header]
    n_outside = max(1, round(n_measures * 0.03))
    in_plans = n_measures - n_outside
    layout = []  # (plan index or None, number, is heading)
    for plan in range(PLAN_COUNT):
        remaining = in_plans // PLAN_COUNT + (1 if plan < in_plans % PLAN_COUNT else 0)
        number = 0
        while remaining > 0:
            number += 1
            if remaining >= 3 and rng.random() < 0.12:
                children = min(rng.randint(2, 4), remaining - 1)
                layout.append((plan, str(number), True))
                layout += [(plan, f"{number}.{child}", False) for child in range(1, children + 1)]
                remaining -= 1 + children
            else:
                layout.append((plan, str(number), False))
                remaining -= 1
    layout += [(None, "", False) for _ in range(n_outside)]
    for index, (plan, number, heading) in enumerate(layout):
        # Outside the plans a measure is known by its title: that one stays.
        title = f"Maatregel {index + 1}" + (" (herzien)" if changed and plan is not None else "")
        targets = []
        for year_index, _year in enumerate(years):
            draw = rng.random()
            if heading or draw < 0.10:
                targets.append(None)
            elif draw < 0.17:
                targets.append("PM")
            else:
                amount = rng.randrange(10, 2000) * 1000
                if changed and year_index == 0:
                    amount += 1000
                targets.append(amount)
        if changed and not heading and targets[0] is None:
            targets[0] = 1000
        status = rng.choice(STATUSES)
        if changed:
            status = STATUSES[(STATUSES.index(status) + 1) % len(STATUSES)]
        rows.append(
            [
                f"Maatregelenplan {plan + 1}" if plan is not None else None,
                f"BW-{6696 + plan}" if plan is not None else None,
                number or None,
                title,
                rng.choice(["Wmo", "Jeugd", "Participatie"]),
                *targets,
                None if heading else status,
                None if heading else ("Bijgesteld." if changed else "Volgens planning."),
                rng.choice(OWNERS),
            ]
        )
    return rows


def xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_data():
    """An organisation with an empty programme, an open period, owners and a controller."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from measures.constants import Role
    from measures.models import Programme, ReportingPeriod, StatusLevel, StatusScale
    from organisations.models import Membership, Organisation

    organisation = Organisation.all_organisations.create(
        name="Gemeente Benchdorp", short_name="Benchdorp", cbs_code="9999", slug="benchdorp"
    )
    scale = StatusScale.objects.create(organisation=organisation, name="Bench: Ja / Nee / -")
    StatusLevel.objects.bulk_create(
        StatusLevel(
            scale=scale,
            label=label,
            description=label,
            icon="smiley" if order == 1 else "dash",
            counts_as_on_course=order == 1,
            order=order,
        )
        for order, label in enumerate(STATUSES, start=1)
    )
    programme = Programme.objects.create(
        name="Programma Zorg (benchmark)",
        organisation=organisation,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        target_year=LAST_YEAR,
        status_scale=scale,
    )
    period = ReportingPeriod.objects.create(
        programme=programme,
        name="Tussenrapportage",
        kind="tussenrapportage",
        reference_date=date(FIRST_YEAR, 7, 1),
    )
    user_model = get_user_model()
    unusable = make_password(None)
    for name in OWNERS:
        owner = user_model.objects.create(username=name, password=unusable)
        Membership.objects.create(user=owner, organisation=organisation, role=Role.INVOERDER)
    controller = user_model.objects.create(username="controller", password=unusable)
    Membership.objects.create(user=controller, organisation=organisation, role=Role.CONTROLLER)
    return programme, period, controller


def measure(fn, runs: int, warmup: int, *, rollback: bool):
    """(median s, min s, median CPU s, query counts, last result) of `fn`, each run
    rolled back if asked."""
    from django.db import connection, transaction

    times, cpu_times, counts, result = [], [], [], None
    for attempt in range(warmup + runs):
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with transaction.atomic():
            with connection.execute_wrapper(count):
                start, cpu_start = time.perf_counter(), time.process_time()
                result = fn()
                elapsed = time.perf_counter() - start
                cpu = time.process_time() - cpu_start
            if rollback:
                transaction.set_rollback(True)
        if attempt >= warmup:
            times.append(elapsed)
            cpu_times.append(cpu)
            counts.append(len(executed))
    return statistics.median(times), min(times), statistics.median(cpu_times), counts, result


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p != str(Path(__file__).parent)]
    from bench.overview import migrate, prepare_database

    url, description, tmp = prepare_database(args.database_url, args.force)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CONN_MAX_AGE", None)
    try:
        import django

        django.setup()
        from django.db import connection

        from imports.models import ImportSource, ImportStatus
        from imports.services import Decision, confirm_import, preview_import
        from measures.audit import acting_user
        from organisations.scoping import unscoped

        with unscoped():
            migrate(flush=connection.vendor not in ("sqlite", "postgresql"))
            programme, period, controller = make_data()
            files = {
                "new": xlsx(rows_for(args.measures)),
                "changed": xlsx(rows_for(args.measures, changed=True)),
            }
            decision = Decision(reference="RB-2021-1", decided_on=date(FIRST_YEAR, 6, 1))

            def preview(kind):
                outcome = preview_import(
                    content=files[kind],
                    file_name=f"{kind}.xlsx",
                    programme=programme,
                    period=period,
                    user=controller,
                    source=ImportSource.COMMAND,
                )
                if outcome.record.status != ImportStatus.PREVIEW:
                    sys.exit(f"The {kind} file was refused: {outcome.problems[:3]}")
                return outcome.record

            def confirm(kind):
                record = preview(kind)

                def run():
                    outcome = confirm_import(
                        record_id=record.pk,
                        user=controller,
                        expected_digest=record.preview_digest,
                        decision=decision,
                    )
                    if not outcome.applied:
                        sys.exit(f"The {kind} import was not applied: {outcome.problems[:3]}")
                    return outcome

                return run

            load = os.getloadavg()[0]
            results = []
            with acting_user(controller):
                for kind in ("new", "changed"):
                    results.append(
                        (
                            f"preview, {kind}",
                            measure(
                                lambda k=kind: preview(k), args.runs, args.warmup, rollback=True
                            ),
                        )
                    )
                    results.append(
                        (
                            f"confirm, {kind}",
                            measure(confirm(kind), args.runs, args.warmup, rollback=True),
                        )
                    )
                    if kind == "new":
                        # The "changed" file changes what the "new" one created.
                        confirm(kind)()
            counts = results[-1][1][4].record.counts

        print("Koersmonitor import benchmark")
        print(f"  database   {description}")
        print(
            f"  file       {args.measures} measures in {PLAN_COUNT} new plans, targets "
            f"{FIRST_YEAR}-{LAST_YEAR}, status, explanation, owner"
        )
        print(
            f"  changed    {counts['changed']} measures changed, {counts['targets_set']} "
            f"targets set, {counts['assessments_set']} statuses approved"
        )
        print(f"  runs       {args.warmup} warm-up + {args.runs} timed; load average {load:.2f}")
        print()
        print(f"  {'':<18}{'queries':>9}{'median s':>10}{'min s':>8}{'cpu s':>8}")
        for label, (median, low, cpu, query_counts, _result) in results:
            queries = (
                str(min(query_counts))
                if min(query_counts) == max(query_counts)
                else f"{min(query_counts)}-{max(query_counts)}"
            )
            print(f"  {label:<18}{queries:>9}{median:10.2f}{low:8.2f}{cpu:8.2f}")
        print(
            "  s: wall clock around the call; cpu s: CPU time of this process (without the\n"
            "  database server's own work on PostgreSQL), steadier on a busy machine."
        )
        print()
        print(
            f"  Target for confirming {TARGET_MEASURES} measures: <= {TARGET_QUERIES} queries "
            f"and <= {TARGET_SECONDS:.0f} s"
        )
        for label, (median, _low, _cpu, query_counts, _result) in results:
            if label.startswith("confirm"):
                met = max(query_counts) <= TARGET_QUERIES and median <= TARGET_SECONDS
                print(f"    {label:<16} {'met' if met else 'NOT MET'}")
    finally:
        from django.db import connection

        connection.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
