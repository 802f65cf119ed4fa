"""Prints the "op koers" overview of a reporting period as CSV or as a text table, in the
series the page's `?reeks=` offers."""

import sys

from measures import exports
from measures.commands import PeriodCommand
from measures.overview import Series
from measures.overview_data import load_overview
from measures.tables import OverviewTable


class Command(PeriodCommand):
    help = "Toont het op-koersoverzicht van een rapportagemoment als CSV of als tekst."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--format", choices=["csv", "text"], default="text")
        parser.add_argument(
            "--series",
            choices=[series.value for series in Series],
            default=Series.TARGET.value,
            help="Welke reeks de regels tonen, zoals ?reeks= op de pagina (standaard: "
            "taakstelling).",
        )

    def handle(self, *args, **options):
        period = self.period(options)
        overview = load_overview(period, series=Series(options["series"])).overview
        table = OverviewTable(overview, for_export=True)
        if options["format"] == "csv":
            sys.stdout.flush()
            self.stdout.write(exports.to_csv(table).decode("utf-8").lstrip("\ufeff"), ending="")
        else:
            self.stdout.write(exports.to_text(table, f"{period.programme.name}: {period.name}"))
