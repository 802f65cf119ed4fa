"""Pages of the update workflow: my measures, the update form, approval, periods,
completeness and changes. Every view checks its permission on the server; object-level
rules (an invoerder edits only their own measures) are checked by the services too."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import services
from .changes import changes_since_previous
from .constants import UNFINISHED_STATES, UpdateState
from .forms import OpenPeriodForm, ReturnForm, RevisionForm, UpdateForm
from .keys import can_be_key
from .models import (
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    StatusLevel,
    TargetRevision,
    UpdateYear,
)
from .money import format_euros
from .review import reviews_of

UPDATE_RELATIONS = [
    "measure",
    "measure__plan",
    "measure__owner",
    "period",
    "period__programme",
    "status",
    "updated_by",
    "submitted_by",
]


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@permission_required("measures.change_measureupdate", raise_exception=True)
def my_measures(request):
    """The invoerder's start page: their measures in the open periods and what they need."""
    updates = (
        MeasureUpdate.objects.filter(period__is_closed=False)
        .filter(Q(measure__owner=request.user) | Q(measure__delegates=request.user))
        .select_related(*UPDATE_RELATIONS)
        .distinct()
        .order_by("period__deadline", "measure__plan__order", "measure__sort_key")
    )
    groups = {
        state: []
        for state in (
            UpdateState.RETURNED,
            UpdateState.DRAFT,
            UpdateState.SUBMITTED,
            UpdateState.APPROVED,
        )
    }
    for update in updates:
        groups[update.state].append(update)
    periods = sorted({u.period for u in updates}, key=lambda p: (p.deadline is None, p.deadline))
    return render(
        request,
        "measures/my_measures.html",
        {"groups": groups, "periods": periods, "total": len(updates)},
    )


def editable_update(request, pk: int) -> MeasureUpdate:
    update = get_object_or_404(MeasureUpdate.objects.select_related(*UPDATE_RELATIONS), pk=pk)
    if not update.measure.can_be_updated_by(request.user):
        raise PermissionDenied(_("U mag deze maatregel niet bijwerken."))
    return update


def update_form(request, pk: int):
    """Edit a measure's update; "Opslaan" keeps a draft, "Indienen" sends it for approval."""
    update = editable_update(request, pk)
    levels = list(StatusLevel.objects.filter(scale_id=update.period.programme.status_scale_id))
    if update.period.is_closed:
        messages.info(
            request, _("Dit rapportagemoment is afgesloten; de update kan niet meer veranderen.")
        )
        return redirect("measure_detail", update.measure_id)
    form = UpdateForm(request.POST or None, update=update, levels=levels)
    # Implausible amounts stop the form once, with a warning at the field, until confirmed.
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation:
        try:
            # One transaction: a refused submit also undoes the save, so the page can say
            # truthfully that nothing was stored.
            with transaction.atomic():
                update = services.save_update(
                    update_id=update.pk,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    content=form.content(),
                    years=form.years(),
                )
                if "submit" in request.POST:
                    services.submit_update(
                        update_id=update.pk, user=request.user, expected_version=update.version
                    )
                    done = _("De update van %(m)s is ingediend ter goedkeuring.")
                else:
                    done = _("De update van %(m)s is opgeslagen als concept.")
            messages.success(request, done % {"m": update.measure})
            return redirect("my_measures")
        except services.ConcurrentUpdateError as error:
            form.add_error(None, error)
            current = error.current
            # Saving again after comparing is a deliberate choice, so it goes on from theirs.
            # Everything else in the form stays as this user typed it, yearly figures too.
            form.data = form.data.copy()
            form.data["version"] = current.version
            return render(
                request,
                "measures/update_form.html",
                update_context(form, update, conflict=current),
                status=409,
            )
        except ValidationError as error:
            add_errors(form, error)
            update.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = update.version
    return render(request, "measures/update_form.html", update_context(form, update))


def update_context(form, update, conflict: MeasureUpdate | None = None) -> dict:
    """The update form's page. With `conflict`, the version someone else saved meanwhile:
    each yearly input shows their figure beside it, so nothing is compared from memory.

    `year_rows` holds per year its cells, each a bound field (or None where the form has
    no such column that year) with the other's figure for it, and the year's target.
    """
    theirs = {year.year: year for year in conflict.years.all()} if conflict else {}
    rows = [
        (
            year,
            [
                (field, their_figure(theirs.get(year), column) if conflict else None)
                for column, field in zip(UpdateForm.YEAR_COLUMNS, fields, strict=True)
            ],
            form.targets.get(year),
        )
        for year, fields in form.bound_year_rows()
    ]
    return {"form": form, "update": update, "year_rows": rows, "conflict": conflict}


def their_figure(year: UpdateYear | None, column: str) -> str:
    """One yearly figure of the other's version as the conflict page shows it."""
    if year is not None and column == "forecast" and year.forecast_is_pm:
        return "PM"
    value = getattr(year, column, None)
    if value is None:
        return "–"
    return str(value) if column.startswith("volume") else format_euros(value)


