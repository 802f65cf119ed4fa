"""Imports measures from an XLSX or CSV file, as the import page does: the same preview,
the same problems, all or nothing. Statuses it sets for a period are approved, so they
need --user: the approver, with four eyes, as on the page."""

from argparse import ArgumentTypeError
from datetime import date
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from imports import preview
from imports.models import ImportSource, ImportStatus
from imports.reading import MAX_FILE_BYTES, too_large_message
from imports.services import Decision, DecisionRequired, import_file
from measures.audit import acting_user, command_user
from measures.models import Programme, ReportingPeriod
from organisations.commands import OrganisationCommand
from organisations.models import Organisation


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(
            _("Geef een datum als JJJJ-MM-DD, bijvoorbeeld 2020-11-10.")
        ) from None


class Command(OrganisationCommand):
    help = (
        "Importeert maatregelen met hun taakstelling per jaar (en status in een "
        "rapportagemoment) uit een Excel- of CSV-bestand volgens het sjabloon."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="Het .xlsx- of .csv-bestand.")
        parser.add_argument("--programme", required=True, help='Bijv. "Programma Zorg".')
        parser.add_argument(
            "--period", help="Rapportagemoment voor de kolommen Op koers en Toelichting."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Toon wat er zou veranderen; wijzig niets."
        )
        parser.add_argument(
            "--besluitnummer",
            help="Het raadsbesluit achter gewijzigde taakstellingen, bijv. BW-7420; nodig als "
            "het bestand bestaande taakstellingen wijzigt (die worden vastgelegd als herziening).",
        )
        parser.add_argument(
            "--besluitdatum",
            type=iso_date,
            help="De datum van dat raadsbesluit, als JJJJ-MM-DD.",
        )
        parser.add_argument(
            "--user",
            help="Gebruikersnaam waaronder de import in de geschiedenis komt en die de "
            "statussen goedkeurt (met vier ogen); verplicht, behalve bij --dry-run.",
        )

    def organisation_candidates(self, options):
        # By programme only: an unknown period is the command's own message.
        return Organisation.all_organisations.filter(programmes__name=options["programme"])

    def target_description(self, options) -> str:
        return _("Programma %(name)r") % {"name": options["programme"]}

    def handle(self, *args, **options):
        # No change without a name in the history.
        if not options["user"] and not options["dry_run"]:
            raise CommandError(_("Geef met --user op wie importeert; er is niets geïmporteerd."))
        user = command_user(options["user"])
        # The same right as the import page asks: the history names this user as the one
        # who changed the measures and targets.
        if user is not None and not user.has_perm("imports.import_measures"):
            raise CommandError(
                _("%(name)s mag geen maatregelen importeren; er is niets geïmporteerd.")
                % {"name": user.username}
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Bestand %(path)s niet gevonden.") % {"path": path})
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(too_large_message() + " " + _("Er is niets geïmporteerd."))
        programme = Programme.objects.filter(name=options["programme"]).first()
        if programme is None:
            raise CommandError(
                _("Programma %(name)s niet gevonden.") % {"name": options["programme"]}
            )
        period = None
        if options["period"]:
            period = ReportingPeriod.objects.filter(
                programme=programme, name=options["period"]
            ).first()
            if period is None:
                raise CommandError(
                    _("Rapportagemoment %(name)s niet gevonden in %(programme)s.")
                    % {"name": options["period"], "programme": programme.name}
                )

        decision = None
        if options["besluitnummer"] and options["besluitdatum"]:
            decision = Decision(
                reference=options["besluitnummer"], decided_on=options["besluitdatum"]
            )
        try:
            with acting_user(user):
                outcome = import_file(
                    content=path.read_bytes(),
                    file_name=path.name,
                    programme=programme,
                    period=period,
                    user=user,
                    source=ImportSource.COMMAND,
                    dry_run=options["dry_run"],
                    decision=decision,
                )
        except DecisionRequired as missing:
            raise CommandError(
                ngettext(
                    "Het bestand wijzigt %(count)s bestaande taakstelling: geef het raadsbesluit "
                    "op met --besluitnummer en --besluitdatum. Er is niets geïmporteerd.",
                    "Het bestand wijzigt %(count)s bestaande taakstellingen: geef het "
                    "raadsbesluit op met --besluitnummer en --besluitdatum. Er is niets "
                    "geïmporteerd.",
                    missing.count,
                )
                % {"count": missing.count}
            ) from None
        self.stdout.write(preview.as_text(outcome.plan, outcome.problems), ending="")
        record = outcome.record
        if outcome.outdated:
            raise CommandError(
                _("De gegevens veranderden tijdens de import; er is niets geïmporteerd.")
            )
        if record.status == ImportStatus.REFUSED:
            raise CommandError(_("Niets geïmporteerd (import %(pk)s).") % {"pk": record.pk})
        if record.status == ImportStatus.PREVIEW:
            self.stdout.write(
                _("Proefdraai: er is niets gewijzigd (import %(pk)s).") % {"pk": record.pk}
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(_("Geïmporteerd (import %(pk)s).") % {"pk": record.pk})
            )
