"""What every admin page of an organisation's own data shares."""

from django.contrib import admin


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
