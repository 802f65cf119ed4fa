"""A beheerder manages the users and roles of their own organisation only (issue 9 item 2):
they see its members, grant only roles they hold there, never reach another
organisation's users or roles, and change a shared (regional) account's password or name
only if they are beheerder of every organisation it works for. Every role change is in
the history with who and when."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.constants import Role
from organisations.middleware import SESSION_KEY
from organisations.models import Membership, Organisation
from tests.admin_forms import inline_errors, page_form, roles, with_new_roles
from tests.conftest import almelo_organisation, make_user

User = get_user_model()
PASSWORD = "Een-Ander-Wachtwoord-42"


@pytest.fixture
def enschede(db):
    organisation, _ = Organisation.all_organisations.get_or_create(  # the demo's
        cbs_code="0153",
        defaults={"name": "Gemeente Enschede", "short_name": "Enschede", "slug": "enschede"},
    )
    # Its members are these tests' own: the demo's Enschede accounts hold no role here.
    Membership.objects.filter(organisation=organisation).delete()
    return organisation


@pytest.fixture
def erik(enschede):
    """Beheerder of Enschede, who also enters updates there."""
    erik = make_user("erik", Role.BEHEERDER, organisation=enschede)
    Membership.objects.create(user=erik, organisation=enschede, role=Role.INVOERDER)
    return erik


@pytest.fixture
def els(enschede):
    return make_user("els", Role.INVOERDER, organisation=enschede)


@pytest.fixture
def regio(enschede):
    """A regional team member: invoerder in Almelo and in Enschede, one shared account."""
    regio = make_user("regio", Role.INVOERDER, first_name="Rita", last_name="Regio")
    Membership.objects.create(user=regio, organisation=enschede, role=Role.INVOERDER)
    return regio


def user(username):
    return User.objects.get(username=username)


def log_in(client, who, organisation=None):
    client.force_login(who)
    if organisation is not None:
        session = client.session
        session[SESSION_KEY] = organisation.pk
        session.save()
    return client


def change_url(who):
    return reverse("admin:auth_user_change", args=[who.pk])


# -- Who is listed and found ----------------------------------------------------------


def test_a_beheerder_of_enschede_sees_only_enschedes_users(almelo, client, erik, els, regio):
    log_in(client, erik, erik.memberships.first().organisation)

    response = client.get(reverse("admin:auth_user_changelist"))

    assert response.status_code == 200
    listed = {u.username for u in response.context["cl"].result_list}
    assert listed == {"erik", "els", "regio"}
    # The roles column shows the roles held here.
    assert "Invoerder, Beheerder" in response.content.decode()


def test_a_beheerder_of_almelo_does_not_see_enschedes_users(almelo, client, els, regio):
    log_in(client, user("beheerder"))
    listed = {
        u.username
        for u in client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    }
    assert "els" not in listed
    assert {"invoerder", "controller", "manager", "beheerder", "regio"} <= listed


def test_the_role_filter_counts_the_roles_held_here(almelo, client, erik, regio, enschede):
    Membership.objects.create(user=regio, organisation=almelo_organisation(), role=Role.MANAGER)
    log_in(client, erik, enschede)
    response = client.get(reverse("admin:auth_user_changelist"), {"rol": "manager"})
    assert [u.username for u in response.context["cl"].result_list] == []


@pytest.mark.parametrize(
    "page",
    ["auth_user_change", "auth_user_password_change", "auth_user_delete", "auth_user_history"],
)
def test_a_user_of_another_organisation_is_not_found(almelo, client, erik, enschede, page):
    almelo_user = user("invoerder")
    before = (almelo_user.first_name, almelo_user.password, almelo_user.is_active)
    log_in(client, erik, enschede)
    url = reverse(f"admin:{page}", args=[almelo_user.pk])

    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "first_name": "Gewijzigd",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
            "post": "yes",
        },
    )

    assert response.status_code == 404
    almelo_user = user("invoerder")
    assert (almelo_user.first_name, almelo_user.password, almelo_user.is_active) == before


def test_deleting_another_organisations_user_from_the_list_changes_nothing(
    almelo, client, erik, enschede
):
    log_in(client, erik, enschede)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [user("invoerder").pk], "post": "yes"},
    )
    assert User.objects.filter(username="invoerder").exists()


# -- Granting roles -------------------------------------------------------------------


def test_granting_a_role_one_lacks_is_refused_and_changes_nothing(almelo, client):
    colleague = make_user("nieuwe.collega", Role.MANAGER)
    log_in(client, user("beheerder"))
    url = change_url(colleague)

    response = client.post(url, with_new_roles(page_form(client, url), Role.CONTROLLER))

    assert response.status_code == 200
    assert (
        "U kunt alleen rollen toekennen die u zelf hebt. Niet toegestaan: Controller."
        in inline_errors(response)
    )
    assert roles(colleague, almelo_organisation()) == {"manager"}


def test_a_beheerder_grants_a_role_they_hold_here(almelo, client):
    colleague = make_user("nieuwe.collega", Role.MANAGER)
    log_in(client, user("beheerder"))
    url = change_url(colleague)

    response = client.post(url, with_new_roles(page_form(client, url), Role.BEHEERDER))

    assert response.status_code == 302, inline_errors(response)
    assert roles(colleague, almelo_organisation()) == {"manager", "beheerder"}


def test_a_role_given_twice_is_refused_in_dutch(almelo, client):
    colleague = make_user("nieuwe.collega", Role.BEHEERDER)
    log_in(client, user("beheerder"))
    url = change_url(colleague)

    response = client.post(url, with_new_roles(page_form(client, url), Role.BEHEERDER))

    assert response.status_code == 200
    assert "deze gebruiker heeft die rol hier al" in inline_errors(response)
    assert "organisation" not in inline_errors(response)
    assert roles(colleague, almelo_organisation()) == {"beheerder"}


def test_a_role_held_in_another_organisation_does_not_count(almelo, client, enschede, els):
    """The Almelo beheerder is not beheerder in Enschede: working there, they grant nothing."""
    Membership.objects.create(user=user("beheerder"), organisation=enschede, role=Role.MANAGER)
    log_in(client, user("beheerder"), enschede)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_a_role_added_lands_in_the_active_organisation_whatever_the_post_says(
    almelo, client, erik, regio, enschede
):
    log_in(client, erik, enschede)
    url = change_url(regio)
    data = with_new_roles(
        page_form(client, url), Role.BEHEERDER, organisation=str(almelo_organisation().pk)
    )

    response = client.post(url, data)

    assert response.status_code == 302, inline_errors(response)
    assert roles(regio, enschede) == {"invoerder", "beheerder"}
    assert roles(regio, almelo_organisation()) == {"invoerder"}


def test_roles_in_other_organisations_are_neither_shown_nor_changed(
    almelo, client, erik, regio, enschede
):
    almelo_role = Membership.objects.get(user=regio, organisation=almelo_organisation())
    log_in(client, erik, enschede)
    url = change_url(regio)
    data = page_form(client, url)
    assert data["memberships-TOTAL_FORMS"] == ["1"]
    assert str(almelo_role.pk) not in data["memberships-0-id"]

    # The Almelo role's id in the form, to be changed, then deleted: neither happens.
    data["memberships-0-id"] = [str(almelo_role.pk)]
    data["memberships-0-role"] = [Role.BEHEERDER]
    changed = client.post(url, data)
    data["memberships-0-DELETE"] = ["on"]
    client.post(url, data)

    assert changed.status_code == 200  # not a role of this user here
    almelo_role.refresh_from_db()
    assert almelo_role.role == Role.INVOERDER
    assert roles(regio, enschede) == {"invoerder"}


def test_nobody_changes_their_own_roles(almelo, client, erik, enschede):
    log_in(client, erik, enschede)
    url = change_url(erik)
    data = page_form(client, url)
    assert "memberships-0-role" not in data  # shown as text, not as a field

    response = client.post(url, with_new_roles(data, Role.CONTROLLER))

    assert response.status_code == 302
    assert roles(erik, enschede) == {"beheerder", "invoerder"}


def add_user_data(*new_roles, username="nieuwe.collega", **extra):
    data = {
        "username": username,
        "password1": "Een-Lang-Wachtwoord-42",
        "password2": "Een-Lang-Wachtwoord-42",
        "usable_password": "true",
        "memberships-TOTAL_FORMS": str(len(new_roles)),
        "memberships-INITIAL_FORMS": "0",
        **extra,
    }
    for index, role in enumerate(new_roles):
        data[f"memberships-{index}-role"] = role
    return data


def test_a_new_user_needs_a_role_here(almelo, client, erik, enschede):
    log_in(client, erik, enschede)

    response = client.post(reverse("admin:auth_user_add"), add_user_data())

    assert response.status_code == 200
    assert "Geef de nieuwe gebruiker ten minste één rol bij Enschede." in inline_errors(response)
    assert not User.objects.filter(username="nieuwe.collega").exists()


def test_a_new_user_gets_their_role_in_the_active_organisation(almelo, client, erik, enschede):
    log_in(client, erik, enschede)

    response = client.post(
        reverse("admin:auth_user_add"),
        add_user_data(
            Role.INVOERDER,
            is_superuser="on",
            is_staff="on",
            groups=[str(pk) for pk in []],
            **{"memberships-0-organisation": str(almelo_organisation().pk)},
        ),
    )

    assert response.status_code == 302, inline_errors(response)
    created = user("nieuwe.collega")
    assert list(created.memberships.values_list("organisation__short_name", "role")) == [
        ("Enschede", "invoerder")
    ]
    assert not created.is_superuser and not created.is_staff


def test_a_new_user_gets_no_role_the_beheerder_lacks(almelo, client, erik, enschede):
    log_in(client, erik, enschede)
    response = client.post(reverse("admin:auth_user_add"), add_user_data(Role.CONTROLLER))
    assert response.status_code == 200
    assert "Niet toegestaan: Controller." in inline_errors(response)
    assert not User.objects.filter(username="nieuwe.collega").exists()


def test_the_user_form_offers_no_groups_permissions_or_staff_flag(almelo, client, superuser):
    log_in(client, superuser)
    page = client.get(change_url(user("invoerder"))).content.decode()
    for field in ["groups", "user_permissions", "is_staff"]:
        assert f'name="{field}"' not in page, field
    assert 'name="is_superuser"' in page


# -- Shared accounts ------------------------------------------------------------------


def test_a_shared_users_password_is_not_set_by_a_beheerder_of_only_one(
    almelo, client, erik, regio, enschede
):
    log_in(client, erik, enschede)
    url = reverse("admin:auth_user_password_change", args=[regio.pk])

    response = client.post(
        url, {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"}
    )

    assert response.status_code == 403
    assert "waarvan u geen beheerder bent" in response.content.decode()
    assert not user("regio").check_password(PASSWORD)


def test_a_beheerder_of_every_organisation_sets_a_shared_users_password(
    almelo, client, erik, regio, enschede
):
    Membership.objects.create(user=erik, organisation=almelo_organisation(), role=Role.BEHEERDER)
    Membership.objects.create(user=erik, organisation=almelo_organisation(), role=Role.INVOERDER)
    log_in(client, erik, enschede)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[regio.pk]),
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert user("regio").check_password(PASSWORD)


def test_a_password_is_set_only_by_who_holds_all_the_users_roles(almelo, client, erik, enschede):
    """Setting it would let the beheerder log in as a controller."""
    controller = make_user("ctrl", Role.CONTROLLER, organisation=enschede)
    log_in(client, erik, enschede)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[controller.pk]),
        {"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    assert "van wie u alle rollen zelf hebt" in response.content.decode()
    assert not user("ctrl").check_password(PASSWORD)


def test_a_shared_users_name_and_active_flag_stay_but_their_roles_here_change(
    almelo, client, erik, regio, enschede
):
    log_in(client, erik, enschede)
    url = change_url(regio)
    data = page_form(client, url)
    for field in ["username", "first_name", "last_name", "is_active"]:
        assert field not in data, field
    data.update(first_name=["Anders"], username=["overgenomen"], is_active=[""])

    response = client.post(url, with_new_roles(data, Role.BEHEERDER))

    assert response.status_code == 302, inline_errors(response)
    regio = User.objects.get(pk=regio.pk)
    assert (regio.username, regio.first_name, regio.is_active) == ("regio", "Rita", True)
    assert roles(regio, enschede) == {"invoerder", "beheerder"}


def test_a_shared_account_is_not_deleted_by_a_beheerder_of_only_one(
    almelo, client, erik, regio, enschede
):
    log_in(client, erik, enschede)
    delete = client.post(reverse("admin:auth_user_delete", args=[regio.pk]), {"post": "yes"})
    from_list = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": [regio.pk], "post": "yes"},
    )
    assert (delete.status_code, from_list.status_code) == (403, 403)
    assert User.objects.filter(username="regio").exists()


# -- History of roles -----------------------------------------------------------------


def test_the_history_of_a_role_grant_names_who_did_it(almelo, client, erik, els, enschede):
    log_in(client, erik, enschede)
    url = change_url(els)
    assert client.post(url, with_new_roles(page_form(client, url), Role.BEHEERDER)).status_code == (
        302
    )
    granted = Membership.objects.get(user=els, role=Role.BEHEERDER)
    data = page_form(client, url)
    index = next(key.split("-")[1] for key, value in data.items() if value == [str(granted.pk)])
    data[f"memberships-{index}-DELETE"] = ["on"]
    assert client.post(url, data).status_code == 302

    records = Membership.history.filter(user_id=els.pk, role=Role.BEHEERDER).order_by("history_id")
    assert [(r.history_type, r.history_user, r.organisation_id) for r in records] == [
        ("+", erik, enschede.pk),
        ("-", erik, enschede.pk),
    ]
    page = client.get(url).content.decode()
    assert "Rollen-geschiedenis bij Enschede" in page
    assert page.count("<td>erik</td>") == 2
    assert "toegekend" in page and "ingetrokken" in page


def test_the_role_history_shows_only_the_active_organisations_roles(
    almelo, client, erik, regio, enschede
):
    log_in(client, erik, enschede)
    history = client.get(change_url(regio)).context["role_history"]
    assert len(history) == 1  # the Enschede role; the Almelo one is not shown here


# -- The list of the organisation's roles (MembershipAdmin) ----------------------------


def test_the_role_list_holds_the_active_organisations_roles(almelo, client, erik, regio, enschede):
    log_in(client, erik, enschede)
    response = client.get(reverse("admin:organisations_membership_changelist"))
    assert response.status_code == 200
    listed = {(m.user.username, m.role) for m in response.context["cl"].result_list}
    assert listed == {("erik", "beheerder"), ("erik", "invoerder"), ("regio", "invoerder")}
    filtered = client.get(
        reverse("admin:organisations_membership_changelist"), {"role": "beheerder"}
    )
    assert [m.user.username for m in filtered.context["cl"].result_list] == ["erik"]
    found = client.get(reverse("admin:organisations_membership_changelist"), {"q": "rita"})
    assert [m.user.username for m in found.context["cl"].result_list] == ["regio"]


def test_a_role_added_in_the_role_list_lands_in_the_active_organisation(
    almelo, client, erik, els, enschede
):
    log_in(client, erik, enschede)
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {"user": els.pk, "role": Role.BEHEERDER, "organisation": almelo_organisation().pk},
    )
    assert response.status_code == 302
    assert roles(els, enschede) == {"invoerder", "beheerder"}
    assert roles(els, almelo_organisation()) == set()


def test_the_role_list_refuses_a_role_not_held_and_ones_own(almelo, client, erik, els, enschede):
    log_in(client, erik, enschede)
    url = reverse("admin:organisations_membership_add")
    not_held = client.post(url, {"user": els.pk, "role": Role.CONTROLLER})
    own = client.post(url, {"user": erik.pk, "role": Role.MANAGER})
    twice = client.post(url, {"user": els.pk, "role": Role.INVOERDER})
    assert not_held.context["adminform"].form.errors["role"] == [
        "U kunt alleen rollen toekennen die u zelf hebt. Niet toegestaan: Controller."
    ]
    assert "user" in own.context["adminform"].form.errors
    assert "Deze gebruiker heeft deze rol hier al." in str(twice.context["adminform"].form.errors)
    assert roles(els, enschede) == {"invoerder"} and roles(erik, enschede) == {
        "beheerder",
        "invoerder",
    }


def test_the_role_list_offers_only_members_to_choose(almelo, client, erik, els, enschede):
    log_in(client, erik, enschede)
    response = client.get(reverse("admin:organisations_membership_add"))
    choices = response.context["adminform"].form.fields["user"].queryset
    assert set(choices.values_list("username", flat=True)) == {"els"}
    refused = client.post(
        reverse("admin:organisations_membership_add"),
        {"user": user("invoerder").pk, "role": Role.INVOERDER},
    )
    assert refused.status_code == 200
    assert not Membership.objects.filter(user=user("invoerder"), organisation=enschede).exists()


def test_another_organisations_role_is_not_found_in_the_role_list(almelo, client, erik, enschede):
    almelo_role = Membership.objects.get(user=user("controller"))
    log_in(client, erik, enschede)
    for page in ["change", "delete", "history"]:
        url = reverse(f"admin:organisations_membership_{page}", args=[almelo_role.pk])
        assert client.get(url).status_code == 404, page
    record = almelo_role.history.first()
    url = reverse(
        "admin:organisations_membership_simple_history", args=[almelo_role.pk, record.history_id]
    )
    assert client.get(url).status_code == 404
    # Nor once deleted: its history is Almelo's.
    almelo_role.delete()
    url = reverse("admin:organisations_membership_history", args=[almelo_role.pk])
    assert client.get(url).status_code == 404


def test_ones_own_roles_are_not_removed_from_the_role_list(almelo, client, erik, enschede):
    own = Membership.objects.get(user=erik, role=Role.INVOERDER)
    log_in(client, erik, enschede)
    delete = client.post(
        reverse("admin:organisations_membership_delete", args=[own.pk]), {"post": "yes"}
    )
    from_list = client.post(
        reverse("admin:organisations_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )
    assert (delete.status_code, from_list.status_code) == (403, 403)
    assert roles(erik, enschede) == {"beheerder", "invoerder"}


# -- The owner autocomplete lists the organisation's members --------------------------


def test_a_controllers_owner_autocomplete_lists_only_the_organisations_members(
    almelo, client, enschede
):
    make_user("jan.almelo", Role.INVOERDER, first_name="Jan", last_name="Almelo")
    make_user("jan.enschede", Role.INVOERDER, organisation=enschede, first_name="Jan")
    log_in(client, user("controller"))

    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "measures", "model_name": "measure", "field_name": "owner", "term": "jan"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in json.loads(response.content)["results"]] == [
        "Jan Almelo (jan.almelo)"
    ]


@pytest.fixture
def superuser(db):
    return make_user("sam", is_superuser=True)


# -- History pages show only the active organisation's objects ------------------------


def test_the_history_of_another_organisations_object_is_not_found(almelo, client, enschede):
    """simple_history reads its tables unscoped; the admin's history pages answer 404 for
    what the organisation's own lists do not hold (measures.admin_base.HistoryAdmin)."""
    from measures.models import Measure

    log_in(client, make_user("ctl", Role.CONTROLLER, organisation=enschede), enschede)
    measure = Measure.objects.get(title="Doorbraakmethode")  # Almelo's
    version = measure.history.first().history_id

    listing = client.get(reverse("admin:measures_measure_history", args=[measure.pk]))
    past = client.get(reverse("admin:measures_measure_simple_history", args=[measure.pk, version]))

    assert (listing.status_code, past.status_code) == (404, 404)
    assert "Doorbraakmethode" not in listing.content.decode() + past.content.decode()
