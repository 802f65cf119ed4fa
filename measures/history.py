"""The timeline of a measure: every recorded change to it, its targets, its updates, its
approved assessments and their yearly figures, and the changes to its goal and plan (whose
names its reports show), newest first, with who and when (django-simple-history).

One action writes many history rows: an approval changes the approved state, replaces its
yearly figures and moves the update on; opening a period creates an assessment, an update
and their figures. The timeline shows one entry per action ("Update Najaarsrapportage
2020 goedgekeurd door Carla Controller") with what it changed, so that a reader sees
what happened instead of the bookkeeping. Rows belong to one action when they follow
each other by the same person, about the same period, within a few seconds (a service
writes all of them in one transaction); the kind of action is read from how the update
moved on.

Each kind of record is read in one query and diffed against its predecessor in the same
list, so the timeline costs a handful of queries rather than one per entry.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .constants import UpdateState
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
from .review import year_figure_texts

ACTIONS = {
    "+": gettext_lazy("aangemaakt"),
    "~": gettext_lazy("gewijzigd"),
    "-": gettext_lazy("verwijderd"),
}
# What an update's move to a state means as an action.
STATE_ACTIONS = {
    UpdateState.APPROVED: gettext_lazy("goedgekeurd"),
    UpdateState.RETURNED: gettext_lazy("teruggestuurd"),
    UpdateState.SUBMITTED: gettext_lazy("ingediend"),
    UpdateState.DRAFT: gettext_lazy("bijgewerkt"),
}
OPENED = gettext_lazy("geopend")
REVISED = gettext_lazy("herzien")
# Bookkeeping fields whose changes say nothing to a reader: the entry has its own moment,
# and who submitted, reviewed or approved is the entry's person and action.
SKIPPED_FIELDS = {
    "version",
    "updated_at",
    "sort_key",
    "updated_by",
    "submitted_at",
    "submitted_by",
    "reviewed_at",
    "reviewed_by",
    "approved_at",
    "approved_by",
    "state",
}
# Rows of one action are written within one transaction; this is far longer than any.
ACTION_WINDOW = timedelta(seconds=10)


@dataclass(frozen=True)
class TimelineEntry:
    moment: datetime
    user: str
    subject: str
    action: str
    changes: list[str]


def person(user) -> str:
    """How the timeline names someone: their full name, else their username."""
    if user is None:
        return _("systeem")
    return user.get_full_name() or user.get_username()


@dataclass
class Row:
    """One history row, read: who, when, about which period, and what it changed."""

    record: object
    kind: str  # measure, goal, plan, target, update, assessment, figures
    subject: str
    period_id: int | None
    # For a measure, goal, plan, update or assessment: the fields this row changed.
    changes: list[str] = field(default_factory=list)
    # For targets and yearly figures: the values before and after this row, by label.
    # A year's figures are replaced on approval (deleted and created anew), so they are
    # compared per parent and year over the whole action rather than per row.
    figure_key: tuple | None = None
    before: dict[str, str] | None = None
    after: dict[str, str] | None = None
    new_state: str | None = None  # an update's state when this row changed it

    @property
    def moment(self) -> datetime:
        return self.record.history_date

    @property
    def user_id(self):
        return self.record.history_user_id

    @property
    def family(self) -> tuple:
        """Rows of a goal or plan are their own actions; the rest belong to the measure."""
        if self.kind in ("goal", "plan"):
            return (self.kind, self.record.id)
        return ("measure",)


class Timeline:
    """Collects rows; remembers the names of related objects it has looked up."""

    def __init__(self):
        self.rows: list[Row] = []
        self.names: dict[tuple, str] = {}

    def add(
        self, records, kind, subject, period_of=lambda record: None, changes_only=False
    ) -> None:
        """`records` oldest first; each is diffed with the previous record of its object.

        `changes_only` leaves out creations and deletions: for objects the measure only
        refers to, such as its goal, whose own life is not the measure's.
        """
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            if changes_only and record.history_type != "~":
                continue
            row = Row(record, kind, subject(record), period_of(record))
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before, excluded_fields=SKIPPED_FIELDS)
                # In the order of the form (status, explanation, cause…), not alphabetical.
                order = [f.name for f in record.instance._meta.get_fields()]
                for change in sorted(delta.changes, key=lambda c: order.index(c.field)):
                    model_field = record.instance._meta.get_field(change.field)
                    if change.field == "return_reason" and not change.new:
                        continue  # cleared on approval; the action says so
                    old, new = (
                        self.show(model_field, change.old),
                        self.show(model_field, change.new),
                    )
                    row.changes.append(f"{capfirst(model_field.verbose_name)}: {old} → {new}")
                if kind == "update" and before.state != record.state:
                    row.new_state = record.state
                if not row.changes and row.new_state is None and _claims_version(record, before):
                    continue  # bookkeeping: the version an edit claims before it saves
            self.rows.append(row)

    def add_figures(self, records, kind, subject, values, period_of=lambda record: None) -> None:
        """Targets or yearly figures: each row holds the values before and after it."""
        previous = {}
        for record in records:
            before = previous.get(record.id)
            previous[record.id] = record
            row = Row(record, kind, subject(record), period_of(record))
            row.figure_key = (
                record.instance_type._meta.label,
                self._parent_id(record),
                record.year,
            )
            if record.history_type == "+":
                row.before, row.after = {}, values(record)
            elif record.history_type == "-":
                row.before, row.after = values(record), {}
            else:
                row.before = values(before) if before is not None else {}
                row.after = values(record)
            self.rows.append(row)

    @staticmethod
    def _parent_id(record):
        return getattr(record, "parent_id", None) or getattr(record, "measure_id", None)

    def show(self, model_field, value) -> str:
        """A recorded value as a reader knows it: choice labels, names instead of ids."""
        if value is None or value == "" or value == []:
            return "–"
        if model_field.many_to_many:
            return _("%(count)s gekoppeld") % {"count": len(value)}
        if isinstance(value, bool):
            return _("ja") if value else _("nee")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field.is_relation:
            key = (model_field.related_model, value)
            if key not in self.names:
                related = model_field.related_model._default_manager.filter(pk=value).first()
                self.names[key] = _name(related) if related is not None else str(value)
            return self.names[key]
        return str(value)

    def entries(self) -> list[TimelineEntry]:
        """One entry per action, newest first."""
        rows = sorted(self.rows, key=lambda row: row.moment)
        groups: list[list[Row]] = []
        for row in rows:
            current = groups[-1] if groups else None
            if current is not None and _same_action(current, row):
                current.append(row)
            else:
                groups.append([row])
        entries = [entry for group in groups if (entry := self._entry(group)) is not None]
        entries.sort(key=lambda entry: entry.moment, reverse=True)
        return entries

    def _entry(self, group: list[Row]) -> TimelineEntry | None:
        subject, action, keep_empty = _describe(group)
        changes = [] if action == OPENED else _changes(group)
        if not changes and not keep_empty:
            return None
        return TimelineEntry(
            moment=group[-1].moment,
            user=person(group[0].record.history_user),
            subject=subject,
            action=str(action),
            changes=changes,
        )


def _claims_version(record, before) -> bool:
    """Whether a row of an update changed nothing but its version (services.claim_version):
    written apart from the save that follows, and named by whoever runs the code rather
    than the person whose action it is, so it must not split an action in two."""
    if not isinstance(record, MeasureUpdate.history.model):
        return False
    return record.version != before.version and not record.diff_against(before).changed_fields


def _same_action(group: list[Row], row: Row) -> bool:
    first = group[0]
    if row.user_id != first.user_id or row.family != first.family:
        return False
    if row.moment - first.moment > ACTION_WINDOW:
        return False
    periods = {r.period_id for r in group if r.period_id is not None}
    return row.period_id is None or not periods or row.period_id in periods


def _describe(group: list[Row]) -> tuple[str, object, bool]:
    """The subject and action of a group of rows, and whether it shows without changes."""
    updates = [row for row in group if row.kind == "update"]
    if updates:
        period = updates[0].record.period
        if any(row.record.history_type == "+" for row in updates):
            return str(period), OPENED, True
        states = [row.new_state for row in updates if row.new_state]
        for state in (UpdateState.APPROVED, UpdateState.RETURNED, UpdateState.SUBMITTED):
            if state in states:
                return _("Update %(period)s") % {"period": period}, STATE_ACTIONS[state], True
        return _("Update %(period)s") % {"period": period}, STATE_ACTIONS[UpdateState.DRAFT], False
    if any(row.kind == "target" and row.record.history_change_reason for row in group):
        return _("Taakstelling"), REVISED, True
    for kind in ("measure", "assessment", "goal", "plan", "target", "figures"):
        rows = [row for row in group if row.kind == kind]
        if rows:
            types = {row.record.history_type for row in rows}
            if "+" in types:  # created, and completed in the same action
                action = ACTIONS["+"]
            else:
                action = ACTIONS["-"] if types == {"-"} else ACTIONS["~"]
            return rows[0].subject, action, action != ACTIONS["~"]
    raise AssertionError("an empty group")


def _changes(group: list[Row]) -> list[str]:
    """What the action changed: the fields of each row, then the net change per target
    and per year's figures (the value before the action against the value after it)."""
    lines = []
    for row in group:
        prefix = f"{row.subject}, " if row.kind in ("goal", "plan") else ""
        lines += [prefix + change for change in row.changes]
    before: dict[tuple, dict] = {}
    after: dict[tuple, dict] = {}
    for row in group:
        if row.figure_key is None:
            continue
        before.setdefault(row.figure_key, row.before)
        after[row.figure_key] = row.after
    for key in sorted(before, key=lambda key: (key[0], key[2])):
        old, new = before[key], after[key]
        for label in dict.fromkeys([*old, *new]):
            was, becomes = old.get(label, "–"), new.get(label, "–")
            if was != becomes:
                lines.append(f"{label}: {was} → {becomes}")
    for row in group:
        reason = getattr(row.record, "history_change_reason", None)
        if row.kind == "target" and reason:
            lines.append(_("Besluit %(reason)s") % {"reason": reason})
    return list(dict.fromkeys(lines))


