"""Money of a programme chapter: what it was budgeted to cost and what it cost.

- TaskField: the Iv3 taakvelden (6.1 Samenkracht en burgerparticipatie, …), the same for
  every municipality: shared reference data, loaded by migration.
- Product: a budget product (Venlo's collegeproducten, Enschede's products under the
  doelenboom) of a programme, optionally under a goal or theme, with its taakveld. A
  savings measure names the products whose lasten it lowers (`Product.measures`).
- BudgetFigure: one amount in whole euros: of a product (or a taakveld, or the programme
  as a whole), a year, a category (lasten, baten, storting or onttrekking reserve,
  optionally of a named reserve) and a column (begroting primair, na wijziging,
  prognose, realisatie), as a reporting period states it: a row of that period, frozen
  when it closes, with its history.
- StatementLayout: how one organisation prints its "Wat heeft het gekost?" table (which
  saldo, which columns, which row labels in which order) and its financiële
  verordening's threshold for explaining a difference. Code never decides these.
- VarianceExplanation: why the result differs from the budget, per period: a label, the
  products it concerns, a signed amount (voordeel positive) and a text, under four eyes.

Every sum of these amounts is made in budgets.statement; budgets.data loads the rows.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chapters.models import Reviewed, Theme, returned_has_reason
from measures.audit import HistoriedQuerySet
from measures.models import (
    MAX_AMOUNT,
    Goal,
    Measure,
    PeriodBoundModel,
    Programme,
    ReportingPeriod,
    year_validators,
)
from organisations.scoping import scoped_manager

amount_validators = [MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)]


class Category(models.TextChoices):
    """What an amount is. Lasten and storting lower the result, baten and onttrekking
    raise it (budgets.statement.FAVOURABLE_SIGN)."""

    LASTEN = "lasten", _("Lasten")
    BATEN = "baten", _("Baten")
    STORTING = "storting", _("Storting reserve")
    ONTTREKKING = "onttrekking", _("Onttrekking reserve")


class Column(models.TextChoices):
    """Which figure of a year: the budget as adopted, as amended, the forecast during the
    year, the realisation in the accounts."""

    PRIMAIR = "primair", _("Begroting primair")
    NA_WIJZIGING = "na_wijziging", _("Begroting na wijziging")
    PROGNOSE = "prognose", _("Prognose")
    REALISATIE = "realisatie", _("Realisatie")


class TaskField(models.Model):
    """An Iv3 taakveld (Informatie voor derden), as the BBV numbers them."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = HistoriedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("taakveld")
        verbose_name_plural = _("taakvelden")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Product(models.Model):
    """A budget product of a programme: where lasten and baten are booked."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="products", verbose_name=_("programma")
    )
    name = models.CharField(_("naam"), max_length=200)
    code = models.CharField(
        _("code"), max_length=30, blank=True, help_text=_("De productcode in de begroting.")
    )
    task_field = models.ForeignKey(
        TaskField,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("taakveld"),
    )
    goal = models.ForeignKey(
        Goal,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("doel"),
    )
    theme = models.ForeignKey(
        Theme,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("thema"),
    )
    measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="products",
        verbose_name=_("besparingsmaatregelen"),
        help_text=_("De maatregelen die de lasten van dit product moeten verlagen."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ["programme", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"],
                name="product_unique_name",
                violation_error_message=_("Dit programma heeft al een product met deze naam."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        errors = {}
        if self.programme_id:
            if self.goal_id and self.goal.programme_id != self.programme_id:
                errors["goal"] = _("Dit doel hoort bij een ander programma.")
            if self.theme_id and self.theme.programme_id != self.programme_id:
                errors["theme"] = _("Dit thema hoort bij een ander programma.")
        if self.theme_id and self.goal_id and self.theme.goal_id not in (None, self.goal_id):
            errors["theme"] = _("Dit thema valt onder een ander doel.")
        if errors:
            raise ValidationError(errors)

    @property
    def goal_of(self):
        """The goal it falls under: its own, or its theme's."""
        if self.goal_id:
            return self.goal
        return self.theme.goal if self.theme_id else None


