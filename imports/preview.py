"""The plan as people read it: a table row per measure for the page, the same as lines of
text for the command, and a summary in sentences. Only formatting happens here."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from measures.money import format_cell

from .columns import Field, Unit
from .parsing import Problem
from .planning import ACTION_LABELS, ImportPlan, RowPlan


@dataclass
class Cell:
    """A value after the import, the value before when it changes, or what is wrong."""

    text: str = ""
    before: str | None = None
    problem: str = ""
    raw: str = ""

    @property
    def changed(self) -> bool:
        return self.before is not None


@dataclass
class PreviewRow:
    line: int
    action: str
    action_label: str
    plan: Cell
    number: Cell
    title: Cell
    years: list[Cell]
    status: Cell
    other_changes: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def preview_rows(plan: ImportPlan) -> list[PreviewRow]:
    return [_preview_row(plan, row) for row in plan.rows]


def _preview_row(plan: ImportPlan, row: RowPlan) -> PreviewRow:
    parsed = plan.parsed
    by_column: dict[int | None, list[Problem]] = {}
    for problem in row.problems:
        by_column.setdefault(problem.column, []).append(problem)
    shown_columns = set()

    def cell(key, text: str, before: str | None = None) -> Cell:
        column = parsed.column(key)
        shown_columns.add(column)
        problems = by_column.get(column, []) if column else []
        if problems:
            return Cell(
                text=row.row.raw.get(key, ""),
                problem=" ".join(p.message for p in problems),
                raw=row.row.raw.get(key, ""),
            )
        return Cell(text=text, before=before)

    changes = {change.label: change for change in row.changes}

    def field_cell(key: Field, label: str, text: str) -> Cell:
        change = changes.get(label)
        return cell(key, text, change.before if change and row.measure else None)

    years = []
    for year in parsed.years:
        after = row.targets.get(year)
        before = None
        if year in row.target_changes and row.measure is not None:
            before = format_cell(row.target_changes[year][0])
        years.append(cell(year, format_cell(after), before))
    status_text = ""
    if "status" in row.assessment and row.assessment["status"] is not None:
        status_text = row.assessment["status"].label
    elif Field.STATUS in row.row.values and plan.period is None:
        status_text = row.row.values[Field.STATUS]

    result = PreviewRow(
        line=row.row.line,
        action=row.action.value if row.action else "problem",
        action_label=str(ACTION_LABELS[row.action]) if row.action else _("Fout"),
        plan=cell(Field.PLAN, row.plan_name),
        number=cell(Field.NUMBER, row.number),
        title=field_cell(Field.TITLE, _("Titel"), row.title),
        years=years,
        status=field_cell(Field.STATUS, _("Op koers"), status_text),
    )
    shown_labels = {_("Titel"), _("Op koers")} | {str(y) for y in parsed.years}
    result.other_changes = [str(c) for c in row.changes if c.label not in shown_labels]
    if row.is_heading:
        result.other_changes.append(_("Kopmaatregel: de bedragen staan bij de deelmaatregelen."))
    result.problems = [
        problem.message for problem in row.problems if problem.column not in shown_columns
    ]
    return result


def summary(plan: ImportPlan) -> list[str]:
    """What the import does, in a few sentences."""
    counts = plan.counts()
    lines = [
        ngettext(
            "%(count)s regel met een maatregel gelezen",
            "%(count)s regels met maatregelen gelezen",
            counts["rows"],
        )
        % {"count": counts["rows"]}
        + ": "
        + _("%(created)s nieuw, %(changed)s gewijzigd, %(unchanged)s ongewijzigd.") % counts
    ]
    if plan.new_plans:
        lines.append(
            ngettext(
                "Nieuw maatregelenplan: %(names)s.",
                "Nieuwe maatregelenplannen: %(names)s.",
                len(plan.new_plans),
            )
            % {"names": ", ".join(p.name for p in plan.new_plans)}
        )
    if counts["targets_set"] or counts["targets_removed"]:
        lines.append(
            _("Taakstellingen: %(set)s ingevuld of gewijzigd, %(removed)s verwijderd.")
            % {"set": counts["targets_set"], "removed": counts["targets_removed"]}
        )
    if plan.period is not None and counts["assessments_set"]:
        lines.append(
            ngettext(
                "Status of toelichting van %(count)s maatregel in %(period)s.",
                "Status of toelichting van %(count)s maatregelen in %(period)s.",
                counts["assessments_set"],
            )
            % {"count": counts["assessments_set"], "period": plan.period.name}
        )
    if counts["untouched"]:
        lines.append(
            ngettext(
                "%(count)s bestaande maatregel staat niet in het bestand; die blijft zo.",
                "%(count)s bestaande maatregelen staan niet in het bestand; die blijven zo.",
                counts["untouched"],
            )
            % {"count": counts["untouched"]}
        )
    if plan.parsed.unit is not None:
        lines.append(unit_sentence(plan.parsed.unit))
    return lines


def unit_sentence(unit: Unit) -> str:
    if unit is Unit.THOUSANDS:
        return _("Bedragen gelezen in duizenden euro's (x € 1.000): 1.580 is € 1.580.000.")
    return _("Bedragen gelezen in hele euro's: 1.580.000 is € 1.580.000.")


def has_changes(plan: ImportPlan) -> bool:
    counts = plan.counts()
    return bool(counts["created"] or counts["changed"] or counts["plans_created"])


def as_text(plan: ImportPlan | None, problems: list[Problem]) -> str:
    """The preview and the problems as the command prints them."""
    lines = []
    if plan is not None:
        lines += summary(plan)
        lines.append("")
        for row in preview_rows(plan):
            if row.action == "unchanged":
                continue
            name = " ".join(part for part in (row.number.text, row.title.text) if part)
            where = f"{row.plan.text} · {name}" if row.plan.text else name
            lines.append(
                _("Regel %(line)s  %(action)s  %(measure)s")
                % {"line": row.line, "action": row.action_label.lower(), "measure": where}
            )
            plan_row = next(r for r in plan.rows if r.row.line == row.line)
            lines += [f"    {change}" for change in plan_row.changes if row.action != "problem"]
        for notice in plan.parsed.notices:
            lines.append(_("Let op: %(notice)s") % {"notice": notice})
    if problems:
        lines.append("")
        lines.append(
            ngettext(
                "%(count)s fout; er is niets geïmporteerd:",
                "%(count)s fouten; er is niets geïmporteerd:",
                len(problems),
            )
            % {"count": len(problems)}
        )
        lines += [f"  {problem}" for problem in problems]
    return "\n".join(lines).strip() + "\n"
