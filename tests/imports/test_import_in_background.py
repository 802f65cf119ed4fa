"""Confirming an import starts a background job: the controller gets its progress page
at once, the task engine's worker applies the import, and the page then links to the
import's result (issue 12 item 3)."""

from django.urls import resolve, reverse

from imports.models import ImportRecord, ImportStatus
from jobs.models import Job, JobStatus
from jobs.testing import run_worker
from tests.imports.conftest import almelo_rows, digest_in, upload, xlsx


def test_confirming_shows_the_progress_page_and_then_links_to_the_result(
    zorg, midterm, controller, controller_client
):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    preview_url = response["Location"]
    digest = digest_in(controller_client.get(preview_url).content.decode())

    confirmed = controller_client.post(preview_url, {"digest": digest})
    assert confirmed.status_code == 302
    assert resolve(confirmed["Location"]).view_name == "jobs:detail"
    job = Job.objects.get()
    assert (job.kind, job.created_by, job.status) == ("import", controller, JobStatus.QUEUED)
    assert job.title == "Import van maatregelen.xlsx"
    waiting = controller_client.get(confirmed["Location"]).content.decode()
    assert "In de wachtrij" in waiting
    # Nothing is imported until the worker runs the job.
    assert not zorg.measures.exists()
    assert ImportRecord.objects.get().status == ImportStatus.PREVIEW

    assert run_worker() == 1
    job.refresh_from_db()
    record = ImportRecord.objects.get()
    assert record.status == ImportStatus.APPLIED
    assert zorg.measures.count() == 15
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 3, 3)
    assert job.result_url == reverse("imports:record", kwargs={"pk": record.pk})
    done = controller_client.get(confirmed["Location"]).content.decode()
    assert "De import is uitgevoerd." in done
    assert f'href="{job.result_url}"' in done
    result = controller_client.get(job.result_url).content.decode()
    assert "Import uitgevoerd" in result and "Doorbraakmethode" in result


def test_a_second_click_starts_no_second_import(zorg, midterm, controller_client):
    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    preview_url = response["Location"]
    digest = digest_in(controller_client.get(preview_url).content.decode())
    controller_client.post(preview_url, {"digest": digest})
    controller_client.post(preview_url, {"digest": digest})
    assert run_worker() == 2
    assert zorg.measures.count() == 15
    first, second = Job.objects.order_by("created_at")
    assert first.message == "De import is uitgevoerd."
    assert second.message == "Deze import was al afgehandeld."
    assert ImportRecord.objects.get().status == ImportStatus.APPLIED


def test_another_user_does_not_see_the_import_job(zorg, midterm, controller_client, client):
    from measures.constants import Role
    from tests.conftest import make_user

    response = upload(controller_client, xlsx(almelo_rows()), programme=zorg, period=midterm)
    preview_url = response["Location"]
    digest = digest_in(controller_client.get(preview_url).content.decode())
    job_url = controller_client.post(preview_url, {"digest": digest})["Location"]
    client.force_login(make_user("collega", Role.CONTROLLER))
    assert client.get(job_url).status_code == 404
