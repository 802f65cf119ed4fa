"""Sign-in through the municipality's identity provider with OpenID Connect.

mozilla-django-oidc runs the authorization code flow (with PKCE, state and nonce); this
module decides who the person is in Koersmonitor. It is off unless OIDC_RP_CLIENT_ID is
set (zorg/settings.py); the README's "Inloggen via OpenID Connect" lists the settings.

Who: the account is the one whose username is the value of OIDC_USERNAME_CLAIM ("sub" by
default; Entra ID's "oid" works as well). Both are stable and unique at the provider,
unlike an e-mail address or a display name, which people change and which a provider
may let its users choose. An account made here has no usable password. A local account
with a password (or a superuser) of the same name is never taken over: such a sign-in
is refused.

Where: the organisation is the one whose CBS code is in OIDC_ORGANISATION_CLAIM. Without
that claim, it is the organisation whose claim mapping (IdentityProviderMapping) knows one
of the person's groups or roles; if that gives several, the sign-in is refused rather
than guessed.

What: the roles are the values of OIDC_ROLE_CLAIMS that are a role's name ("controller")
and the roles the organisation's mapping gives for the others. The identity provider is
the source of the roles in that organisation: at every sign-in the account's roles there
become exactly these (missing ones added, others removed). Roles in other organisations
are never touched.

Refused, with the reason on the login page, and nothing created or changed: an unknown
organisation, no role, a name taken by a local account, a blocked account.
django-axes keeps working: its backend comes first and refuses a locked-out client; a
refusal here is not a wrong password and is not counted.
"""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from measures.constants import Role

from .middleware import SESSION_KEY
from .models import IdentityProviderMapping, Membership, Organisation
from .scoping import organisation_scope, unscoped

logger = logging.getLogger(__name__)

# Settings that may come from the provider's discovery document, and their keys there.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
DISCOVERY_CACHE_SECONDS = 3600
# Why a role changed, in the memberships' history.
HISTORY_REASON = "Inloggen via OpenID Connect"


