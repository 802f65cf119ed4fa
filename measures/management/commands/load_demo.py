from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from measures.audit import SYSTEM_USERNAME, command_user
from measures.constants import Role
from measures.demo import DEMO_FILES, DEMO_PASSWORD, load_demo, read_demo_file


class Command(BaseCommand):
    help = _(
        "Laadt de demodata: Gemeente Almelo (Programma Zorg, Midterm review 2020), Venlo, "
        "Enschede en Hengelo, elk met een programma, doelen, rapportagemomenten en "
        "demo-accounts, en de regio Twente, met het programmahoofdstuk uit de bronnen "
        "(teksten, thema's, actiepunten, indicatoren). De statussen van Enschedes "
        "actiepunten zijn voor de demo gekozen: de iconen in de bron gingen verloren. "
        "Twee keer laden verandert niets."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--file", help=_("Laad alleen dit demobestand (JSON); standaard alle demobestanden.")
        )
        parser.add_argument(
            "--user",
            help=_(
                "Gebruikersnaam waaronder het laden in de geschiedenis komt; "
                "standaard de systeemgebruiker %(name)r."
            )
            % {"name": SYSTEM_USERNAME},
        )

    def handle(self, *args, **options):
        load_demo(options["file"], user=command_user(options["user"]))
        files = [
            read_demo_file(path) for path in ([options["file"]] if options["file"] else DEMO_FILES)
        ]
        organisations = {
            data["organisation"]["cbs_code"]: data["organisation"]
            for data in files
            if "organisation" in data
        }
        self.stdout.write(self.style.SUCCESS(_("Demodata geladen:")))
        for data in files:
            if "organisation" in data:
                self.stdout.write("  " + self._organisation_line(data))
            for region in data.get("regions", []):
                self.stdout.write("  " + self._region_line(region, organisations))
        self.stdout.write(
            _("Demo-accounts (alleen voor demo's), wachtwoord %(password)s:")
            % {"password": DEMO_PASSWORD}
        )
        for data in files:
            accounts = [user for user in data["users"] if user["demo_login"]]
            if "organisation" in data:
                names = ", ".join(
                    f"{user['username']} ({Role(user['role']).label.lower()})" for user in accounts
                )
                self.stdout.write(f"  {data['organisation']['name']}: {names}")
            else:
                for user in accounts:
                    self.stdout.write("  " + self._regional_account(user, organisations))

    def _organisation_line(self, data) -> str:
        programmes = "; ".join(
            f"{programme['name']} ({', '.join(period['name'] for period in programme['periods'])})"
            for programme in [data["programme"], *data.get("other_programmes", [])]
        )
        return _("%(organisation)s (CBS %(code)s): %(programmes)s") % {
            "organisation": data["organisation"]["name"],
            "code": data["organisation"]["cbs_code"],
            "programmes": programmes,
        }

    def _region_line(self, region, organisations) -> str:
        members = []
        for member in region["members"]:
            name = self._short_name(member["organisation"], organisations)
            if member.get("is_centre"):
                name += " " + _("(centrumgemeente voor %(tasks)s)") % {
                    "tasks": member["centre_tasks"]
                }
            members.append(name)
        return _("Regio %(name)s: %(members)s") % {
            "name": region["name"],
            "members": ", ".join(members),
        }

    def _regional_account(self, user, organisations) -> str:
        roles = ", ".join(
            _("%(role)s in %(organisation)s")
            % {
                "role": Role(membership["role"]).label.lower(),
                "organisation": self._short_name(membership["organisation"], organisations),
            }
            for membership in user["memberships"]
        )
        return _("%(username)s (regionaal team: %(roles)s)") % {
            "username": user["username"],
            "roles": roles,
        }

    @staticmethod
    def _short_name(cbs_code, organisations) -> str:
        organisation = organisations.get(cbs_code)
        return organisation["short_name"] if organisation else cbs_code
