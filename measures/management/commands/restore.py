"""Restores a backup made by `manage.py backup` into an empty, freshly migrated database
(see measures.backup and README, "Back-up en herstel")."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from measures.backup import BackupError, restore_backup
from organisations.commands import InstallationCommand


class Command(InstallationCommand):
    help = (
        "Zet een back-up van `manage.py backup` terug in een lege database die net met "
        "`manage.py migrate` is aangemaakt. Alles of niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Het back-upbestand.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("Bestand %(path)s niet gevonden.") % {"path": path})
        try:
            counts = restore_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("Hersteld uit %(path)s: %(rows)s rijen.")
                % {"path": path, "rows": sum(counts.values())}
            )
        )
