from django.contrib import admin


def site(request):
    """The organisation the user works in, and the others they may switch to."""
    workplace = getattr(request, "workplace", None)
    organisation = getattr(request, "organisation", None)
    return {
        "organisation": organisation,
        "municipality_name": organisation.name if organisation else "",
        "switchable_organisations": workplace.organisations if workplace else [],
        "can_use_admin": admin.site.has_permission(request),
    }
