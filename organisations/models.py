"""Organisations (gemeenten), the regions they work in, and who works for which.

An organisation is the boundary of all data: programmes, status scales, periods,
imports, reports and roles belong to one (see organisations.scoping). A user account is
the installation's; what the user may do is a role held in an organisation
(`Membership`), so a regional team member can be controller in one municipality and
invoerder in another.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from measures.audit import HistoriedQuerySet
from measures.constants import Role

from . import theme
from .scoping import scoped_manager, unscoped

cbs_code_validator = RegexValidator(
    r"^\d{4}$", _("Een CBS-gemeentecode bestaat uit vier cijfers, zoals 0141.")
)
colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Geef een kleur als # met zes tekens 0-9 of a-f, zoals #1d0857.")
)


def colour_field(token: theme.Token) -> models.CharField:
    return models.CharField(
        token.label,
        max_length=7,
        default=token.default,
        validators=[colour_validator],
        help_text=format_lazy(
            _("NL Design System: {names}. Standaard {default}."),
            names=", ".join(token.nl_design_system[:2]),
            default=token.default,
        ),
    )


class Organisation(models.Model):
    """A municipality (gemeente) using Koersmonitor."""

    name = models.CharField(
        _("naam"),
        max_length=200,
        unique=True,
        help_text=_('Zoals hij in rapporten staat, bijvoorbeeld "Gemeente Enschede".'),
        error_messages={"unique": _("Er is al een organisatie met deze naam.")},
    )
    short_name = models.CharField(
        _("korte naam"),
        max_length=60,
        unique=True,
        help_text=_('Voor de kopregel en de keuzelijst, bijvoorbeeld "Enschede".'),
        error_messages={"unique": _("Er is al een organisatie met deze korte naam.")},
    )
    cbs_code = models.CharField(
        _("CBS-gemeentecode"),
        max_length=4,
        unique=True,
        validators=[cbs_code_validator],
        error_messages={"unique": _("Er is al een organisatie met deze CBS-code.")},
    )
    slug = models.SlugField(
        _("adres"),
        max_length=60,
        unique=True,
        help_text=_("Het deel van de webadressen, bijvoorbeeld enschede."),
        error_messages={"unique": _("Er is al een organisatie met dit adres.")},
    )

    # Only an active organisation has public pages (reports.public): one that stopped
    # using Koersmonitor, or is not yet ready to publish, shows nothing to the world.
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Alleen een actieve organisatie heeft openbare rapporten."),
    )

    # The look (organisations.theme): colour tokens, checked for contrast in clean().
    primary_color = colour_field(theme.TOKENS[0])
    primary_text_color = colour_field(theme.TOKENS[1])
    primary_hover_color = colour_field(theme.TOKENS[2])
    header_background = colour_field(theme.TOKENS[3])
    header_text_color = colour_field(theme.TOKENS[4])
    nav_background = colour_field(theme.TOKENS[5])
    link_color = colour_field(theme.TOKENS[6])
    link_hover_color = colour_field(theme.TOKENS[7])
    focus_color = colour_field(theme.TOKENS[8])
    # The logo's bytes are in OrganisationLogo, read only by the logo's own view and the
    # report; the page header needs no more than this: whether there is one, and its
    # version for the URL. Kept in the history, so who changed the logo when is recorded.
    logo_checksum = models.CharField(_("logo (controlegetal)"), max_length=64, blank=True)

    organisation_path = ""
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["short_name"]
        # Django's own lookups (a foreign key's descriptor, the admin's object history)
        # use the plain manager; it is only reached from an object found in scope.
        base_manager_name = "all_organisations"

    all_organisations = HistoriedQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name

    @property
    def theme_values(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in theme.TOKEN_FIELDS}

    @property
    def theme_version(self) -> str:
        """Changes whenever a token does: the stylesheet's URL and ETag."""
        values = "".join(self.theme_values.values()).lower()
        return hashlib.sha256(values.encode()).hexdigest()[:16]

    @property
    def logo_version(self) -> str:
        return self.logo_checksum[:16]

    def clean(self):
        super().clean()
        for field in theme.TOKEN_FIELDS:
            value = getattr(self, field)
            if isinstance(value, str):
                setattr(self, field, value.strip().lower())
        problems = theme.contrast_problems(self.theme_values)
        if problems:
            raise ValidationError(problems)

    def validate_unique(self, exclude=None):
        # Names and codes are unique across the installation, so they are checked against
        # every organisation, not only those of the active scope.
        with unscoped():
            super().validate_unique(exclude)


