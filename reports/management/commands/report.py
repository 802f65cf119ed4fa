"""Writes the report of a reporting period as PDF (or as the web version in HTML)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from measures.models import ReportingPeriod
from organisations.commands import OrganisationCommand
from organisations.models import Organisation
from reports.documents import moment_text
from reports.services import report_html, report_pdf


class Command(OrganisationCommand):
    help = (
        "Schrijft het rapport van een rapportagemoment als PDF of HTML. Is het rapport "
        "gepubliceerd, dan is dat precies het gepubliceerde bestand."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--programme", required=True, help='Bijv. "Programma Zorg".')
        parser.add_argument("--period", required=True, help='Bijv. "Midterm review 2020".')
        parser.add_argument("--output", required=True, help="Bestand, bijv. rapport.pdf.")
        parser.add_argument(
            "--format",
            choices=["pdf", "html"],
            help="Standaard volgens de extensie van --output, anders pdf.",
        )

    def organisation_candidates(self, options):
        return Organisation.all_organisations.filter(
            programmes__name=options["programme"], programmes__periods__name=options["period"]
        )

    def target_description(self, options) -> str:
        return _("Rapportagemoment %(period)r van %(programme)r") % {
            "period": options["period"],
            "programme": options["programme"],
        }

    def handle(self, *args, **options):
        period = (
            ReportingPeriod.objects.select_related("programme__organisation")
            .filter(programme__name=options["programme"], name=options["period"])
            .first()
        )
        if period is None:
            raise CommandError(
                f"Rapportagemoment {options['period']!r} van {options['programme']!r} "
                "niet gevonden."
            )
        output = Path(options["output"])
        kind = options["format"] or ("html" if output.suffix.lower() == ".html" else "pdf")
        report_file = report_pdf(period) if kind == "pdf" else report_html(period)
        try:
            output.write_bytes(report_file.content)
        except OSError as error:
            raise CommandError(f"Kan {output} niet schrijven: {error.strerror}.") from error
        if report_file.published is not None:
            state = f"gepubliceerd, gemaakt op {moment_text(report_file.published.built_at)}"
        else:
            state = "concept"
        size = f"{len(report_file.content):,}".replace(",", ".")
        self.stdout.write(
            f"{output}: {period.programme.name}, {period.name} ({state}), {size} bytes"
        )
