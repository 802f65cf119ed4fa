"""A council decision that changes a target keeps the original, whichever way the change
comes in (issue 13 item 5): the "Taakstelling herzien" page is linked for controllers,
and a changed target in the admin or the import asks for the decision reference and is
recorded as a revision through services.revise_target."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse

from measures.models import Measure, SavingsTask, TargetRevision
from tests.test_history_complete import admin_errors, submit_admin_change

User = get_user_model()


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def peuteropvang():
    return Measure.objects.get(title="Peuteropvang", programme__name="Programma Zorg")


# -- Links ---------------------------------------------------------------------------


def test_measure_page_links_each_target_to_its_revision_for_controllers(almelo, client):
    measure = peuteropvang()
    target = measure.targets.get(year=2022)
    # The link returns to the measure page once the revision is saved.
    page_url = reverse("measure_detail", args=[measure.pk])
    link = (
        reverse("revise_target", args=[measure.programme_id])
        + f"?taakstelling=target-{target.pk}&amp;next={page_url}"
    )
    page = as_user(client, "controller").get(reverse("measure_detail", args=[measure.pk]))
    assert f'href="{link}"' in page.content.decode()
    for username in ("manager", "invoerder", "beheerder"):
        page = as_user(client, username).get(reverse("measure_detail", args=[measure.pk]))
        assert "taakstelling-herzien" not in page.content.decode()


def test_overview_links_the_revision_page_for_controllers_only(almelo, client):
    link = f'href="{reverse("revise_target", args=[almelo.pk])}"'
    assert link in as_user(client, "controller").get(reverse("overview")).content.decode()
    for username in ("manager", "invoerder", "beheerder"):
        assert link not in as_user(client, username).get(reverse("overview")).content.decode()


def test_revision_page_preselects_the_target_it_was_opened_for(almelo, controller_client):
    target = peuteropvang().targets.get(year=2022)
    url = reverse("revise_target", args=[almelo.pk]) + f"?taakstelling=target-{target.pk}"
    page = controller_client.get(url).content.decode()
    assert re.search(rf'<option value="target-{target.pk}" selected>', page)


# -- The admin -------------------------------------------------------------------------


def target_index(measure, year) -> int:
    return list(measure.targets.order_by("year").values_list("year", flat=True)).index(year)


def test_admin_refuses_a_changed_target_without_decision_reference(almelo, controller_client):
    measure = peuteropvang()
    index = target_index(measure, 2022)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = submit_admin_change(controller_client, url, {f"targets-{index}-amount": "175.000"})
    assert response.status_code == 200
    errors = admin_errors(response)
    assert "Vul het besluitnummer van de raad in" in errors
    assert "Vul de besluitdatum in" in errors
    assert measure.targets.get(year=2022).amount == 150_000
    assert not TargetRevision.objects.exists()


def test_admin_records_a_changed_target_as_a_revision(almelo, controller_client):
    measure = peuteropvang()
    index = target_index(measure, 2022)
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = submit_admin_change(
        controller_client,
        url,
        {
            f"targets-{index}-amount": "175.000",
            f"targets-{index}-decision_reference": "BW-7420",
            f"targets-{index}-decided_on": "2020-11-10",
        },
    )
    assert response.status_code == 302, admin_errors(response)
    target = measure.targets.get(year=2022)
    assert target.amount == 175_000
    revision = TargetRevision.objects.get(year_target=target)
    assert (revision.previous_amount, revision.new_amount) == (150_000, 175_000)
    assert revision.decision_reference == "BW-7420"
    assert revision.created_by.username == "carl"
    # Untouched years are no revision.
    assert TargetRevision.objects.count() == 1


def test_admin_adds_a_new_year_without_a_decision_reference(almelo, controller_client):
    measure = Measure.objects.get(title="Stoppen met dienstencheques")
    assert not measure.targets.filter(year=2019).exists()
    count = measure.targets.count()
    url = reverse("admin:measures_measure_change", args=[measure.pk])
    response = submit_admin_change(
        controller_client,
        url,
        {
            "targets-TOTAL_FORMS": str(count + 1),
            f"targets-{count}-measure": str(measure.pk),
            f"targets-{count}-year": "2019",
            f"targets-{count}-amount": "10.000",
        },
    )
    assert response.status_code == 302, admin_errors(response)
    assert measure.targets.get(year=2019).amount == 10_000
    assert not TargetRevision.objects.exists()


def test_admin_records_a_changed_savings_task_as_a_revision(almelo, controller_client):
    task = SavingsTask.objects.get(programme=almelo, year=2022)
    index = list(almelo.savings_tasks.order_by("year").values_list("pk", flat=True)).index(task.pk)
    url = reverse("admin:measures_programme_change", args=[almelo.pk])
    refused = submit_admin_change(
        controller_client, url, {f"savings_tasks-{index}-amount": "7.000.000"}
    )
    assert "Vul het besluitnummer van de raad in" in admin_errors(refused)
    task.refresh_from_db()
    previous = task.amount
    response = submit_admin_change(
        controller_client,
        url,
        {
            f"savings_tasks-{index}-amount": "7.000.000",
            f"savings_tasks-{index}-decision_reference": "BW-7421",
            f"savings_tasks-{index}-decided_on": "2020-11-10",
        },
    )
    assert response.status_code == 302, admin_errors(response)
    revision = TargetRevision.objects.get(savings_task=task)
    assert (revision.previous_amount, revision.new_amount) == (previous, 7_000_000)