class OrganisationLogo(models.Model):
    """An organisation's logo: a PNG or JPEG as organisations.logo re-encoded it, shown in
    the page header (organisations.views.logo) and on a report's cover."""

    organisation = models.OneToOneField(
        Organisation,
        models.CASCADE,
        primary_key=True,
        related_name="logo",
        verbose_name=_("organisatie"),
    )
    content = models.BinaryField(_("afbeelding"))
    content_type = models.CharField(
        _("soort"),
        max_length=20,
        choices=[("image/png", "PNG"), ("image/jpeg", "JPEG")],
    )
    width = models.PositiveIntegerField(_("breedte"))
    height = models.PositiveIntegerField(_("hoogte"))
    checksum = models.CharField(_("controlegetal"), max_length=64)

    organisation_path = "organisation"
    # The logo view and the report read the logo of an organisation found by other means.
    all_logos = models.QuerySet.as_manager()
    objects = scoped_manager()

    class Meta:
        verbose_name = _("logo")
        verbose_name_plural = _("logo's")
        base_manager_name = "all_logos"
        # The scoped manager is the default, whatever the order above.
        default_manager_name = "objects"

    def __str__(self) -> str:
        return _("Logo %(organisation)s") % {"organisation": self.organisation_id}


class Membership(models.Model):
    """A role a user holds in an organisation. A user may hold several, in one
    organisation or in several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships", verbose_name=_("organisatie")
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    # Read by user, before any scope exists (organisations.middleware.Workplace).
    all_memberships = HistoriedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rol in organisatie")
        verbose_name_plural = _("rollen in organisaties")
        ordering = ["organisation", "user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message=_("Deze gebruiker heeft deze rol hier al."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s: %(role)s bij %(organisation)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "organisation": self.organisation.short_name,
        }


class Region(models.Model):
    """Municipalities that work together, such as Twente; one member may be the
    centrumgemeente for named tasks (beschermd wonen, maatschappelijke opvang)."""

    name = models.CharField(
        _("naam"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("Er is al een regio met deze naam.")},
    )
    members = models.ManyToManyField(
        Organisation,
        through="RegionMember",
        related_name="regions",
        verbose_name=_("leden"),
    )

    objects = HistoriedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]
        # Not Django's view_region: that one would open the admin's list of every
        # region, while this one reads only the regions of one's own organisation
        # (organisations.region_views).
        permissions = [("view_region_overview", _("Mag de regiopagina lezen"))]

    def __str__(self) -> str:
        return self.name


class RegionMember(models.Model):
    region = models.ForeignKey(
        Region, models.CASCADE, related_name="memberships", verbose_name=_("regio")
    )
    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        related_name="region_memberships",
        verbose_name=_("organisatie"),
    )
    is_centre = models.BooleanField(_("centrumgemeente"), default=False)
    centre_tasks = models.CharField(
        _("taken als centrumgemeente"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: beschermd wonen en maatschappelijke opvang."),
    )

    objects = HistoriedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lid van de regio")
        verbose_name_plural = _("leden van de regio")
        ordering = ["region", "organisation__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "organisation"],
                name="region_member_unique",
                violation_error_message=_("Deze organisatie is al lid van deze regio."),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_centre=True),
                name="region_one_centre",
                violation_error_message=_("Deze regio heeft al een centrumgemeente."),
            ),
            models.CheckConstraint(
                condition=Q(is_centre=True) | Q(centre_tasks=""),
                name="region_tasks_only_for_centre",
                violation_error_message=_("Alleen een centrumgemeente heeft centrumtaken."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.organisation.short_name}"


class IdentityProviderMapping(models.Model):
    """A value the organisation's identity provider puts in its tokens (an Entra ID group's
    object id, an application role) and the role it grants in this organisation, for
    sign-in through OpenID Connect (organisations.oidc). A beheerder keeps these in the
    admin; a role name itself ("controller") needs no row."""

    organisation = models.ForeignKey(
        Organisation,
        models.CASCADE,
        related_name="identity_provider_mappings",
        verbose_name=_("organisatie"),
    )
    claim_value = models.CharField(
        _("groep of rol bij de identity provider"),
        max_length=200,
        help_text=_(
            "Precies zoals hij in het token staat, bijvoorbeeld de object-id van een groep in "
            "Entra ID (8c1e…) of de naam van een app-rol."
        ),
    )
    role = models.CharField(_("rol in Koersmonitor"), max_length=20, choices=Role.choices)

    organisation_path = "organisation"
    objects = scoped_manager(HistoriedQuerySet)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("koppeling met de identity provider")
        verbose_name_plural = _("koppelingen met de identity provider")
        ordering = ["organisation", "claim_value", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "claim_value", "role"],
                name="identity_provider_mapping_unique",
                violation_error_message=_("Deze groep geeft hier deze rol al."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(value)s geeft %(role)s") % {
            "value": self.claim_value,
            "role": self.get_role_display(),
        }
