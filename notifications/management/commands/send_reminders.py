"""Sends the deadline reminders that are due today; meant to run once a day (cron).

Without --organisation it sends those of every organisation, each in its own scope."""

from argparse import ArgumentTypeError
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.notify import send_reminders
from organisations.commands import OrganisationCommand


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(
            _("Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2020-10-20.")
        ) from None


class Command(OrganisationCommand):
    help = _(
        "Stuurt eigenaren met nog bij te werken updates een herinnering, enkele dagen voor "
        "en op de uiterste invoerdatum. Elke herinnering gaat één keer: nogmaals draaien "
        "op dezelfde dag verstuurt niets opnieuw. Zonder --organisation voor elke organisatie."
    )
    every_organisation_by_default = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--date",
            type=iso_date,
            help=_("Doe alsof het deze dag is (JJJJ-MM-DD); standaard vandaag."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Toon wie een herinnering zou krijgen; verstuur en bewaar niets."),
        )

    def handle(self, *args, **options):
        sent = []
        for _organisation in self.each_organisation():
            sent += send_reminders(today=options["date"], dry_run=options["dry_run"])
        for reminder in sent:
            self.stdout.write(
                f"{reminder.user.email}: {reminder.period.name} "
                f"({reminder.period.deadline:%Y-%m-%d}), "
                + ngettext("%(count)s update", "%(count)s updates", len(reminder.updates))
                % {"count": len(reminder.updates)}
            )
        if options["dry_run"]:
            summary = ngettext(
                "Proefdraai: %(count)s herinnering zou worden verstuurd.",
                "Proefdraai: %(count)s herinneringen zouden worden verstuurd.",
                len(sent),
            )
        else:
            summary = ngettext(
                "%(count)s herinnering verstuurd.", "%(count)s herinneringen verstuurd.", len(sent)
            )
        self.stdout.write(summary % {"count": len(sent)})
