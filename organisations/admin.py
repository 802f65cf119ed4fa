from django.contrib import admin

from .admin_mixins import OrganisationOwnedAdmin
from .models import IdentityProviderMapping


@admin.register(IdentityProviderMapping)
class IdentityProviderMappingAdmin(OrganisationOwnedAdmin):
    """Which groups and roles of the identity provider give which role here. The list is
    the active organisation's (the scoped manager); a new row belongs to it. Every change
    is kept in the model's history table, with who made it."""

    list_display = ["claim_value", "role"]
    list_filter = ["role"]
    search_fields = ["claim_value"]
