"""Pages of the chapter's workflow: writing a text of a period, setting an action
point's status, the writer's list (Mijn hoofdstuk) and the controller's Goedkeuren of
texts and statuses. As for measures (measures.workflow_views), every view checks its
permission on the server, and the services check the object-level rules and four eyes
again."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from indicators.models import Indicator
from measures.constants import UpdateState
from measures.keys import can_be_key
from measures.models import ReportingPeriod, StatusLevel
from measures.services import ConcurrentUpdateError, changed_by
from measures.workflow_views import add_errors

from . import services
from .forms import ActionPointStatusForm, ReturnForm, TextVersionForm
from .models import ActionPointStatus, TextVersion

CAN_APPROVE = services.CAN_APPROVE
ROW_RELATIONS = ["period", "period__programme", "updated_by", "submitted_by"]
RELATIONS = {
    TextVersion: [
        *ROW_RELATIONS,
        "text",
        "text__owner",
        "text__goal",
        "text__theme",
        "text__action_point",
    ],
    ActionPointStatus: [
        *ROW_RELATIONS,
        "action_point",
        "action_point__owner",
        "action_point__goal",
        "action_point__theme",
        "status",
        "approved_status",
    ],
}
# The kinds of row in the URLs of the shared actions (submit unchanged, send back).
KINDS = {"tekst": TextVersion, "actiepunt": ActionPointStatus}
# Where a writer's list shows returned work first.
STATE_ORDER = [UpdateState.RETURNED, UpdateState.DRAFT, UpdateState.SUBMITTED, UpdateState.APPROVED]


def model_of(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404 from None


def editable_row(request, model, pk: int):
    """The row, if the user may write its subject (403) in their organisation (404)."""
    row = get_object_or_404(model.objects.select_related(*RELATIONS[model]), pk=pk)
    if not row.subject.can_be_updated_by(request.user):
        raise PermissionDenied(_("U mag dit onderdeel niet bijwerken."))
    return row


def text_form(request, pk: int):
    """Write a text of a period; "Opslaan" keeps a draft, "Indienen" sends it for approval."""
    row = editable_row(request, TextVersion, pk)
    form = TextVersionForm(request.POST or None, row=row)
    return edit_row(request, row, form, "chapters/text_form.html")


def status_form(request, pk: int):
    """Set an action point's status in a period, on the programme's scale."""
    row = editable_row(request, ActionPointStatus, pk)
    levels = list(StatusLevel.objects.filter(scale_id=row.period.programme.status_scale_id))
    form = ActionPointStatusForm(request.POST or None, row=row, levels=levels)
    return edit_row(request, row, form, "chapters/status_form.html")


def edit_row(request, row, form, template: str):
    """The one save-or-submit flow of both forms, as the measure's update form has it."""
    model = type(row)
    if row.period.is_closed:
        # Frozen: shown as it was reported, and nothing posted is stored.
        return render(request, template, {"form": form, "row": row, "read_only": True})
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction: a refused submit also undoes the save, so the page can say
            # truthfully that nothing was stored.
            with transaction.atomic():
                row = services.save_row(
                    model=model,
                    row_id=row.pk,
                    user=request.user,
                    expected_version=form.cleaned_data["version"],
                    content=form.content(),
                )
                if "submit" in request.POST:
                    services.submit_row(
                        model=model, row_id=row.pk, user=request.user, expected_version=row.version
                    )
                    done = _("%(s)s is ingediend ter goedkeuring.")
                else:
                    done = _("%(s)s is opgeslagen als concept.")
            messages.success(request, done % {"s": row.subject})
            return redirect("chapters:my_chapter")
        except ConcurrentUpdateError as error:
            form.add_error(None, error)
            # Saving again after comparing goes on from their version; the rest of the
            # form stays as this user typed it.
            form.data = form.data.copy()
            form.data["version"] = error.current.version
            context = {"form": form, "row": row, "conflict": error.current}
            return render(request, template, context, status=409)
        except ValidationError as error:
            add_errors(form, error)
            row.refresh_from_db()
            form.data = form.data.copy()
            form.data["version"] = row.version
    return render(request, template, {"form": form, "row": row})


