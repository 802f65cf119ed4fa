"""No role writes past its rights through the admin: history pages only show, roles
and permissions are granted only by those who hold them, and a controller picks an
owner without seeing the user admin."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from measures.constants import Role, UpdateState
from measures.models import Assessment, Goal, Measure, MeasurePlan, MeasureUpdate, StatusLevel
from tests.admin_forms import inline_errors, page_form, roles, with_new_roles
from tests.conftest import almelo_organisation, make_user

User = get_user_model()


def user(username):
    return User.objects.get(username=username)


def superuser():
    return User.objects.create_superuser("baas", password="Een-Lang-Wachtwoord-42")


def acting(role):
    """The demo user of a role, or a new superuser."""
    return superuser() if role == "superuser" else user(role)


# -- History pages show a past version; they never save one ---------------------------

HISTORY_ADMINS = sorted(
    (
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    )
)


def history_url(obj, record):
    opts = obj._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, record.history_id],
    )


def form_data(form, **changes):
    """The POST data a browser would send for `form` as rendered, with `changes`."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        data[name] = value
    return {**data, **changes}


def post_history_form(client, obj, **changes):
    """POST the form shown on the history page of obj's latest version, with `changes`
    (only `changes` for who may not see the page: a manager, the roles of users)."""
    url = history_url(obj, obj.history.order_by("-history_id").first())
    page = client.get(url)
    assert page.status_code in (200, 403)
    if page.status_code == 403:
        return client.post(url, changes)
    return client.post(url, form_data(page.context["adminform"].form, **changes))


@pytest.mark.parametrize("role", ["manager", "controller", "superuser"])
def test_nobody_changes_an_approved_assessment_through_its_history_page(almelo, client, role):
    approver = acting(role)
    client.force_login(approver)
    assessment = Assessment.objects.filter(period__is_closed=False, status__isnull=False).first()
    other_status = StatusLevel.objects.filter(scale=assessment.status.scale).exclude(
        pk=assessment.status_id
    )[0]
    before = (assessment.status_id, assessment.approved_by_id, assessment.history.count())

    response = post_history_form(
        client, assessment, status=str(other_status.pk), approved_by=str(approver.pk)
    )

    assert response.status_code == 403
    assessment.refresh_from_db()
    assert (assessment.status_id, assessment.approved_by_id, assessment.history.count()) == before


def test_a_controller_cannot_approve_their_own_update_through_its_history_page(almelo, client):
    controller = user("controller")
    update = MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).first()
    update.submitted_by = controller
    update.save()
    client.force_login(controller)
    version = update.version

    response = post_history_form(
        client, update, state=UpdateState.APPROVED, reviewed_by=str(controller.pk)
    )

    assert response.status_code == 403
    update.refresh_from_db()
    assert (update.state, update.reviewed_by_id, update.version) == (
        UpdateState.SUBMITTED,
        None,
        version,
    )


def almelos_with_history(model, programme):
    """Almelo's first object of `model` with history (another organisation's answers 404,
    tests/test_permission_matrix.py proves that); Almelo's demo has no themes or indicators
    of its own (it reports indicators at the jaarverantwoording), so one is made."""
    from chapters.models import Theme
    from indicators.models import Indicator, IndicatorValue, NationalIndicator
    from organisations.scoping import organisation_scope

    with organisation_scope(almelo_organisation()):
        obj = model.objects.filter(pk__in=model.history.values("id")).order_by("pk").first()
    if obj is not None:
        return obj
    if model is NationalIndicator:
        # The BBV set comes with a migration, which keeps no history: a save gives it its
        # first row.
        national = NationalIndicator.objects.order_by("number").first()
        national._history_user = user("beheerder")
        national.save()
        return national
    if model is Theme:
        return Theme.objects.create(programme=programme, title="Thema met geschiedenis")
    budget = almelos_budget_object(model, programme)
    if budget is not None:
        return budget
    indicator = Indicator.objects.create(programme=programme, name="Indicator met geschiedenis")
    if model is Indicator:
        return indicator
    if model is IndicatorValue:
        period = programme.periods.filter(is_closed=False).first()
        return IndicatorValue.objects.create(
            indicator=indicator, period=period, year=2020, kind="realisatie", value=1
        )
    return None


