"""Writes the report of a reporting period as PDF (or as the web version in HTML): of one
programme with --programme, else the whole document (every programme of the organisation
with a period of that name)."""

from pathlib import Path

from django.core.management.base import CommandError

from measures.commands import PeriodCommand
from reports.documents import moment_text
from reports.services import (
    DocumentError,
    document_html,
    document_pdf,
    document_periods,
    report_html,
    report_pdf,
)


class Command(PeriodCommand):
    help = (
        "Schrijft het rapport van een rapportagemoment als PDF of HTML: van één programma "
        "met --programme, anders het hele document (elk programma van de organisatie met een "
        "rapportagemoment van die naam). Is het rapport van een programma gepubliceerd, dan "
        "is dat precies het gepubliceerde bestand."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--output", required=True, help="Bestand, bijv. rapport.pdf.")
        parser.add_argument(
            "--format",
            choices=["pdf", "html"],
            help="Standaard volgens de extensie van --output, anders pdf.",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        kind = options["format"] or ("html" if output.suffix.lower() == ".html" else "pdf")
        if options["programme"]:
            period = self.period(options)
            report_file = report_pdf(period) if kind == "pdf" else report_html(period)
            subject = f"{period.programme.name}, {period.name}"
        else:
            report_file, subject = self.document(options, kind)
        try:
            output.write_bytes(report_file.content)
        except OSError as error:
            raise CommandError(f"Kan {output} niet schrijven: {error.strerror}.") from error
        if report_file.published is not None:
            state = f"gepubliceerd, gemaakt op {moment_text(report_file.published.built_at)}"
        else:
            state = "concept"
        size = f"{len(report_file.content):,}".replace(",", ".")
        self.stdout.write(f"{output}: {subject} ({state}), {size} bytes")

    def document(self, options, kind: str):
        if self.organisation is None:
            raise CommandError(f"Rapportagemoment {options['period']!r} niet gevonden.")
        try:
            periods = document_periods(self.organisation, options["period"])
            make = document_pdf if kind == "pdf" else document_html
            report_file = make(self.organisation, options["period"])
        except DocumentError as error:
            raise CommandError(str(error)) from error
        programmes = ", ".join(period.programme.name for period in periods)
        return report_file, f"{options['period']} ({programmes})"
