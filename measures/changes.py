"""What moved between a reporting period and the one before it, per measure.

Used by the "changes since the previous period" page and by the report. The result is
plain data; `changes_since_previous` reads it in a fixed number of queries.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import Assessment, Measure, ReportingPeriod
from .money import format_euros


class ChangeKind(StrEnum):
    NEW = "new"
    WITHDRAWN = "withdrawn"
    STATUS = "status"
    AMOUNT = "amount"


CHANGE_KIND_LABELS = {
    ChangeKind.NEW: _("Nieuwe maatregel"),
    ChangeKind.WITHDRAWN: _("Vervallen maatregel"),
    ChangeKind.STATUS: _("Status gewijzigd"),
    ChangeKind.AMOUNT: _("Prognose gewijzigd"),
}


@dataclass(frozen=True)
class MeasureChange:
    measure_id: int
    number: str
    title: str
    plan_name: str
    kind: ChangeKind
    before: str = ""
    after: str = ""
    year: int | None = None

    @property
    def kind_label(self) -> str:
        return str(CHANGE_KIND_LABELS[self.kind])


@dataclass
class PeriodChanges:
    previous: ReportingPeriod
    period: ReportingPeriod
    changes: list[MeasureChange] = field(default_factory=list)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(
            programme_id=period.programme_id, reference_date__lt=period.reference_date
        )
        .order_by("-reference_date", "-pk")
        .first()
    )


def changes_since_previous(period: ReportingPeriod) -> PeriodChanges | None:
    """The changes from the previous period of the same programme, or None if there is none."""
    previous = previous_period(period)
    if previous is None:
        return None
    assessments = {
        (a.period_id, a.measure_id): a
        for a in Assessment.objects.filter(period__in=[previous, period])
        .select_related("status")
        .prefetch_related("years")
    }
    result = PeriodChanges(previous, period)
    measures = Measure.objects.filter(programme_id=period.programme_id).select_related("plan")
    for measure in measures:
        before = assessments.get((previous.pk, measure.pk))
        after = assessments.get((period.pk, measure.pk))
        base = {
            "measure_id": measure.pk,
            "number": measure.number,
            "title": measure.title,
            "plan_name": measure.plan.name if measure.plan else "",
        }
        if before is None and after is not None:
            result.changes.append(MeasureChange(kind=ChangeKind.NEW, **base))
        elif before is not None and after is None:
            result.changes.append(MeasureChange(kind=ChangeKind.WITHDRAWN, **base))
        elif before is not None:
            if before.status_id != after.status_id:
                result.changes.append(
                    MeasureChange(
                        kind=ChangeKind.STATUS,
                        before=before.status.label if before.status else "",
                        after=after.status.label if after.status else "",
                        **base,
                    )
                )
            result.changes.extend(_forecast_changes(before, after, base))
    return result


def _forecast(figures) -> str:
    if figures is None or (figures.forecast is None and not figures.forecast_is_pm):
        return ""
    return "PM" if figures.forecast_is_pm else format_euros(figures.forecast)


def _forecast_changes(before, after, base: dict) -> list[MeasureChange]:
    old = {year.year: year for year in before.years.all()}
    new = {year.year: year for year in after.years.all()}
    changes = []
    for year in sorted(old.keys() | new.keys()):
        was, becomes = _forecast(old.get(year)), _forecast(new.get(year))
        if was != becomes:
            changes.append(
                MeasureChange(kind=ChangeKind.AMOUNT, before=was, after=becomes, year=year, **base)
            )
    return changes
