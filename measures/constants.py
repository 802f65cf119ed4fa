from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyDomain(models.TextChoices):
    WMO = "wmo", _("Wmo")
    JEUGD = "jeugd", _("Jeugd")
    PARTICIPATIE = "participatie", _("Participatie")
    BREED = "breed", _("Sociaal domein breed")


class PeriodKind(models.TextChoices):
    BEGROTING = "begroting", _("Begroting")
    VOORJAARSNOTA = "voorjaarsnota", _("Voorjaarsnota")
    TUSSENRAPPORTAGE = "tussenrapportage", _("Tussenrapportage")
    NAJAARSRAPPORTAGE = "najaarsrapportage", _("Najaarsrapportage")
    JAARVERANTWOORDING = "jaarverantwoording", _("Jaarverantwoording")
    MIDTERM_REVIEW = "midterm_review", _("Midterm review")


class StatusIcon(models.TextChoices):
    """Icons a status level can carry; each is drawn next to its label, never alone."""

    SMILEY = "smiley", _("Blij gezicht")
    FROWN = "frown", _("Bedroefd gezicht")
    NEUTRAL = "neutral", _("Neutraal gezicht")
    CHECK = "check", _("Vinkje")
    CROSS = "cross", _("Kruis")
    WARNING = "warning", _("Waarschuwing")
    ARROW_UP = "arrow_up", _("Pijl omhoog")
    DASH = "dash", _("Streepje")


class UpdateState(models.TextChoices):
    """Where a measure's update for a period is in the four-eyes workflow."""

    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend")
    APPROVED = "approved", _("Goedgekeurd")
    RETURNED = "returned", _("Teruggestuurd")


# An update still to be done by its owner: after the deadline it is late ("te laat").
UNFINISHED_STATES = (UpdateState.DRAFT, UpdateState.RETURNED)


class Role(models.TextChoices):
    """The roles a user holds in an organisation (organisations.models.Membership); each
    is defined by the Django group of its name (measures.roles)."""

    INVOERDER = "invoerder", _("Invoerder")
    CONTROLLER = "controller", _("Controller")
    MANAGER = "manager", _("Manager")
    BEHEERDER = "beheerder", _("Beheerder")


# The earliest and latest year any target, task or horizon may name.
MIN_YEAR = 2000
MAX_YEAR = 2100
