"""Writes into a period lock it in one order (see measures.services): closing cannot
slip between a check and a commit, and an import runs alongside owners who save.

Real threads on PostgreSQL, through the pages; a few rounds each, since a race shows
only now and then."""

import threading
import time
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.urls import reverse

from imports.models import ImportRecord, ImportStatus
from jobs.testing import run_worker
from measures import services
from measures.constants import Role, UpdateState
from measures.demo import load_demo
from measures.models import Measure, MeasureUpdate, ReportingPeriod
from tests.conftest import make_user
from tests.imports.conftest import csv_bytes, digest_in, upload
from tests.workflow import form_in_page

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def logged_in(user) -> Client:
    # A 500 is an outcome to count here, not an exception to stop the thread.
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def run_together(*jobs) -> None:
    """Start every job in its own thread with its own database connection, together."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=10)
            job()
        except Exception as error:  # reported below, with the thread's traceback lost
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_closing_and_submitting_at_once_never_leave_a_submission_in_a_closed_period():
    """Each round opens a period, then the controller closes it while owners submit.
    Either the submissions come first and closing is refused, or closing comes first and
    the submissions are refused: never a submitted update in a closed period."""
    load_demo()
    users = get_user_model().objects
    controller = users.get(username="controller")
    programme = ReportingPeriod.objects.get(name="Najaarsrapportage 2020").programme
    closed_with_submissions, codes = [], []
    for round_number in range(4):
        period = services.open_period(
            programme=programme,
            name=f"Ronde {round_number}",
            kind="tussenrapportage",
            reference_date=date(2021, 1, 1 + round_number),
            user=controller,
        )
        updates = MeasureUpdate.objects.filter(
            period=period, status__counts_as_on_course=True, measure__owner__isnull=False
        ).select_related("measure__owner")

        def submit(update, delay):
            def job():
                time.sleep(delay)
                response = logged_in(update.measure.owner).post(
                    reverse("submit_unchanged", args=[update.pk])
                )
                codes.append(response.status_code)

            return job

        def close(period=period):
            response = logged_in(controller).post(reverse("close_period", args=[period.pk]))
            codes.append(response.status_code)

        run_together(
            close,
            *(submit(update, delay=0.005 * i) for i, update in enumerate(updates[:6])),
        )
        period.refresh_from_db()
        submitted = period.updates.filter(state=UpdateState.SUBMITTED).count()
        if period.is_closed and submitted:
            closed_with_submissions.append(round_number)
        if not period.is_closed:
            # Closing was refused because submissions came first: clear the way for the
            # next round, whose previous period this one is.
            for update in period.updates.filter(state=UpdateState.SUBMITTED):
                services.return_update(update_id=update.pk, user=controller, reason="Ronde")
            services.close_period(period=period, user=controller)
    assert set(codes) == {302}, codes
    assert closed_with_submissions == [], (
        f"rounds {closed_with_submissions} closed with submitted updates left in them"
    )


def status_file(measures, status: str) -> bytes:
    rows = [["Maatregelenplan", "Volgnr", "Titel", "Op koers"]]
    rows += [[m.plan.name, m.number, m.title, status] for m in measures]
    return csv_bytes(rows)


def test_an_import_with_statuses_succeeds_while_the_owners_save():
    """Each round a controller imports statuses for six measures while their six owners
    keep saving them: the import is applied, every save lands (after the conflict
    page when the import overtook it), and nobody gets an error page."""
    load_demo()
    period = ReportingPeriod.objects.get(name="Najaarsrapportage 2020")
    importer = make_user("importeur", Role.CONTROLLER)
    updates = list(
        MeasureUpdate.objects.filter(period=period, measure__plan__isnull=False)
        .exclude(state=UpdateState.SUBMITTED)
        .select_related("measure__plan")
        .order_by("pk")[:6]
    )
    measures = [update.measure for update in updates]
    owners = []
    for number, measure in enumerate(measures):
        owner = make_user(f"eigenaar-{number}", Role.INVOERDER)
        Measure.objects.filter(pk=measure.pk).update(owner=owner)
        owners.append(owner)
    importer_client = logged_in(importer)
    import_codes, save_codes = [], []
    for round_number, status in enumerate(["-", "Ja"]):
        response = upload(
            importer_client,
            status_file(measures, status),
            programme=period.programme,
            period=period,
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        preview_url = response["Location"]
        digest = digest_in(importer_client.get(preview_url).content.decode())
        done = threading.Event()

        def confirm(preview_url=preview_url, digest=digest, done=done):
            time.sleep(0.05)  # the owners are saving by now
            try:
                # The POST starts the job; the worker runs it meanwhile, as `make run`'s would.
                confirmed = importer_client.post(preview_url, {"digest": digest})
                import_codes.append(confirmed.status_code)
                run_worker()
            finally:
                done.set()

        def keep_saving(owner, update, round_number=round_number, done=done):
            def job():
                client = logged_in(owner)
                url = reverse("update_form", args=[update.pk])
                saves = 0
                for _attempt in range(40):  # bounded, should saving keep failing
                    if saves >= 2 and done.is_set():
                        break
                    data = form_in_page(client.get(url).content.decode())
                    data.update(explanation=f"{owner.username} {round_number} {saves}", save="1")
                    response = client.post(url, data)
                    save_codes.append(response.status_code)
                    if response.status_code == 409:  # the import overtook it: save again
                        response = client.post(url, form_in_page(response.content.decode()))
                        save_codes.append(response.status_code)
                    saves += response.status_code == 302

            return job

        run_together(confirm, *(keep_saving(o, u) for o, u in zip(owners, updates, strict=True)))
        assert import_codes[-1] == 302, f"round {round_number}: the import got {import_codes[-1]}"
        assert 500 not in save_codes, f"round {round_number}: saves got {save_codes}"
        record = ImportRecord.objects.order_by("pk").last()
        assert record.status == ImportStatus.APPLIED, (round_number, record.problems)
        for owner, update in zip(owners, updates, strict=True):
            update.refresh_from_db()
            assert update.explanation.startswith(f"{owner.username} {round_number} ")
        assert set(
            period.assessments.filter(measure__in=measures).values_list("status__label", flat=True)
        ) == {status}
    assert set(save_codes) <= {302, 409}, save_codes
