"""What an import would do: each row matched against the database, with the changes it
brings and everything that is wrong with it. Reads, never writes.

The preview shows this plan, the command prints it, and `imports.services` applies it,
after building it again inside the transaction, so what is applied is what the data
says at that moment. A measure is recognised by its plan and number, or, outside the
plans, by its title. Numbers make the hierarchy: 6.1 falls under 6 when the plan has a 6.
The columns a file has are the truth for those columns: an empty year cell removes that
year's target, an empty status clears the status; columns it lacks are left alone, and
so are measures it does not mention.

Statuses an import sets for a period are approved in the name of the user who imports
(measures.services.approve): the plan checks four eyes for that user at each row, so the
preview says what confirming would refuse. A plan without a user (a dry run of the
command) cannot; the command asks for a user before it applies one that approves.
"""

import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from measures.constants import PolicyDomain
from measures.models import (
    Assessment,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    PeriodClosedError,
    Programme,
    ReportingPeriod,
    StatusLevel,
    measure_number_validator,
)
from measures.money import format_cell
from measures.overview import Amount
from measures.services import approval_refusal, changed_by
from organisations.scoping import members

from .columns import PERIOD_FIELDS, Field
from .parsing import ParsedFile, ParsedRow, Problem


class Action(StrEnum):
    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"


ACTION_LABELS = {
    Action.CREATE: gettext_lazy("Nieuw"),
    Action.CHANGE: gettext_lazy("Gewijzigd"),
    Action.UNCHANGED: gettext_lazy("Ongewijzigd"),
}


@dataclass(frozen=True)
class Change:
    """One thing the import sets on a measure, as the preview and the record show it."""

    label: str
    # None for a measure the import creates: there is no before.
    before: str | None
    after: str

    def __str__(self) -> str:
        if self.before is None:
            return f"{self.label}: {self.after}"
        return f"{self.label}: {self.before or '—'} → {self.after or '—'}"


@dataclass
class NewPlan:
    name: str
    decision_reference: str
    order: int


@dataclass
class RowPlan:
    row: ParsedRow
    problems: list[Problem]
    action: Action | None = None
    measure: Measure | None = None
    plan: MeasurePlan | None = None
    new_plan: NewPlan | None = None
    number: str = ""
    title: str = ""
    # Field name -> value for the measure's own fields the file sets.
    fields: dict = field(default_factory=dict)
    # The wanted target per year column of the file (None: no target that year).
    targets: dict[int, Amount | None] = field(default_factory=dict)
    target_changes: dict[int, tuple[Amount | None, Amount | None]] = field(default_factory=dict)
    # Field name -> value for the assessment in the period, when the file sets them.
    assessment: dict = field(default_factory=dict)
    assessment_changes: bool = False
    parent: "RowPlan | Measure | None" = None
    is_heading: bool = False
    changes: list[Change] = field(default_factory=list)

    @property
    def plan_name(self) -> str:
        if self.new_plan:
            return self.new_plan.name
        return self.plan.name if self.plan else ""

    @property
    def label(self) -> str:
        """The measure as the record names it: "Maatregelenplan 2 · 6.1 Netwerkcoach"."""
        name = f"{self.number} {self.title}" if self.number else self.title
        return f"{self.plan_name} · {name}" if self.plan_name else name

    @property
    def depth(self) -> int:
        return self.number.count(".")


