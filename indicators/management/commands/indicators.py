"""Prints every indicator a reporting period reported, with its unit, year and value(s) as
the report shows them, as CSV or as a text table."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from indicators import table
from measures.exports import csv_document
from measures.models import ReportingPeriod
from organisations.commands import OrganisationCommand
from organisations.models import Organisation


class Command(OrganisationCommand):
    help = "Toont de indicatoren van een rapportagemoment met eenheid, jaar en waarde(n)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--period",
            required=True,
            help='Naam van het rapportagemoment, bijv. "Jaarverslag 2018".',
        )
        parser.add_argument(
            "--programme", help="Naam van het programma (nodig als de periodenaam vaker voorkomt)."
        )
        parser.add_argument("--format", choices=["csv", "text"], default="text")

    def organisation_candidates(self, options):
        periods = {"programmes__periods__name": options["period"]}
        if options["programme"]:
            periods["programmes__name"] = options["programme"]
        return Organisation.all_organisations.filter(**periods)

    def target_description(self, options) -> str:
        return _("Rapportagemoment %(name)r") % {"name": options["period"]}

    def handle(self, *args, **options):
        period = self.period(options["period"], options["programme"])
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

    def period(self, name: str, programme: str | None) -> ReportingPeriod:
        periods = ReportingPeriod.objects.select_related("programme").filter(name=name)
        if programme:
            periods = periods.filter(programme__name=programme)
        found = list(periods.order_by("programme__name"))
        if not found:
            raise CommandError(
                _("Rapportagemoment %(name)r niet gevonden%(where)s.")
                % {
                    "name": name,
                    "where": _(" in programma %(programme)r") % {"programme": programme}
                    if programme
                    else "",
                }
            )
        if len(found) > 1:
            raise CommandError(
                _(
                    "Rapportagemoment %(name)r bestaat in meer programma's (%(programmes)s); "
                    "kies met --programme."
                )
                % {"name": name, "programmes": ", ".join(p.programme.name for p in found)}
            )
        return found[0]
