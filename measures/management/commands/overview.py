"""Prints the "op koers" overview of a reporting period as CSV or as a text table, in the
series the page's `?reeks=` offers."""

import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from measures import exports
from measures.models import ReportingPeriod
from measures.overview import Series
from measures.overview_data import load_overview
from measures.tables import OverviewTable
from organisations.commands import OrganisationCommand
from organisations.models import Organisation


class Command(OrganisationCommand):
    help = "Toont het op-koersoverzicht van een rapportagemoment als CSV of als tekst."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--period",
            required=True,
            help='Naam van het rapportagemoment, bijv. "Midterm review 2020".',
        )
        parser.add_argument(
            "--programme", help="Naam van het programma (nodig als de periodenaam vaker voorkomt)."
        )
        parser.add_argument("--format", choices=["csv", "text"], default="text")
        parser.add_argument(
            "--series",
            choices=[series.value for series in Series],
            default=Series.TARGET.value,
            help="Welke reeks de regels tonen, zoals ?reeks= op de pagina (standaard: "
            "taakstelling).",
        )

    def organisation_candidates(self, options):
        periods = {"programmes__periods__name": options["period"]}
        if options["programme"]:
            periods["programmes__name"] = options["programme"]
        return Organisation.all_organisations.filter(**periods)

    def target_description(self, options) -> str:
        return _("Rapportagemoment %(name)r") % {"name": options["period"]}

    def handle(self, *args, **options):
        periods = ReportingPeriod.objects.select_related("programme__organisation").filter(
            name=options["period"]
        )
        if options["programme"]:
            periods = periods.filter(programme__name=options["programme"])
        periods = list(periods)
        if not periods:
            raise CommandError(f"Rapportagemoment {options['period']!r} niet gevonden.")
        if len(periods) > 1:
            names = ", ".join(period.programme.name for period in periods)
            raise CommandError(
                f"Dit rapportagemoment bestaat in meer programma's ({names}); kies met --programme."
            )
        period = periods[0]
        overview = load_overview(period, series=Series(options["series"])).overview
        table = OverviewTable(overview, for_export=True)
        if options["format"] == "csv":
            sys.stdout.flush()
            self.stdout.write(exports.to_csv(table).decode("utf-8").lstrip("\ufeff"), ending="")
        else:
            self.stdout.write(exports.to_text(table, f"{period.programme.name}: {period.name}"))
