from django.core.management.base import BaseCommand

from measures.audit import SYSTEM_USERNAME, command_user
from measures.demo import DEMO_FILE, DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Laadt de demodata (Almelo, Programma Zorg, Midterm review 2020). "
        "Twee keer laden verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE), help="Het demobestand (JSON).")
        parser.add_argument(
            "--user",
            help=(
                "Gebruikersnaam waaronder het laden in de geschiedenis komt; "
                f"standaard de systeemgebruiker {SYSTEM_USERNAME!r}."
            ),
        )

    def handle(self, *args, **options):
        programme = load_demo(options["file"], user=command_user(options["user"]))
        self.stdout.write(
            self.style.SUCCESS(f"Demodata geladen: {programme.organisation}, {programme.name}.")
        )
        self.stdout.write(
            "Demo-accounts (alleen voor demo's): invoerder, controller, manager, beheerder; "
            f"wachtwoord {DEMO_PASSWORD}"
        )