def almelos_budget_object(model, programme):
    """The money's models (issue 11): Almelo's demo has products only; the Iv3 list comes
    with a migration, without history."""
    from budgets import services as budget_services
    from budgets.models import BudgetFigure, StatementLayout, TaskField, VarianceExplanation

    if model is TaskField:
        task_field = TaskField.objects.get(code="6.6")
        task_field._history_user = user("controller")
        task_field.save()
        return task_field
    if model is StatementLayout:
        return StatementLayout.objects.create(organisation=almelo_organisation())
    period = programme.periods.filter(is_closed=False).first()
    product = programme.products.first()
    if model is BudgetFigure:
        return BudgetFigure.objects.create(
            period=period,
            product=product,
            year=2020,
            category="lasten",
            column="realisatie",
            amount=1,
        )
    if model is VarianceExplanation:
        return budget_services.save_explanation(
            period=period,
            user=user("invoerder"),
            label="Toelichting met geschiedenis",
            amount=1,
            text="",
            products=[product],
        )
    return None


@pytest.mark.parametrize("label", HISTORY_ADMINS)
@pytest.mark.parametrize("role", ["manager", "controller", "beheerder", "superuser"])
def test_every_history_page_refuses_a_post_and_changes_nothing(almelo, client, label, role):
    client.force_login(acting(role))
    model = next(m for m in admin.site._registry if m._meta.label == label)
    obj = almelos_with_history(model, almelo)
    assert obj is not None, f"the demo has no {label} with history"
    history_before = obj.history.count()
    url = history_url(obj, obj.history.order_by("-history_id").first())

    if client.get(url).status_code == 403:
        # A role that may not see this model at all (the organisation, for the controller
        # and the manager): the POST is refused the same way.
        response = client.post(url, {})
    else:
        response = post_history_form(client, obj)

    assert response.status_code == 403
    assert obj.history.count() == history_before


def test_a_history_page_shows_the_old_values_without_inputs_or_a_revert_button(almelo, client):
    client.force_login(user("controller"))
    measure = Measure.objects.get(title="Doorbraakmethode")
    measure.title = "Doorbraakmethode (nieuw)"
    measure.save()
    record = measure.history.order_by("history_id").first()

    response = client.get(history_url(measure, record))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Doorbraakmethode" in page and "Doorbraakmethode (nieuw)" not in page
    assert 'name="title"' not in page and 'name="_save"' not in page


def test_a_model_admin_with_history_that_could_save_fails_the_system_check():
    from measures.admin_base import HistoryAdmin
    from zorg.admin_site import AdminSite

    site = AdminSite(name="proef")
    site.register(Goal, SimpleHistoryAdmin)
    site.register(MeasurePlan, HistoryAdmin)
    errors = [error for error in site.check(None) if error.id == "koersmonitor.E001"]
    assert [error.obj for error in errors] == [SimpleHistoryAdmin]
    assert not [error for error in admin.site.check(None) if error.id == "koersmonitor.E001"]


# -- Roles and permissions are granted only by those who hold them --------------------
#
# Roles are held per organisation (organisations.models.Membership) and edited in the
# roles inline of a user's page; tests/test_organisation_users.py covers what is per
# organisation. Groups are the roles' definitions in code.


def group(role):
    return Group.objects.get(name=role.value)


def role_names(obj):
    return roles(obj, almelo_organisation())


def test_a_beheerder_cannot_give_their_own_group_a_permission(almelo, client):
    client.force_login(user("beheerder"))
    beheerder_group = group(Role.BEHEERDER)
    before = set(beheerder_group.permissions.values_list("pk", flat=True))
    approve = Permission.objects.get(codename="approve_measureupdate")

    response = client.post(
        reverse("admin:auth_group_change", args=[beheerder_group.pk]),
        {"name": beheerder_group.name, "permissions": [str(pk) for pk in before | {approve.pk}]},
    )

    assert response.status_code == 403
    assert set(beheerder_group.permissions.values_list("pk", flat=True)) == before
    assert not user("beheerder").has_perm("measures.approve_measureupdate")


def test_a_beheerder_cannot_add_rename_or_delete_a_group(almelo, client):
    client.force_login(user("beheerder"))
    controller_group = group(Role.CONTROLLER)
    refused = [
        client.post(reverse("admin:auth_group_add"), {"name": "controllers-2"}),
        client.post(
            reverse("admin:auth_group_change", args=[controller_group.pk]), {"name": "oud"}
        ),
        client.post(
            reverse("admin:auth_group_delete", args=[controller_group.pk]), {"post": "yes"}
        ),
    ]
    assert [response.status_code for response in refused] == [403, 403, 403]
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)
    # They still see which permissions each role has.
    page = client.get(reverse("admin:auth_group_change", args=[controller_group.pk]))
    assert page.status_code == 200 and 'name="permissions"' not in page.content.decode()


