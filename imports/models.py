"""The history of imports: who imported which file into what, when, and what it changed.

Each attempt is recorded, refused ones too. A preview keeps the uploaded file itself, so
that the confirmation applies exactly the file that was previewed (checked by its
checksum) without asking for it again; the file stays with the record as evidence of
what was imported. Files that could not be read are not kept.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import Programme, ReportingPeriod
from organisations.scoping import scoped_manager


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("Voorbeeld, niet uitgevoerd")
    APPLIED = "applied", _("Uitgevoerd")
    REFUSED = "refused", _("Geweigerd")


class ImportKind(models.TextChoices):
    """What a file brings in: each kind has its own pages, which show only their own."""

    MEASURES = "measures", _("Maatregelen")
    INDICATOR_VALUES = "indicator_values", _("Indicatorwaarden")
    BUDGET_FIGURES = "budget_figures", _("Begrotingsbedragen")


class ImportSource(models.TextChoices):
    PAGE = "page", _("Importpagina")
    ADMIN = "admin", _("Beheer")
    COMMAND = "command", _("Opdrachtregel")


def checksum_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


class ImportRecord(models.Model):
    # Its own link to the organisation: a refused file may name no programme.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.PROTECT,
        related_name="+",
        verbose_name=_("organisatie"),
    )
    created_at = models.DateTimeField(_("gestart op"), auto_now_add=True)
    applied_at = models.DateTimeField(_("uitgevoerd op"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    source = models.CharField(_("via"), max_length=20, choices=ImportSource.choices)
    kind = models.CharField(
        _("soort"), max_length=20, choices=ImportKind.choices, default=ImportKind.MEASURES
    )
    programme = models.ForeignKey(
        Programme,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programma"),
    )
    period = models.ForeignKey(
        ReportingPeriod,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapportagemoment"),
    )
    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_size = models.PositiveIntegerField(_("grootte (bytes)"))
    checksum = models.CharField(_("controlegetal (SHA-256)"), max_length=64)
    content = models.BinaryField(_("bestand"), null=True, blank=True, editable=False)
    status = models.CharField(_("uitkomst"), max_length=20, choices=ImportStatus.choices)
    unit = models.CharField(_("eenheid bedragen"), max_length=20, blank=True)
    counts = models.JSONField(_("aantallen"), default=dict, blank=True)
    problems = models.JSONField(_("fouten"), default=list, blank=True)
    notices = models.JSONField(_("opmerkingen"), default=list, blank=True)
    changes = models.JSONField(_("wijzigingen"), default=list, blank=True)
    # What the preview showed, to notice at confirmation that the data changed meanwhile.
    preview_digest = models.CharField(max_length=64, blank=True, editable=False)

    organisation_path = "organisation"
    objects = scoped_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        permissions = [("import_measures", _("Mag maatregelen importeren"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ImportStatus.APPLIED)
                | models.Q(applied_at__isnull=False),
                name="import_applied_has_moment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d-%m-%Y %H:%M})"

    @property
    def can_be_confirmed(self) -> bool:
        return self.status == ImportStatus.PREVIEW and self.content is not None

    def file_bytes(self) -> bytes:
        """The stored file, checked against its checksum: a preview is confirmed on
        exactly the bytes that were shown."""
        content = bytes(self.content or b"")
        if checksum_of(content) != self.checksum:
            raise ValueError("The stored import file does not match its checksum.")
        return content