DUPLICATE_FIGURE = _(
    "Dit rapportagemoment heeft dit bedrag al (zelfde product, jaar, soort en kolom)."
)


class BudgetFigure(PeriodBoundModel):
    """An amount in whole euros as a reporting period states it.

    It belongs to a product, or (when the ledger has no product) to a taakveld, or to the
    programme as a whole: `product` set means `task_field` empty, since a product brings
    its own taakveld. `reserve` names the reserve of a storting or onttrekking where the
    report distinguishes them."""

    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="budget_figures",
        verbose_name=_("vermeld in"),
        help_text=_("Het rapportagemoment dat dit bedrag noemt."),
    )
    product = models.ForeignKey(
        Product,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("product"),
    )
    task_field = models.ForeignKey(
        TaskField,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("taakveld"),
    )
    year = models.PositiveSmallIntegerField(_("jaar"), validators=year_validators)
    category = models.CharField(_("soort"), max_length=20, choices=Category.choices)
    reserve = models.CharField(_("reserve"), max_length=200, blank=True)
    column = models.CharField(_("kolom"), max_length=20, choices=Column.choices)
    amount = models.BigIntegerField(_("bedrag in euro's"), validators=amount_validators)
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
        verbose_name = _("begrotingsbedrag")
        verbose_name_plural = _("begrotingsbedragen")
        ordering = ["period", "product__order", "product__name", "year", "category", "column"]
        permissions = [("import_budgetfigures", _("Mag begrotingsbedragen importeren"))]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "product", "year", "category", "reserve", "column"],
                condition=Q(product__isnull=False),
                name="budget_figure_unique_product",
                violation_error_message=DUPLICATE_FIGURE,
            ),
            models.UniqueConstraint(
                fields=["period", "task_field", "year", "category", "reserve", "column"],
                condition=Q(product__isnull=True, task_field__isnull=False),
                name="budget_figure_unique_task_field",
                violation_error_message=DUPLICATE_FIGURE,
            ),
            models.UniqueConstraint(
                fields=["period", "year", "category", "reserve", "column"],
                condition=Q(product__isnull=True, task_field__isnull=True),
                name="budget_figure_unique_programme",
                violation_error_message=DUPLICATE_FIGURE,
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=True) | Q(task_field__isnull=True),
                name="budget_figure_product_or_task_field",
                violation_error_message=_(
                    "Een bedrag van een product heeft het taakveld van dat product."
                ),
            ),
        ]

    def __str__(self) -> str:
        owner = self.product or self.task_field or _("programma")
        return f"{owner} {self.year} {self.get_category_display()} {self.get_column_display()}"

    def clean(self):
        errors = {}
        if self.product_id and self.task_field_id:
            errors["task_field"] = _(
                "Een bedrag van een product heeft het taakveld van dat product."
            )
        if (
            self.product_id
            and self.period_id
            and self.product.programme_id != self.period.programme_id
        ):
            errors["product"] = _("Dit product hoort bij een ander programma.")
        if self.reserve and self.category not in (Category.STORTING, Category.ONTTREKKING):
            errors["reserve"] = _("Alleen een storting of onttrekking noemt een reserve.")
        if errors:
            raise ValidationError(errors)


class Saldo(models.TextChoices):
    """Which way an organisation prints a saldo; the differences (voordeel positive) do
    not depend on it."""

    BATEN_MINUS_LASTEN = "baten_min_lasten", _("Baten min lasten (Venlo)")
    LASTEN_MINUS_BATEN = "lasten_min_baten", _("Lasten min baten (Enschede)")


