"""The rest of a programme chapter besides its savings measures: themes (programmalijnen)
under goals, action points and projects with a status per period, and the texts of each
period (ambitie, terugblik, behaalde resultaten, …).

What is written per period is under four eyes like a measure's update: a row per period
holds the working copy (`heading`/`body`, or `status`/`explanation`) with its place in
the workflow, and the approved copy (`approved_…`) that pages and reports show. Both are
rows of the period (measures.models.PeriodBoundModel): frozen when the period closes.
Opening a period starts every row from the previous period's approved copy
(chapters.services.carry_over).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.audit import HistoriedQuerySet
from measures.constants import UpdateState
from measures.models import (
    Goal,
    Measure,
    PeriodBoundModel,
    Programme,
    ReportingPeriod,
    StatusLevel,
    who_did_it,
)
from organisations.scoping import scoped_manager

number_validator = re.compile(r"\A[0-9]{1,3}[a-z]?\Z")


def number_sort_key(number: str) -> str:
    """A sortable key for a number as the seeds print them: 9 before 10, 11 before 11a."""
    match = re.match(r"(\d+)(.*)", number or "")
    if match is None:
        return number or ""
    return match.group(1).zfill(5) + match.group(2)


def check_number(number: str) -> None:
    if number and not number_validator.match(number):
        raise ValidationError(
            {"number": _("Een nummer bestaat uit cijfers met eventueel één letter: 11 of 11a.")}
        )


class Theme(models.Model):
    """A line of work under a goal (Enschede's nine themes) or directly under the
    programme (Hengelo's programme lines "Thuis in de buurt", "Maatwerk zorg")."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="themes", verbose_name=_("programma")
    )
    goal = models.ForeignKey(
        Goal,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="themes",
        verbose_name=_("doel"),
    )
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    sort_key = models.CharField(max_length=20, editable=False, db_index=True)
    title = models.CharField(_("titel"), max_length=300)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["programme", "order", "sort_key", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "title"],
                name="theme_unique_title",
                violation_error_message=_("Dit programma heeft al een thema met deze titel."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def clean(self):
        check_number(self.number)
        if self.goal_id and self.programme_id and self.goal.programme_id != self.programme_id:
            raise ValidationError({"goal": _("Dit doel hoort bij een ander programma.")})


class ActionPointKind(models.TextChoices):
    ACTION_POINT = "actiepunt", _("Actiepunt")
    PROJECT = "project", _("Project")


class ActionPoint(models.Model):
    """Work without a money target of its own, numbered as the report numbers it (1–30,
    11a), under a theme or a goal; it may carry savings measures (a project covering MP2 1
    and 2). Its status per period is an ActionPointStatus."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="action_points", verbose_name=_("programma")
    )
    goal = models.ForeignKey(
        Goal,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("doel"),
    )
    theme = models.ForeignKey(
        Theme,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("thema"),
    )
    kind = models.CharField(
        _("soort"),
        max_length=20,
        choices=ActionPointKind.choices,
        default=ActionPointKind.ACTION_POINT,
    )
    number = models.CharField(_("nummer"), max_length=10, blank=True)
    sort_key = models.CharField(max_length=20, editable=False, db_index=True)
    title = models.CharField(_("titel"), max_length=500)
    description = models.TextField(_("omschrijving"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="action_points",
        verbose_name=_("eigenaar"),
    )
    measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="action_points",
        verbose_name=_("maatregelen"),
        help_text=_("De besparingsmaatregelen die dit actiepunt of project draagt."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")
        ordering = ["programme", "order", "sort_key", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                condition=~Q(number=""),
                name="action_point_unique_number",
                violation_error_message=_("Dit programma heeft al een actiepunt met dit nummer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def clean(self):
        check_number(self.number)
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

    def can_be_updated_by(self, user) -> bool:
        """As for a measure: its owner, or someone who approves."""
        if not user.is_authenticated:
            return False
        if user.has_perm("measures.approve_measureupdate"):
            return True
        return user.has_perm("chapters.change_actionpointstatus") and self.owner_id == user.pk


class TextKind(models.TextChoices):
    """What a text answers, as the seeds head them."""

    AMBITION = "ambitie", _("Ambitie")
    SUMMARY = "samenvatting", _("Samenvatting")
    LOOKING_BACK = "terugblik", _("Terugblik")
    WHAT_WE_WANT = "wat_willen_we_bereiken", _("Wat willen we bereiken?")
    WHAT_WE_WANTED = "wat_wilden_we_bereiken", _("Wat wilden we bereiken?")
    WHAT_WE_ACHIEVED = "wat_hebben_we_bereikt", _("Wat hebben we bereikt?")
    WHAT_WE_DID = "wat_hebben_we_gedaan", _("Wat hebben we daarvoor gedaan?")
    RESULTS = "behaalde_resultaten", _("Behaalde resultaten")
    DEVELOPMENTS = "belangrijkste_ontwikkelingen", _("Belangrijkste ontwikkelingen")
    FUTURE = "betekenis_voor_de_toekomst", _("Betekenis voor de toekomst")
    EXPLANATION = "toelichting", _("Toelichting")
    ASSOCIATED_PARTIES = "verbonden_partijen", _("Bijdrage verbonden partijen")
    OTHER = "overig", _("Overige tekst")


class Text(models.Model):
    """A place in the chapter where a text is written each period: of a programme, and
    optionally of one goal, theme or action point. What it says in a period is its
    TextVersion."""

    programme = models.ForeignKey(
        Programme, models.CASCADE, related_name="texts", verbose_name=_("programma")
    )
    goal = models.ForeignKey(
        Goal, models.PROTECT, null=True, blank=True, related_name="texts", verbose_name=_("doel")
    )
    theme = models.ForeignKey(
        Theme, models.PROTECT, null=True, blank=True, related_name="texts", verbose_name=_("thema")
    )
    action_point = models.ForeignKey(
        ActionPoint,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="texts",
        verbose_name=_("actiepunt"),
    )
    kind = models.CharField(_("soort"), max_length=40, choices=TextKind.choices)
    heading = models.CharField(
        _("standaardkop"),
        max_length=300,
        blank=True,
        help_text=_("De kop waarmee een nieuw rapportagemoment begint; leeg: de soort."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="texts",
        verbose_name=_("schrijver"),
    )
    measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="texts",
        verbose_name=_("maatregelen"),
        help_text=_(
            "Besparingsmaatregelen waar deze tekst over gaat (één tekst kan er twee dekken)."
        ),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    organisation_path = "programme__organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tekst")
        verbose_name_plural = _("teksten")
        ordering = ["programme", "order", "pk"]

    def __str__(self) -> str:
        return self.heading or self.get_kind_display()

    def clean(self):
        errors = {}
        for name in ("goal", "theme", "action_point"):
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
        """Its writer, anyone who approves, and any invoerder when it has no writer."""
        if not user.is_authenticated:
            return False
        if user.has_perm("measures.approve_measureupdate"):
            return True
        if not user.has_perm("chapters.change_textversion"):
            return False
        return self.owner_id in (None, user.pk)


class Reviewed(PeriodBoundModel):
    """A row under four eyes in a period, as a measure's update is: its working copy, its
    place in the workflow, and its approved copy (measures.services.reviewed_models)."""

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
    approved_at = models.DateTimeField(_("goedgekeurd op"), null=True, blank=True)
    approved_by = who_did_it(_("goedgekeurd door"))

    four_eyes = True
    # The foreign key to what the row is about (None: the row is its own subject).
    subject_link: str | None = None
    # The working fields; each has its approved copy `approved_<name>`.
    CONTENT_FIELDS: list[str] = []

    class Meta(PeriodBoundModel.Meta):
        abstract = True

    @property
    def subject(self):
        raise NotImplementedError

    def incomplete(self) -> dict[str, str]:
        """What the row lacks before it can be submitted, by field; empty when nothing."""
        raise NotImplementedError

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


def returned_has_reason(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=~Q(state=UpdateState.RETURNED) | ~Q(return_reason=""), name=name
    )


class TextVersion(Reviewed):
    """What a text says in a period: heading and body, as written and as approved.

    The body is plain text (chapters.body): paragraphs separated by an empty line, and
    lines starting with "- " forming a bullet list; never HTML."""

    text = models.ForeignKey(Text, models.PROTECT, related_name="versions", verbose_name=_("tekst"))
    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="text_versions",
        verbose_name=_("rapportagemoment"),
    )
    heading = models.CharField(_("kop"), max_length=300, blank=True)
    body = models.TextField(_("tekst"), blank=True)
    approved_heading = models.CharField(_("goedgekeurde kop"), max_length=300, blank=True)
    approved_body = models.TextField(_("goedgekeurde tekst"), blank=True)

    CONTENT_FIELDS = ["heading", "body"]
    subject_link = "text"

    history = HistoricalRecords()

    class Meta(Reviewed.Meta):
        verbose_name = _("tekst per rapportagemoment")
        verbose_name_plural = _("teksten per rapportagemoment")
        ordering = ["period", "text__order", "text_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["text", "period"],
                name="text_version_unique_per_period",
                violation_error_message=_(
                    "Deze tekst heeft in dit rapportagemoment al een versie."
                ),
            ),
            returned_has_reason("text_version_returned_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.text} — {self.period}"

    @property
    def subject(self):
        return self.text

    def incomplete(self) -> dict[str, str]:
        if not self.body.strip():
            return {"body": _("Schrijf de tekst voordat u hem indient.")}
        return {}

    @property
    def subject_id(self):
        return self.text_id

    def clean(self):
        if self.text_id and self.period_id and self.text.programme_id != self.period.programme_id:
            raise ValidationError(
                {"period": _("Dit rapportagemoment hoort bij een ander programma.")}
            )


class ActionPointStatus(Reviewed):
    """An action point's status in a period, on the programme's status scale, with its
    explanation ("Ad 8, 10 en 11a"), as reported and as approved."""

    action_point = models.ForeignKey(
        ActionPoint, models.PROTECT, related_name="statuses", verbose_name=_("actiepunt")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        models.PROTECT,
        related_name="action_point_statuses",
        verbose_name=_("rapportagemoment"),
    )
    status = models.ForeignKey(
        StatusLevel,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status"),
    )
    explanation = models.TextField(_("toelichting"), blank=True)
    approved_status = models.ForeignKey(
        StatusLevel,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurde status"),
    )
    approved_explanation = models.TextField(_("goedgekeurde toelichting"), blank=True)

    CONTENT_FIELDS = ["status", "explanation"]
    subject_link = "action_point"

    history = HistoricalRecords()

    class Meta(Reviewed.Meta):
        verbose_name = _("status van een actiepunt")
        verbose_name_plural = _("statussen van actiepunten")
        ordering = ["period", "action_point__order", "action_point__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_point", "period"],
                name="action_point_status_unique_per_period",
                violation_error_message=_(
                    "Dit actiepunt heeft in dit rapportagemoment al een status."
                ),
            ),
            returned_has_reason("action_point_status_returned_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.action_point} — {self.period}"

    @property
    def subject(self):
        return self.action_point

    def incomplete(self) -> dict[str, str]:
        if self.status_id is None:
            return {"status": _("Kies de status van het actiepunt.")}
        if not self.status.counts_as_on_course and not self.explanation.strip():
            return {
                "explanation": _("Licht toe waarom het actiepunt achterloopt en wat eraan gebeurt.")
            }
        return {}

    @property
    def subject_id(self):
        return self.action_point_id

    def clean(self):
        errors = {}
        if self.action_point_id and self.period_id:
            programme = self.period.programme
            if self.action_point.programme_id != programme.pk:
                errors["period"] = _("Dit rapportagemoment hoort bij een ander programma.")
            for name in ("status", "approved_status"):
                level = getattr(self, name)
                if level is not None and level.scale_id != programme.status_scale_id:
                    errors[name] = _("Deze status komt niet voor op de schaal van het programma.")
        if errors:
            raise ValidationError(errors)
