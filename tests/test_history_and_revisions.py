"""Every change is kept with who and when; council revisions keep the original target."""

from datetime import date

from django.urls import reverse

from measures import services
from measures.models import SavingsTask, YearTarget
from measures.money import format_euros
from measures.overview_data import load_overview
from tests.workflow import form_data, open_period, update_of


def test_measure_page_shows_the_timeline_with_who_and_what(almelo, client, django_user_model):
    owner = django_user_model.objects.get(username="invoerder")
    update = update_of("Stoppen met dienstencheques")
    client.force_login(owner)
    client.post(
        reverse("update_form", args=[update.pk]),
        form_data(update, explanation="Nieuwe uitleg", save="1"),
    )
    content = client.get(reverse("measure_detail", args=[update.measure_id])).content.decode()
    timeline = content.split('id="tijdlijn"', 1)[1]
    assert "Update Najaarsrapportage 2020</strong> bijgewerkt door Inge Invoerder" in timeline
    assert "Toelichting: " in timeline and "→ Nieuwe uitleg" in timeline
    assert "Update Midterm review 2020</strong> goedgekeurd door Carla Controller" in timeline


def test_target_changes_are_in_the_history_with_who(almelo, controller):
    target = YearTarget.objects.get(measure__title="Peuteropvang", year=2022)
    target.amount = 175_000
    target._history_user = controller
    target.save()
    record = target.history.first()
    assert record.history_user == controller and record.prev_record.amount == 150_000


def test_changes_page_lists_status_and_amount_changes(almelo, manager_client):
    content = manager_client.get(reverse("changes", args=[open_period().pk])).content.decode()
    assert (
        "Vergeleken met Midterm review 2020" in content
        or "vergeleken met Midterm review 2020" in content
    )
    row = content.split("Jeugdhulp in het onderwijs", 1)[1].split("</tr>", 1)[0]
    assert "Status gewijzigd" in row and "<td>-</td><td>Nee</td>" in row
    assert "€ 2.251.000" in content and "€ 1.800.000" in content


def test_changes_page_of_the_first_period_says_there_is_nothing_to_compare(almelo, manager_client):
    midterm = open_period().programme.periods.get(name="Midterm review 2020")
    content = manager_client.get(reverse("changes", args=[midterm.pk])).content.decode()
    assert "er is niets om mee te vergelijken" in content


def test_revised_savings_task_keeps_the_original_and_the_overview_shows_either(
    almelo, controller_client
):
    task = SavingsTask.objects.get(year=2022)
    response = controller_client.post(
        reverse("revise_target", args=[almelo.pk]),
        {
            "target": f"task-{task.pk}",
            "new_amount": "5.750.000",
            "reason": "Taakstelling met 1,8 miljoen verlaagd",
            "decision_reference": "BW-7420",
            "decided_on": "2020-11-10",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    revision = task.revisions.get()
    assert (revision.previous_amount, revision.new_amount) == (7_550_000, 5_750_000)
    period = open_period()
    revised = load_overview(period).overview
    original = load_overview(period, original_targets=True).overview
    assert revised.savings_task[2022] == 5_750_000 and original.savings_task[2022] == 7_550_000
    assert original.balance == revised.balance - 1_800_000
    page = controller_client.get(
        reverse("overview"), {"periode": period.pk, "taakstelling": "oorspronkelijk"}
    )
    assert (
        "-7.550" in page.content.decode()
        and "oorspronkelijke taakstellingen" in page.content.decode()
    )


def test_revising_a_measure_target_to_pm_and_refusing_bad_input(almelo, controller_client):
    target = YearTarget.objects.get(measure__title="Dagstructurering", year=2022)
    url = reverse("revise_target", args=[almelo.pk])
    bad = controller_client.post(
        url,
        {
            "target": f"target-{target.pk}",
            "new_amount": "veel",
            "reason": "",
            "decision_reference": "",
            "decided_on": "gisteren",
        },
    )
    errors = bad.context["form"].errors
    assert errors["new_amount"] == ["Vul een bedrag in hele euro's in, zoals 1.580.000, of PM."]
    assert {"reason", "decision_reference", "decided_on"} <= set(errors)
    target.refresh_from_db()
    assert target.amount == 440_000 and not target.revisions.exists()
    controller_client.post(
        url,
        {
            "target": f"target-{target.pk}",
            "new_amount": "PM",
            "reason": "Nog onzeker",
            "decision_reference": "BW-7421",
            "decided_on": "2020-11-10",
        },
    )
    target.refresh_from_db()
    assert target.is_pm and target.amount is None
    rows = load_overview(open_period(), original_targets=True).overview.measure_rows
    assert next(r for r in rows if r.label == "Dagstructurering").cells[2022].euros == 440_000


def test_closed_period_overview_ignores_later_revisions(almelo, django_user_model):
    controller = django_user_model.objects.get(username="controller")
    midterm = open_period().programme.periods.get(name="Midterm review 2020")
    services.revise_target(
        target=SavingsTask.objects.get(year=2022),
        new=services.NewAmount(5_750_000),
        reason="Verlaagd",
        decision_reference="BW-7420",
        decided_on=date(2020, 11, 10),
        user=controller,
    )
    services.revise_target(
        target=YearTarget.objects.get(measure__title="Peuteropvang", year=2022),
        new=services.NewAmount(1),
        reason="Bijgesteld",
        decision_reference="BW-7421",
        decided_on=date(2020, 11, 10),
        user=controller,
    )
    assert load_overview(midterm).overview.balance == 82_000
    assert load_overview(open_period()).overview.balance != 82_000


def test_timeline_shows_money_changes_in_a_fixed_number_of_queries(
    almelo, client, django_user_model, django_assert_max_num_queries
):
    from measures.history import measure_timeline

    owner = django_user_model.objects.get(username="invoerder")
    update = update_of("Stoppen met dienstencheques")
    client.force_login(owner)
    data = form_data(update, forecast_2021="999.000", save="1")
    client.post(reverse("update_form", args=[update.pk]), data)
    with django_assert_max_num_queries(12):
        entries = measure_timeline(update.measure)
    saved = entries[0]
    assert saved.user == "Inge Invoerder" and saved.action == "bijgewerkt"
    forecast = update.years.get(year=2021).forecast
    assert f"Prognose 2021: – → {format_euros(forecast)}" in saved.changes
