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


class RenderedReport(models.Model):
    """A draft report's PDF rendered in the background (reports.tasks), kept per period and
    data version: asking again for unchanged data returns it without rendering.

    The data version is the SHA-256 of the print HTML built with a fixed build moment,
    and of the stylesheets it is printed with (reports.tasks.data_version): the same
    data gives the same version, any change in what the report shows gives another. Only
    the last few versions of a period are kept (reports.tasks.KEEP_VERSIONS). A row is
    written whole in one transaction, or not at all.
    """

    period = models.ForeignKey(
        ReportingPeriod,
        models.CASCADE,
        related_name="rendered_reports",
        verbose_name=_("rapportagemoment"),
    )
    data_version = models.CharField(_("gegevensversie (SHA-256)"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    page_count = models.PositiveIntegerField(_("aantal pagina's"))
    built_at = models.DateTimeField(_("gebouwd op"))

    organisation_path = "period__programme__organisation"
    objects = scoped_manager()

    class Meta:
        verbose_name = _("gemaakt concept-rapport")
        verbose_name_plural = _("gemaakte concept-rapporten")
        ordering = ["-built_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "data_version"], name="rendered_report_period_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} ({self.data_version[:12]})"
