"""The admin site, in Dutch, without a login page of its own."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache


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
