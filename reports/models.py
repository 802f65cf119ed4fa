"""A published report: the PDF (and web version) of a closed period, frozen.

Once a controller publishes the report of a closed reporting period, the bytes built at
that moment are what every later download returns, whatever changes in the data
afterwards. The checksum lets anyone verify a copy; the build moment is printed in the
report itself ("gebouwd op ...").
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.audit import HistoriedQuerySet
from measures.constants import PeriodKind
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


class ReportLayout(models.Model):
    """Which sections an organisation's report of one kind shows, in which order, under
    which headings: `sections` is a list of [key, heading] (reports.sections.KINDS; an
    empty heading takes the section's own). Without a layout a report shows the sequence
    of reports.sections.DEFAULT_LAYOUT.

    The layout is read when a report is built, also for a closed period: a published
    report keeps the bytes it was published with."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        models.CASCADE,
        related_name="report_layouts",
        verbose_name=_("organisatie"),
    )
    kind = models.CharField(_("soort rapportagemoment"), max_length=20, choices=PeriodKind.choices)
    sections = models.JSONField(_("onderdelen"))

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opbouw van het rapport")
        verbose_name_plural = _("opbouw van de rapporten")
        ordering = ["organisation", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                name="report_layout_unique_kind",
                violation_error_message=_(
                    "Deze organisatie heeft al een opbouw voor deze soort rapportagemoment."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()}"

    def clean(self):
        from .sections import layout_errors

        errors = layout_errors(self.sections)
        if errors:
            raise ValidationError({"sections": errors})


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
