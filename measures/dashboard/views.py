from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from ..models import Programme, ReportingPeriod
from ..overview_data import owners_of
from .data import build_dashboard, history_of
from .measure_list import PER_PAGE, MeasureListTable, MeasureSearch, measures_in


def choose_period(
    periods: list[ReportingPeriod], *, programme: str | None, period: str | None
) -> ReportingPeriod:
    """The period asked for; else, or when it is not one of the programme asked for, the
    programme's most recent; else the most recent of all. Unknown ids are not found."""
    chosen = None
    if period:
        chosen = next((p for p in periods if str(p.pk) == period), None)
        if chosen is None:
            raise Http404(_("Dit rapportagemoment bestaat niet."))
    if programme and (chosen is None or str(chosen.programme_id) != programme):
        candidates = [p for p in periods if str(p.programme_id) == programme]
        if not candidates:
            raise Http404(_("Dit programma heeft geen rapportagemomenten."))
        chosen = None
        periods = candidates
    return chosen or max(periods, key=lambda p: (p.reference_date, p.pk))


@require_GET
@permission_required("measures.view_measure", raise_exception=True)
def dashboard(request):
    """One programme's period at a glance.

    Queries, whatever the number of measures: the user and their permissions, the
    periods (without their frozen overviews), those of measures.dashboard.data, and for
    the measure list the count and the page's rows.
    """
    periods = list(
        ReportingPeriod.objects.select_related("programme")
        .only("name", "reference_date", "programme__name")
        .order_by("programme__name", "-reference_date", "name")
    )
    if not periods:
        return render(request, "measures/overview_empty.html")
    period = choose_period(
        periods, programme=request.GET.get("programma"), period=request.GET.get("periode")
    )
    data = build_dashboard(history_of(period, periods), today=timezone.localdate())

    search = MeasureSearch(
        request.GET,
        queryset=measures_in(data.period),
        levels=data.levels,
        owners=owners_of(data.measures),
    )
    table = MeasureListTable(search.qs, levels=data.levels)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    programmes: dict[int, Programme] = {p.programme_id: p.programme for p in periods}
    return render(
        request,
        "measures/dashboard.html",
        {
            "dashboard": data,
            "period": data.period,
            "programme": data.period.programme,
            "programmes": sorted(programmes.values(), key=lambda p: p.name),
            "periods": [p for p in periods if p.programme_id == data.period.programme_id],
            "search": search,
            "table": table,
        },
    )
