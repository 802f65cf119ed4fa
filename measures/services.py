"""Writes that touch several models, each in one transaction, each checking the rules
that must hold whatever path the write takes (form, admin, import or shell)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import ReportingPeriod


class PeriodClosedError(ValidationError):
    """A write into a reporting period that has been closed."""


def ensure_period_open(period: ReportingPeriod) -> None:
    """Refuse any change to a closed period; call before writing anything that belongs to it."""
    if period.is_closed:
        raise PeriodClosedError(
            _("Het rapportagemoment %(period)s is afgesloten en kan niet meer veranderen.")
            % {"period": period.name},
            code="period_closed",
        )
