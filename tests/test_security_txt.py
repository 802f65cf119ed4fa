"""/.well-known/security.txt (RFC 9116) tells a finder whom to tell, without a login."""

from datetime import datetime, timedelta

from django.utils import timezone


def fields(response) -> dict[str, str]:
    lines = response.content.decode().splitlines()
    return dict(line.split(": ", 1) for line in lines if line and not line.startswith("#"))


def test_security_txt_is_served_anonymously_with_the_required_fields(db, client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    found = fields(response)
    assert found["Contact"].startswith(("mailto:", "https://"))
    assert found["Preferred-Languages"] == "nl, en"
    assert found["Canonical"] == "http://testserver/.well-known/security.txt"
    # Expires is a moment in the future, less than a year away (RFC 9116, 2.5.5).
    expires = datetime.fromisoformat(found["Expires"])
    assert expires.tzinfo is not None
    assert timezone.now() < expires < timezone.now() + timedelta(days=365)


def test_the_contact_comes_from_the_settings(db, client, settings):
    settings.SECURITY_CONTACT = "mailto:cert@almelo.nl"
    assert fields(client.get("/.well-known/security.txt"))["Contact"] == "mailto:cert@almelo.nl"


def test_over_https_the_canonical_address_is_https(db, client):
    response = client.get("/.well-known/security.txt", secure=True)
    assert fields(response)["Canonical"] == "https://testserver/.well-known/security.txt"
