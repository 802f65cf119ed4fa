"""Only controllers import, on the page and in the admin; everyone with a role can export
the measures; nobody sees or confirms someone else's preview."""

import pytest
from django.urls import reverse

from imports.models import ImportRecord, ImportSource, ImportStatus
from measures.constants import Role
from tests.conftest import make_user
from tests.imports.conftest import almelo_rows, confirm, digest_in, upload, xlsx


def import_urls(programme):
    return [
        reverse("imports:start"),
        reverse("imports:template", args=[programme.pk]),
        reverse("admin:imports_importrecord_import"),
    ]


def test_anonymous_users_are_sent_to_the_login_page(zorg, client):
    for url in [*import_urls(zorg), reverse("imports:measures_export")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "inloggen" in response["Location"] or "login" in response["Location"], url


@pytest.mark.parametrize("role", [Role.INVOERDER, Role.MANAGER, Role.BEHEERDER])
def test_only_controllers_may_import(zorg, client, role):
    user = make_user(f"u-{role.value}", role)
    client.force_login(user)
    for url in import_urls(zorg):
        assert client.get(url).status_code in (302, 403), url
    assert client.get(reverse("imports:start")).status_code == 403
    response = upload(client, xlsx(almelo_rows()), programme=zorg)
    assert response.status_code == 403
    assert not zorg.measures.exists() and not ImportRecord.objects.exists()
    assert "Importeren" not in client.get(reverse("overview")).content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_export_the_measures(almelo, client, role):
    client.force_login(make_user(f"u-{role.value}", role))
    assert client.get(reverse("imports:measures_export")).status_code == 200


def test_a_user_without_a_role_may_not_export(almelo, client):
    client.force_login(make_user("zonder-rol"))
    assert client.get(reverse("imports:measures_export")).status_code == 403


def test_controllers_find_the_import_in_the_menu(almelo, controller_client):
    page = controller_client.get(reverse("overview")).content.decode()
    assert f'<a href="{reverse("imports:start")}">Importeren</a>' in page


def test_nobody_sees_or_confirms_another_controllers_preview(
    zorg, midterm, controller_client, client
):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    preview_url = response["Location"]
    digest = digest_in(controller_client.get(preview_url).content.decode())
    client.force_login(make_user("colleague", Role.CONTROLLER))
    assert client.get(preview_url).status_code == 404
    assert client.post(preview_url, {"digest": digest}).status_code == 404
    assert not zorg.measures.exists()


def test_controllers_import_through_the_admin_too(zorg, midterm, controller_client):
    changelist = controller_client.get(reverse("admin:imports_importrecord_changelist"))
    assert "Maatregelen importeren" in changelist.content.decode()
    start_url = reverse("admin:imports_importrecord_import")
    page = controller_client.get(start_url)
    assert page.status_code == 200 and "Koersmonitor beheer" in page.content.decode()
    file = xlsx(almelo_rows())
    import io

    upload_file = io.BytesIO(file)
    upload_file.name = "almelo.xlsx"
    response = controller_client.post(
        start_url, {"programme": zorg.pk, "period": midterm.pk, "file": upload_file}
    )
    assert response.status_code == 302
    preview = controller_client.get(response["Location"])
    assert "Import bevestigen" in preview.content.decode()
    confirmed = confirm(
        controller_client, response["Location"], {"digest": digest_in(preview.content.decode())}
    )
    record = ImportRecord.objects.get()
    # The job's page leads back into the admin.
    assert confirmed.job.result_url == reverse(
        "admin:imports_importrecord_change", args=[record.pk]
    )
    assert record.source == ImportSource.ADMIN and record.status == ImportStatus.APPLIED
    detail = confirmed.page
    assert "Doorbraakmethode" in detail and "2020: 2.251" in detail
    assert zorg.measures.count() == 15


def test_the_import_history_cannot_be_changed_in_the_admin(zorg, midterm, controller_client):
    upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    record = ImportRecord.objects.get()
    change_url = reverse("admin:imports_importrecord_change", args=[record.pk])
    assert 'name="_save"' not in controller_client.get(change_url).content.decode()
    delete_url = reverse("admin:imports_importrecord_delete", args=[record.pk])
    assert controller_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ImportRecord.objects.filter(pk=record.pk).exists()
