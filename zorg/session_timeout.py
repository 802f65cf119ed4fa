"""Sessions end after SESSION_IDLE_TIMEOUT without a request and SESSION_ABSOLUTE_TIMEOUT
after the login, however active the user is (BIO; ASVS 3.3).

Both moments are kept in the session as Unix timestamps: the login time is written by
the user_logged_in receiver, the last activity by the middleware. Writing the session on
every request would cost a query per page, so the last activity is only moved on once it
is ACTIVITY_RESOLUTION old; the idle timeout may therefore run up to that much longer.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

LOGGED_IN_AT = "koersmonitor_logged_in_at"
LAST_ACTIVITY = "koersmonitor_last_activity"
ACTIVITY_RESOLUTION = 60  # seconds


@receiver(user_logged_in, dispatch_uid="zorg.session_timeout.start_clocks")
def start_clocks(sender, request, user, **kwargs):
    now = time.time()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_ACTIVITY] = now


def expiry_message(session, now: float) -> str | None:
    """Why this session has ended, or None while it may go on."""
    idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
    lifetime = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    logged_in_at = session.get(LOGGED_IN_AT)
    last_activity = session.get(LAST_ACTIVITY)
    if logged_in_at is None or last_activity is None:
        # A session from before these clocks: its age is unknown, so it has ended.
        return _("Uw sessie is verlopen. Log opnieuw in om verder te gaan.")
    if now - logged_in_at > lifetime:
        hours = round(lifetime / 3600)
        return _(
            "U bent uitgelogd omdat u al %(hours)s uur was ingelogd. "
            "Log opnieuw in om verder te gaan."
        ) % {"hours": hours}
    if now - last_activity > idle:
        minutes = round(idle / 60)
        return ngettext(
            "U bent uitgelogd omdat u %(minutes)s minuut niets heeft gedaan. "
            "Log opnieuw in om verder te gaan.",
            "U bent uitgelogd omdat u %(minutes)s minuten niets heeft gedaan. "
            "Log opnieuw in om verder te gaan.",
            minutes,
        ) % {"minutes": minutes}
    return None


class SessionTimeoutMiddleware:
    """Logs out an expired session and sends the user to the login page with the reason.

    Sits after the authentication and message middleware: it needs request.user and
    leaves its message for the login page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            message = expiry_message(request.session, now)
            if message is not None:
                logout(request)
                messages.warning(request, message)
                return redirect_to_login(request.get_full_path())
            if now - request.session[LAST_ACTIVITY] >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)
