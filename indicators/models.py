"""Indicators: measured figures with a unit, a direction and values per year.

- NationalIndicator: the mandatory BBV policy indicators (Besluit begroting en
  verantwoording), the same for every municipality: shared reference data, with a
  definition per range of years. An organisation's Indicator that names one takes its
  name, unit and source from it, so a municipality only enters scores.
- Indicator: an organisation's own indicator, or its use of a national one, in a
  programme, optionally under a goal or theme. A composite indicator has parts (Hengelo's
  "eigen kracht": three percentages); each value then belongs to a part.
- IndicatorValue: a value of a year, of kind streefwaarde, realisatie or nulmeting, as a
  reporting period stated it (Hengelo's "Begroting 2017" column): a row of that period,
  frozen when it closes. Values are Decimal; indicators.formatting shows them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chapters.models import Theme
from measures.audit import HistoriedQuerySet
from measures.models import Goal, PeriodBoundModel, Programme, ReportingPeriod, year_validators
from organisations.scoping import scoped_manager

MAX_DECIMALS = 4
DUPLICATE_VALUE = _("Deze indicator heeft in dit rapportagemoment al zo'n waarde voor dit jaar.")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Hoger is beter")
    LOWER = "lower", _("Lager is beter")
    NONE = "none", _("Geen richting")


class ValueKind(models.TextChoices):
    TARGET = "streefwaarde", _("Streefwaarde")
    ACTUAL = "realisatie", _("Realisatie")
    BASELINE = "nulmeting", _("Nulmeting")


class NationalIndicator(models.Model):
    """A mandatory BBV indicator as defined for the years `valid_from`–`valid_until`."""

    number = models.PositiveSmallIntegerField(_("nummer"))
    name = models.CharField(_("naam"), max_length=300)
    unit = models.CharField(_("eenheid"), max_length=100)
    source = models.CharField(_("bron"), max_length=200)
    policy_field = models.CharField(
        _("beleidsveld"), max_length=100, help_text=_("Bijvoorbeeld '6. Sociaal domein'.")
    )
    task_field = models.CharField(
        _("taakveld"), max_length=100, blank=True, help_text=_("Iv3-taakveld, bijvoorbeeld 6.1.")
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimalen"), default=1, validators=[MaxValueValidator(MAX_DECIMALS)]
    )
    direction = models.CharField(
        _("richting"), max_length=10, choices=Direction.choices, default=Direction.NONE
    )
    valid_from = models.PositiveSmallIntegerField(_("geldig vanaf"), validators=year_validators)
    valid_until = models.PositiveSmallIntegerField(
        _("geldig tot en met"), null=True, blank=True, validators=year_validators
    )

    objects = HistoriedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("BBV-indicator")
        verbose_name_plural = _("BBV-indicatoren")
        ordering = ["number", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "valid_from"],
                name="national_indicator_unique_definition",
                violation_error_message=_(
                    "Deze BBV-indicator heeft al een definitie vanaf dit jaar."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def clean(self):
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError(
                {"valid_until": _("Het laatste jaar kan niet voor het eerste jaar liggen.")}
            )


class Indicator(models.Model):
    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="indicators", verbose_name=_("programma")
    )
    goal = models.ForeignKey(
        Goal,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("doel"),
    )
    theme = models.ForeignKey(
        Theme,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("thema"),
    )
    national = models.ForeignKey(
        NationalIndicator,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="uses",
        verbose_name=_("BBV-indicator"),
        help_text=_("Naam, eenheid en bron komen dan uit de landelijke set."),
    )
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    name = models.CharField(_("naam"), max_length=500, blank=True)
    unit = models.CharField(
        _("eenheid"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld %, aantal, rapportcijfer."),
    )
    unit_year = models.PositiveSmallIntegerField(
        _("jaar van de eenheid"),
        null=True,
        blank=True,
        validators=year_validators,
        help_text=_(
            "Het jaar waarop de eenheid betrekking heeft, bijvoorbeeld het aantal "
            "inwoners van 2018 bij 'per 10.000 inwoners'."
        ),
    )
    decimals = models.PositiveSmallIntegerField(
        _("decimalen"), default=0, validators=[MaxValueValidator(MAX_DECIMALS)]
    )
    direction = models.CharField(
        _("richting"), max_length=10, choices=Direction.choices, default=Direction.NONE
    )
    source = models.CharField(_("bron"), max_length=200, blank=True)
    margin_note = models.TextField(_("foutmarge"), blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    is_discontinued = models.BooleanField(_("vervallen"), default=False)
    discontinued_note = models.CharField(
        _("vervallen per"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld 'Gemeentebegroting 2019-2022'."),
    )
    unit_after_value = models.BooleanField(
        _("eenheid achter de waarde"),
        default=False,
        help_text=_("Toon de eenheid bij elke waarde (76%) in plaats van in een eigen kolom."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("eigenaar"),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicatoren")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.display_name}" if self.number else self.display_name

    @property
    def display_name(self) -> str:
        return self.name or (self.national.name if self.national_id else "")

    @property
    def display_unit(self) -> str:
        return self.unit or (self.national.unit if self.national_id else "")

    @property
    def value_suffix(self) -> str:
        """What follows each value: "%" for 76%, or nothing when the unit has a column."""
        if not self.unit_after_value:
            return ""
        unit = self.display_unit
        return unit if unit == "%" else f" {unit}"

    @property
    def display_source(self) -> str:
        return self.source or (self.national.source if self.national_id else "")

    def clean(self):
        errors = {}
        if not self.name and not self.national_id:
            errors["name"] = _("Geef de indicator een naam, of kies een BBV-indicator.")
        for name in ("goal", "theme"):
            target = getattr(self, name)
            if (
                target is not None
                and self.programme_id
                and target.programme_id != self.programme_id
            ):
                errors[name] = _("Dit onderdeel hoort bij een ander programma.")
        if errors:
            raise ValidationError(errors)

    def can_be_updated_by(self, user) -> bool:
        if not user.is_authenticated:
            return False
        if user.has_perm("measures.approve_measureupdate"):
            return True
        return user.has_perm("indicators.change_indicatorvalue") and self.owner_id in (
            None,
            user.pk,
        )


class IndicatorPart(models.Model):
    """A part of a composite indicator, e.g. "kan ik me beter redden"."""

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="parts", verbose_name=_("indicator")
    )
    label = models.CharField(_("omschrijving"), max_length=300)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "indicator__programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deelindicator")
        verbose_name_plural = _("deelindicatoren")
        ordering = ["indicator", "order", "pk"]

    def __str__(self) -> str:
        return self.label


class IndicatorValue(PeriodBoundModel):
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    part = models.ForeignKey(
        IndicatorPart,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="values",
        verbose_name=_("deelindicator"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="indicator_values",
        verbose_name=_("vermeld in"),
        help_text=_("Het rapportagemoment dat deze waarde noemt."),
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    kind = models.CharField(_("soort"), max_length=20, choices=ValueKind.choices)
    value = models.DecimalField(_("waarde"), max_digits=16, decimal_places=MAX_DECIMALS)
    qualifier = models.CharField(
        _("kanttekening"), max_length=100, blank=True, help_text=_("Bijvoorbeeld 'cijfers 2016'.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("laatst gewijzigd door"),
    )

    history = HistoricalRecords()

    class Meta(PeriodBoundModel.Meta):
        verbose_name = _("indicatorwaarde")
        verbose_name_plural = _("indicatorwaarden")
        ordering = ["indicator", "part__order", "year", "kind"]
        permissions = [("import_indicatorvalues", _("Mag indicatorwaarden importeren"))]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "year", "kind"],
                condition=models.Q(part__isnull=True),
                name="indicator_value_unique",
                violation_error_message=DUPLICATE_VALUE,
            ),
            models.UniqueConstraint(
                fields=["indicator", "part", "period", "year", "kind"],
                condition=models.Q(part__isnull=False),
                name="indicator_part_value_unique",
                violation_error_message=DUPLICATE_VALUE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year} {self.get_kind_display()}"

    def clean(self):
        errors = {}
        if (
            self.indicator_id
            and self.period_id
            and self.indicator.programme_id != self.period.programme_id
        ):
            errors["period"] = _("Dit rapportagemoment hoort bij een ander programma.")
        if self.part_id and self.indicator_id and self.part.indicator_id != self.indicator_id:
            errors["part"] = _("Dit deel hoort bij een andere indicator.")
        if self.value is not None and self.indicator_id:
            exponent = -self.value.normalize().as_tuple().exponent
            if exponent > self.indicator.decimals:
                errors["value"] = _("Deze indicator heeft %(n)s decimalen.") % {
                    "n": self.indicator.decimals
                }
        if errors:
            raise ValidationError(errors)