@require_POST
def submit_unchanged(request, kind: str, pk: int):
    """One click for a text or status that has not changed since the last approval."""
    model = model_of(kind)
    row = editable_row(request, model, pk)
    try:
        services.submit_row(model=model, row_id=row.pk, user=request.user)
    except ValidationError as error:
        messages.error(
            request,
            _("%(s)s is niet ingediend: %(e)s") % {"s": row.subject, "e": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("%(s)s is ongewijzigd ingediend.") % {"s": row.subject})
    return redirect("chapters:my_chapter")


def by_state(rows) -> list:
    return sorted(rows, key=lambda row: STATE_ORDER.index(row.state))


@permission_required("chapters.change_textversion", raise_exception=True)
def my_chapter(request):
    """The writer's texts, action points and indicators in the open periods."""
    user = request.user
    texts = by_state(
        TextVersion.objects.filter(period__is_closed=False)
        .filter(Q(text__owner=user) | Q(text__owner__isnull=True))
        .select_related(*RELATIONS[TextVersion])
        .order_by("period__reference_date", "text__order", "text_id")
    )
    statuses = by_state(
        ActionPointStatus.objects.filter(period__is_closed=False, action_point__owner=user)
        .select_related(*RELATIONS[ActionPointStatus])
        .order_by("period__reference_date", "action_point__order", "action_point__sort_key")
    )
    periods = {}
    for period in ReportingPeriod.objects.filter(is_closed=False).defer("frozen_report"):
        periods.setdefault(period.programme_id, []).append(period)
    indicators = [
        (indicator, periods.get(indicator.programme_id, []))
        for indicator in Indicator.objects.filter(Q(owner=user) | Q(owner__isnull=True))
        .filter(programme_id__in=periods, is_discontinued=False)
        .select_related("national")
    ]
    return render(
        request,
        "chapters/my_chapter.html",
        {"texts": texts, "statuses": statuses, "indicators": indicators},
    )


@permission_required(CAN_APPROVE, raise_exception=True)
def approvals(request):
    """Submitted texts and action points' statuses; several are approved at once."""
    if request.method == "POST":
        text_ids = [int(pk) for pk in request.POST.getlist("text") if can_be_key(TextVersion, pk)]
        status_ids = [
            int(pk) for pk in request.POST.getlist("status") if can_be_key(ActionPointStatus, pk)
        ]
        if not (text_ids or status_ids):
            messages.error(request, _("Kies ten minste één tekst of actiepunt om goed te keuren."))
        else:
            try:
                count = services.approve_chapter(
                    text_ids=text_ids, status_ids=status_ids, user=request.user
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s onderdeel goedgekeurd.",
                        "%(count)s onderdelen goedgekeurd.",
                        count,
                    )
                    % {"count": count},
                )
        return redirect("chapters:approvals")
    waiting = {
        model: list(
            model.objects.filter(state=UpdateState.SUBMITTED, period__is_closed=False)
            .select_related(*RELATIONS[model])
            .order_by("period__reference_date", "pk")
        )
        for model in (TextVersion, ActionPointStatus)
    }
    # Four eyes, shown before anyone tries (the service refuses it whatever the page shows).
    own = {
        model: changed_by(request.user, [row.pk for row in rows], model)
        for model, rows in waiting.items()
    }
    return render(
        request,
        "chapters/approvals.html",
        {
            "texts": waiting[TextVersion],
            "statuses": waiting[ActionPointStatus],
            "own_texts": own[TextVersion],
            "own_statuses": own[ActionPointStatus],
        },
    )


@permission_required(CAN_APPROVE, raise_exception=True)
def return_row(request, kind: str, pk: int):
    model = model_of(kind)
    row = get_object_or_404(model.objects.select_related(*RELATIONS[model]), pk=pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_row(
                model=model, row_id=row.pk, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(s)s is teruggestuurd.") % {"s": row.subject})
            return redirect("chapters:approvals")
    return render(request, "chapters/return_form.html", {"form": form, "row": row})
