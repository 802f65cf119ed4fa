"""Query counts and timings of a programme's money (issue 11): the statement page, the
doelenboom page, a product page with its measures, the `statement` command and the
report with the money section, for N products.

    .venv/bin/python bench/budget.py [--products 10 500] [--measures 500] [--runs 5]
                                     [--database-url URL]

The data is tests/budgets/builders.make_money (products with lasten and baten budgeted
and realised; `--measures` savings measures, all linked to the first product, whose page
is measured). Like bench/overview.py it never touches db.sqlite3 or the environment's
DATABASE_URL: a temporary SQLite file by default, or a database whose name contains
"bench". Pages are fetched through django.test.Client as a manager (view rights only);
times are wall-clock in this process (median and minimum of --runs after one warm-up).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, nargs="+", default=[10, 500])
    parser.add_argument("--measures", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p != str(Path(__file__).parent)]
    from bench.chapter import timed
    from bench.overview import make_client, migrate, prepare_database

    url, description, tmp = prepare_database(args.database_url, args.force)
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url
    try:
        import django

        django.setup()
        from io import StringIO

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.utils import timezone

        from budgets.models import Product
        from measures.constants import Role
        from measures.models import Measure
        from organisations.models import Membership, Organisation
        from organisations.scoping import unscoped
        from reports.builder import build_report_data
        from reports.documents import render_pdf
        from tests.budgets.builders import make_money

        scope = unscoped()
        scope.__enter__()
        migrate(flush=False)
        organisation = Organisation.all_organisations.create(
            name="Gemeente Bench", short_name="Bench", cbs_code="9999", slug="bench"
        )
        viewer = get_user_model().objects.create_user("bench-manager")
        Membership.objects.create(user=viewer, organisation=organisation, role=Role.MANAGER)
        client = make_client(viewer)

        print(f"Koersmonitor budget benchmark ({description}; {args.runs} runs after a warm-up)")
        print(f"  {'products':>8}  {'what':<34} {'queries':>7} {'median':>10} {'min':>10}")
        for count in args.products:
            period = make_money(
                products=count,
                measures=args.measures,
                organisation=organisation,
                name=f"Programma {count}",
            )
            programme = period.programme
            first = Product.objects.filter(programme=programme).order_by("order").first()
            first.measures.set(Measure.objects.filter(programme=programme))
            pages = {
                "statement page": f"/programmas/{programme.pk}/wat-heeft-het-gekost/"
                f"?periode={period.pk}",
                "doelenboom page": f"/programmas/{programme.pk}/doelenboom/?periode={period.pk}",
                f"product page ({args.measures} measures)": f"/producten/{first.pk}/"
                f"?periode={period.pk}",
            }

            def fetch(url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            def command(period=period):
                call_command(
                    "statement",
                    organisation="Bench",
                    period=period.name,
                    programme=period.programme.name,
                    format="csv",
                    stdout=StringIO(),
                )

            def report(period=period):
                render_pdf(build_report_data(period, built_at=timezone.now()))

            measured = [
                (label, lambda url=url: fetch(url), args.runs, "ms") for label, url in pages.items()
            ]
            measured += [
                ("statement command", command, args.runs, "ms"),
                ("report PDF", report, 1, "s"),
            ]
            for label, fn, runs, unit in measured:
                queries, median, least = timed(fn, runs)
                scale = 1000 if unit == "s" else 1
                print(
                    f"  {count:>8}  {label:<34} {queries:>7} {median / scale:>8.2f} {unit} "
                    f"{least / scale:>7.2f} {unit}"
                )
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