@dataclass
class ImportPlan:
    programme: Programme
    period: ReportingPeriod | None
    parsed: ParsedFile
    rows: list[RowPlan] = field(default_factory=list)
    new_plans: list[NewPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    untouched: int = 0

    @property
    def all_problems(self) -> list[Problem]:
        problems = self.parsed.problems + self.problems
        problems += [problem for row in self.rows for problem in row.problems]
        return sorted(problems, key=lambda p: (p.row or 0, p.column or 0))

    @property
    def is_valid(self) -> bool:
        return not self.all_problems

    @property
    def revised_target_count(self) -> int:
        """Existing targets whose amount the file changes: council decisions, which are
        recorded as revisions and need the decision's reference (imports.services)."""
        return sum(
            1
            for row in self.rows
            if row.measure is not None
            for before, after in row.target_changes.values()
            if before is not None and after is not None
        )

    def counts(self) -> dict[str, int]:
        actions = [row.action for row in self.rows]
        changes = [change for row in self.rows for change in row.target_changes.values()]
        return {
            "rows": len(self.rows),
            "created": actions.count(Action.CREATE),
            "changed": actions.count(Action.CHANGE),
            "unchanged": actions.count(Action.UNCHANGED),
            "plans_created": len(self.new_plans),
            "targets_set": sum(1 for _before, after in changes if after is not None),
            "targets_removed": sum(1 for _before, after in changes if after is None),
            # Changed amounts of existing targets: council decisions (see above).
            "targets_revised": self.revised_target_count,
            "assessments_set": sum(1 for row in self.rows if row.assessment_changes),
            "untouched": self.untouched,
            "problems": len(self.all_problems),
        }

    def change_log(self) -> list[dict]:
        """What the import changes, per measure, as the record keeps it."""
        log = [
            {
                "line": None,
                "action": Action.CREATE.value,
                "measure": plan.name,
                "changes": [_("Nieuw maatregelenplan")]
                + (
                    [_("Besluitnummer: %(reference)s") % {"reference": plan.decision_reference}]
                    if plan.decision_reference
                    else []
                ),
            }
            for plan in self.new_plans
        ]
        log += [
            {
                "line": row.row.line,
                "action": row.action.value,
                "measure": row.label,
                "changes": [str(change) for change in row.changes],
            }
            for row in self.rows
            if row.action in (Action.CREATE, Action.CHANGE)
        ]
        return log

    @property
    def digest(self) -> str:
        """A fingerprint of what the import would do, to notice that the data changed
        between the preview and the confirmation."""
        text = json.dumps([self.change_log(), self.counts()], sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def plan_import(
    parsed: ParsedFile, *, programme: Programme, period: ReportingPeriod | None, user
) -> ImportPlan:
    """`user` is who imports, and so approves the statuses the file sets (None: unknown)."""
    plan = ImportPlan(programme, period, parsed)
    if parsed.problems and not parsed.rows:
        return plan
    context = _Context.load(programme, period, parsed, user)
    plan.problems += _period_problems(parsed, programme, period)
    keys: dict[tuple, RowPlan] = {}
    for row in parsed.rows:
        row_plan = _plan_row(row, context, plan, keys)
        plan.rows.append(row_plan)
    _link_parents(plan, context, keys)
    for row_plan in plan.rows:
        if not row_plan.problems:
            _compare(row_plan, context, parsed)
    matched = {row.measure.pk for row in plan.rows if row.measure}
    plan.untouched = sum(1 for measure in context.measures if measure.pk not in matched)
    return plan


@dataclass
class _Context:
    """Everything the rows are matched against, read in a fixed number of queries."""

    programme: Programme
    period: ReportingPeriod | None
    plans: dict[str, MeasurePlan]
    measures: list[Measure]
    by_key: dict[tuple, Measure]
    levels: dict[str, StatusLevel]
    level_labels: list[str]
    users: dict[str, object]
    assessments: dict[int, Assessment]
    # Each measure's update in the period, for four eyes, and who imports.
    updates: dict[int, MeasureUpdate]
    user: object
    # The updates `user` changed since their last approval (measures.services.changed_by).
    changed: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, programme, period, parsed: ParsedFile, user) -> "_Context":
        plans: dict[str, MeasurePlan] = {}
        for plan in MeasurePlan.objects.filter(programme=programme):
            plans.setdefault(str(plan).lower(), plan)
            plans[plan.name.lower()] = plan
        measures = list(
            Measure.objects.filter(programme=programme)
            .select_related("plan", "parent", "owner", "goal")
            .prefetch_related("targets")
            .order_by("pk")
        )
        by_key = {_key(m.plan_id, m.number, m.title): m for m in measures}
        levels_list = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
        levels = {}
        for level in levels_list:
            levels[level.accessible_name.lower()] = level
        for level in levels_list:
            levels[level.label.lower()] = level
        users = {}
        if Field.OWNER in parsed.columns:
            users = users_by_name()
        assessments, updates = {}, {}
        if period is not None and any(f in parsed.columns for f in PERIOD_FIELDS):
            assessments = {
                a.measure_id: a
                for a in Assessment.objects.filter(period=period).select_related("status")
            }
            updates = {
                u.measure_id: u
                for u in MeasureUpdate.objects.filter(period=period).only(
                    "measure_id", "submitted_by_id", "updated_by_id", "state", "version"
                )
            }
        changed = set()
        if updates and user is not None and user.is_authenticated:
            changed = changed_by(user, [update.pk for update in updates.values()])
        return cls(
            programme=programme,
            period=period,
            plans=plans,
            measures=measures,
            by_key=by_key,
            levels=levels,
            level_labels=[level.label for level in levels_list],
            users=users,
            assessments=assessments,
            updates=updates,
            user=user,
            changed=changed,
        )


def _key(plan_id, number: str, title: str) -> tuple:
    """A measure's identity: its plan and number, or, outside the plans, its title."""
    if plan_id is None:
        return (None, title.lower())
    return (plan_id, number)


def users_by_name() -> dict[str, object]:
    """Active users by user name and, where no two share it, by full name: how the import
    reads the owner column, and so how the measures export writes it."""
    users = list(members().filter(is_active=True))
    by_name: dict[str, object] = {}
    full_names: dict[str, list] = {}
    for user in users:
        full_names.setdefault(user.get_full_name().strip().lower(), []).append(user)
    for name, matches in full_names.items():
        if name and len(matches) == 1:
            by_name[name] = matches[0]
    for user in users:
        by_name[user.get_username().lower()] = user
    return by_name


def _period_problems(parsed: ParsedFile, programme, period) -> list[Problem]:
    if period is None:
        used = [
            f
            for f in PERIOD_FIELDS
            if f in parsed.columns and any(row.values.get(f) for row in parsed.rows)
        ]
        if not used:
            return []
        return [
            parsed.problem(
                None,
                used[0],
                _(
                    "Kies een rapportagemoment om de kolommen Op koers en Toelichting in te "
                    "lezen, of maak ze leeg."
                ),
            )
        ]
    if period.programme_id != programme.pk:
        return [Problem(_("Dit rapportagemoment hoort bij een ander programma."))]
    try:
        period.refuse_if_closed()
    except PeriodClosedError as error:
        return [Problem(error.messages[0] + " " + _("Er is niets geïmporteerd."))]
    return []


def _plan_row(row: ParsedRow, context: _Context, plan: ImportPlan, keys: dict) -> RowPlan:
    parsed = plan.parsed
    row_plan = RowPlan(row, problems=list(row.problems))
    values = row.values

    def problem(key, message):
        row_plan.problems.append(parsed.problem(row, key, message))

    row_plan.title = values.get(Field.TITLE, "")
    row_plan.number = values.get(Field.NUMBER, "")
    plan_name = values.get(Field.PLAN, "")
    decision = values.get(Field.DECISION, "")
    if plan_name:
        existing = context.plans.get(plan_name.lower())
        if existing is not None:
            row_plan.plan = existing
            if decision and existing.decision_reference and decision != existing.decision_reference:
                problem(
                    Field.DECISION,
                    _("%(plan)s heeft besluitnummer %(reference)s, niet %(value)s.")
                    % {
                        "plan": existing.name,
                        "reference": existing.decision_reference,
                        "value": decision,
                    },
                )
        else:
            row_plan.new_plan = _new_plan(plan, plan_name, decision, problem)
    elif decision:
        problem(
            Field.DECISION, _("Een besluitnummer hoort bij een maatregelenplan; vul het plan in.")
        )

    if row_plan.number:
        try:
            measure_number_validator(row_plan.number)
        except ValidationError as error:
            problem(Field.NUMBER, error.messages[0])
    in_plan = row_plan.plan or row_plan.new_plan
    if in_plan and not row_plan.number:
        problem(Field.NUMBER, _("Een maatregel in een maatregelenplan heeft een volgnummer."))

    plan_key = (
        row_plan.plan.pk
        if row_plan.plan
        else (("new", row_plan.new_plan.name.lower()) if row_plan.new_plan else None)
    )
    key = _key(plan_key, row_plan.number, row_plan.title)
    if row_plan.title and (row_plan.number or not in_plan):
        if key in keys:
            problem(
                Field.NUMBER if in_plan else Field.TITLE,
                _("Deze maatregel staat ook op regel %(line)s.") % {"line": keys[key].row.line},
            )
        else:
            keys[key] = row_plan
        row_plan.measure = context.by_key.get(key) if not row_plan.new_plan else None

    _plan_fields(row_plan, context, problem)
    years = (row_plan.plan or context.programme).years
    where = row_plan.plan.name if row_plan.plan else context.programme.name
    for year, amount in row.targets.items():
        if year in years:
            row_plan.targets[year] = amount
        elif amount is not None:
            problem(
                year,
                _("%(year)s valt buiten de looptijd %(first)s–%(last)s van %(what)s.")
                % {"year": year, "first": years[0], "last": years[-1], "what": where},
            )
    return row_plan


def _new_plan(plan: ImportPlan, name: str, decision: str, problem) -> NewPlan:
    for new_plan in plan.new_plans:
        if new_plan.name.lower() == name.lower():
            if decision and new_plan.decision_reference and decision != new_plan.decision_reference:
                problem(
                    Field.DECISION,
                    _("Eerder in het bestand heeft %(plan)s besluitnummer %(reference)s.")
                    % {"plan": new_plan.name, "reference": new_plan.decision_reference},
                )
            new_plan.decision_reference = new_plan.decision_reference or decision
            return new_plan
    last_order = max(
        [p.order for p in plan.new_plans]
        + list(MeasurePlan.objects.filter(programme=plan.programme).values_list("order", flat=True))
        + [0]
    )
    new_plan = NewPlan(name=name, decision_reference=decision, order=last_order + 1)
    plan.new_plans.append(new_plan)
    return new_plan


def _plan_fields(row_plan: RowPlan, context: _Context, problem) -> None:
    values = row_plan.row.values
    row_plan.fields["title"] = row_plan.title
    if Field.DOMAIN in values:
        text = values[Field.DOMAIN]
        domains = {choice.value: choice.value for choice in PolicyDomain}
        domains.update({str(choice.label).lower(): choice.value for choice in PolicyDomain})
        if text and text.lower() not in domains:
            problem(
                Field.DOMAIN,
                _("Onbekend beleidsterrein “%(value)s”. Kies uit: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(c.label) for c in PolicyDomain)},
            )
        else:
            row_plan.fields["domain"] = domains.get(text.lower(), "")
    if Field.OWNER in values:
        text = values[Field.OWNER]
        user = context.users.get(text.lower()) if text else None
        if text and user is None:
            problem(
                Field.OWNER,
                _(
                    "Onbekende gebruiker “%(value)s”. Vul de gebruikersnaam in, zoals op het "
                    "tabblad Keuzelijsten van het sjabloon."
                )
                % {"value": text},
            )
        else:
            row_plan.fields["owner"] = user
    if context.period is None:
        return
    if Field.STATUS in values:
        text = values[Field.STATUS]
        level = context.levels.get(text.lower()) if text else None
        if text and level is None:
            problem(
                Field.STATUS,
                _("Onbekende status “%(value)s”. Kies uit: %(choices)s.")
                % {"value": text, "choices": ", ".join(context.level_labels)},
            )
        else:
            row_plan.assessment["status"] = level
    if Field.EXPLANATION in values:
        row_plan.assessment["explanation"] = values[Field.EXPLANATION]


def _link_parents(plan: ImportPlan, context: _Context, keys: dict) -> None:
    """Give each sub-measure its heading (6.1 under 6), from the file or the database,
    and refuse amounts on a heading: the overview shows them at the sub-measures only."""
    existing_parents = {m.parent_id for m in context.measures if m.parent_id}
    heading_rows: dict[int, list[str]] = {}
    for row_plan in plan.rows:
        if row_plan.problems or not row_plan.number or not (row_plan.plan or row_plan.new_plan):
            continue
        plan_key = row_plan.plan.pk if row_plan.plan else ("new", row_plan.new_plan.name.lower())
        parts = row_plan.number.split(".")
        for length in range(len(parts) - 1, 0, -1):
            number = ".".join(parts[:length])
            parent = keys.get(_key(plan_key, number, ""))
            if parent is None and row_plan.plan:
                parent = context.by_key.get(_key(plan_key, number, ""))
            if parent is None:
                continue
            if "." in number:
                row_plan.problems.append(
                    plan.parsed.problem(
                        row_plan.row,
                        Field.NUMBER,
                        _(
                            "%(parent)s is zelf een deelmaatregel; een deelmaatregel kan geen "
                            "eigen deelmaatregelen hebben."
                        )
                        % {"parent": number},
                    )
                )
            row_plan.parent = parent
            heading_rows.setdefault(id(parent), []).append(row_plan.number)
            break
    for row_plan in plan.rows:
        children = heading_rows.get(id(row_plan), [])
        row_plan.is_heading = bool(children) or (
            row_plan.measure is not None and row_plan.measure.pk in existing_parents
        )
        if not row_plan.is_heading:
            continue
        for year, amount in row_plan.targets.items():
            if amount is not None:
                row_plan.problems.append(
                    plan.parsed.problem(
                        row_plan.row,
                        year,
                        _(
                            "%(number)s heeft deelmaatregelen; zet de bedragen bij de "
                            "deelmaatregelen en laat deze regel leeg."
                        )
                        % {"number": row_plan.number},
                    )
                )


def _compare(row_plan: RowPlan, context: _Context, parsed: ParsedFile) -> None:
    """Set the action and the list of changes, and check the measure's own rules."""
    measure = row_plan.measure
    changes = row_plan.changes

    def compare(label, before, after):
        if measure is None:
            if after:
                changes.append(Change(label, None, after))
        elif before != after:
            changes.append(Change(label, before, after))

    if measure is not None:
        compare(_("Titel"), measure.title, row_plan.title)
    if "domain" in row_plan.fields:
        compare(
            _("Beleidsterrein"),
            _domain_label(measure.domain if measure else ""),
            _domain_label(row_plan.fields["domain"]),
        )
    if "owner" in row_plan.fields:
        compare(
            _("Eigenaar"),
            _user_label(measure.owner if measure else None),
            _user_label(row_plan.fields["owner"]),
        )
    parent_before = measure.parent.number if measure and measure.parent else ""
    parent_after = row_plan.parent.number if row_plan.parent else ""
    compare(_("Kopmaatregel"), parent_before, parent_after)

    existing = {}
    if measure is not None:
        existing = {
            t.year: Amount.pm() if t.is_pm else Amount(t.amount) for t in measure.targets.all()
        }
    for year, after in row_plan.targets.items():
        before = existing.get(year)
        if before != after:
            row_plan.target_changes[year] = (before, after)
            compare(str(year), format_cell(before), format_cell(after))

    if row_plan.assessment:
        assessment = context.assessments.get(measure.pk) if measure else None
        status_before = assessment.status if assessment else None
        explanation_before = assessment.explanation if assessment else ""
        if "status" in row_plan.assessment:
            status_after = row_plan.assessment["status"]
            if status_before != status_after:
                row_plan.assessment_changes = True
                compare(
                    _("Op koers"),
                    status_before.label if status_before else "",
                    status_after.label if status_after else "",
                )
        if "explanation" in row_plan.assessment:
            explanation_after = row_plan.assessment["explanation"]
            if explanation_before != explanation_after:
                row_plan.assessment_changes = True
                compare(_("Toelichting"), _short(explanation_before), _short(explanation_after))
        if row_plan.assessment_changes and context.user is not None:
            refusal = approval_refusal(
                update=context.updates.get(measure.pk) if measure else None,
                user=context.user,
                changed=context.changed,
            )
            if refusal:
                column = Field.STATUS if "status" in row_plan.assessment else Field.EXPLANATION
                row_plan.problems.append(parsed.problem(row_plan.row, column, refusal))

    _check_measure(row_plan, context, parsed)
    if row_plan.problems:
        return
    if measure is None:
        row_plan.action = Action.CREATE
    elif changes:
        row_plan.action = Action.CHANGE
    else:
        row_plan.action = Action.UNCHANGED


FIELD_COLUMNS = {
    "title": Field.TITLE,
    "number": Field.NUMBER,
    "domain": Field.DOMAIN,
    "owner": Field.OWNER,
    "plan": Field.PLAN,
}


def _check_measure(row_plan: RowPlan, context: _Context, parsed: ParsedFile) -> None:
    """The measure's own validation, on an unsaved copy: what full_clean will say when
    the import is applied, said now. The parent and a new plan are checked above."""
    measure = row_plan.measure
    candidate = Measure(
        pk=measure.pk if measure else None,
        programme=context.programme,
        plan=row_plan.plan,
        number=row_plan.number,
        title=row_plan.title,
        domain=row_plan.fields.get("domain", measure.domain if measure else ""),
        owner=row_plan.fields.get("owner", measure.owner if measure else None),
    )
    try:
        candidate.full_clean(
            # Related objects were looked up above; validating them again costs a query each.
            exclude=["programme", "plan", "parent", "goal", "owner"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            key = FIELD_COLUMNS.get(name)
            for message in messages:
                row_plan.problems.append(
                    parsed.problem(row_plan.row, key, message)
                    if key
                    else Problem(message, row=row_plan.row.line)
                )


def _domain_label(value: str) -> str:
    return str(PolicyDomain(value).label) if value else ""


def _user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
