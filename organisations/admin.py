from django.contrib import admin

from measures.admin_base import HistoryAdmin

from .admin_mixins import OrganisationOwnedAdmin
from .models import IdentityProviderMapping


@admin.register(IdentityProviderMapping)
class IdentityProviderMappingAdmin(OrganisationOwnedAdmin, HistoryAdmin):
    """Which groups and roles of the identity provider grant which role here. The list is
    the active organisation's (the scoped manager); a new row belongs to it."""

    list_display = ["claim_value", "role"]
    list_filter = ["role"]
    search_fields = ["claim_value"]
