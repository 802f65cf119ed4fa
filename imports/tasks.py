"""Confirming an import in the background (jobs): the page starts the job and shows its
progress; the worker applies the import through `services.confirm_import`, all or
nothing, and the job ends with a link to what became of it."""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django_tasks import task

from jobs.services import running
from measures.audit import acting_user

from . import services

KIND = "import"


def decision_arguments(decision: services.Decision | None) -> dict | None:
    """The decision as the job's (JSON) arguments hold it."""
    if decision is None:
        return None
    return {
        "reference": decision.reference,
        "decided_on": decision.decided_on.isoformat(),
        "reason": decision.reason,
    }


@task()
def confirm_import(
    job_id: str,
    record_id: int,
    user_id: int,
    digest: str,
    decision: dict | None,
    record_url: str,
    result_url: str,
) -> str:
    """`record_url` is the import's page (the preview to confirm again), `result_url`
    where an applied import is shown: the site's or the admin's (imports.views.Frame)."""
    with running(job_id) as job:
        user = get_user_model().objects.get(pk=user_id)
        if decision is not None:
            decision = services.Decision(
                reference=decision["reference"],
                decided_on=date.fromisoformat(decision["decided_on"]),
                reason=decision["reason"],
            )
        try:
            # A task has no request: the history names the importer through acting_user.
            with acting_user(user):
                outcome = services.confirm_import(
                    record_id=record_id,
                    user=user,
                    expected_digest=digest,
                    decision=decision,
                    progress=job.progress,
                )
        except services.ImportNotPending:
            job.finish(result_url=record_url, message=_("Deze import was al afgehandeld."))
            return "not pending"
        except services.DecisionRequired:
            job.finish(
                result_url=record_url,
                message=_(
                    "Er is niets geïmporteerd: de import wijzigt bestaande taakstellingen. "
                    "Vul het besluitnummer van de raad in en bevestig opnieuw."
                ),
            )
            return "decision required"
        if outcome.applied:
            job.finish(result_url=result_url, message=_("De import is uitgevoerd."))
            return "applied"
        if outcome.outdated:
            job.finish(
                result_url=record_url,
                message=_(
                    "Er is intussen iets veranderd aan deze maatregelen, dus er is nog niets "
                    "geïmporteerd. Bekijk wat de import nu zou doen en bevestig opnieuw."
                ),
            )
            return "outdated"
        job.finish(
            result_url=record_url,
            message=_("Er is niets geïmporteerd: de import is geweigerd. Bekijk waarom."),
        )
        return "refused"
