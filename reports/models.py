"""A published report: the PDF (and web version) of a closed period, frozen.

Once a controller publishes the report of a closed reporting period, the bytes built at
that moment are what every later download returns, whatever changes in the data
afterwards. The checksum lets anyone verify a copy; the build moment is printed in the
report itself ("gebouwd op ...").
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from measures.models import ReportingPeriod
from organisations.scoping import scoped_manager


class PublishedReport(models.Model):
    period = models.OneToOneField(
        ReportingPeriod,
        models.PROTECT,
        related_name="published_report",
        verbose_name=_("rapportagemoment"),
    )
    pdf = models.BinaryField(_("PDF"))
    html = models.TextField(_("webversie (HTML)"))
    checksum = models.CharField(
        _("controlegetal (SHA-256)"), max_length=64, help_text=_("Van de PDF.")
    )
    page_count = models.PositiveIntegerField(_("aantal pagina's"))
    built_at = models.DateTimeField(_("gebouwd op"))
    # The data behind each table of the report, in whole euros, as published
    # (reports.open_data); None for a report published before it was stored.
    tables = models.JSONField(_("tabellen (open data)"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gepubliceerd door"),
    )

    organisation_path = "period__programme__organisation"
    objects = scoped_manager()

    class Meta:
        verbose_name = _("gepubliceerd rapport")
        verbose_name_plural = _("gepubliceerde rapporten")
        ordering = ["-built_at"]
        permissions = [("publish_report", _("Mag rapporten publiceren"))]

    def __str__(self) -> str:
        return str(self.period)

    @staticmethod
    def checksum_of(content: bytes) -> str:
        return hashlib.sha256(content).hexdigest()
