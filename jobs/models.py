"""A job: work a user asked for that runs in the background, with its progress.

The task engine is Django's tasks API (django-tasks; see jobs.services). Its own task
results say whether one attempt ran; a job is what the user waits for: which
organisation it belongs to, who asked, how far it is, the attempts so far, and where the
result is once it is done. The progress page reads this row and nothing else.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.scoping import scoped_manager


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.CASCADE,
        related_name="jobs",
        verbose_name=_("organisatie"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gevraagd door"),
    )
    kind = models.CharField(_("soort"), max_length=40)
    title = models.CharField(_("omschrijving"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    # What to run, so that a failed or stalled attempt can be enqueued again.
    task_path = models.CharField(_("taak"), max_length=200, editable=False)
    arguments = models.JSONField(_("argumenten"), default=list, editable=False)
    task_result_id = models.CharField(_("id van de poging"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("maximaal aantal pogingen"), default=3)
    done = models.PositiveIntegerField(_("gedaan"), default=0)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    step = models.CharField(_("stap"), max_length=300, blank=True)
    result_url = models.CharField(_("resultaat"), max_length=500, blank=True)
    message = models.TextField(_("melding"), blank=True)
    created_at = models.DateTimeField(_("gevraagd op"), auto_now_add=True)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    # Touched by every progress report: a running job whose heartbeat is old has lost its
    # worker (jobs.services.recover_stalled).
    heartbeat_at = models.DateTimeField(_("laatste teken van leven"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    organisation_path = "organisation"
    # The worker finds a job by its id before it knows the organisation (jobs.services).
    all_jobs = models.QuerySet.as_manager()
    objects = scoped_manager()

    class Meta:
        # The scoped manager is the default, whatever the order above.
        default_manager_name = "objects"
        base_manager_name = "all_jobs"
        verbose_name = _("achtergrondtaak")
        verbose_name_plural = _("achtergrondtaken")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is not known."""
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
