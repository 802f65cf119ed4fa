"""Writes the report of a reporting period as PDF (or as the web version in HTML)."""

from pathlib import Path

from django.core.management.base import CommandError

from measures.commands import PeriodCommand
from reports.documents import moment_text
from reports.services import report_html, report_pdf


class Command(PeriodCommand):
    help = (
        "Schrijft het rapport van een rapportagemoment als PDF of HTML. Is het rapport "
        "gepubliceerd, dan is dat precies het gepubliceerde bestand."
    )

    programme_required = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--output", required=True, help="Bestand, bijv. rapport.pdf.")
        parser.add_argument(
            "--format",
            choices=["pdf", "html"],
            help="Standaard volgens de extensie van --output, anders pdf.",
        )

    def handle(self, *args, **options):
        period = self.period(options)
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