@require_POST
def submit_unchanged(request, pk: int):
    """One click for a measure that has not changed since the last approved values."""
    update = editable_update(request, pk)
    try:
        services.submit_update(update_id=update.pk, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("%(m)s is niet ingediend: %(e)s")
            % {"m": update.measure, "e": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("%(m)s is ongewijzigd ingediend.") % {"m": update.measure})
    return redirect("my_measures")


@permission_required("measures.approve_measureupdate", raise_exception=True)
def approvals(request):
    """Submitted updates waiting for approval; several can be approved at once."""
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("update") if can_be_key(MeasureUpdate, pk)]
        if not ids:
            messages.error(request, _("Kies ten minste één update om goed te keuren."))
        else:
            try:
                approved = services.approve_updates(update_ids=ids, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                count = len(approved)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s update goedgekeurd.", "%(count)s updates goedgekeurd.", count
                    )
                    % {"count": count},
                )
        return redirect("approvals")
    waiting = list(
        MeasureUpdate.objects.filter(state=UpdateState.SUBMITTED, period__is_closed=False)
        .select_related(*UPDATE_RELATIONS)
        .prefetch_related("years", "measure__targets")
        .order_by("period__reference_date", "measure__plan__order", "measure__sort_key")
    )
    # Four eyes, shown before anyone tries: what this controller changed or submitted is
    # for a colleague (the service refuses it whatever the page shows).
    own = services.changed_by(request.user, [update.pk for update in waiting])
    return render(request, "measures/approvals.html", {"reviews": reviews_of(waiting), "own": own})


@permission_required("measures.approve_measureupdate", raise_exception=True)
def return_update(request, pk: int):
    update = get_object_or_404(MeasureUpdate.objects.select_related(*UPDATE_RELATIONS), pk=pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_update(
                update_id=update.pk, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("De update van %(m)s is teruggestuurd.") % {"m": update.measure}
            )
            return redirect("approvals")
    return render(request, "measures/return_form.html", {"form": form, "update": update})


@permission_required("measures.view_reportingperiod", raise_exception=True)
def periods(request):
    """All periods with their progress; controllers open and close them here."""
    rows = (
        ReportingPeriod.objects.select_related("programme__organisation", "closed_by")
        .defer("frozen_report")
        .annotate(
            update_count=Count("updates"),
            submitted=Count("updates", filter=Q(updates__state=UpdateState.SUBMITTED)),
            approved=Count("updates", filter=Q(updates__state=UpdateState.APPROVED)),
            unfinished=Count("updates", filter=Q(updates__state__in=UNFINISHED_STATES)),
        )
        .order_by("programme__name", "-reference_date")
    )
    rows = list(rows)
    can_open = request.user.has_perm("measures.add_reportingperiod")
    form = None
    if can_open:
        # The next period is most likely one of the programme reported on last.
        latest = max(rows, key=lambda period: period.reference_date, default=None)
        form = OpenPeriodForm(
            request.POST or None, initial={"programme": latest.programme_id if latest else None}
        )
        if request.method == "POST" and form.is_valid():
            try:
                period = services.open_period(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Rapportagemoment %(p)s is geopend.") % {"p": period})
                return redirect("completeness", period.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "measures/periods.html", {"rows": rows, "form": form})


@permission_required("measures.close_reportingperiod", raise_exception=True)
def close_period(request, pk: int):
    """Closing cannot be undone, so it asks first and shows what will be reported."""
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("programme__organisation"), pk=pk
    )
    if request.method == "POST":
        try:
            services.close_period(period=period, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Rapportagemoment %(p)s is afgesloten.") % {"p": period})
        return redirect("periods")
    counts = dict(
        MeasureUpdate.objects.filter(period=period)
        .values_list("state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return render(
        request,
        "measures/close_period.html",
        {"period": period, "counts": {state: counts.get(state, 0) for state in UpdateState}},
    )


@permission_required("measures.view_reportingperiod", raise_exception=True)
def completeness(request, pk: int):
    """Who has not updated yet, what waits for approval, what was sent back."""
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("programme__organisation"), pk=pk
    )
    updates = (
        MeasureUpdate.objects.filter(period=period)
        .select_related(*UPDATE_RELATIONS)
        .order_by("measure__plan__order", "measure__sort_key")
    )
    groups = {state: [] for state in UpdateState}
    not_started = []
    for update in updates:
        if update.state == UpdateState.DRAFT and update.version == 1:
            not_started.append(update)
        else:
            groups[update.state].append(update)
    return render(
        request,
        "measures/completeness.html",
        {"period": period, "groups": groups, "not_started": not_started, "total": len(updates)},
    )


@permission_required("measures.view_reportingperiod", raise_exception=True)
def changes(request, pk: int):
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("programme__organisation"), pk=pk
    )
    return render(
        request,
        "measures/changes.html",
        {"period": period, "result": changes_since_previous(period)},
    )


@permission_required("measures.add_targetrevision", raise_exception=True)
def revise_target(request, programme_pk: int):
    """Record a council decision that changes a target; the old amount stays in the history."""
    programme = get_object_or_404(Programme, pk=programme_pk)
    # The measure page links each target here with ?taakstelling=<its choice> and
    # ?next=<itself>, to return there; any other next is ignored.
    chosen = {"target": request.GET.get("taakstelling", "")}
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    form = RevisionForm(request.POST or None, programme=programme, initial=chosen)
    # An implausible amount stops the form once, with a warning at the field, until confirmed.
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation:
        target = form.targets[form.cleaned_data["target"]]
        amount = form.cleaned_data["new_amount"]
        is_pm = not isinstance(amount, int)
        try:
            services.revise_target(
                target=target,
                new=services.NewAmount(None if is_pm else amount, is_pm=is_pm),
                reason=form.cleaned_data["reason"],
                decision_reference=form.cleaned_data["decision_reference"],
                decided_on=form.cleaned_data["decided_on"],
                user=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("De taakstelling is herzien."))
            return redirect(next_url or reverse("overview"))
    revisions = (
        TargetRevision.objects.filter(
            Q(year_target__measure__programme=programme) | Q(savings_task__programme=programme)
        )
        .select_related("year_target__measure", "savings_task", "created_by")
        .order_by("-decided_on", "-created_at")
    )
    return render(
        request,
        "measures/revise_target.html",
        {"form": form, "programme": programme, "revisions": revisions, "next": next_url},
    )
