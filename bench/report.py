"""Seconds and pages of the PDF report for the Almelo demo and generated programmes.

    .venv/bin/python bench/report.py [--measures 100 500] [--runs 2] [--keep DIR]

Everything goes into a throwaway SQLite file in a temporary directory; the developer's
db.sqlite3 and any DATABASE_URL in the environment are never used. Rendering dominates:
the database part is a fixed handful of queries (printed per report).

Printed first are the one-time costs of a process (importing WeasyPrint, parsing the
stylesheets and fonts), then per report the wall-clock seconds of building it, from the
queries to the PDF bytes (median and minimum of --runs runs, all after the one-time costs),
its pages and size. --keep DIR writes each PDF there, to look at with pdftoppm.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = 2020
TARGETS = {"Almelo": 3.0, 500: 30.0}
FIRST_YEAR, LAST_YEAR = 2021, 2026
# Generated descriptions and explanations draw their words from this, so that pages fill
# as real ones do.
SAMPLE_TEXT = (
    "de maatregel loopt volgens planning maar de instroom in de jeugdhulp blijft hoger dan "
    "verwacht waardoor de besparing later zichtbaar wordt het wijkteam heeft met de "
    "aanbieders nieuwe afspraken gemaakt over volume en tarief en de monitor laat een "
    "dalende lijn zien in het aantal indicaties voor begeleiding en dagbesteding"
)
WORDS = SAMPLE_TEXT.split()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, nargs="*", default=[100, 500])
    parser.add_argument("--runs", type=int, default=2, help="timed runs per report (2)")
    parser.add_argument("--keep", type=Path, help="write the PDFs into this directory")
    args = parser.parse_args(argv)
    if args.runs < 1 or any(count < 1 for count in args.measures):
        parser.error("--runs and every --measures value are at least 1")
    return args


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(count: int, rng: random.Random):
    """A programme of `count` measures over five plans and four goals, with a previous
    period, so that every section of the report has content."""
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
    from organisations.models import Organisation

    scale = StatusScale.objects.create(
        organisation=Organisation.all_organisations.first(), name=f"Schaal {count}"
    )
    levels = [
        StatusLevel.objects.create(
            scale=scale,
            label="Ja",
            description="op koers",
            colour="#1d6b2f",
            icon="smiley",
            counts_as_on_course=True,
            order=1,
        ),
        StatusLevel.objects.create(
            scale=scale,
            label="Nee",
            description="niet op koers",
            colour="#b00020",
            icon="frown",
            order=2,
        ),
        StatusLevel.objects.create(
            scale=scale,
            label="-",
            description="niet beoordeeld",
            colour="#5f6368",
            icon="dash",
            order=3,
        ),
    ]
    programme = Programme.objects.create(
        name=f"Programma met {count} maatregelen",
        organisation=scale.organisation,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        target_year=LAST_YEAR,
        status_scale=scale,
    )
    goals = [
        Goal.objects.create(programme=programme, number=number, title=sentence(rng, 12)[:-1])
        for number in range(1, 5)
    ]
    plans = [
        MeasurePlan.objects.create(
            programme=programme,
            name=f"Maatregelenplan {number}",
            decision_reference=f"BW-{7000 + number}",
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
            order=number,
        )
        for number in range(1, 6)
    ]
    measures = Measure.objects.bulk_create(
        Measure(
            programme=programme,
            plan=plans[index % len(plans)],
            number=str(index // len(plans) + 1),
            sort_key=natural_sort_key(str(index // len(plans) + 1)),
            title=sentence(rng, rng.randint(2, 6))[:-1],
            description=sentence(rng, rng.randint(10, 30)),
            goal=goals[index % len(goals)],
        )
        for index in range(count)
    )
    amounts = (
        (measure, year, None if rng.random() < 0.05 else rng.randrange(10, 900) * 1000)
        for measure in measures
        for year in range(FIRST_YEAR + rng.randint(0, 2), LAST_YEAR + 1)
    )
    YearTarget.objects.bulk_create(
        YearTarget(measure=measure, year=year, amount=amount, is_pm=amount is None)
        for measure, year, amount in amounts
    )
    SavingsTask.objects.bulk_create(
        SavingsTask(programme=programme, year=year, amount=count * 90_000 * (year - 2020))
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    )
    Adjustment.objects.create(
        programme=programme, label="Inzet extra middelen", year=LAST_YEAR, amount=1_800_000
    )
    previous, period = (
        ReportingPeriod.objects.create(
            programme=programme,
            name=name,
            kind=kind,
            reference_date=reference_date,
        )
        for name, kind, reference_date in (
            ("Voorjaarsnota 2024", "voorjaarsnota", date(2024, 3, 1)),
            ("Tussenrapportage 2024", "tussenrapportage", date(2024, 7, 1)),
        )
    )
    Assessment.objects.bulk_create(
        Assessment(
            measure=measure,
            period=which,
            status=rng.choices(levels, weights=(6, 2, 1))[0],
            explanation=" ".join(sentence(rng, rng.randint(15, 45)) for _ in range(2)),
        )
        for measure in measures
        for which in (previous, period)
    )
    return ReportingPeriod.objects.select_related("programme").get(pk=period.pk)


def build(period):
    from django.utils import timezone

    from reports.builder import build_report_data
    from reports.documents import render_pdf

    data = build_report_data(period, built_at=timezone.now())
    return render_pdf(data)


def measure(label: str, period, runs: int, keep: Path | None) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times, rendered, queries = [], None, 0
    for _ in range(runs):
        # The log keeps 9,000 queries; loading the demo fills it, and a full log counts 0.
        reset_queries()
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            rendered = build(period)
            times.append(time.perf_counter() - started)
        queries = len(context.captured_queries)
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{label.replace(' ', '-').replace(',', '')}.pdf").write_bytes(rendered.content)
    return {
        "label": label,
        "median": statistics.median(times),
        "min": min(times),
        "pages": rendered.page_count,
        "kb": len(rendered.content) / 1024,
        "queries": queries,
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="koersmonitor-report-bench-"))
    here = str(Path(__file__).resolve().parent)
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p not in (here, str(REPO))]
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from measures.demo import load_demo
        from measures.models import ReportingPeriod
        from organisations.scoping import unscoped

        scope = unscoped()  # the benchmark reads as the installation
        scope.__enter__()

        call_command("migrate", verbosity=0, interactive=False)
        rng = random.Random(SEED)
        programme = load_demo()
        almelo = ReportingPeriod.objects.select_related("programme__organisation").get(
            programme=programme, name="Midterm review 2020"
        )
        cases = [("Almelo demo", almelo, "Almelo")]
        cases += [(f"generated, {n} measures", generate(n, rng), n) for n in args.measures]

        started = time.perf_counter()
        import weasyprint  # noqa: F401

        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        from reports.pdf import renderer

        renderer()
        parse_seconds = time.perf_counter() - started

        results = [
            (measure(label, period, args.runs, args.keep), key) for label, period, key in cases
        ]

        print("Koersmonitor report benchmark (PDF/UA-1 through WeasyPrint)")
        print(
            f"  SQLite in a temporary file; {args.runs} run(s) per report; load average "
            f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (other processes inflate the times)"
        )
        print(
            f"  once per process: import WeasyPrint {import_seconds:.2f} s, "
            f"parse stylesheets and fonts {parse_seconds:.2f} s"
        )
        print()
        print(
            f"  {'report':<26} {'queries':>7} {'pages':>6} {'median s':>9} {'min s':>7} "
            f"{'PDF KB':>8}  target"
        )
        for result, key in results:
            target = TARGETS.get(key)
            verdict = ""
            if target is not None:
                verdict = f"<= {target:.0f} s {'met' if result['median'] <= target else 'NOT MET'}"
            print(
                f"  {result['label']:<26} {result['queries']:>7} {result['pages']:>6} "
                f"{result['median']:>9.2f} {result['min']:>7.2f} {result['kb']:>8.0f}  {verdict}"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
