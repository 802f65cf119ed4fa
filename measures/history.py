"""The timeline of a measure: every recorded change to it, its targets, its updates, its
approved assessments and their yearly figures, and the changes to its goal and plan (whose
names its reports show), newest first, with who and when (django-simple-history).

Each kind of record is read in one query and diffed against its predecessor in the same
list, so the timeline costs a handful of queries rather than one per entry.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Assessment,
    AssessmentYear,
    Goal,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    UpdateYear,
    YearTarget,
)
from .money import format_euros

ACTIONS = {
    "+": gettext_lazy("aangemaakt"),
    "~": gettext_lazy("gewijzigd"),
    "-": gettext_lazy("verwijderd"),
}
# Bookkeeping fields whose changes say nothing to a reader (the entry has its own moment).
SKIPPED_FIELDS = {
    "version",
    "updated_at",
    "sort_key",
    "updated_by",
    "submitted_at",
    "reviewed_at",
    "approved_at",
}
MONEY_FIELDS = {"amount", "forecast", "realised", "realised_soft"}


@dataclass(frozen=True)
class TimelineEntry:
    moment: datetime
    user: str
    subject: str
    action: str
    changes: list[str]


class Timeline:
    """Collects entries; remembers the names of related objects it has looked up."""

    def __init__(self):
        self.entries: list[TimelineEntry] = []
        self.names: dict[tuple, str] = {}

    def add(self, records, subject, key=lambda record: record.id, changes_only=False) -> None:
        """`records` oldest first; each is diffed with the previous record of its object.

        `changes_only` leaves out creations and deletions: for objects the measure only
        refers to, such as its goal, whose own life is not the measure's.
        """
        previous = {}
        for record in records:
            changes = []
            before = previous.get(key(record))
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before, excluded_fields=SKIPPED_FIELDS)
                for change in delta.changes:
                    field = record.instance._meta.get_field(change.field)
                    old, new = self.show(field, change.old), self.show(field, change.new)
                    changes.append(f"{field.verbose_name}: {old} → {new}")
            previous[key(record)] = record
            if changes_only and record.history_type != "~":
                continue
            user = record.history_user
            self.entries.append(
                TimelineEntry(
                    moment=record.history_date,
                    user=(user.get_full_name() or user.username) if user else _("systeem"),
                    subject=subject(record),
                    action=str(ACTIONS.get(record.history_type, record.history_type)),
                    changes=changes,
                )
            )

    def show(self, field, value) -> str:
        """A recorded value as a reader knows it: choice labels, names instead of ids."""
        if value is None or value == "" or value == []:
            return "–"
        if field.many_to_many:
            return _("%(count)s gekoppeld") % {"count": len(value)}
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if field.is_relation:
            key = (field.related_model, value)
            if key not in self.names:
                related = field.related_model._default_manager.filter(pk=value).first()
                self.names[key] = _name(related) if related is not None else str(value)
            return self.names[key]
        if isinstance(value, int) and field.name in MONEY_FIELDS:
            return format_euros(value)
        return str(value)


def _name(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() or obj.username) if full_name else str(obj)


def measure_timeline(measure: Measure, limit: int = 80) -> list[TimelineEntry]:
    timeline = Timeline()

    def ordered(history):
        return list(history.select_related("history_user").order_by("history_date", "history_id"))

    timeline.add(ordered(Measure.history.filter(id=measure.pk)), lambda r: _("Maatregel"))
    if measure.goal_id:
        timeline.add(
            ordered(Goal.history.filter(id=measure.goal_id)),
            lambda r: _("Doel %(number)s") % {"number": r.number},
            changes_only=True,
        )
    if measure.plan_id:
        timeline.add(
            ordered(MeasurePlan.history.filter(id=measure.plan_id)),
            lambda r: _("Maatregelenplan %(name)s") % {"name": r.name},
            changes_only=True,
        )
    timeline.add(
        ordered(YearTarget.history.filter(measure_id=measure.pk)),
        lambda r: _("Taakstelling %(year)s") % {"year": r.year},
    )
    timeline.add(
        ordered(MeasureUpdate.history.filter(measure_id=measure.pk).select_related("period")),
        lambda r: _("Update %(period)s") % {"period": r.period},
    )
    timeline.add(
        ordered(Assessment.history.filter(measure_id=measure.pk).select_related("period")),
        lambda r: _("Goedgekeurde stand %(period)s") % {"period": r.period},
    )
    for model, label in (
        (UpdateYear, _("Cijfers %(year)s in de update %(period)s")),
        (AssessmentYear, _("Goedgekeurde cijfers %(year)s %(period)s")),
    ):
        records = ordered(
            model.history.filter(parent__measure_id=measure.pk).select_related("parent__period")
        )
        timeline.add(
            records,
            lambda r, label=label: label % {"year": r.year, "period": r.parent.period},
        )
    changed = str(ACTIONS["~"])
    entries = [entry for entry in timeline.entries if entry.action != changed or entry.changes]
    entries.sort(key=lambda entry: entry.moment, reverse=True)
    return entries[:limit]
