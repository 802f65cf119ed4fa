"""Prints the "Wat heeft het gekost?" table of a programme, or of one of its products, in
a reporting period, with the organisation's row labels and columns, as CSV or as text."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from budgets import table
from budgets.data import load_money
from measures.commands import PeriodCommand
from measures.exports import csv_document


class Command(PeriodCommand):
    help = _('Toont de tabel "Wat heeft het gekost?" van een programma of product.')
    period_example = "Jaarverslag 2018"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--product",
            help=_('Naam van een product, bijv. "Sociale Wijkteams"; zonder: het programma.'),
        )
        parser.add_argument("--format", choices=["csv", "text"], default="text")

    def handle(self, *args, **options):
        period = self.period(options)
        money = load_money(period)
        product = None
        if options["product"]:
            product = next((p for p in money.products if p.name == options["product"]), None)
            if product is None:
                raise CommandError(
                    _("Het programma %(programme)s heeft geen product %(product)r; wel: %(names)s.")
                    % {
                        "programme": period.programme.name,
                        "product": options["product"],
                        "names": ", ".join(p.name for p in money.products) or "-",
                    }
                )
        statement = money.table(product)
        if options["format"] == "csv":
            document = csv_document([table.header(statement), *table.text_rows(statement)])
            self.stdout.write(document.decode("utf-8").lstrip("\ufeff"), ending="")
        else:
            title = f"{product or period.programme.name}: {period.name}"
            self.stdout.write(table.as_text(statement, title), ending="")
