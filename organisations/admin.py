"""The organisation in the admin: a beheerder sets the look (colours, logo) of the
organisation they work in, and which identity-provider groups give which role there; only
a superuser adds or deletes organisations or changes what identifies one (name, CBS code,
address)."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from measures.admin_base import HistoryAdmin

from . import services
from .admin_memberships import MembershipAdmin
from .admin_mixins import OrganisationOwnedAdmin
from .logo import MAX_UPLOAD_BYTES, clean_logo
from .models import IdentityProviderMapping, Membership, Organisation
from .theme import TOKEN_FIELDS

IDENTITY_FIELDS = ["name", "short_name", "cbs_code", "slug", "is_active"]

admin.site.register(Membership, MembershipAdmin)


class OrganisationForm(forms.ModelForm):
    """The colours as plain text fields (#rrggbb), which every browser and screen reader
    handles alike, and the logo as an upload that organisations.logo checks and re-encodes.
    The contrast of the colours is checked by Organisation.clean, at the field concerned."""

    logo_upload = forms.FileField(
        label=_("Nieuw logo"),
        required=False,
        help_text=format_lazy(
            _("Een PNG- of JPEG-bestand van hoogstens {kb} kB."), kb=MAX_UPLOAD_BYTES // 1024
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Logo verwijderen"), required=False)

    class Meta:
        model = Organisation
        fields = [*IDENTITY_FIELDS, *TOKEN_FIELDS]
        widgets = {
            field: forms.TextInput(attrs={"size": 8, "spellcheck": "false", "autocomplete": "off"})
            for field in TOKEN_FIELDS
        }

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        return clean_logo(upload) if upload else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo_upload") and cleaned.get("remove_logo"):
            self.add_error(
                "remove_logo",
                gettext("Kies een nieuw logo of verwijder het logo, niet allebei."),
            )
        return cleaned


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    form = OrganisationForm
    list_display = ["name", "short_name", "cbs_code", "slug", "is_active"]
    search_fields = ["name", "short_name", "cbs_code"]
    fieldsets = [
        (_("Organisatie"), {"fields": IDENTITY_FIELDS}),
        (
            _("Kopregel en menu"),
            {"fields": ["header_background", "header_text_color", "nav_background"]},
        ),
        (_("Knoppen"), {"fields": ["primary_color", "primary_text_color", "primary_hover_color"]}),
        (_("Links en focus"), {"fields": ["link_color", "link_hover_color", "focus_color"]}),
        (_("Logo"), {"fields": ["current_logo", "logo_upload", "remove_logo"]}),
    ]

    def get_queryset(self, request):
        """A superuser manages every organisation; anyone else sees the one they work in
        (the scoped default manager)."""
        if request.user.is_superuser:
            return Organisation.all_organisations.all()
        return super().get_queryset(request)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return ["current_logo"]
        return [*IDENTITY_FIELDS, "current_logo"]

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=_("Huidig logo"))
    def current_logo(self, obj):
        if obj is None or not obj.logo_checksum:
            return gettext("Geen logo")
        url = reverse("organisations:logo", args=[obj.slug])
        return format_html(
            '<img src="{}?v={}" alt="{}" class="organisation-logo-preview">',
            url,
            obj.logo_version,
            gettext("Logo %(name)s") % {"name": obj.name},
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        logo = form.cleaned_data.get("logo_upload")
        if logo is not None:
            services.set_logo(organisation=obj, logo=logo)
        elif form.cleaned_data.get("remove_logo") and obj.logo_checksum:
            services.remove_logo(organisation=obj)


@admin.register(IdentityProviderMapping)
class IdentityProviderMappingAdmin(OrganisationOwnedAdmin):
    """Which groups and roles of the identity provider give which role here. The list is
    the active organisation's (the scoped manager); a new row belongs to it. Every change
    is kept in the model's history table, with who made it."""

    list_display = ["claim_value", "role"]
    list_filter = ["role"]
    search_fields = ["claim_value"]

    def get_form(self, request, obj=None, **kwargs):
        """A mapping grants its role to everyone in the group at their next sign-in, so a
        beheerder maps only to roles they hold here themselves, as in the user admin
        (measures/admin_users.py); a superuser maps to any."""
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser:
            held = request.workplace.roles
            field = form.base_fields["role"]
            field.choices = [(value, label) for value, label in field.choices if value in held]
        return form
