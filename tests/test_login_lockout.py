"""Guessing passwords locks the login for that username from that address (django-axes).

There is one login page, /inloggen/; the admin's login page sends users there, so the
lockout cannot be walked around through /beheer/login/.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from measures.demo import DEMO_PASSWORD

LOCKED = "Te veel mislukte inlogpogingen"
WRONG = "Voer een juiste gebruikersnaam en wachtwoord in"


def log_in(client, password, username="controller", url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def fail(client, times, username="controller", url=None, **extra):
    for _ in range(times):
        log_in(client, "fout-wachtwoord", username, url, **extra)


def logged_in(client) -> bool:
    return client.get(reverse("overview")).status_code == 200


def login_form_url(client, entry: str) -> str:
    """Where a user who starts at `entry` ends up typing their password."""
    response = client.get(entry, follow=True)
    assert response.status_code == 200
    return response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"]


@pytest.mark.parametrize("entry", ["/inloggen/", "/beheer/login/?next=/beheer/"])
def test_fifty_wrong_passwords_then_the_right_one_is_refused_in_dutch(almelo, client, entry):
    url = login_form_url(client, entry)
    fail(client, 50, url=url)
    response = log_in(client, DEMO_PASSWORD, url=url)
    content = response.content.decode()
    assert response.status_code == 429
    assert LOCKED in content
    # The message is on the login page itself, in the site's layout.
    assert "<h1>Inloggen</h1>" in content and 'name="password"' in content
    assert not logged_in(client)


def test_the_lock_starts_at_the_failure_limit(almelo, client):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = log_in(client, "fout-wachtwoord")
        assert response.status_code == 200 and WRONG in response.content.decode()
    response = log_in(client, "fout-wachtwoord")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert log_in(client, DEMO_PASSWORD).status_code == 429
    assert not logged_in(client)


def test_the_admin_login_page_never_logs_in_itself(almelo, client):
    response = client.post(
        "/beheer/login/?next=/beheer/", {"username": "controller", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/beheer/"
    assert not logged_in(client)


def test_a_user_without_admin_access_is_told_why_on_the_login_page(almelo, client):
    client.force_login(get_user_model().objects.get(username="invoerder"))
    response = client.get("/beheer/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("login") + "?next=/beheer/"
    assert "maar heeft geen toegang tot die pagina" in response.content.decode()


def test_staff_who_are_logged_in_go_straight_to_the_admin(almelo, client):
    client.force_login(get_user_model().objects.get(username="controller"))
    response = client.get("/beheer/login/?next=/beheer/")
    assert response.status_code == 302 and response["Location"] == "/beheer/"


def test_after_the_cool_off_the_right_password_works(almelo, client):
    fail(client, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, DEMO_PASSWORD).status_code == 429
    # The clock moves on: every failed attempt is older than the cool-off.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = log_in(client, DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("overview")
    assert logged_in(client)


def test_a_successful_login_resets_the_count(almelo, client):
    limit = settings.AXES_FAILURE_LIMIT
    fail(client, limit - 1)
    assert log_in(client, DEMO_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    fail(client, limit - 1)
    assert log_in(client, DEMO_PASSWORD).status_code == 302
    assert logged_in(client)


def test_the_lock_holds_for_that_username_from_that_address_only(almelo, client):
    fail(client, settings.AXES_FAILURE_LIMIT, REMOTE_ADDR="10.0.0.1")
    assert log_in(client, DEMO_PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 429
    # The same user from another address, and another user from the same address.
    assert log_in(client, DEMO_PASSWORD, REMOTE_ADDR="10.0.0.2").status_code == 302
    client.post(reverse("logout"))
    assert log_in(client, DEMO_PASSWORD, "manager", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(almelo, client, settings):
    """With one trusted proxy, the last X-Forwarded-For entry is the client; what the
    client wrote itself in front of it changes nothing."""
    settings.REVERSE_PROXY_COUNT = 1
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(
            client,
            1,
            REMOTE_ADDR="192.168.0.10",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 203.0.113.7",
        )
    locked = log_in(
        client, DEMO_PASSWORD, REMOTE_ADDR="192.168.0.10", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert locked.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"
    # Another client behind the same proxy is not locked out.
    other = log_in(
        client, DEMO_PASSWORD, REMOTE_ADDR="192.168.0.10", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert other.status_code == 302


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(almelo, client, settings):
    settings.REVERSE_PROXY_COUNT = 0
    for number in range(settings.AXES_FAILURE_LIMIT):
        fail(client, 1, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"1.2.3.{number}")
    assert log_in(client, DEMO_PASSWORD, REMOTE_ADDR="10.0.0.5").status_code == 429
