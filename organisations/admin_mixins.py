"""What every admin page of an organisation's own data shares."""

from django.contrib import admin
from django.contrib.auth import get_user_model

from .scoping import members


class OrganisationOwnedAdmin(admin.ModelAdmin):
    """For a model with an `organisation` field (a programme, a status scale): the field
    is never shown or chosen; a new object belongs to the organisation the user works in.
    The form validates with it set, so "unique within the organisation" is a message at
    the field, not a database error."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), "organisation"]

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)
        organisation = request.organisation

        class OrganisationOwnedForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if self.instance.organisation_id is None:
                    self.instance.organisation = organisation

            def _get_validation_exclusions(self):
                exclusions = super()._get_validation_exclusions()
                exclusions.discard("organisation")
                return exclusions

        return OrganisationOwnedForm


class MembersAsUsersAdmin(admin.ModelAdmin):
    """Every field that points to a user (an owner, a writer) offers and accepts only the
    members of the organisation the user works in (organisations.scoping.members): User
    is Django's own model, without a scoped manager, so its form field would otherwise
    take any account of the installation."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is get_user_model():
            kwargs["queryset"] = members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model is get_user_model():
            kwargs["queryset"] = members()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
