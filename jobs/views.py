"""The progress page of a background job, and its status as JSON for the page's script.

A job is seen by the user who asked for it (and a superuser), in the organisation it
belongs to; for anyone else it does not exist (404). The page works without script: it
says where the job stands and offers to look again; static/js/job-progress.js asks the
status endpoint every few seconds, updates the progress bar and announces the result.
"""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .models import Job, JobStatus


def _job(request, pk) -> Job:
    job = Job.objects.filter(pk=pk).select_related("created_by").first()
    if job is None or not (request.user.is_superuser or job.created_by_id == request.user.pk):
        raise Http404(_("Deze taak bestaat niet."))
    return job


def status_text(job: Job) -> str:
    if job.status == JobStatus.QUEUED:
        return job.step or _("In de wachtrij: de taak begint zodra er een verwerker vrij is.")
    if job.status == JobStatus.RUNNING:
        if job.total:
            return _("Bezig: %(done)s van %(total)s. %(step)s") % {
                "done": job.done,
                "total": job.total,
                "step": job.step,
            }
        return _("Bezig. %(step)s") % {"step": job.step}
    if job.status == JobStatus.DONE:
        return job.message or _("Klaar.")
    return job.message or _("Mislukt.")


@never_cache
def job_detail(request, pk):
    job = _job(request, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "status_text": status_text(job)})


@never_cache
def job_status(request, pk):
    job = _job(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "text": status_text(job),
            "done": job.done,
            "total": job.total,
            "percent": job.percent,
            "finished": job.is_finished,
            "result_url": job.result_url,
        }
    )
