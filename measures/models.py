"""The domain of Koersmonitor: programmes, their goals and measure plans, the measures
with their yearly targets, and how each measure is assessed in a reporting period.

Amounts are whole euros in integer fields. The overview shows them in thousands, but
every sum is made from the stored euros (see measures.overview).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisations.scoping import scoped_manager

from .audit import HistoriedQuerySet
from .constants import (
    MAX_YEAR,
    MIN_YEAR,
    UNFINISHED_STATES,
    PeriodKind,
    PolicyDomain,
    StatusIcon,
    UpdateState,
)

# Amounts beyond a trillion euros are typing errors, not savings.
MAX_AMOUNT = 10**12

year_validators = [
    MinValueValidator(MIN_YEAR, _("Een jaar ligt tussen %(limit_value)s en 2100.")),
    MaxValueValidator(MAX_YEAR, _("Een jaar ligt tussen 2000 en %(limit_value)s.")),
]
amount_validators = [
    MinValueValidator(-MAX_AMOUNT, _("Dit bedrag is onwaarschijnlijk groot.")),
    MaxValueValidator(MAX_AMOUNT, _("Dit bedrag is onwaarschijnlijk groot.")),
]
# ASCII digits only (\d also matches ٦ and ６), and \Z: $ lets a trailing newline through.
measure_number_validator = RegexValidator(
    r"\A[0-9]{1,4}(\.[0-9]{1,4}){0,3}\Z",
    _("Een volgnummer bestaat uit cijfers, eventueel met punten: 6 of 6.1."),
)
colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Geef een kleur als hexadecimale code, bijvoorbeeld #2e7d32.")
)


def who_did_it(verbose_name, **kwargs) -> models.ForeignKey:
    """A reference to the user who did something (approved, submitted, closed…); users
    who acted are never deleted from under the record (PROTECT)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


def natural_sort_key(number: str) -> str:
    """A sortable key for a measure number, so that 6.1 follows 6 and 10 follows 9."""
    if not number:
        return ""
    return ".".join(part.zfill(5) for part in re.split(r"\.", number))


