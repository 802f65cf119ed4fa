"""The organisation's look (its stylesheet of colour tokens and its logo) and switching the
organisation a user works in.

The stylesheet and the logo need a login, like every page (DESIGN.md): nothing shown
before the login uses them (the login page has no organisation yet and shows the default
look of koersmonitor.css), and serving them to anyone would tell anyone which
municipalities use this installation. A user gets those of the organisations they may
work in, and a 404 for any other slug. Both are cached by the browser: the page links
them with their version (`?v=`), so a changed look has a new URL; under that URL the
response may be kept a year, and it carries an ETag for a revalidation.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import theme
from .middleware import SESSION_KEY
from .models import OrganisationLogo

A_YEAR = 365 * 24 * 60 * 60


def _organisation(request, slug: str):
    """One of the organisations the user may work in (no query: the workplace has read
    them), or 404."""
    for organisation in request.workplace.organisations:
        if organisation.slug == slug:
            return organisation
    raise Http404(_("Deze organisatie bestaat niet of u werkt er niet."))


def _cached(request, response: HttpResponse, version: str) -> HttpResponse:
    etag = f'"{version}"'
    response["ETag"] = etag
    if request.GET.get("v") == version:
        response["Cache-Control"] = f"private, max-age={A_YEAR}, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return get_conditional_response(request, etag=etag, response=response)


@require_GET
def theme_css(request, slug: str):
    """The organisation's colour tokens as CSS custom properties (organisations.theme)."""
    organisation = _organisation(request, slug)
    response = HttpResponse(
        theme.stylesheet(organisation.theme_values), content_type="text/css; charset=utf-8"
    )
    return _cached(request, response, organisation.theme_version)


@require_GET
def logo(request, slug: str):
    """The organisation's logo, as organisations.logo re-encoded it; 404 without one."""
    organisation = _organisation(request, slug)
    stored = OrganisationLogo.all_logos.filter(organisation=organisation).first()
    if stored is None:
        raise Http404(_("Deze organisatie heeft geen logo."))
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = "inline"
    return _cached(request, response, stored.checksum[:16])


@require_POST
def switch(request):
    """Work in another organisation: one the user holds a role in (or any, for a
    superuser). Anything else is refused with a message and changes nothing. Back to the
    overview, or to `next` when that is a page of this site."""
    wanted = request.POST.get("organisation", "")
    allowed = {
        str(organisation.pk): organisation for organisation in request.workplace.organisations
    }
    target = _safe_next(request) or reverse("overview")
    organisation = allowed.get(wanted.strip())
    if organisation is None:
        current = request.organisation
        messages.error(
            request,
            _("U kunt niet wisselen naar die organisatie; u werkt nog in %(name)s.")
            % {"name": current.name if current else _("geen organisatie")},
        )
        return redirect(target)
    request.session[SESSION_KEY] = organisation.pk
    messages.success(request, _("U werkt nu in %(name)s.") % {"name": organisation.name})
    return redirect(target)


def _safe_next(request) -> str:
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""
