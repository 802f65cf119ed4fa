"""The timeline of a measure: every recorded change to it, its targets, its updates and
its approved assessments, newest first, with who and when (django-simple-history)."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Assessment, Measure, MeasureUpdate, YearTarget
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


@dataclass(frozen=True)
class TimelineEntry:
    moment: datetime
    user: str
    subject: str
    action: str
    changes: list[str]


def _describe(record, subject: str) -> TimelineEntry:
    changes = []
    if record.history_type == "~" and record.prev_record is not None:
        delta = record.diff_against(record.prev_record, excluded_fields=SKIPPED_FIELDS)
        for change in delta.changes:
            field = record.instance._meta.get_field(change.field)
            old, new = _show(field, change.old), _show(field, change.new)
            changes.append(f"{field.verbose_name}: {old} → {new}")
    user = record.history_user
    return TimelineEntry(
        moment=record.history_date,
        user=(user.get_full_name() or user.username) if user else _("systeem"),
        subject=subject,
        action=str(ACTIONS.get(record.history_type, record.history_type)),
        changes=changes,
    )


def _show(field, value) -> str:
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
        related = field.related_model._default_manager.filter(pk=value).first()
        if related is None:
            return str(value)
        name = getattr(related, "get_full_name", None)
        return (name() or related.username) if name else str(related)
    if isinstance(value, int) and field.name in MONEY_FIELDS:
        return format_euros(value)
    return str(value)


MONEY_FIELDS = {"amount", "forecast", "realised", "realised_soft"}


def measure_timeline(measure: Measure, limit: int = 60) -> list[TimelineEntry]:
    entries = [_describe(r, _("Maatregel")) for r in Measure.history.filter(id=measure.pk)[:limit]]
    for record in YearTarget.history.filter(measure_id=measure.pk)[:limit]:
        entries.append(_describe(record, _("Taakstelling %(year)s") % {"year": record.year}))
    updates = MeasureUpdate.history.filter(measure_id=measure.pk).select_related("period")
    for record in updates[:limit]:
        entries.append(_describe(record, _("Update %(period)s") % {"period": record.period}))
    assessments = Assessment.history.filter(measure_id=measure.pk).select_related("period")
    for record in assessments[:limit]:
        subject = _("Goedgekeurde stand %(period)s") % {"period": record.period}
        entries.append(_describe(record, subject))
    entries.sort(key=lambda entry: entry.moment, reverse=True)
    changed = str(ACTIONS["~"])
    return [entry for entry in entries if entry.action != changed or entry.changes][:limit]
