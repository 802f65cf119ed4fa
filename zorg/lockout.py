"""The two hooks django-axes calls when it counts failed logins (zorg/settings.py, AXES_*).

Failures are counted per username and client address; when a pair reaches the limit,
its logins are refused until the cool-off has passed, even with the right password.
"""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The address of the client, as the nearest trusted reverse proxy saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so
    behind REVERSE_PROXY_COUNT proxies the client is that many entries from the right.
    Anything further left was written by the client itself and is never trusted: else an
    attacker would pick a fresh address for every guess. Without proxies the header is
    ignored and REMOTE_ADDR is the client.
    """
    proxies = settings.REVERSE_PROXY_COUNT
    if proxies:
        forwarded = [
            address.strip()
            for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if address.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the lockout explained in Dutch instead of the form's
    own error, and 429 Too Many Requests for anything that reads the status."""
    view = LoginView()
    view.setup(request)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/login.html",
        {
            "form": AuthenticationForm(request),
            "next": view.get_redirect_url(),
            "locked_out": True,
            "cooloff_minutes": minutes,
            "oidc_enabled": settings.OIDC_ENABLED,
        },
        status=429,
    )
