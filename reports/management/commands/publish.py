"""Publishes the report of a closed reporting period, as the controller's publish button
does (reports.services.publish_report: the same checks, one transaction). A report that
is published already stays as it is: the command says so and succeeds, so that it can be
run again (`make run` publishes the demo's closed periods with it)."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from measures.commands import PeriodCommand
from reports.documents import moment_text
from reports.models import PublishedReport
from reports.services import PublishError, publish_report


class Command(PeriodCommand):
    help = (
        "Publiceert het rapport van een afgesloten rapportagemoment, zoals de knop "
        "'Publiceren' doet. Is het al gepubliceerd, dan blijft het zoals het is."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--user",
            required=True,
            help="Gebruikersnaam van wie publiceert: mag dat in deze organisatie (controller).",
        )

    def handle(self, *args, **options):
        period = self.period(options)
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None or not user.has_perm("reports.publish_report"):
            raise CommandError(
                f"Gebruiker {options['user']!r} mag in {period.programme.organisation} geen "
                "rapporten publiceren; er is niets gepubliceerd."
            )
        published = PublishedReport.objects.filter(period=period).first()
        if published is None:
            try:
                published = publish_report(period=period, user=user)
            except PublishError as error:
                raise CommandError(str(error)) from error
            state = "gepubliceerd"
        else:
            state = "was al gepubliceerd"
        self.stdout.write(
            f"{period.programme.name}, {period.name}: {state}, gemaakt op "
            f"{moment_text(published.built_at)}, {published.page_count} pagina's, "
            f"SHA-256 {published.checksum}"
        )