def provider_setting(name: str) -> str:
    """An endpoint of the provider: from the settings, else from its discovery document.
    Read when first needed, so a provider that is down never stops a local login."""
    value = getattr(settings, name, "")
    if value or not settings.OIDC_OP_DISCOVERY_URL:
        return value
    key = f"oidc-discovery:{settings.OIDC_OP_DISCOVERY_URL}"
    document = cache.get(key)
    if document is None:
        response = requests.get(settings.OIDC_OP_DISCOVERY_URL, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document.get(DISCOVERED[name], "")


class SignInRefused(Exception):
    """The provider vouched for the person, but Koersmonitor does not let them in."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def claim_values(claims: dict, names) -> list[str]:
    """The values of the claims `names`, each a string or a list of strings."""
    values = []
    for name in names:
        value = claims.get(name)
        if isinstance(value, str):
            values.append(value)
        elif isinstance(value, list):
            values.extend(item for item in value if isinstance(item, str))
    return values


def organisation_of(claims: dict, values: list[str]) -> Organisation:
    """The organisation the sign-in is for (see the module's docstring)."""
    code = claims.get(settings.OIDC_ORGANISATION_CLAIM)
    if code:
        organisation = Organisation.all_organisations.filter(cbs_code=str(code)).first()
        if organisation is None:
            raise SignInRefused(_("Uw organisatie is niet bekend in Koersmonitor."))
        return organisation
    # Every organisation's mapping: the one that knows these groups is to be found.
    with unscoped():
        ids = set(
            IdentityProviderMapping.objects.filter(claim_value__in=values).values_list(
                "organisation", flat=True
            )
        )
    if not ids:
        raise SignInRefused(_("Uw organisatie is niet bekend in Koersmonitor."))
    if len(ids) > 1:
        raise SignInRefused(
            _(
                "Uw account hoort bij meer dan één organisatie in Koersmonitor. Vraag uw "
                "beheerder om uw organisatie mee te geven bij het inloggen."
            )
        )
    return Organisation.all_organisations.get(pk=ids.pop())


def roles_in(organisation: Organisation, values: list[str]) -> set[str]:
    """The roles `values` give in `organisation`: role names, and the mapping's roles."""
    roles = {value for value in values if value in Role.values}
    with organisation_scope(organisation):
        roles.update(
            IdentityProviderMapping.objects.filter(claim_value__in=values).values_list(
                "role", flat=True
            )
        )
    return roles


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, deciding account, organisation and roles from the
    claims (see the module's docstring). It answers no permission questions:
    zorg.auth.ModelBackend does, from the roles in the active organisation."""

    def __init__(self, *args, **kwargs):
        # Not the parent's: it reads every endpoint, which could mean asking the provider
        # for its discovery document during a local password login.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request, **kwargs):
        # Only the callback view's call (it passes the session's nonce and PKCE verifier);
        # never a password login, whatever its query string holds.
        if "code_verifier" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, completed by the userinfo endpoint's where there is one:
        Entra ID puts groups and roles in the ID token only."""
        claims = dict(payload)
        if provider_setting("OIDC_OP_USER_ENDPOINT"):
            userinfo = super().get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") == payload.get("sub"):
                claims = {**userinfo, **claims}
        return claims

    def verify_claims(self, claims):
        return bool(claims.get(settings.OIDC_USERNAME_CLAIM))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            logger.warning("OIDC sign-in without the claim %s", settings.OIDC_USERNAME_CLAIM)
            return None
        values = claim_values(claims, settings.OIDC_ROLE_CLAIMS)
        organisation = organisation_of(claims, values)
        roles = roles_in(organisation, values)
        if not roles:
            raise SignInRefused(
                _("U hebt geen rol in Koersmonitor; vraag uw beheerder om toegang.")
            )
        with transaction.atomic():
            user = self.account(claims)
            self.set_roles(user, organisation, roles)
        user.oidc_organisation = organisation
        return user

    def account(self, claims):
        username = str(claims[settings.OIDC_USERNAME_CLAIM])[:150]
        user = self.UserModel.objects.select_for_update().filter(username=username).first()
        if user is None:
            user = self.UserModel(username=username)
            user.set_unusable_password()
        elif user.has_usable_password() or user.is_superuser:
            raise SignInRefused(
                _(
                    "Er is al een account met deze gebruikersnaam dat met een wachtwoord "
                    "inlogt. Log daarmee in, of vraag uw beheerder om hulp."
                )
            )
        elif not user.is_active:
            raise SignInRefused(_("Uw account is geblokkeerd; vraag uw beheerder om hulp."))
        user.email = claims.get("email", "") or ""
        user.first_name = (claims.get("given_name") or "")[:150]
        user.last_name = (claims.get("family_name") or "")[:150]
        user.save()
        return user

    @staticmethod
    def set_roles(user, organisation, roles: set[str]) -> None:
        """The user's roles in `organisation` become `roles`; other organisations' stay.
        The history names the person signing in, and why their roles changed."""
        held = {
            membership.role: membership
            for membership in Membership.all_memberships.filter(
                user=user, organisation=organisation
            )
        }
        removed = [membership for role, membership in held.items() if role not in roles]
        added = [
            Membership(user=user, organisation=organisation, role=role)
            for role in sorted(roles - held.keys())
        ]
        for membership in removed + added:
            membership._history_user = user
            membership._change_reason = HISTORY_REASON
        for membership in removed:
            membership.delete()
        for membership in added:
            membership.save()

    def get_user(self, user_id):
        # Django's rule, not the parent's: a blocked account's session ends.
        return ModelBackend.get_user(self, user_id)

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()


def refuse(request, message: str) -> HttpResponseRedirect:
    messages.error(request, message)
    return HttpResponseRedirect(reverse("login"))


def provider_unreachable(request, error) -> HttpResponseRedirect:
    logger.warning("OIDC provider unreachable or refusing: %s", error)
    return refuse(
        request,
        _(
            "De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het later "
            "opnieuw, of log in met uw gebruikersnaam en wachtwoord van Koersmonitor."
        ),
    )


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider's login page. 404 while OIDC is off."""

    def __init__(self, **kwargs):
        # Not the parent's: it reads the endpoint before dispatch can answer 404.
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    OIDC_OP_AUTH_ENDPOINT = property(
        lambda self: provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
    )

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except requests.RequestException as error:
            return provider_unreachable(request, error)


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signs in, or returns to the login page
    with the reason. The active organisation becomes the one of the claims."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            return super().dispatch(request, *args, **kwargs)
        except SignInRefused as refusal:
            return refuse(request, refusal.message)
        except requests.RequestException as error:
            return provider_unreachable(request, error)

    def login_failure(self):
        return refuse(
            self.request,
            _(
                "Inloggen via uw organisatie is niet gelukt. Probeer het opnieuw, of vraag "
                "uw beheerder om hulp."
            ),
        )

    def login_success(self):
        response = super().login_success()
        self.request.session[SESSION_KEY] = self.user.oidc_organisation.pk
        return response


class LoginView(auth_views.LoginView):
    """Django's login page, with the button for the identity provider when OIDC is on."""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "oidc_enabled": settings.OIDC_ENABLED}