def test_a_superuser_still_changes_a_groups_permissions(almelo, client):
    client.force_login(superuser())
    manager_group = group(Role.MANAGER)
    response = client.post(
        reverse("admin:auth_group_change", args=[manager_group.pk]),
        {"name": manager_group.name, "permissions": []},
    )
    assert response.status_code == 302
    assert not manager_group.permissions.exists()


def test_a_beheerder_cannot_make_themselves_controller(almelo, client):
    beheerder = user("beheerder")
    client.force_login(beheerder)
    url = reverse("admin:auth_user_change", args=[beheerder.pk])
    data = page_form(client, url)
    # Their own roles show as text, not as fields to change.
    assert "memberships-0-role" not in data

    response = client.post(url, with_new_roles(data, Role.CONTROLLER))

    assert response.status_code == 302
    assert role_names(user("beheerder")) == {"beheerder"}
    assert not user("beheerder").has_perm("measures.approve_measureupdate")


@pytest.mark.parametrize("role", ["beheerder", "superuser"])
def test_nobody_changes_their_own_roles_or_superuser_flag(almelo, client, role):
    me = acting(role)
    before = (role_names(me), me.is_superuser)
    client.force_login(me)
    url = reverse("admin:auth_user_change", args=[me.pk])
    data = page_form(client, url)
    for field in ["groups", "user_permissions", "is_staff", "is_superuser", "memberships-0-role"]:
        assert field not in data, field
    data["is_superuser"] = ["" if me.is_superuser else "on"]

    response = client.post(url, with_new_roles(data, Role.CONTROLLER))

    assert response.status_code == 302
    me = User.objects.get(pk=me.pk)
    assert (role_names(me), me.is_superuser) == before


def test_a_beheerder_cannot_grant_a_role_they_do_not_hold(almelo, client):
    client.force_login(user("beheerder"))
    colleague = make_user("nieuwe.collega", Role.MANAGER)
    url = reverse("admin:auth_user_change", args=[colleague.pk])

    response = client.post(url, with_new_roles(page_form(client, url), Role.CONTROLLER))

    assert response.status_code == 200
    assert (
        "U kunt alleen rollen toekennen die u zelf hebt. Niet toegestaan: Controller."
        in inline_errors(response)
    )
    assert role_names(colleague) == {"manager"}


def test_a_beheerder_cannot_turn_a_role_into_one_they_do_not_hold(almelo, client):
    client.force_login(user("beheerder"))
    colleague = make_user("nieuwe.collega", Role.MANAGER)
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    data = page_form(client, url)
    data["memberships-0-role"] = [Role.CONTROLLER]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Niet toegestaan: Controller." in inline_errors(response)
    assert role_names(colleague) == {"manager"}


def test_a_beheerder_grants_the_roles_they_hold_and_removes_others(almelo, client):
    client.force_login(user("beheerder"))
    colleague = make_user("nieuwe.collega", Role.CONTROLLER)
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    data = with_new_roles(page_form(client, url), Role.BEHEERDER)
    data["memberships-0-DELETE"] = ["on"]  # removing a role gives nobody more rights

    response = client.post(url, data)

    assert response.status_code == 302, inline_errors(response)
    assert role_names(colleague) == {"beheerder"}


def test_a_superuser_grants_any_role(almelo, client):
    client.force_login(superuser())
    colleague = make_user("nieuwe.collega")
    url = reverse("admin:auth_user_change", args=[colleague.pk])
    response = client.post(url, with_new_roles(page_form(client, url), Role.CONTROLLER))
    assert response.status_code == 302, inline_errors(response)
    assert role_names(colleague) == {"controller"}


def test_the_add_form_grants_no_group_permission_or_flag(almelo, client):
    client.force_login(user("beheerder"))
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "nieuwe.collega",
            "password1": "Een-Lang-Wachtwoord-42",
            "password2": "Een-Lang-Wachtwoord-42",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-role": Role.BEHEERDER,
            "groups": [str(group(Role.CONTROLLER).pk)],
            "is_staff": "on",
            "is_superuser": "on",
            "user_permissions": [str(Permission.objects.get(codename="approve_measureupdate").pk)],
        },
    )
    assert response.status_code == 302, inline_errors(response)
    created = user("nieuwe.collega")
    assert (role_names(created), created.is_staff, created.is_superuser) == (
        {"beheerder"},
        False,
        False,
    )
    assert not created.groups.exists() and not created.user_permissions.exists()


