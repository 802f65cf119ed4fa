"""Who wants which e-mails, and which deadline reminders went out (so that running the
reminders twice on a day sends nothing twice)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.scoping import scoped_manager


class NotificationSettings(models.Model):
    """A user's choice of e-mails. A user without a row gets every e-mail: the page
    "Mijn instellingen" writes the row when they first change something."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("gebruiker"),
    )
    workflow_mails = models.BooleanField(
        _("e-mail over updates"),
        default=True,
        help_text=_(
            "Als een update wordt ingediend (voor controllers), teruggestuurd of "
            "goedgekeurd (voor de eigenaar)."
        ),
    )
    reminder_mails = models.BooleanField(
        _("herinneringen voor de uiterste invoerdatum"),
        default=True,
        help_text=_(
            "Een paar dagen voor en op de uiterste invoerdatum, zolang er nog updates "
            "bij te werken zijn."
        ),
    )

    class Meta:
        verbose_name = _("instellingen meldingen")
        verbose_name_plural = _("instellingen meldingen")

    def __str__(self) -> str:
        return str(self.user)


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("voor de uiterste invoerdatum")
    DUE = "due", _("op de uiterste invoerdatum")


class SentReminder(models.Model):
    """One deadline reminder sent to one owner for one period. Unique per deadline, so a
    second run sends nothing again, and a moved deadline gets its own reminders."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("gebruiker")
    )
    period = models.ForeignKey(
        "measures.ReportingPeriod",
        models.CASCADE,
        related_name="+",
        verbose_name=_("rapportagemoment"),
    )
    kind = models.CharField(_("soort"), max_length=10, choices=ReminderKind.choices)
    deadline = models.DateField(_("uiterste invoerdatum"))
    sent_on = models.DateField(_("verstuurd op"))
    update_count = models.PositiveIntegerField(_("aantal updates"))

    organisation_path = "period__programme__organisation"
    objects = scoped_manager()

    class Meta:
        verbose_name = _("verstuurde herinnering")
        verbose_name_plural = _("verstuurde herinneringen")
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period", "kind", "deadline"], name="reminder_sent_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.period} {self.kind} {self.sent_on}"
