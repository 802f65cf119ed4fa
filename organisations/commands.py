"""Management commands and the organisation scope (see organisations.scoping).

A command runs outside any request, so no middleware chooses an organisation for it.
Every command that reads or writes an organisation's data derives from one of these:

- `OrganisationCommand`: works in one organisation, chosen with
  `--organisation "<name, short name or CBS code>"`. The option may be left out when the
  command's other arguments point to one organisation (`overview --period "Midterm review
  2020"`: only Almelo has that period) or when the installation has only one. The
  command's `handle` runs inside that organisation's scope, so its queries cannot reach
  another organisation's rows. A command that is meant for every organisation when none
  is named (`send_reminders`) sets `every_organisation_by_default` and goes through
  `each_organisation()` itself.
- `InstallationCommand`: sees every organisation (`unscoped()`), for the few commands
  that handle the installation as a whole (backup, restore).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .models import Organisation
from .scoping import organisation_scope, unscoped


def organisation_label(organisation: Organisation) -> str:
    return f"{organisation.name} ({organisation.short_name}, {organisation.cbs_code})"


def choices_text() -> str:
    """Every organisation of the installation, for an error message."""
    with unscoped():
        organisations = list(Organisation.all_organisations.order_by("short_name"))
    if not organisations:
        return _("er zijn nog geen organisaties")
    return "; ".join(organisation_label(organisation) for organisation in organisations)


def find_organisation(text: str) -> Organisation:
    """The organisation `text` names: its name, short name or CBS code (case does not
    matter; a CBS code may leave out its leading zeros)."""
    text = text.strip()
    condition = Q(name__iexact=text) | Q(short_name__iexact=text)
    if text.isdigit():
        condition |= Q(cbs_code=text.zfill(4))
    found = list(Organisation.all_organisations.filter(condition)[:2])
    if len(found) != 1:
        raise CommandError(
            _("Organisatie %(name)r bestaat niet. Kies met --organisation uit: %(choices)s.")
            % {"name": text, "choices": choices_text()}
        )
    return found[0]


class OrganisationCommand(BaseCommand):
    """A command that works in one organisation (module docstring).

    Subclasses call `super().add_arguments(parser)` and may override
    `organisation_candidates` and `target_description` so that `--organisation` can be
    left out when their other arguments say which organisation is meant."""

    # When no organisation is named: every organisation in turn instead of one.
    every_organisation_by_default = False

    def add_arguments(self, parser):
        parser.add_argument(
            "--organisation",
            metavar="ORGANISATIE",
            help=_(
                'De organisatie: naam, korte naam of CBS-code, bijv. "Gemeente Almelo", '
                '"Almelo" of 0141. Mag weg als de andere opties één organisatie aanwijzen.'
            ),
        )

    def organisation_candidates(self, options) -> QuerySet | None:
        """The organisations whose data the other arguments name (a queryset of
        `Organisation.all_organisations`), or None when they name nothing to choose by."""
        return None

    def target_description(self, options) -> str:
        """What the other arguments name, for the messages, e.g. "Rapportagemoment
        'Jaarverslag 2018'"."""
        return _("Deze opdracht")

    def execute(self, *args, **options):
        with unscoped():
            self.organisations = self.resolve_organisations(options)
        if self.every_organisation_by_default:
            # `handle` goes through each_organisation().
            self.organisation = None
            return super().execute(*args, **options)
        # One organisation; none at all in an installation without any, where the
        # command's queries then find nothing and it says so.
        self.organisation = self.organisations[0] if self.organisations else None
        with organisation_scope(*self.organisations[:1]):
            return super().execute(*args, **options)

    def each_organisation(self):
        """Yields each organisation this run is for, with its scope active meanwhile."""
        for organisation in self.organisations:
            with organisation_scope(organisation):
                yield organisation

    def resolve_organisations(self, options) -> list[Organisation]:
        if options.get("organisation"):
            return [find_organisation(options["organisation"])]
        every = list(Organisation.all_organisations.order_by("short_name"))
        if self.every_organisation_by_default or len(every) <= 1:
            return every
        candidates = self.organisation_candidates(options)
        if candidates is None:
            raise CommandError(
                _("Kies met --organisation voor welke organisatie; een van: %(choices)s.")
                % {"choices": choices_text()}
            )
        found = list(candidates.distinct().order_by("short_name"))
        if len(found) == 1:
            return found
        target = self.target_description(options)
        if not found:
            raise CommandError(
                _("%(target)s niet gevonden bij een organisatie. Organisaties: %(choices)s.")
                % {"target": target, "choices": choices_text()}
            )
        raise CommandError(
            _("%(target)s bestaat bij meer organisaties; kies met --organisation uit: %(choices)s.")
            % {
                "target": target,
                "choices": "; ".join(organisation_label(org) for org in found),
            }
        )


class InstallationCommand(BaseCommand):
    """A command that handles the installation as a whole and so sees every
    organisation's rows (backup, restore)."""

    def execute(self, *args, **options):
        with unscoped():
            return super().execute(*args, **options)
