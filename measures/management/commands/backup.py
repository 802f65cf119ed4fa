"""Writes a backup of the whole database (see measures.backup and README, "Back-up en
herstel")."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from measures.backup import write_backup
from organisations.commands import InstallationCommand


class Command(InstallationCommand):
    help = (
        "Schrijft een back-up van de hele database naar één JSON-bestand (gecomprimeerd "
        "als de naam op .gz eindigt). Terugzetten met `manage.py restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", required=True, help="Het back-upbestand, bijv. koersmonitor.json.gz."
        )

    def handle(self, *args, **options):
        path = Path(options["output"])
        if not path.parent.is_dir():
            raise CommandError(_("Map %(dir)s bestaat niet.") % {"dir": path.parent})
        counts = write_backup(path)
        self.stdout.write(
            self.style.SUCCESS(
                _("Back-up geschreven naar %(path)s: %(rows)s rijen.")
                % {"path": path, "rows": sum(counts.values())}
            )
        )
