from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from measures.models import Programme, ReportingPeriod
from measures.views import choose_period

from .chapter import load_chapter

CAN_READ = "chapters.view_theme"


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def programmes(request):
    """The organisation's programmes, each linked to its chapter. Two queries besides the
    user's: the programmes, and their periods (the most recent one named)."""
    programmes = list(Programme.objects.order_by("name"))
    latest = {}
    for period in (
        ReportingPeriod.objects.filter(programme__in=programmes)
        .only("name", "reference_date", "programme_id")
        .order_by("reference_date", "pk")
    ):
        latest[period.programme_id] = period
    return render(
        request,
        "chapters/programmes.html",
        {"rows": [(programme, latest.get(programme.pk)) for programme in programmes]},
    )


@require_GET
@permission_required(CAN_READ, raise_exception=True)
def chapter(request, pk: int):
    """A programme's chapter in one period (`?periode=`, else the most recent): read-only,
    from approved copies only. Queries, whatever the number of goals, action points,
    texts and indicators: the user and their permissions, the programme, its periods, and
    those of chapters.chapter.load_chapter."""
    programme = get_object_or_404(Programme.objects.select_related("status_scale"), pk=pk)
    periods = list(
        ReportingPeriod.objects.filter(programme=programme)
        .defer("frozen_report")
        .order_by("-reference_date", "name")
    )
    if not periods:
        return render(request, "chapters/chapter.html", {"programme": programme, "periods": []})
    period = choose_period(periods, request.GET.get("periode"))
    period.programme = programme
    return render(
        request,
        "chapters/chapter.html",
        {
            "programme": programme,
            "periods": periods,
            "period": period,
            "chapter": load_chapter(period),
        },
    )
