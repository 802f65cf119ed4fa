"""E-mail when an update is submitted, sent back and approved; deadline reminders before
and on the deadline, once each; "te laat" once a deadline passed; and each user switches
their e-mails off on Mijn instellingen (issue 13 item 6). Mails are read from Django's
outbox (the locmem backend of the test settings)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from measures.constants import UpdateState
from measures.models import MeasureUpdate, ReportingPeriod, StatusLevel
from notifications.models import NotificationSettings, SentReminder
from tests.workflow import form_data, open_period, update_of

User = get_user_model()

CONTROLLER_MAIL = "carla.controller@almelo.example"
INVOERDER_MAIL = "inge.invoerder@almelo.example"
JOKE_MAIL = "joke.dejong@almelo.example"


def demo(username):
    return User.objects.get(username=username)


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Runs what waits for the commit, as a real request's transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def sent_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def submit(client, title="Stoppen met dienstencheques", **changes):
    update = update_of(title)
    client.force_login(demo("invoerder"))
    response = client.post(
        reverse("update_form", args=[update.pk]), form_data(update, submit="1", **changes)
    )
    return update, response


# -- The workflow ------------------------------------------------------------------------


def test_submitting_mails_the_controllers_but_not_the_submitter(almelo, client, commits):
    with commits():
        update, response = submit(client, explanation="Loopt volgens plan.")
    assert response.status_code == 302
    [message] = sent_to(CONTROLLER_MAIL)
    assert message.subject == "Update ingediend: 3 Stoppen met dienstencheques"
    assert "Beste Carla Controller," in message.body
    assert (
        "Inge Invoerder heeft de update van 3 Stoppen met dienstencheques voor "
        "Najaarsrapportage 2020 ingediend." in message.body
    )
    assert "http://127.0.0.1:8000/goedkeuren/" in message.body
    assert "http://127.0.0.1:8000/mijn-instellingen/" in message.body
    assert not sent_to(INVOERDER_MAIL)
    # Only people who may approve: no manager, no beheerder.
    assert {m.to[0] for m in mail.outbox} == {CONTROLLER_MAIL}


def test_a_refused_submit_mails_nobody(almelo, client, commits):
    not_on_course = StatusLevel.objects.get(scale__programmes=almelo, label="Nee")
    with commits():
        _update, response = submit(client, status=str(not_on_course.pk), cause="")
    assert response.status_code == 200  # cause, consequence and action are missing
    assert mail.outbox == []


def test_sending_back_mails_the_owner_with_the_reason(almelo, client, commits):
    update = update_of("Aanpassing PGB tarieven")  # submitted by the demo invoerder
    client.force_login(demo("controller"))
    with commits():
        client.post(
            reverse("return_update", args=[update.pk]),
            {"reason": "Graag de raming voor 2022 toelichten."},
        )
    [message] = sent_to(INVOERDER_MAIL)
    assert message.subject == "Update teruggestuurd: 2 Aanpassing PGB tarieven"
    assert "Carla Controller heeft de update van 2 Aanpassing PGB tarieven" in message.body
    assert "Reden:\nGraag de raming voor 2022 toelichten." in message.body
    assert f"http://127.0.0.1:8000/updates/{update.pk}/" in message.body


def test_approving_mails_each_owner_once_with_their_measures(almelo, client, commits):
    waiting = list(MeasureUpdate.objects.filter(period=open_period(), state=UpdateState.SUBMITTED))
    assert len(waiting) == 2 and {u.measure.owner.username for u in waiting} == {"invoerder"}
    client.force_login(demo("controller"))
    with commits():
        client.post(reverse("approvals"), {"update": [u.pk for u in waiting]})
    [message] = sent_to(INVOERDER_MAIL)
    assert message.subject == "2 updates goedgekeurd"
    assert "Carla Controller heeft deze updates goedgekeurd:" in message.body
    for update in waiting:
        assert str(update.measure) in message.body
        assert f"http://127.0.0.1:8000/maatregelen/{update.measure_id}/" in message.body
    assert len(mail.outbox) == 1


def test_a_user_who_switched_workflow_mails_off_gets_none(almelo, client, commits):
    client.force_login(demo("controller"))
    client.post(reverse("my_settings"), {"reminder_mails": "on"})
    with commits():
        submit(client, explanation="Loopt volgens plan.")
    assert mail.outbox == []


def test_mail_waits_for_the_commit(almelo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(client, explanation="Loopt volgens plan.")
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(sent_to(CONTROLLER_MAIL)) == 1


# -- Deadline reminders -----------------------------------------------------------------


def reminders(on: str, *extra) -> str:
    from io import StringIO

    out = StringIO()
    call_command("send_reminders", "--date", on, *extra, stdout=out)
    return out.getvalue()


def test_reminders_go_out_days_before_and_on_the_deadline_once_each(almelo):
    # The demo's Najaarsrapportage 2020 has its deadline on 23 October 2020.
    assert reminders("2020-10-19").endswith("0 herinneringen verstuurd.\n")  # 4 days before
    output = reminders("2020-10-20")  # 3 days before: the default
    assert output.endswith("2 herinneringen verstuurd.\n")
    owners = {m.to[0] for m in mail.outbox}
    assert owners == {INVOERDER_MAIL, JOKE_MAIL}  # both have unfinished updates
    [to_inge] = sent_to(INVOERDER_MAIL)
    assert to_inge.subject == "Herinnering: Najaarsrapportage 2020 bijwerken vóór 23 oktober"
    assert "Over 3 dagen, op 23 oktober 2020, is de uiterste invoerdatum" in to_inge.body
    assert "3 Stoppen met dienstencheques" in to_inge.body
    assert "Aanpassing PGB tarieven" not in to_inge.body  # submitted, nothing to do
    assert "http://127.0.0.1:8000/mijn-maatregelen/" in to_inge.body
    [to_joke] = sent_to(JOKE_MAIL)
    assert "(teruggestuurd)" in to_joke.body

    # Running again, the same day or the next, sends nothing twice.
    mail.outbox.clear()
    assert reminders("2020-10-20").endswith("0 herinneringen verstuurd.\n")
    assert reminders("2020-10-21").endswith("0 herinneringen verstuurd.\n")
    assert mail.outbox == []

    # On the deadline itself, once more.
    assert reminders("2020-10-23").endswith("2 herinneringen verstuurd.\n")
    [due] = sent_to(INVOERDER_MAIL)
    assert due.subject == "Vandaag uiterste invoerdatum: Najaarsrapportage 2020"
    assert reminders("2020-10-23").endswith("0 herinneringen verstuurd.\n")
    assert SentReminder.objects.count() == 4
    # After the deadline no more reminders: the pages say "te laat".
    assert reminders("2020-10-24").endswith("0 herinneringen verstuurd.\n")


def test_reminder_days_follow_the_setting(almelo, settings):
    settings.REMINDER_DAYS_BEFORE = 5
    assert reminders("2020-10-18").endswith("2 herinneringen verstuurd.\n")


def test_a_dry_run_sends_and_records_nothing(almelo):
    output = reminders("2020-10-20", "--dry-run")
    assert "Proefdraai: 2 herinneringen zouden worden verstuurd." in output
    assert INVOERDER_MAIL in output
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_owners_who_finished_or_switched_reminders_off_get_none(almelo, client):
    client.force_login(demo("invoerder"))
    client.post(reverse("my_settings"), {"workflow_mails": "on"})  # reminders off
    # Joke is done.
    MeasureUpdate.objects.filter(
        measure__owner__username="projectleider.jeugd",
        state__in=[UpdateState.DRAFT, UpdateState.RETURNED],
    ).update(state=UpdateState.SUBMITTED)
    assert reminders("2020-10-20").endswith("0 herinneringen verstuurd.\n")
    assert mail.outbox == []


# -- "Te laat" --------------------------------------------------------------------------


def set_deadline(days_from_today: int):
    ReportingPeriod.objects.filter(pk=open_period().pk).update(
        deadline=timezone.localdate() + timedelta(days=days_from_today)
    )


PAGES = [
    ("invoerder", lambda: reverse("my_measures")),
    ("controller", lambda: reverse("completeness", args=[open_period().pk])),
    ("manager", lambda: reverse("periods")),
]


@pytest.mark.parametrize(("username", "url"), PAGES)
def test_te_laat_is_marked_once_the_deadline_passed(almelo, client, username, url):
    client.force_login(demo(username))
    set_deadline(0)  # the deadline day itself is still in time
    assert "te laat" not in client.get(url()).content.decode().lower()
    set_deadline(-1)
    page = client.get(url()).content.decode()
    assert '<strong class="late">' in page and "te laat" in page.lower()


def test_periods_page_counts_the_late_updates(almelo, manager_client):
    set_deadline(-1)
    page = manager_client.get(reverse("periods")).content.decode()
    late = MeasureUpdate.objects.filter(
        period=open_period(), state__in=[UpdateState.DRAFT, UpdateState.RETURNED]
    ).count()
    assert f"te laat: {late} updates niet ingediend" in page


def test_my_measures_marks_only_unfinished_updates_late(almelo, client):
    set_deadline(-1)
    client.force_login(demo("invoerder"))
    page = client.get(reverse("my_measures")).content.decode()
    waiting = page.split('id="wacht"', 1)[1]
    assert "te laat" not in waiting.split("</section>", 1)[0]  # submitted in time or not
    to_do = page.split('id="bij-te-werken"', 1)[1].split("</section>", 1)[0]
    assert to_do.count('class="late"') == to_do.count("<tr>") - 1  # every row but the head


# -- Mijn instellingen ------------------------------------------------------------------


def test_settings_page_shows_the_address_and_changes_nothing_by_looking(almelo, client):
    client.force_login(demo("invoerder"))
    page = client.get(reverse("my_settings")).content.decode()
    assert INVOERDER_MAIL in page and "checked" in page
    assert not NotificationSettings.objects.exists()


def test_settings_page_saves_the_users_own_choice(almelo, client):
    client.force_login(demo("manager"))
    response = client.post(reverse("my_settings"), {"reminder_mails": "on"}, follow=True)
    assert "Uw instellingen zijn opgeslagen." in response.content.decode()
    saved = NotificationSettings.objects.get()
    assert saved.user.username == "manager"
    assert (saved.workflow_mails, saved.reminder_mails) == (False, True)


def test_every_page_links_my_settings(almelo, manager_client):
    page = manager_client.get(reverse("overview")).content.decode()
    assert f'href="{reverse("my_settings")}"' in page
