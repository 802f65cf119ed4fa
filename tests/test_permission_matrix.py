"""Every role against every page and action, checked on the server.

Each cell says whether the role may (True) or may not (False). Pages are GET requests;
actions are POSTs whose effect is checked too, so a refused action changes nothing.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.constants import UpdateState
from measures.models import Measure, MeasureUpdate, Programme, ReportingPeriod, SavingsTask
from tests.workflow import form_data, open_period, update_of

ROLES = ["invoerder", "controller", "manager", "beheerder"]


def own_update():
    return update_of("Stoppen met dienstencheques")  # owned by the demo invoerder


def others_update():
    return update_of("Peuteropvang")  # owned by projectleider.jeugd


PAGES = {
    "overview": (lambda: reverse("overview"), {"invoerder", "controller", "manager", "beheerder"}),
    "export": (
        lambda: reverse("overview") + "?_export=xlsx",
        {"invoerder", "controller", "manager", "beheerder"},
    ),
    "measure": (
        lambda: reverse("measure_detail", args=[Measure.objects.get(title="Peuteropvang").pk]),
        {"invoerder", "controller", "manager", "beheerder"},
    ),
    "my_measures": (lambda: reverse("my_measures"), {"invoerder", "controller"}),
    "own_update_form": (
        lambda: reverse("update_form", args=[own_update().pk]),
        {"invoerder", "controller"},
    ),
    "others_update_form": (
        lambda: reverse("update_form", args=[others_update().pk]),
        {"controller"},
    ),
    "approvals": (lambda: reverse("approvals"), {"controller"}),
    "return_form": (
        lambda: reverse("return_update", args=[update_of("Aanpassing PGB tarieven").pk]),
        {"controller"},
    ),
    "periods": (lambda: reverse("periods"), {"invoerder", "controller", "manager", "beheerder"}),
    "completeness": (
        lambda: reverse("completeness", args=[open_period().pk]),
        {"invoerder", "controller", "manager", "beheerder"},
    ),
    "changes": (
        lambda: reverse("changes", args=[open_period().pk]),
        {"invoerder", "controller", "manager", "beheerder"},
    ),
    "revise_target": (
        lambda: reverse("revise_target", args=[Programme.objects.get().pk]),
        {"controller"},
    ),
    "admin_measures": (
        lambda: reverse("admin:measures_measure_changelist"),
        {"controller", "manager", "beheerder"},
    ),
    "admin_users": (lambda: reverse("admin:auth_user_changelist"), {"beheerder"}),
    "admin_status_scale_add": (lambda: reverse("admin:measures_statusscale_add"), {"beheerder"}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(PAGES))
def test_page_access(almelo, client, role, page):
    url, allowed = PAGES[page]
    client.force_login(get_user_model().objects.get(username=role))
    response = client.get(url())
    if role in allowed:
        assert response.status_code == 200, (role, page, response.status_code)
    else:
        # The app refuses with 403; the admin sends non-staff users to its login page.
        assert response.status_code in (302, 403) and response.status_code != 200, (role, page)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (role, page)


def save_own():
    update = own_update()
    return reverse("update_form", args=[update.pk]), form_data(
        update, explanation="Gewijzigd", save="1"
    )


def save_others():
    update = others_update()
    return reverse("update_form", args=[update.pk]), form_data(
        update, explanation="Gewijzigd", save="1"
    )


def approve():
    return reverse("approvals"), {"update": [update_of("Aanpassing PGB tarieven").pk]}


def send_back():
    return reverse("return_update", args=[update_of("Aanpassing PGB tarieven").pk]), {
        "reason": "Graag aanvullen"
    }


def open_new_period():
    return reverse("periods"), {
        "programme": Programme.objects.get().pk,
        "name": "Voorjaarsnota 2021",
        "kind": "voorjaarsnota",
        "reference_date": "2021-04-01",
    }


def close():
    MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED).update(state=UpdateState.DRAFT)
    return reverse("close_period", args=[open_period().pk]), {}


def revise():
    task = SavingsTask.objects.get(year=2022)
    return reverse("revise_target", args=[task.programme_id]), {
        "target": f"task-{task.pk}",
        "new_amount": "5.750.000",
        "reason": "Raadsbesluit",
        "decision_reference": "BW-7420",
        "decided_on": "2020-11-10",
    }


def admin_add_goal():
    programme = Programme.objects.get()
    return reverse("admin:measures_goal_add"), {
        "programme": programme.pk,
        "number": "5",
        "title": "Nieuw doel",
        "description": "",
    }


def admin_add_user():
    return reverse("admin:auth_user_add"), {
        "username": "nieuwe.collega",
        "password1": "Een-Lang-Wachtwoord-42",
        "password2": "Een-Lang-Wachtwoord-42",
        "usable_password": "true",
    }


ACTIONS = {
    "save_own_update": (
        save_own,
        {"invoerder", "controller"},
        lambda: own_update().explanation == "Gewijzigd",
    ),
    "save_others_update": (
        save_others,
        {"controller"},
        lambda: others_update().explanation == "Gewijzigd",
    ),
    "approve": (
        approve,
        {"controller"},
        lambda: update_of("Aanpassing PGB tarieven").state == UpdateState.APPROVED,
    ),
    "send_back": (
        send_back,
        {"controller"},
        lambda: update_of("Aanpassing PGB tarieven").state == UpdateState.RETURNED,
    ),
    "open_period": (
        open_new_period,
        {"controller"},
        lambda: ReportingPeriod.objects.filter(name="Voorjaarsnota 2021").exists(),
    ),
    "close_period": (close, {"controller"}, lambda: open_period().is_closed),
    "revise_target": (
        revise,
        {"controller"},
        lambda: SavingsTask.objects.get(year=2022).amount == 5_750_000,
    ),
    "admin_add_goal": (
        admin_add_goal,
        {"controller"},
        lambda: Programme.objects.get().goals.filter(number=5).exists(),
    ),
    "admin_add_user": (
        admin_add_user,
        {"beheerder"},
        lambda: get_user_model().objects.filter(username="nieuwe.collega").exists(),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_action_access(almelo, client, role, action):
    prepare, allowed, happened = ACTIONS[action]
    url, data = prepare()
    client.force_login(get_user_model().objects.get(username=role))
    response = client.post(url, data)
    if role in allowed:
        assert response.status_code == 302, (role, action, response.status_code)
        assert happened(), (role, action)
    else:
        # Refused on the server: 403, or the admin's login page for non-staff users.
        assert response.status_code in (302, 403), (role, action, response.status_code)
        assert not happened(), (role, action)
        if response.status_code == 302:
            assert "/login/" in response["Location"], (role, action)
