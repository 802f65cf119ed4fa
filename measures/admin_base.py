"""The admin site's own rules, kept here once for every model admin.

`settings.INSTALLED_APPS` names `measures.apps.AdminConfig`, whose default site is
`AdminSite` below, so `django.contrib.admin.site` (and every `@admin.register`) is this
site.
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import flatten_fieldsets
from django.core import checks
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """A model admin with django-simple-history's history pages, read-only for everybody.

    simple_history's page of one past version (`history_form_view`) saves a POST from
    anyone who may view the object; SIMPLE_HISTORY_REVERT_DISABLED only hides its button.
    A manager could so change an approved assessment, and a controller approve their own
    update. Reverting is not a feature of Koersmonitor: changes go through the change form
    or the workflow services, which check roles, four eyes and closed periods. Every model
    admin with history uses this class; `AdminSite.check` refuses one that does not.
    """

    object_history_form_template = "admin/history_version.html"

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

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


class AdminSite(admin.AdminSite):
    def check(self, app_configs):
        errors = super().check(app_configs)
        for model_admin in self._registry.values():
            if app_configs is not None and model_admin.opts.app_config not in app_configs:
                continue
            if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(
                model_admin, HistoryAdmin
            ):
                errors.append(
                    checks.Error(
                        "A model admin with history must use measures.admin_base.HistoryAdmin, "
                        "whose history pages cannot save.",
                        obj=type(model_admin),
                        id="koersmonitor.E001",
                    )
                )
        return errors