class StatementRow(models.TextChoices):
    """The rows a "Wat heeft het gekost?" table can have."""

    LASTEN = "lasten", _("Lasten")
    BATEN = "baten", _("Baten")
    SALDO = "saldo", _("Saldo van baten en lasten")
    STORTING = "storting", _("Storting reserves")
    ONTTREKKING = "onttrekking", _("Onttrekking reserves")
    SALDO_RESERVES = "saldo_reserves", _("Saldo van mutaties reserves")
    RESULT = "resultaat", _("Resultaat")


class StatementColumn(models.TextChoices):
    """The columns a "Wat heeft het gekost?" table can have."""

    PRIMAIR = "primair", _("Begroting primair")
    NA_WIJZIGING = "na_wijziging", _("Begroting na wijziging")
    PROGNOSE = "prognose", _("Prognose")
    REALISATIE = "realisatie", _("Realisatie")
    PERCENTAGE = "percentage", _("Percentage")
    DIFFERENCE = "verschil", _("Verschil")


def default_rows():
    return [[row.value, str(row.label)] for row in StatementRow]


def default_columns():
    return [
        [StatementColumn.PRIMAIR.value, "Begroting primair {year}"],
        [StatementColumn.NA_WIJZIGING.value, "Begroting na wijziging {year}"],
        [StatementColumn.REALISATIE.value, "Realisatie {year}"],
        [StatementColumn.DIFFERENCE.value, "Verschil"],
    ]