class StatusScale(models.Model):
    """A municipality's scale for "op koers": Almelo uses Ja / Nee / -, Enschede five levels."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="status_scales",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("naam"), max_length=100)

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statusschaal")
        verbose_name_plural = _("statusschalen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="status_scale_unique_name",
                violation_error_message=_("Er is al een statusschaal met deze naam."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StatusLevel(models.Model):
    scale = models.ForeignKey(
        StatusScale, models.CASCADE, related_name="levels", verbose_name=_("schaal")
    )
    label = models.CharField(_("label"), max_length=100)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    colour = models.CharField(
        _("kleur"), max_length=7, default="#6b6b6b", validators=[colour_validator]
    )
    icon = models.CharField(_("pictogram"), max_length=20, choices=StatusIcon.choices)
    counts_as_on_course = models.BooleanField(
        _("telt als op koers"),
        default=False,
        help_text=_("Maatregelen met deze status tellen mee in de invulling van de taakstelling."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "scale__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("statusniveau")
        verbose_name_plural = _("statusniveaus")
        ordering = ["scale", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "label"],
                name="status_level_unique_label",
                violation_error_message=_("Deze schaal heeft al een status met dit label."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def accessible_name(self) -> str:
        """The label with its description, for screen readers and exports."""
        return f"{self.label} ({self.description})" if self.description else self.label


class Programme(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisatie"),
    )
    name = models.CharField(_("naam"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("eerste jaar"), validators=year_validators)
    last_year = models.PositiveSmallIntegerField(_("laatste jaar"), validators=year_validators)
    target_year = models.PositiveSmallIntegerField(
        _("doeljaar"),
        validators=year_validators,
        help_text=_("Het jaar waarin de taakstelling volledig ingevuld moet zijn."),
    )
    status_scale = models.ForeignKey(
        StatusScale, models.PROTECT, related_name="programmes", verbose_name=_("statusschaal")
    )
    separates_hard_soft = models.BooleanField(
        _("harde en zachte besparing apart"),
        default=False,
        help_text=_("Realisaties worden gesplitst in harde en zachte besparing."),
    )
    # Per region, not one flag: a municipality may work in several regions (Almelo in
    # Twente and as centrumgemeente with its neighbours) and share a programme with one of
    # them only. Only a region the organisation is a member of counts
    # (organisations.region_data), so leaving a region ends the sharing.
    shared_with_regions = models.ManyToManyField(
        "organisations.Region",
        related_name="shared_programmes",
        blank=True,
        verbose_name=_("gedeeld met regio's"),
        help_text=_(
            "De regiopagina toont van dit programma het saldo op koers aan de managers en "
            "controllers van de andere gemeenten in de regio. Van een programma dat niet "
            "gedeeld is, ziet de regio niets."
        ),
    )

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords(m2m_fields=[shared_with_regions])

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="programme_unique_name",
                violation_error_message=_("Er is al een programma met deze naam."),
            ),
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")),
                name="programme_horizon_ordered",
            ),
            models.CheckConstraint(
                condition=Q(target_year__gte=models.F("first_year"))
                & Q(target_year__lte=models.F("last_year")),
                name="programme_target_year_in_horizon",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def clean(self):
        errors = {}
        if self.first_year and self.last_year and self.first_year > self.last_year:
            errors["last_year"] = _("Het laatste jaar kan niet voor het eerste jaar liggen.")
        years_known = self.target_year and self.first_year and self.last_year
        if years_known and not self.first_year <= self.target_year <= self.last_year:
            errors["target_year"] = _(
                "Het doeljaar moet binnen de looptijd van het programma liggen."
            )
        if errors:
            raise ValidationError(errors)


class Goal(models.Model):
    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="goals", verbose_name=_("programma")
    )
    number = models.PositiveSmallIntegerField(
        _("volgnummer"), help_text=_("Bepaalt de volgorde van de doelen.")
    )
    code = models.CharField(
        _("nummering"),
        max_length=10,
        blank=True,
        help_text=_("Zoals het verslag het doel nummert, bijvoorbeeld A; leeg: het volgnummer."),
    )
    title = models.CharField(_("titel"), max_length=300)
    short_title = models.CharField(
        _("korte titel"),
        max_length=120,
        blank=True,
        help_text=_("Voor koppen en tabellen, bijvoorbeeld 'Multidisciplinair werken'."),
    )
    description = models.TextField(_("toelichting"), blank=True)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("strategisch doel")
        verbose_name_plural = _("strategische doelen")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="goal_unique_number",
                violation_error_message=_("Dit programma heeft al een doel met dit nummer."),
            ),
        ]

    def __str__(self) -> str:
        return _("Doel %(number)s: %(title)s") % {"number": self.label, "title": self.title}

    @property
    def label(self) -> str:
        """The goal's number as the report prints it: its letter (Enschede's A and B) or
        its sequence number."""
        return self.code or str(self.number)

    @property
    def heading(self) -> str:
        """The short title where there is one."""
        return self.short_title or self.title


class MeasurePlan(models.Model):
    """A set of measures adopted by one decision, e.g. Maatregelenplan 1 (BW-6696)."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="plans", verbose_name=_("programma")
    )
    name = models.CharField(_("naam"), max_length=200)
    decision_reference = models.CharField(
        _("besluitnummer"), max_length=50, blank=True, help_text=_("Bijvoorbeeld BW-6696.")
    )
    decision_date = models.DateField(_("besluitdatum"), null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(_("eerste jaar"), validators=year_validators)
    last_year = models.PositiveSmallIntegerField(_("laatste jaar"), validators=year_validators)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maatregelenplan")
        verbose_name_plural = _("maatregelenplannen")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="plan_unique_name",
                violation_error_message=_(
                    "Dit programma heeft al een maatregelenplan met deze naam."
                ),
            ),
            models.CheckConstraint(
                condition=Q(first_year__lte=models.F("last_year")), name="plan_horizon_ordered"
            ),
        ]

    def __str__(self) -> str:
        if self.decision_reference:
            return f"{self.name} ({self.decision_reference})"
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    def clean(self):
        if self.first_year and self.last_year and self.first_year > self.last_year:
            raise ValidationError(
                {"last_year": _("Het laatste jaar kan niet voor het eerste jaar liggen.")}
            )


