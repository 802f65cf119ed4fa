"""Who may read reports: everyone with measures.view_measure, nobody without a login."""

import pytest
from django.urls import reverse

from tests.conftest import make_user


@pytest.mark.parametrize("name", ["detail", "pdf", "html", "publish"])
def test_reports_need_a_login(name, period, client):
    response = client.get(reverse(f"reports:{name}", args=[period.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["invoerder", "controller", "manager", "beheerder"])
def test_every_role_reads_the_web_version(role, period, client, request):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("reports:html", args=[period.pk]))
    assert response.status_code == 200
    assert "5.832" in response.content.decode()


def test_a_user_without_a_role_reads_no_report(period, client):
    client.force_login(make_user("zonder-rol"))
    for name in ("detail", "pdf", "html"):
        assert client.get(reverse(f"reports:{name}", args=[period.pk])).status_code == 403


def test_an_unknown_period_has_no_report(almelo, manager_client):
    assert manager_client.get(reverse("reports:pdf", args=[999_999])).status_code == 404
