"""Writes to an organisation that touch more than its own row."""

from django.db import transaction

from .logo import CleanLogo
from .models import Organisation, OrganisationLogo


@transaction.atomic
def set_logo(*, organisation: Organisation, logo: CleanLogo) -> None:
    """Store `logo` (checked and re-encoded by organisations.logo) as the organisation's;
    the checksum on the organisation changes with it, which the history records."""
    OrganisationLogo.all_logos.update_or_create(
        organisation=organisation,
        defaults={
            "content": logo.content,
            "content_type": logo.content_type,
            "width": logo.width,
            "height": logo.height,
            "checksum": logo.checksum,
        },
    )
    organisation.logo_checksum = logo.checksum
    organisation.save(update_fields=["logo_checksum"])


@transaction.atomic
def remove_logo(*, organisation: Organisation) -> None:
    OrganisationLogo.all_logos.filter(organisation=organisation).delete()
    organisation.logo_checksum = ""
    organisation.save(update_fields=["logo_checksum"])