def _name(obj) -> str:
    full_name = getattr(obj, "get_full_name", None)
    return (full_name() or obj.get_username()) if full_name else str(obj)


def _money(euros) -> str | None:
    return None if euros is None else format_euros(euros)


def target_values(record) -> dict[str, str]:
    label = _("Taakstelling %(year)s") % {"year": record.year}
    return {label: "PM" if record.is_pm else (_money(record.amount) or "–")}


def figure_values(unit: str):
    """The yearly figures of an update or assessment row, as labelled texts."""
    return lambda record: year_figure_texts(record, unit)


def measure_timeline(measure: Measure, limit: int = 80) -> list[TimelineEntry]:
    timeline = Timeline()

    def ordered(history):
        return list(history.select_related("history_user").order_by("history_date", "history_id"))

    timeline.add(
        ordered(Measure.history.filter(id=measure.pk)), "measure", lambda r: _("Maatregel")
    )
    if measure.goal_id:
        timeline.add(
            ordered(Goal.history.filter(id=measure.goal_id)),
            "goal",
            lambda r: _("Doel %(number)s") % {"number": r.number},
            changes_only=True,
        )
    if measure.plan_id:
        timeline.add(
            ordered(MeasurePlan.history.filter(id=measure.plan_id)),
            "plan",
            lambda r: _("Maatregelenplan %(name)s") % {"name": r.name},
            changes_only=True,
        )
    timeline.add_figures(
        ordered(YearTarget.history.filter(measure_id=measure.pk)),
        "target",
        lambda r: _("Taakstelling"),
        target_values,
    )
    timeline.add(
        ordered(MeasureUpdate.history.filter(measure_id=measure.pk).select_related("period")),
        "update",
        lambda r: _("Update %(period)s") % {"period": r.period},
        period_of=lambda r: r.period_id,
    )
    timeline.add(
        ordered(Assessment.history.filter(measure_id=measure.pk).select_related("period")),
        "assessment",
        lambda r: _("Goedgekeurde stand %(period)s") % {"period": r.period},
        period_of=lambda r: r.period_id,
    )
    for model, subject in (
        (UpdateYear, _("Update %(period)s")),
        (AssessmentYear, _("Goedgekeurde stand %(period)s")),
    ):
        timeline.add_figures(
            ordered(
                model.history.filter(parent__measure_id=measure.pk).select_related("parent__period")
            ),
            "figures",
            lambda r, subject=subject: subject % {"period": r.parent.period},
            figure_values(measure.volume_unit),
            period_of=lambda r: r.parent.period_id,
        )
    return timeline.entries()[:limit]
