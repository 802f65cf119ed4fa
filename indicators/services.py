"""Writes of indicator values, keyword-only and atomic, with the rules of
measures.services: the period's row is share-locked first (measures.services.lock_periods)
and a closed period is refused on the locked row; every value is full_clean'ed and saved
with its history in the user's name.

Two paths write values, both through here:

- the values form (`save_values`): an indicator's values in a period, all or nothing,
  by whoever may update the indicator (Indicator.can_be_updated_by);
- the import (`preview_values_import`, `confirm_values_import`, `write_values`): the
  preview and the all-or-nothing confirmation of imports.period_import, with this app's
  plan (indicators.importing) and write.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports.models import ImportKind
from imports.period_import import PeriodImport
from imports.reading import read_sheet
from measures.models import ReportingPeriod, period_closed_error
from measures.services import lock_periods, save_checked

from .importing import Action, ValuesPlan, plan_values
from .models import Indicator, IndicatorPart, IndicatorValue

# -- The values form ------------------------------------------------------------------


@dataclass(frozen=True)
class ValueRow:
    """One row of the values form: an existing value (`pk`) to change or remove, or a
    new one (`pk` None)."""

    pk: int | None
    part: IndicatorPart | None
    year: int
    kind: str
    value: Decimal
    qualifier: str = ""
    remove: bool = False


class ValueRowsError(ValidationError):
    """Values refused, with the errors of each row (`by_row`: index -> {field: [messages]})
    so that a form can put them at their fields; nothing was stored."""

    def __init__(self, by_row: dict[int, dict[str, list[str]]]):
        self.by_row = by_row
        messages = [
            _("Rij %(n)s: %(message)s") % {"n": index + 1, "message": message}
            for index, errors in sorted(by_row.items())
            for field_messages in errors.values()
            for message in field_messages
        ]
        super().__init__(messages)


@transaction.atomic
def save_values(
    *, indicator: Indicator, period, user, rows: list[ValueRow]
) -> list[IndicatorValue]:
    """Store an indicator's values as `period` states them, all or nothing: changed rows
    are updated, removed rows deleted, new rows added. Returns the period's values."""
    if not indicator.can_be_updated_by(user):
        raise PermissionDenied(_("U mag deze indicator niet bijwerken."))
    locked = lock_periods([period.pk])[period.pk]
    locked.refuse_if_closed()
    if indicator.programme_id != locked.programme_id:
        raise ValidationError(_("Dit rapportagemoment hoort bij een ander programma."))
    existing = {
        value.pk: value
        for value in IndicatorValue.objects.filter(indicator=indicator, period=locked)
        .select_related("indicator", "part")
        .select_for_update(of=("self",))
    }
    by_row: dict[int, dict[str, list[str]]] = {}
    missing = [row.pk for row in rows if row.pk is not None and row.pk not in existing]
    if missing:
        raise ValidationError(
            _(
                "Een of meer waarden zijn intussen door een ander verwijderd of gewijzigd. "
                "Er is niets opgeslagen; open het formulier opnieuw."
            )
        )
    # Removals first, so that a value may be removed and entered again in one go.
    for row in rows:
        if row.remove and row.pk is not None:
            value = existing.pop(row.pk)
            value._history_user = user
            value.delete()
    saved = []
    for index, row in enumerate(rows):
        if row.remove:
            continue
        value = existing.get(row.pk) if row.pk is not None else None
        if value is not None and same(value, row):
            continue
        value = value or IndicatorValue(indicator=indicator, period=locked)
        value.part = row.part
        value.year, value.kind = row.year, row.kind
        value.value, value.qualifier = row.value, row.qualifier.strip()
        value.updated_by = user
        value._history_user = user
        try:
            value.full_clean()
        except ValidationError as error:
            by_row[index] = error.message_dict
            continue
        value.save()
        saved.append(value)
    if by_row:
        raise ValueRowsError(by_row)
    return list(IndicatorValue.objects.filter(indicator=indicator, period=locked))


def same(value: IndicatorValue, row: ValueRow) -> bool:
    """Whether a stored value is as the row has it: then it is not saved again, and its
    history keeps who last changed it."""
    return (
        value.part_id == (row.part.pk if row.part else None)
        and (value.year, value.kind, value.value) == (row.year, row.kind, row.value)
        and value.qualifier == row.qualifier.strip()
    )


# -- The import ---------------------------------------------------------------------


def build_plan(content: bytes, *, period: ReportingPeriod) -> ValuesPlan:
    """Raises UnreadableFile when the content is no usable spreadsheet."""
    return plan_values(read_sheet(content), period=period)


VALUES_IMPORT = PeriodImport(
    kind=ImportKind.INDICATOR_VALUES,
    plan=build_plan,
    write=lambda *, period, plan, user: write_values(period=period, plan=plan, user=user),
    conflict_message=gettext_lazy(
        "Iemand anders wijzigde tegelijk dezelfde waarden. Er is niets geïmporteerd; "
        "probeer het opnieuw."
    ),
)
# What the file would change in a period, recorded as a preview; and its all-or-nothing
# confirmation (imports.period_import).
preview_values_import = VALUES_IMPORT.preview
confirm_values_import = VALUES_IMPORT.confirm


@transaction.atomic
def write_values(*, period: ReportingPeriod, plan: ValuesPlan, user) -> list[IndicatorValue]:
    """Writes the new and changed values of a valid plan into `period`, in one
    transaction; the period is share-locked first and a closed one refused."""
    locked = lock_periods([period.pk])[period.pk]
    if locked.is_closed:
        raise period_closed_error(locked.name)
    if not plan.is_valid:
        raise ValueError("Only a valid plan is written.")
    written = []
    for row in plan.rows:
        if row.action not in (Action.CREATE, Action.CHANGE):
            continue
        value = row.existing
        if value is None:
            value = IndicatorValue(
                indicator=row.indicator, part=row.part, period=locked, year=row.year, kind=row.kind
            )
        value.value = row.value
        value.qualifier = row.qualifier
        value.updated_by = user
        save_checked(value, user)
        written.append(value)
    return written
