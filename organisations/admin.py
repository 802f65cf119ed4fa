from django.contrib import admin

from .admin_memberships import MembershipAdmin
from .admin_mixins import OrganisationOwnedAdmin
from .models import IdentityProviderMapping, Membership

admin.site.register(Membership, MembershipAdmin)


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
