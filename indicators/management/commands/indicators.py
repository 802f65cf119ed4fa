"""Prints every indicator a reporting period reported, with its unit, year and value(s) as
the report shows them, as CSV or as a text table."""

from indicators import table
from measures.commands import PeriodCommand
from measures.exports import csv_document


class Command(PeriodCommand):
    help = "Toont de indicatoren van een rapportagemoment met eenheid, jaar en waarde(n)."
    period_example = "Jaarverslag 2018"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--format", choices=["csv", "text"], default="text")

    def handle(self, *args, **options):
        period = self.period(options)
        if options["format"] == "csv":
            rows = [
                [row.number, row.name, row.unit, row.year, row.kind, row.text]
                for row in table.entry_rows(period)
            ]
            document = csv_document([table.entry_headers(), *rows])
            self.stdout.write(document.decode("utf-8").lstrip("\ufeff"), ending="")
        else:
            title = f"{period.programme.name}: {period.name}"
            self.stdout.write(table.as_text(table.entry_rows(period), title), ending="")