class Measure(models.Model):
    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="measures", verbose_name=_("programma")
    )
    plan = models.ForeignKey(
        MeasurePlan,
        models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        verbose_name=_("maatregelenplan"),
        help_text=_("Leeg voor een maatregel buiten de plannen, zoals een vervangende maatregel."),
    )
    number = models.CharField(
        _("volgnummer"), max_length=20, blank=True, validators=[measure_number_validator]
    )
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    title = models.CharField(_("titel"), max_length=300)
    description = models.TextField(_("omschrijving"), blank=True)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
        verbose_name=_("kopmaatregel"),
        help_text=_("Voor een deelmaatregel zoals 6.1: de maatregel 6 waaronder hij valt."),
    )
    # PROTECT, not SET_NULL: Django clears a SET_NULL reference with a plain UPDATE that
    # leaves no history; a goal or owner in use is changed on the measure first.
    goal = models.ForeignKey(
        Goal,
        models.PROTECT,
        related_name="measures",
        null=True,
        blank=True,
        verbose_name=_("strategisch doel"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="owned_measures",
        null=True,
        blank=True,
        verbose_name=_("eigenaar"),
    )
    domain = models.CharField(
        _("beleidsterrein"), max_length=20, choices=PolicyDomain.choices, blank=True
    )
    replaces = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="replaced_by",
        blank=True,
        verbose_name=_("vervangt"),
        help_text=_("De maatregelen waarvan deze maatregel de taakstelling overneemt."),
    )
    delegates = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="delegated_measures",
        blank=True,
        verbose_name=_("gedelegeerd aan"),
        help_text=_("Medewerkers die deze maatregel namens de eigenaar mogen bijwerken."),
    )
    volume_unit = models.CharField(
        _("eenheid volume"),
        max_length=50,
        blank=True,
        help_text=_('Voor maatregelen die op aantallen sturen, bijvoorbeeld "casussen".'),
    )
    is_withdrawn = models.BooleanField(
        _("vervallen"),
        default=False,
        help_text=_(
            "Een vervallen maatregel krijgt in nieuwe rapportagemomenten geen update meer."
        ),
    )

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords(m2m_fields=[replaces, delegates])

    class Meta:
        verbose_name = _("maatregel")
        verbose_name_plural = _("maatregelen")
        ordering = ["programme", "plan__order", "plan__name", "sort_key", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=Q(plan__isnull=False),
                name="measure_unique_number_in_plan",
                violation_error_message=_("Dit volgnummer bestaat al in dit maatregelenplan."),
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=True) | ~Q(number=""),
                name="measure_in_plan_has_number",
                violation_error_message=_("Een maatregel in een plan heeft een volgnummer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        self.sort_key = natural_sort_key(self.number)
        super().save(*args, **kwargs)

    @property
    def years(self) -> list[int]:
        """The years this measure can have a target in: its plan's horizon, else the programme's."""
        return (self.plan or self.programme).years

    def can_be_updated_by(self, user) -> bool:
        """Whether a user may edit this measure's updates: its owner, a delegate, or a
        controller. Costs a query for the delegates unless they are prefetched."""
        if not user.is_authenticated:
            return False
        if user.has_perm("measures.approve_measureupdate"):
            return True
        if not user.has_perm("measures.change_measureupdate"):
            return False
        return self.owner_id == user.pk or any(d.pk == user.pk for d in self.delegates.all())

    def clean(self):
        errors = {}
        if self.plan_id and self.programme_id and self.plan.programme_id != self.programme_id:
            errors["plan"] = _("Het maatregelenplan hoort bij een ander programma.")
        if self.plan_id and not self.number:
            errors["number"] = _("Een maatregel in een plan heeft een volgnummer.")
        if self.goal_id and self.programme_id and self.goal.programme_id != self.programme_id:
            errors["goal"] = _("Het doel hoort bij een ander programma.")
        if self.parent_id:
            parent = self.parent
            if parent.pk == self.pk:
                errors["parent"] = _("Een maatregel kan niet onder zichzelf vallen.")
            elif parent.parent_id:
                errors["parent"] = _("Een deelmaatregel kan geen eigen deelmaatregelen hebben.")
            elif parent.plan_id != self.plan_id:
                errors["parent"] = _("De kopmaatregel hoort bij hetzelfde maatregelenplan.")
            elif self.number and not self.number.startswith(f"{parent.number}."):
                errors["number"] = _(
                    "Het volgnummer van een deelmaatregel begint met dat van de kopmaatregel "
                    "(%(parent)s.1, %(parent)s.2, …)."
                ) % {"parent": parent.number}
        if errors:
            raise ValidationError(errors)


class YearTarget(models.Model):
    """What a measure must save in one year: whole euros, or PM (an amount not yet known).

    PM counts as 0 in every sum but is shown as "PM"; a year without a YearTarget has no
    target at all and is shown empty.
    """

    measure = models.ForeignKey(
        Measure, models.CASCADE, related_name="targets", verbose_name=_("maatregel")
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    amount = models.BigIntegerField(
        _("bedrag (€)"), null=True, blank=True, validators=amount_validators
    )
    is_pm = models.BooleanField(_("PM"), default=False)

    organisation_path = "measure__programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jaartaakstelling")
        verbose_name_plural = _("jaartaakstellingen")
        ordering = ["measure", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"],
                name="target_unique_year",
                violation_error_message=_(
                    "Deze maatregel heeft al een taakstelling voor dit jaar."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(is_pm=True) & Q(amount__isnull=True))
                | (Q(is_pm=False) & Q(amount__isnull=False)),
                name="target_amount_or_pm",
                violation_error_message=_("Geef een bedrag of PM, niet allebei."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR) & Q(year__lte=MAX_YEAR), name="target_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.year}"

    def clean(self):
        # In the admin's add form the measure is not saved yet, so test the object.
        measure = self.measure if self.measure_id or "measure" in self._state.fields_cache else None
        # A measure with neither plan nor programme has no horizon yet; its own form says so.
        if measure is None or self.year is None or not (measure.plan_id or measure.programme_id):
            return
        years = measure.years
        if self.year not in years:
            raise ValidationError(
                {
                    "year": _("%(year)s valt buiten de looptijd %(first)s–%(last)s.")
                    % {"year": self.year, "first": years[0], "last": years[-1]}
                }
            )


class SavingsTask(models.Model):
    """The total a programme must save in a year ("Te realiseren besparingen")."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="savings_tasks", verbose_name=_("programma")
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    amount = models.BigIntegerField(
        _("te besparen (€)"),
        validators=[
            MinValueValidator(0, _("Een taakstelling is niet negatief.")),
            *amount_validators,
        ],
        help_text=_("Positief bedrag; het overzicht toont het als negatieve regel."),
    )

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taakstelling programma")
        verbose_name_plural = _("taakstellingen programma")
        ordering = ["programme", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "year"],
                name="savings_task_unique_year",
                violation_error_message=_("Dit programma heeft al een taakstelling voor dit jaar."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="savings_task_not_negative",
                violation_error_message=_(
                    "Vul de taakstelling in als positief bedrag: wat het programma moet besparen."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"

    def clean(self):
        if self.programme_id and self.year and self.year not in self.programme.years:
            raise ValidationError(
                {"year": _("Dit jaar valt buiten de looptijd van het programma.")}
            )


class Adjustment(models.Model):
    """An amount added to the balance, such as "Inzet extra middelen jeugdhulp"."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="adjustments", verbose_name=_("programma")
    )
    label = models.CharField(_("omschrijving"), max_length=200)
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    amount = models.BigIntegerField(
        _("bedrag (€)"),
        validators=amount_validators,
        help_text=_("Positief als het de taakstelling verlicht, negatief als het die verzwaart."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bijstelling")
        verbose_name_plural = _("bijstellingen")
        ordering = ["programme", "order", "year", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "label", "year"],
                name="adjustment_unique_label_year",
                violation_error_message=_(
                    "Dit programma heeft al een bijstelling met dit label in dit jaar."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.year}"

    def clean(self):
        if self.programme_id and self.year and self.year not in self.programme.years:
            raise ValidationError(
                {"year": _("Dit jaar valt buiten de looptijd van het programma.")}
            )


class PeriodClosedError(ValidationError):
    """A write into a reporting period that has been closed."""


def period_closed_error(name: str) -> PeriodClosedError:
    return PeriodClosedError(
        _("Het rapportagemoment %(period)s is afgesloten en kan niet meer veranderen.")
        % {"period": name},
        code="period_closed",
    )


class PeriodBoundQuerySet(HistoriedQuerySet):
    """The guard of closed periods, for every write that goes through a queryset.

    A row of a closed period is a row whose period, reached through the model's
    `period_path`, is closed; `of_closed_periods` is the one place that says so. Writes
    to such rows are refused, and so are writes that would move a row into a closed
    period or add one to it. Reads are never limited.

    PeriodBoundModel makes this queryset the base manager too, so the writes Django makes
    itself (Model.save's UPDATE, a related manager's add()) meet the same guard. Raw SQL
    meets a database trigger on PostgreSQL (migration 0006_closed_period_guard).
    """

    def of_closed_periods(self):
        path = self.model.period_path
        return self.filter(**{f"{path}__is_closed" if path else "is_closed": True})

    def refuse_if_closed(self) -> None:
        """Raise PeriodClosedError if any of these rows belongs to a closed period now."""
        path = self.model.period_path
        names = self.of_closed_periods().values_list(f"{path}__name" if path else "name")
        for (name,) in names[:1]:
            raise period_closed_error(name)

    def refuse_arrivals(self, objs) -> None:
        """Raise PeriodClosedError if any of these rows, as they are about to be written,
        would land in a closed period. A period itself arrives only when it is created,
        and is not created closed: only closing a period closes it."""
        link = self.model.period_link()
        if link is None:
            for period in objs:
                if period.is_closed:
                    raise period_closed_error(period.name)
            return
        attname = self.model._meta.get_field(link).attname
        self._refuse_link_targets({getattr(obj, attname) for obj in objs})

    def _refuse_link_targets(self, pks) -> None:
        """The rows' period (or parent) to be: refused if it belongs to a closed period."""
        field = self.model._meta.get_field(self.model.period_link())
        field.related_model._base_manager.using(self.db).filter(pk__in=pks).refuse_if_closed()

    def _targets(self, value) -> set:
        """Where an update moves the rows: a row, a key, or an expression such as
        bulk_update's CASE, which is read for each row before anything is written."""
        if hasattr(value, "resolve_expression"):
            return set(self.annotate(guard_target=value).values_list("guard_target", flat=True))
        return {getattr(value, "pk", value)}

    def update(self, **kwargs):
        self.refuse_if_closed()
        link = self.model.period_link()
        for name in (link, f"{link}_id") if link else ():
            if name in kwargs:
                self._refuse_link_targets(self._targets(kwargs[name]))
        return super().update(**kwargs)

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.refuse_arrivals(objs)
        return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def delete(self):
        self.refuse_if_closed()
        return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class PeriodBoundModel(models.Model):
    """A reporting period, or a row that belongs to one: frozen once the period closes.

    `period_path` leads from a row to its period ("" for the period itself). Each write
    of a single row asks the guard (PeriodBoundQuerySet) where the row is and where it
    goes. Closing a period is a write to an open period, so it passes.
    """

    period_path = "period"
    organisation_path = "period__programme__organisation"

    objects = scoped_manager(PeriodBoundQuerySet)
    # Django's own writes (Model.save's UPDATE, related managers' add()) and lookups
    # through a foreign key use the base manager: it must be the guarded one, and it is
    # not scoped (it is reached only from an object found in scope).
    guarded = PeriodBoundQuerySet.as_manager()

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "guarded"

    @classmethod
    def period_link(cls) -> str | None:
        """The foreign key through which a row belongs to its period, or its parent."""
        return cls.period_path.split("__")[0] or None

    def refuse_if_closed(self) -> None:
        """Raise PeriodClosedError if this row, as stored now, belongs to a closed period."""
        type(self)._base_manager.filter(pk=self.pk).refuse_if_closed()

    def save_base(self, raw=False, *args, **kwargs):
        # save_base rather than save: Model.save comes here, and so does anyone calling
        # save_base directly. A raw save is loaddata restoring a backup of closed periods
        # (see the trigger's migration for PostgreSQL); it is let through.
        if not raw:
            # A new object with the key of a stored row overwrites that row.
            if self.pk is not None:
                self.refuse_if_closed()
            if self._state.adding or self.period_link():
                type(self)._base_manager.refuse_arrivals([self])
        return super().save_base(raw, *args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_closed()
        return super().delete(*args, **kwargs)


class ReportingPeriod(PeriodBoundModel):
    programme = models.ForeignKey(
        Programme, models.PROTECT, related_name="periods", verbose_name=_("programma")
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=PeriodKind.choices)
    reference_date = models.DateField(_("peildatum"))
    deadline = models.DateField(_("uiterste invoerdatum"), null=True, blank=True)
    is_closed = models.BooleanField(_("afgesloten"), default=False, editable=False)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True, editable=False)
    closed_by = who_did_it(_("afgesloten door"), editable=False)
    # What the overview, the report and the exports showed at closing, so that they stay
    # exactly as reported whatever changes later (measures.report_input.freeze_period).
    frozen_report = models.JSONField(null=True, blank=True, editable=False)

    period_path = ""
    organisation_path = "programme__organisation"

    history = HistoricalRecords(excluded_fields=["frozen_report"])

    class Meta(PeriodBoundModel.Meta):
        verbose_name = _("rapportagemoment")
        verbose_name_plural = _("rapportagemomenten")
        ordering = ["programme", "-reference_date", "name"]
        get_latest_by = "reference_date"
        permissions = [("close_reportingperiod", _("Mag rapportagemomenten afsluiten"))]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="period_unique_name",
                violation_error_message=_(
                    "Er is al een rapportagemoment met deze naam in dit programma."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_closed=False) | Q(closed_at__isnull=False),
                name="period_closed_has_moment",
            ),
            models.CheckConstraint(
                condition=Q(is_closed=False) | Q(frozen_report__isnull=False),
                name="period_closed_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def deadline_passed(self) -> bool:
        """Whether the deadline is over (the deadline day itself still counts) while the
        period is open: unfinished updates are then late ("te laat")."""
        return (
            not self.is_closed
            and self.deadline is not None
            and self.deadline < timezone.localdate()
        )

    def clean(self):
        if self.deadline and self.reference_date and self.deadline < self.reference_date:
            raise ValidationError(
                {"deadline": _("De uiterste invoerdatum kan niet voor de peildatum liggen.")}
            )


class AssessmentContent(PeriodBoundModel):
    """What an owner reports on a measure in a period; shared by the working update and
    the approved assessment."""

    status = models.ForeignKey(
        StatusLevel,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("op koers"),
    )
    explanation = models.TextField(_("toelichting"), blank=True)
    cause = models.TextField(_("oorzaak"), blank=True)
    consequence = models.TextField(_("gevolg"), blank=True)
    corrective_action = models.TextField(_("bijsturing"), blank=True)

    CONTENT_FIELDS = ["status_id", "explanation", "cause", "consequence", "corrective_action"]

    class Meta:
        abstract = True


class Assessment(AssessmentContent):
    """The approved state of a measure in a reporting period: what the overview and the
    reports show. Only services.approve (and opening a period) write it."""

    measure = models.ForeignKey(
        Measure, models.PROTECT, related_name="assessments", verbose_name=_("maatregel")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="assessments",
        verbose_name=_("rapportagemoment"),
    )
    approved_by = who_did_it(_("goedgekeurd door"))
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta(PeriodBoundModel.Meta):
        verbose_name = _("beoordeling")
        verbose_name_plural = _("beoordelingen")
        ordering = ["period", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="assessment_unique_per_period",
                violation_error_message=_(
                    "Deze maatregel is in dit rapportagemoment al beoordeeld."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.period}"

    def clean(self):
        check_same_programme(self)


def check_same_programme(content) -> None:
    errors = {}
    if content.measure_id and content.period_id:
        if content.measure.programme_id != content.period.programme_id:
            errors["period"] = _("Dit rapportagemoment hoort bij een ander programma.")
        elif (
            content.status_id
            and content.status.scale_id != content.period.programme.status_scale_id
        ):
            errors["status"] = _("Deze status komt niet voor op de schaal van het programma.")
    if errors:
        raise ValidationError(errors)


class MeasureUpdate(AssessmentContent):
    """The working copy an owner edits for a period, with its place in the four-eyes
    workflow. `version` grows with every save, so two people saving the same update
    at once are detected (services.save_update)."""

    measure = models.ForeignKey(
        Measure, models.PROTECT, related_name="updates", verbose_name=_("maatregel")
    )
    period = models.ForeignKey(
        ReportingPeriod, models.PROTECT, related_name="updates", verbose_name=_("rapportagemoment")
    )
    state = models.CharField(
        _("stand"), max_length=20, choices=UpdateState.choices, default=UpdateState.DRAFT
    )
    return_reason = models.TextField(_("reden van terugsturen"), blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = who_did_it(_("laatst gewijzigd door"))
    submitted_at = models.DateTimeField(_("ingediend op"), null=True, blank=True)
    submitted_by = who_did_it(_("ingediend door"))
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    reviewed_by = who_did_it(_("beoordeeld door"))

    # Under four eyes (services.reviewed_models).
    four_eyes = True

    history = HistoricalRecords()

    class Meta(PeriodBoundModel.Meta):
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["period", "measure__plan__order", "measure__sort_key"]
        permissions = [("approve_measureupdate", _("Mag updates goedkeuren en terugsturen"))]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="update_unique_per_period",
                violation_error_message=_(
                    "Deze maatregel heeft in dit rapportagemoment al een update."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(state=UpdateState.RETURNED) | ~Q(return_reason=""),
                name="update_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} — {self.period}"

    @property
    def is_late(self) -> bool:
        """Still to be done by its owner after the period's deadline."""
        return self.state in UNFINISHED_STATES and self.period.deadline_passed

    def clean(self):
        check_same_programme(self)


class YearFigures(PeriodBoundModel):
    """Forecast and realisation of one year; PM as for targets. Volumes for measures
    steered on numbers of cases (Doorbraakmethode: planned and realised cases)."""

    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    forecast = models.BigIntegerField(
        _("verwachte besparing (€)"), null=True, blank=True, validators=amount_validators
    )
    forecast_is_pm = models.BooleanField(_("prognose PM"), default=False)
    realised = models.BigIntegerField(
        _("gerealiseerd (€)"),
        null=True,
        blank=True,
        validators=amount_validators,
        help_text=_("Harde besparing als het programma hard en zacht scheidt."),
    )
    realised_soft = models.BigIntegerField(
        _("gerealiseerd zacht (€)"), null=True, blank=True, validators=amount_validators
    )
    volume_planned = models.PositiveIntegerField(_("volume gepland"), null=True, blank=True)
    volume_realised = models.PositiveIntegerField(_("volume gerealiseerd"), null=True, blank=True)

    FIGURE_FIELDS = [
        "forecast",
        "forecast_is_pm",
        "realised",
        "realised_soft",
        "volume_planned",
        "volume_realised",
    ]

    period_path = "parent__period"
    organisation_path = "parent__period__programme__organisation"

    class Meta(PeriodBoundModel.Meta):
        abstract = True
        ordering = ["parent", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "year"],
                name="%(class)s_unique_year",
                violation_error_message=_("Voor dit jaar zijn al cijfers ingevuld."),
            ),
            models.CheckConstraint(
                condition=Q(forecast_is_pm=False) | Q(forecast__isnull=True),
                name="%(class)s_pm_or_amount",
            ),
        ]

    @property
    def is_empty(self) -> bool:
        return not self.forecast_is_pm and all(
            getattr(self, name) is None for name in self.FIGURE_FIELDS if name != "forecast_is_pm"
        )


class AssessmentYear(YearFigures):
    parent = models.ForeignKey(
        Assessment, models.CASCADE, related_name="years", verbose_name=_("beoordeling")
    )
    history = HistoricalRecords()

    class Meta(YearFigures.Meta):
        verbose_name = _("jaarcijfers beoordeling")
        verbose_name_plural = _("jaarcijfers beoordeling")

    def __str__(self) -> str:
        return f"{self.parent} {self.year}"


class UpdateYear(YearFigures):
    parent = models.ForeignKey(
        MeasureUpdate, models.CASCADE, related_name="years", verbose_name=_("update")
    )
    history = HistoricalRecords()

    class Meta(YearFigures.Meta):
        verbose_name = _("jaarcijfers update")
        verbose_name_plural = _("jaarcijfers update")

    def __str__(self) -> str:
        return f"{self.parent} {self.year}"


class TargetRevision(models.Model):
    """A council decision that changed a target: the measure's yearly target or the
    programme's savings task. The first revision keeps the original amount."""

    year_target = models.ForeignKey(
        YearTarget,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("taakstelling maatregel"),
    )
    savings_task = models.ForeignKey(
        SavingsTask,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("taakstelling programma"),
    )
    previous_amount = models.BigIntegerField(_("oud bedrag (€)"), null=True, blank=True)
    previous_is_pm = models.BooleanField(_("oud bedrag PM"), default=False)
    new_amount = models.BigIntegerField(_("nieuw bedrag (€)"), null=True, blank=True)
    new_is_pm = models.BooleanField(_("nieuw bedrag PM"), default=False)
    reason = models.TextField(_("reden"))
    decision_reference = models.CharField(_("besluitnummer"), max_length=50)
    decided_on = models.DateField(_("besluitdatum"))
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("vastgelegd door"),
    )

    # A revision belongs to a measure's target or to the programme's task.
    organisation_path = (
        "year_target__measure__programme__organisation",
        "savings_task__programme__organisation",
    )
    objects = scoped_manager()

    class Meta:
        verbose_name = _("herziening taakstelling")
        verbose_name_plural = _("herzieningen taakstelling")
        ordering = ["decided_on", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_target__isnull=True, savings_task__isnull=False)
                | Q(year_target__isnull=False, savings_task__isnull=True),
                name="revision_of_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="revision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_reference}: {self.year_target or self.savings_task}"


class GroupMembershipChange(models.Model):
    """A user added to or removed from a group, that is a role, with who and when.

    Roles decide who may change and approve the figures, so their changes are kept like
    the figures' own history (written by measures.audit.record_group_membership). Names
    are copied, so the log still reads after a user or group is deleted.
    """

    class Action(models.TextChoices):
        ADDED = "added", _("toegevoegd")
        REMOVED = "removed", _("verwijderd")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gebruiker"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150)
    group = models.ForeignKey(
        "auth.Group", models.SET_NULL, null=True, related_name="+", verbose_name=_("rol")
    )
    group_name = models.CharField(_("naam rol"), max_length=150)
    action = models.CharField(_("wijziging"), max_length=10, choices=Action.choices)
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now, db_index=True)
    changed_by = who_did_it(_("gewijzigd door"))

    class Meta:
        verbose_name = _("wijziging rol")
        verbose_name_plural = _("wijzigingen rollen")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username}: {self.get_action_display()} {self.group_name}"
