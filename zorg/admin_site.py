"""The one admin site: in Dutch, without a login page of its own, with history pages that
cannot save (measures.admin_base.HistoryAdmin, enforced by a system check) and an owner
autocomplete for whoever may change the model that holds the field."""

from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core import checks
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from simple_history.admin import SimpleHistoryAdmin

from measures.admin_base import AutocompleteView, HistoryAdmin
from measures.roles import STAFF_ROLES


def _not_found(request, opts, object_id):
    raise Http404(_("Deze pagina bestaat niet."))


class AdminSite(admin.AdminSite):
    site_header = _("Koersmonitor beheer")
    site_title = _("Koersmonitor")
    index_title = _("Gegevens beheren")

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Send everyone to the app's login page, the one with the lockout (zorg/lockout.py)
        and the Dutch messages, and back here afterwards. It never logs in itself, so a
        second login form cannot be used to get around either."""
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or index
        if request.method == "GET" and self.has_permission(request):
            return redirect(index)
        return redirect_to_login(next_url)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin answers 404 for an object it cannot find, instead of Django's
        redirect with "<model> with ID … doesn't exist": an object of another
        organisation is outside the admin's (scoped) queryset and must look exactly like
        one that does not exist, on every admin page."""
        super().register(model_or_iterable, admin_class, **options)
        for model_admin in self._registry.values():
            model_admin._get_obj_does_not_exist_redirect = _not_found

    def has_permission(self, request):
        """The admin is for the staff roles (measures.roles.STAFF_ROLES) held in the
        organisation the user works in, and for superusers; the is_staff flag does not
        decide it, since a role is held per organisation."""
        user = request.user
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        workplace = getattr(request, "workplace", None)
        return bool(workplace and workplace.roles & {role.value for role in STAFF_ROLES})

    def admin_view(self, view, cacheable=False):
        """Every admin page keeps the site's policy (no inline script), except that inline
        styles are allowed: the admin's own scripts (select2 for the autocompletes, the
        inline formsets' "add another") build elements with inline styles, which
        'style-src self' would strip. A style cannot run script; the app's own pages keep
        the strict policy."""
        view = csp_update({"style-src": ["'unsafe-inline'"]})(view)
        return super().admin_view(view, cacheable)

    def autocomplete_view(self, request):
        return AutocompleteView.as_view(admin_site=self)(request)

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