class StatementLayout(models.Model):
    """An organisation's choices for its statement and its variance threshold.

    `rows` and `columns` are lists of [code, label] in the order printed; a label may say
    {year} (the period's year) and {name} (the product or programme). The threshold is the
    financiële verordening's: a product's difference must be explained when it is at
    least `threshold_amount` euros and, when `threshold_percent` is set, at least that
    share of the product's budgeted lasten ("5% with a floor of € 15.000": 5 and 15000;
    "a fixed € 100.000": empty and 100000)."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        models.CASCADE,
        related_name="statement_layout",
        verbose_name=_("organisatie"),
    )
    title = models.CharField(_("titel"), max_length=200, default="Wat heeft het gekost?")
    saldo = models.CharField(
        _("saldo"), max_length=20, choices=Saldo.choices, default=Saldo.LASTEN_MINUS_BATEN
    )
    rows = models.JSONField(_("rijen"), default=default_rows)
    columns = models.JSONField(_("kolommen"), default=default_columns)
    budget_column = models.CharField(
        _("begroting voor het verschil"),
        max_length=20,
        choices=Column.choices,
        default=Column.NA_WIJZIGING,
    )
    show_product_boxes = models.BooleanField(
        _("begroot en realisatie per product tonen"),
        default=False,
        help_text=_("Venlo's kaders 'Begroot vs Realisatie' per product."),
    )
    threshold_percent = models.DecimalField(
        _("drempel in procenten"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Deel van de begrote lasten van het product; leeg: alleen het bedrag."),
    )
    threshold_amount = models.BigIntegerField(
        _("drempel in euro's"),
        default=100_000,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
        help_text=_("Het kleinste verschil dat een toelichting vraagt (of de ondergrens)."),
    )

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opmaak van de financiële verantwoording")
        verbose_name_plural = _("opmaak van de financiële verantwoording")

    def __str__(self) -> str:
        return str(self.organisation)

    def clean(self):
        errors = {}
        for name, choices in (("rows", StatementRow), ("columns", StatementColumn)):
            value = getattr(self, name)
            if (
                not isinstance(value, list)
                or not value
                or not all(
                    isinstance(item, list)
                    and len(item) == 2
                    and item[0] in choices.values
                    and isinstance(item[1], str)
                    for item in value
                )
            ):
                errors[name] = _("Geef een lijst van [code, kop]-paren; codes: %(codes)s.") % {
                    "codes": ", ".join(choices.values)
                }
            elif len({item[0] for item in value}) != len(value):
                errors[name] = _("Elke code mag één keer voorkomen.")
        if errors:
            raise ValidationError(errors)


class VarianceExplanation(Reviewed):
    """Why the result differs from the budget: "Centrumtaak WMO/Beschermd wonen, 2,3
    miljoen voordeel". Its amount is signed, voordeel positive, in whole euros."""

    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="variance_explanations",
        verbose_name=_("rapportagemoment"),
    )
    products = models.ManyToManyField(
        Product,
        related_name="variance_explanations",
        verbose_name=_("producten"),
        help_text=_("De producten waarvan deze toelichting het verschil verklaart."),
    )
    label = models.CharField(_("onderwerp"), max_length=200)
    amount = models.BigIntegerField(
        _("bedrag in euro's"),
        validators=amount_validators,
        help_text=_("Positief is voordeel, negatief nadeel."),
    )
    text = models.TextField(_("toelichting"), blank=True)
    approved_label = models.CharField(_("goedgekeurd onderwerp"), max_length=200, blank=True)
    approved_amount = models.BigIntegerField(
        _("goedgekeurd bedrag"), null=True, blank=True, validators=amount_validators
    )
    approved_text = models.TextField(_("goedgekeurde toelichting"), blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    CONTENT_FIELDS = ["label", "amount", "text"]

    history = HistoricalRecords(m2m_fields=[products])

    class Meta(Reviewed.Meta):
        verbose_name = _("toelichting op een afwijking")
        verbose_name_plural = _("toelichtingen op afwijkingen")
        ordering = ["period", "order", "pk"]
        constraints = [
            returned_has_reason("variance_explanation_returned_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.label} — {self.period}"

    @property
    def subject(self):
        return self

    @property
    def subject_id(self):
        return self.pk

    def incomplete(self) -> dict[str, str]:
        errors = {}
        if not self.text.strip():
            errors["text"] = _("Schrijf de toelichting voordat u hem indient.")
        if self.pk is None or not self.products.exists():
            errors["products"] = _(
                "Kies de producten waarvan deze toelichting het verschil verklaart."
            )
        return errors

    def can_be_updated_by(self, user) -> bool:
        """Whoever may write explanations (the financial adviser, a controller)."""
        if not user.is_authenticated:
            return False
        return user.has_perm("budgets.change_varianceexplanation")


class LedgerCode(models.Model):
    """What a code of the financial system's ledger export stands for in this
    organisation: one product or one taakveld. The ledger import looks a code up here
    first; a code that is a taakveld's code, or a product's exact name, needs no row."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.CASCADE,
        related_name="ledger_codes",
        verbose_name=_("organisatie"),
    )
    code = models.CharField(
        _("grootboekcode"),
        max_length=50,
        help_text=_("De code zoals het financiële systeem hem in de export zet."),
    )
    product = models.ForeignKey(
        Product,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="ledger_codes",
        verbose_name=_("product"),
    )
    task_field = models.ForeignKey(
        TaskField,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_codes",
        verbose_name=_("taakveld"),
    )

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grootboekcode")
        verbose_name_plural = _("grootboekcodes")
        ordering = ["organisation", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                name="ledger_code_unique",
                violation_error_message=_("Deze grootboekcode is al gekoppeld."),
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=True, task_field__isnull=False)
                | Q(product__isnull=False, task_field__isnull=True),
                name="ledger_code_product_or_task_field",
                violation_error_message=_("Koppel de code aan een product óf aan een taakveld."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.product or self.task_field}"

    @property
    def target(self):
        return self.product or self.task_field

    def clean(self):
        errors = {}
        self.code = (self.code or "").strip()
        if bool(self.product_id) == bool(self.task_field_id):
            errors["product"] = _("Koppel de code aan een product óf aan een taakveld.")
        elif (
            self.product_id
            and self.organisation_id
            and self.product.programme.organisation_id != self.organisation_id
        ):
            errors["product"] = _("Dit product hoort bij een andere organisatie.")
        if errors:
            raise ValidationError(errors)
