"""The admin's own rules, kept here once for every model admin: history pages that
cannot save, and the owner autocomplete. The site that uses them is zorg/admin_site.py.
"""

from django.contrib.admin import helpers
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from organisations.scoping import in_scope, members

from .keys import can_be_key


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin with django-simple-history's history pages, read-only for everybody.

    simple_history's page of one past version (`history_form_view`) saves a POST from
    anyone who may view the object; SIMPLE_HISTORY_REVERT_DISABLED only hides its button.
    So a manager could change an approved assessment, and a controller approve their own
    update. Reverting is not a feature of Koersmonitor: changes go through the change form
    or the workflow services, which check roles, four eyes and closed periods. Every model
    admin with history uses this class; `AdminSite.check` refuses one that does not.
    """

    object_history_form_template = "admin/history_version.html"

    def history_view(self, request, object_id, extra_context=None):
        if not (
            can_be_key(self.model, object_id) and self._of_this_organisation(request, object_id)
        ):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        if not (can_be_key(self.model, object_id) and can_be_key(self.model, version_id)):
            raise Http404
        if not self._of_this_organisation(request, object_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _of_this_organisation(self, request, object_id) -> bool:
        """simple_history shows the history of a row that no longer exists from its last
        version, without the admin's queryset: so the row, or that last version, must
        belong to the organisation the user works in."""
        if self.get_queryset(request).filter(pk=object_id).exists():
            return True
        key = {self.model._meta.pk.attname: object_id}
        last = self.model.history.filter(**key).order_by("-history_date").first()
        return last is not None and in_scope(last.instance)

    def revert_disabled(self, request, obj=None):
        return True

    def history_view_title(self, request, obj):
        return _("Geschiedenis van %s") % obj

    def history_form_view_title(self, request, obj):
        return _("Eerdere versie van %s") % obj

    def render_history_view(self, request, template, context, **kwargs):
        # A past version is shown as values, not as inputs that look editable.
        if "adminform" in context:
            shown = context["adminform"]
            fieldsets = list(shown.fieldsets)
            context["adminform"] = helpers.AdminForm(
                shown.form,
                fieldsets,
                {},
                readonly_fields=flatten_fieldsets(fieldsets),
                model_admin=self,
            )
        return super().render_history_view(request, template, context, **kwargs)


def user_label(user) -> str:
    """How a user is named in a list to pick from: name and username."""
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class AutocompleteView(AutocompleteJsonView):
    """Django's admin autocomplete, except for a field that points to a user.

    Django gives the list to whoever may view the target model's admin: for users that is
    the user admin, which a controller may not see, so they could not pick a measure's
    owner; and it lists what the user admin lists. For a field pointing to a user, the
    list is for whoever may add or change the model holding the field, through a model
    admin that offers that field as an autocomplete; it holds active users only, named
    and searched by name, never by e-mail address.
    """

    def points_to_user(self) -> bool:
        return self.source_field.related_model is get_user_model()

    def has_perm(self, request, obj=None):
        if not self.points_to_user():
            return super().has_perm(request, obj)
        try:
            source_admin = self.admin_site.get_model_admin(self.source_field.model)
        except NotRegistered:
            return False
        if self.source_field.name not in source_admin.get_autocomplete_fields(request):
            return False
        return source_admin.has_add_permission(request) or source_admin.has_change_permission(
            request
        )

    def get_queryset(self):
        if not self.points_to_user():
            return super().get_queryset()
        users = (
            members()
            .filter(is_active=True)
            .complex_filter(self.source_field.get_limit_choices_to())
        )
        for word in self.term.split():
            users = users.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
            )
        return users.order_by("first_name", "last_name", "username")

    def serialize_result(self, obj, to_field_name):
        if not self.points_to_user():
            return super().serialize_result(obj, to_field_name)
        return {"id": str(getattr(obj, to_field_name)), "text": user_label(obj)}
