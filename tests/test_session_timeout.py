"""A session ends after a spell of inactivity and after a fixed lifetime, whatever happens.

The clock is moved by writing older timestamps into the session, which the server then
reads on the next real request.
"""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.constants import UpdateState
from tests.workflow import update_of
from zorg.session_timeout import LAST_ACTIVITY, LOGGED_IN_AT

IDLE = "U bent uitgelogd omdat u 30 minuten niets heeft gedaan."
ABSOLUTE = "U bent uitgelogd omdat u al 10 uur was ingelogd."


def log_in(client, username="manager"):
    client.force_login(get_user_model().objects.get(username=username))


def age_session(client, *, idle=timedelta(0), since_login=timedelta(0)):
    """Pretend the last request was `idle` ago and the login `since_login` ago."""
    session = client.session
    now = time.time()
    session[LAST_ACTIVITY] = now - idle.total_seconds()
    session[LOGGED_IN_AT] = now - since_login.total_seconds()
    session.save()


def assert_logged_out_with(client, response, message, next_url):
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={next_url}"
    page = client.get(response["Location"])
    assert message in page.content.decode()
    # The session is gone: the next request starts anonymous, without the message.
    again = client.get(reverse("overview"))
    assert again.status_code == 302 and again["Location"].startswith(reverse("login"))


def test_idle_past_the_timeout_logs_out_with_a_dutch_message(almelo, client):
    log_in(client)
    age_session(client, idle=timedelta(minutes=31))
    response = client.get(reverse("periods"))
    assert_logged_out_with(client, response, IDLE, reverse("periods"))


def test_activity_within_the_idle_timeout_keeps_the_session_alive(almelo, client):
    log_in(client)
    age_session(client, idle=timedelta(minutes=29))
    assert client.get(reverse("overview")).status_code == 200
    # The request counts as activity: the idle clock starts again.
    assert client.session[LAST_ACTIVITY] > time.time() - 60
    assert client.get(reverse("overview")).status_code == 200


def test_past_the_absolute_lifetime_logs_out_even_when_active(almelo, client):
    log_in(client)
    age_session(client, idle=timedelta(minutes=1), since_login=timedelta(hours=10, minutes=1))
    response = client.get(reverse("overview"))
    assert_logged_out_with(client, response, ABSOLUTE, reverse("overview"))


def test_just_within_the_absolute_lifetime_the_session_holds(almelo, client):
    log_in(client)
    age_session(client, idle=timedelta(minutes=1), since_login=timedelta(hours=9, minutes=59))
    assert client.get(reverse("overview")).status_code == 200


def test_the_admin_logs_out_too(almelo, client):
    log_in(client, "controller")
    age_session(client, idle=timedelta(hours=1))
    url = reverse("admin:measures_measure_changelist")
    assert_logged_out_with(client, client.get(url), IDLE, url)


def test_an_expired_session_cannot_act(almelo, client):
    log_in(client, "controller")
    update = update_of("Aanpassing PGB tarieven")
    assert update.state == UpdateState.SUBMITTED
    age_session(client, idle=timedelta(minutes=45))
    response = client.post(reverse("approvals"), {"update": [update.pk]})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    update.refresh_from_db()
    assert update.state == UpdateState.SUBMITTED


def test_the_timeouts_follow_the_settings(almelo, client, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    log_in(client)
    age_session(client, idle=timedelta(minutes=6))
    response = client.get(reverse("overview"))
    assert_logged_out_with(
        client,
        response,
        "U bent uitgelogd omdat u 5 minuten niets heeft gedaan.",
        reverse("overview"),
    )


def test_a_login_through_the_form_starts_both_clocks(almelo, client):
    before = time.time()
    client.post(reverse("login"), {"username": "manager", "password": "koers-demo"})
    session = client.session
    assert before - 1 <= session[LOGGED_IN_AT] <= time.time()
    assert before - 1 <= session[LAST_ACTIVITY] <= time.time()


def settings_from_environment(**environment) -> dict:
    """The session settings as zorg/settings.py reads them from this environment."""
    code = (
        "import json; from zorg import settings as s; print(json.dumps(["
        "s.SESSION_IDLE_TIMEOUT.total_seconds(), s.SESSION_ABSOLUTE_TIMEOUT.total_seconds(),"
        " s.SESSION_COOKIE_AGE]))"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SESSION_") and key != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    idle, absolute, cookie_age = json.loads(result.stdout)
    return {"idle": idle, "absolute": absolute, "cookie_age": cookie_age}


def test_the_defaults_are_thirty_minutes_and_ten_hours():
    assert settings_from_environment() == {
        "idle": 30 * 60,
        "absolute": 10 * 3600,
        # The cookie does not outlive the session either.
        "cookie_age": 10 * 3600,
    }


def test_the_environment_sets_both_timeouts():
    assert settings_from_environment(
        SESSION_IDLE_TIMEOUT_MINUTES="15", SESSION_ABSOLUTE_TIMEOUT_HOURS="8"
    ) == {"idle": 15 * 60, "absolute": 8 * 3600, "cookie_age": 8 * 3600}
