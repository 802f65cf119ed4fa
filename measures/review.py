"""What a submitted update changes against the approved state of its measure in the
same period, so that a controller can approve from the list (the Goedkeuren page).

The approved state of an open period starts as the last approved values (open_period
copies them), so "since the last approved state" is the period's own assessment.
`reviews_of` reads it for any number of updates in two queries.

A changed forecast is shown with its year's target, and marked when the plausibility
rule of the update form finds it off that target: the owner saved it only after
confirming it, and the controller should see that.
"""

from dataclasses import dataclass, field, replace

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .models import Assessment, AssessmentContent, MeasureUpdate, StatusLevel
from .money import format_euros, format_target_euros
from .plausibility import amount_warning

TEXT_FIELDS = ["explanation", "cause", "consequence", "corrective_action"]


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str
    # For a forecast: its year's target in euros ("–" without one), and whether the
    # new amount is implausible against it (plausibility.amount_warning).
    target: str = ""
    implausible: bool = False


@dataclass
class UpdateReview:
    update: MeasureUpdate
    status_before: StatusLevel | None
    texts: list[Change] = field(default_factory=list)
    figures: list[Change] = field(default_factory=list)

    @property
    def status_after(self) -> StatusLevel | None:
        return self.update.status

    @property
    def status_changed(self) -> bool:
        before = self.status_before.pk if self.status_before else None
        return before != self.update.status_id

    @property
    def has_changes(self) -> bool:
        return self.status_changed or bool(self.texts or self.figures)


def year_figure_texts(figures, volume_unit: str = "") -> dict[str, str]:
    """One year's forecast, realisations and volumes as a reader sees them, by label
    ("Prognose 2021": "€ 1.580.000" or "PM"). Empty figures are left out. Used for the
    approvals and the measure's timeline alike, so both name a figure the same way."""
    year = figures.year
    volume = capfirst(volume_unit) if volume_unit else _("Volume")

    def money(euros):
        return None if euros is None else format_euros(euros)

    shown = {
        _("Prognose %(year)s") % {"year": year}: "PM"
        if figures.forecast_is_pm
        else money(figures.forecast),
        _("Realisatie %(year)s") % {"year": year}: money(figures.realised),
        _("Realisatie zacht %(year)s") % {"year": year}: money(figures.realised_soft),
        _("%(unit)s gepland %(year)s") % {"unit": volume, "year": year}: figures.volume_planned,
        _("%(unit)s gerealiseerd %(year)s")
        % {"unit": volume, "year": year}: figures.volume_realised,
    }
    return {label: str(value) for label, value in shown.items() if value is not None}


def compare(update: MeasureUpdate, approved: Assessment | None) -> UpdateReview:
    """The update against the approved state (None: the measure has none yet)."""
    review = UpdateReview(update, approved.status if approved else None)
    for name in TEXT_FIELDS:
        before = getattr(approved, name) if approved else ""
        after = getattr(update, name)
        if before.strip() != after.strip():
            label = capfirst(AssessmentContent._meta.get_field(name).verbose_name)
            review.texts.append(Change(str(label), before, after))
    unit = update.measure.volume_unit
    targets = {target.year: target for target in update.measure.targets.all()}
    old = {year.year: year for year in approved.years.all()} if approved else {}
    new = {year.year: year for year in update.years.all()}
    for year in sorted(old.keys() | new.keys()):
        was = year_figure_texts(old[year], unit) if year in old else {}
        becomes = year_figure_texts(new[year], unit) if year in new else {}
        forecast_label = _("Prognose %(year)s") % {"year": year}
        for label in dict.fromkeys([*was, *becomes]):
            if was.get(label) == becomes.get(label):
                continue
            change = Change(label, was.get(label, "–"), becomes.get(label, "–"))
            if label == forecast_label:
                target = targets.get(year)
                forecast = new[year].forecast if year in new else None
                change = replace(
                    change,
                    target=format_target_euros(target) if target else "–",
                    implausible=forecast is not None
                    and amount_warning(forecast, target) is not None,
                )
            review.figures.append(change)
    return review


def reviews_of(updates: list[MeasureUpdate]) -> list[UpdateReview]:
    """A review per update, in their order. Expects the updates with their measure and
    status selected and their years and their measure's targets prefetched; adds two
    queries: the approved states
    with their status, and their years."""
    approved = {
        (assessment.measure_id, assessment.period_id): assessment
        for assessment in Assessment.objects.filter(
            measure_id__in={update.measure_id for update in updates},
            period_id__in={update.period_id for update in updates},
        )
        .select_related("status")
        .prefetch_related("years")
    }
    return [
        compare(update, approved.get((update.measure_id, update.period_id))) for update in updates
    ]
