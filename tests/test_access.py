"""Every page needs a login; roles are Django groups; managers read and change nothing."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from measures.constants import Role
from measures.models import Measure, MeasurePlan, Programme, YearTarget
from organisations.models import Membership
from tests.conftest import almelo_organisation, make_user


def app_urls():
    measure = Measure.objects.get(title="Doorbraakmethode")
    return [
        reverse("overview"),
        reverse("overview") + "?_export=csv",
        reverse("overview") + "?_export=xlsx",
        reverse("measure_detail", args=[measure.pk]),
    ]


def test_role_groups_exist_after_migrate(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
    controller = Group.objects.get(name="controller")
    assert controller.permissions.filter(codename="change_yeartarget").exists()
    manager = Group.objects.get(name="manager")
    assert not manager.permissions.exclude(codename__startswith="view_").exists()


def test_anonymous_requests_are_sent_to_the_login_page(almelo, client):
    for url in app_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_login_page_itself_is_open_and_logs_in(almelo, client):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "manager", "password": "koers-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("overview")


def test_wrong_password_gets_a_dutch_message(almelo, client):
    response = client.post(reverse("login"), {"username": "manager", "password": "fout"})
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_the_overview_and_measures(almelo, client, role):
    client.force_login(make_user(f"u-{role.value}", role))
    for url in app_urls():
        assert client.get(url).status_code == 200, (role, url)


def test_a_user_without_a_role_is_refused(almelo, client):
    client.force_login(make_user("zonder-rol"))
    for url in app_urls():
        assert client.get(url).status_code == 403, url


def test_manager_can_browse_the_admin_but_not_change_anything(almelo, manager_client):
    measure = Measure.objects.get(title="Doorbraakmethode")
    plan = measure.plan
    assert manager_client.get(reverse("admin:measures_measure_changelist")).status_code == 200
    change_url = reverse("admin:measures_measure_change", args=[measure.pk])
    page = manager_client.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()

    attempts = [
        (change_url, {"title": "Gewijzigd", "programme": measure.programme_id, "plan": plan.pk}),
        (reverse("admin:measures_measure_add"), {"title": "Nieuw"}),
        (reverse("admin:measures_measure_delete", args=[measure.pk]), {"post": "yes"}),
        (reverse("admin:measures_measureplan_delete", args=[plan.pk]), {"post": "yes"}),
        (reverse("admin:measures_assessment_add"), {"measure": measure.pk}),
        (reverse("admin:measures_programme_change", args=[plan.programme_id]), {"name": "X"}),
        (reverse("admin:auth_user_add"), {"username": "nieuw"}),
    ]
    before = (Measure.objects.count(), YearTarget.objects.count(), MeasurePlan.objects.count())
    for url, data in attempts:
        assert manager_client.post(url, data).status_code == 403, url
    assert (
        Measure.objects.count(),
        YearTarget.objects.count(),
        MeasurePlan.objects.count(),
    ) == before
    assert Measure.objects.get(pk=measure.pk).title == "Doorbraakmethode"
    assert Programme.objects.get(name="Programma Zorg").name == "Programma Zorg"


def test_invoerder_has_no_admin_access(almelo, client):
    client.force_login(make_user("ina", Role.INVOERDER))
    response = client.get(reverse("admin:measures_measure_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_beheerder_manages_users_but_not_measures(almelo, client):
    client.force_login(make_user("ben", Role.BEHEERDER))
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
    assert client.get(reverse("admin:measures_statusscale_add")).status_code == 200
    measure = Measure.objects.get(title="Doorbraakmethode")
    url = reverse("admin:measures_measure_delete", args=[measure.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403


def test_overview_hides_the_admin_link_from_non_staff(almelo, client):
    client.force_login(make_user("ina", Role.INVOERDER))
    assert "/beheer/" not in client.get(reverse("overview")).content.decode()


def test_beheerder_cannot_make_anyone_superuser(almelo, client, django_user_model):
    beheerder = django_user_model.objects.get(username="beheerder")
    client.force_login(beheerder)
    url = reverse("admin:auth_user_change", args=[beheerder.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    admin = django_user_model.objects.create_superuser("baas", password="Een-Lang-Wachtwoord-42")
    # Not a member of Almelo: not found on the beheerder's list of Almelo's users.
    assert client.get(reverse("admin:auth_user_change", args=[admin.pk])).status_code == 404
    Membership.objects.create(user=admin, organisation=almelo_organisation(), role="manager")
    assert client.get(reverse("admin:auth_user_change", args=[admin.pk])).status_code == 200
    response = client.post(reverse("admin:auth_user_delete", args=[admin.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert django_user_model.objects.filter(pk=admin.pk).exists()


def test_refusals_and_missing_pages_are_explained_in_dutch(almelo, client):
    client.force_login(make_user("zonder-rol-2"))
    refused = client.get(reverse("overview"))
    assert refused.status_code == 403 and "Geen toegang" in refused.content.decode()
    client.force_login(get_user_model_for_tests("manager"))
    missing = client.get(reverse("measure_detail", args=[999_999]))
    assert missing.status_code == 404 and "Pagina niet gevonden" in missing.content.decode()


def get_user_model_for_tests(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
