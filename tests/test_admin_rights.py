"""No role writes past its rights through the admin: history pages only show, roles
and permissions are granted only by those who hold them, and a controller picks an
owner without seeing the user admin."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from measures.constants import UpdateState
from measures.models import Assessment, Goal, Measure, MeasurePlan, MeasureUpdate, StatusLevel

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
    """POST the form shown on the history page of obj's latest version, with `changes`."""
    url = history_url(obj, obj.history.order_by("-history_id").first())
    page = client.get(url)
    assert page.status_code == 200
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


@pytest.mark.parametrize("label", HISTORY_ADMINS)
@pytest.mark.parametrize("role", ["manager", "controller", "beheerder", "superuser"])
def test_every_history_page_refuses_a_post_and_changes_nothing(almelo, client, label, role):
    client.force_login(acting(role))
    model = next(m for m in admin.site._registry if m._meta.label == label)
    obj = model.objects.filter(pk__in=model.history.values("id")).order_by("pk").first()
    assert obj is not None, f"the demo has no {label} with history"
    history_before = obj.history.count()

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
    from measures.admin_base import AdminSite, HistoryAdmin

    site = AdminSite(name="proef")
    site.register(Goal, SimpleHistoryAdmin)
    site.register(MeasurePlan, HistoryAdmin)
    errors = [error for error in site.check(None) if error.id == "koersmonitor.E001"]
    assert [error.obj for error in errors] == [SimpleHistoryAdmin]
    assert not [error for error in admin.site.check(None) if error.id == "koersmonitor.E001"]