def test_a_beheerder_cannot_set_the_password_of_someone_with_a_role_they_lack(almelo, client):
    """Setting a controller's password would let the beheerder log in as them."""
    client.force_login(user("beheerder"))
    controller = user("controller")
    url = reverse("admin:auth_user_password_change", args=[controller.pk])
    response = client.post(
        url, {"password1": "Een-Ander-Wachtwoord-42", "password2": "Een-Ander-Wachtwoord-42"}
    )
    assert response.status_code == 403
    assert "van wie u alle rollen zelf hebt" in response.content.decode()
    assert not user("controller").check_password("Een-Ander-Wachtwoord-42")


def test_a_beheerder_sets_the_password_of_a_colleague_with_their_roles(almelo, client):
    client.force_login(user("beheerder"))
    colleague = make_user("nieuwe.collega", Role.BEHEERDER)
    url = reverse("admin:auth_user_password_change", args=[colleague.pk])
    response = client.post(
        url,
        {
            "password1": "Een-Ander-Wachtwoord-42",
            "password2": "Een-Ander-Wachtwoord-42",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert user("nieuwe.collega").check_password("Een-Ander-Wachtwoord-42")


# -- The owner autocomplete --------------------------------------------------------------


def autocomplete(client, field="owner", term="", model="measure"):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "measures", "model_name": model, "field_name": field, "term": term},
    )


@pytest.mark.parametrize("field", ["owner", "delegates"])
def test_a_controller_picks_an_owner_from_active_users_by_name(almelo, client, field):
    client.force_login(user("controller"))
    make_user("jan.jansen", Role.INVOERDER, first_name="Jan", last_name="Jansen")
    make_user(
        "jan.vertrokken", Role.INVOERDER, first_name="Jan", last_name="Vertrokken", is_active=False
    )

    response = autocomplete(client, field, term="jan")

    assert response.status_code == 200
    results = json.loads(response.content)["results"]
    jan = user("jan.jansen")
    assert results == [{"id": str(jan.pk), "text": "Jan Jansen (jan.jansen)"}]


def test_the_owner_autocomplete_does_not_search_email_addresses(almelo, client):
    client.force_login(user("controller"))
    make_user("piet", Role.INVOERDER, email="geheim.adres@example.org")
    response = autocomplete(client, term="geheim")
    assert json.loads(response.content)["results"] == []


@pytest.mark.parametrize("role", ["manager", "beheerder"])
def test_who_may_not_change_measures_gets_no_owner_list(almelo, client, role):
    client.force_login(user(role))
    assert autocomplete(client).status_code == 403


def test_the_user_autocomplete_is_only_for_fields_the_admin_offers_it_for(almelo, client):
    """closed_by is a user field of a model the controller may change, but no admin
    offers it as an autocomplete: no user list through it."""
    client.force_login(user("controller"))
    assert autocomplete(client, "closed_by", model="reportingperiod").status_code == 403


def test_controllers_still_cannot_open_the_user_admin(almelo, client):
    client.force_login(user("controller"))
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_nobody_but_a_superuser_changes_the_system_user(almelo, client):
    """The system user's name is on every command-line write; a beheerder who could
    activate it and set its password could work under that name. It is no member of any
    organisation, so a beheerder does not even find it."""
    from measures.audit import SYSTEM_USERNAME

    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    client.force_login(get_user_model().objects.get(username="beheerder"))
    change = client.post(
        f"/beheer/auth/user/{system.pk}/change/",
        {"username": SYSTEM_USERNAME, "is_active": "on", "is_staff": "on"},
    )
    password = client.post(
        f"/beheer/auth/user/{system.pk}/password/",
        {"password1": "Geheim-12345!", "password2": "Geheim-12345!"},
    )
    assert (password.status_code, change.status_code) == (404, 404)
    system.refresh_from_db()
    assert not system.is_active and not system.has_usable_password()


def test_nobody_but_a_superuser_changes_the_system_user_even_as_a_member(almelo, client):
    from measures.audit import SYSTEM_USERNAME
    from organisations.models import Membership

    system = get_user_model().objects.get(username=SYSTEM_USERNAME)
    Membership.objects.create(user=system, organisation=almelo_organisation(), role="invoerder")
    Membership.objects.create(
        user=user("beheerder"), organisation=almelo_organisation(), role="invoerder"
    )
    client.force_login(user("beheerder"))
    change = client.post(
        f"/beheer/auth/user/{system.pk}/change/",
        {"username": SYSTEM_USERNAME, "is_active": "on"},
    )
    password = client.post(
        f"/beheer/auth/user/{system.pk}/password/",
        {"password1": "Geheim-12345!", "password2": "Geheim-12345!", "usable_password": "true"},
    )
    assert (password.status_code, change.status_code) == (403, 403)
    system.refresh_from_db()
    assert not system.is_active and not system.has_usable_password()
