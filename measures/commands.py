"""What the commands about one reporting period share: --period, --programme, finding the
organisation they work in (organisations.commands) and the period itself, with a Dutch
message for a period that is not found or whose name occurs in more than one programme."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from organisations.commands import OrganisationCommand
from organisations.models import Organisation

from .models import ReportingPeriod


class PeriodCommand(OrganisationCommand):
    """A command about one reporting period of an organisation; `programme_required` makes
    --programme required rather than needed only when the name is ambiguous."""

    programme_required = False
    period_example = "Midterm review 2020"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--period",
            required=True,
            help=_('Naam van het rapportagemoment, bijv. "%(example)s".')
            % {"example": self.period_example},
        )
        parser.add_argument(
            "--programme",
            required=self.programme_required,
            help=_(
                'Naam van het programma, bijv. "Programma Zorg"; nodig als de naam van het '
                "rapportagemoment in meer programma's voorkomt."
            ),
        )

    def organisation_candidates(self, options):
        periods = {"programmes__periods__name": options["period"]}
        if options["programme"]:
            periods["programmes__name"] = options["programme"]
        return Organisation.all_organisations.filter(**periods)

    def target_description(self, options) -> str:
        if options["programme"]:
            return _("Rapportagemoment %(period)r van %(programme)r") % {
                "period": options["period"],
                "programme": options["programme"],
            }
        return _("Rapportagemoment %(period)r") % {"period": options["period"]}

    def period(self, options) -> ReportingPeriod:
        """The period named by --period (and --programme), in the organisation's scope."""
        periods = ReportingPeriod.objects.select_related("programme__organisation").filter(
            name=options["period"]
        )
        if options["programme"]:
            periods = periods.filter(programme__name=options["programme"])
        found = list(periods.order_by("programme__name"))
        if not found:
            raise CommandError(
                _("%(target)s niet gevonden.") % {"target": self.target_description(options)}
            )
        if len(found) > 1:
            raise CommandError(
                _(
                    "Rapportagemoment %(name)r bestaat in meer programma's (%(programmes)s); "
                    "kies met --programme."
                )
                % {
                    "name": options["period"],
                    "programmes": ", ".join(period.programme.name for period in found),
                }
            )
        return found[0]
