from django.contrib.auth.decorators import permission_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from . import exports
from .filters import OverviewFilter, SeriesForm
from .history import measure_timeline
from .models import (
    Assessment,
    Measure,
    MeasureUpdate,
    ReportingPeriod,
    StatusLevel,
    TargetRevision,
)
from .overview import Series
from .overview_data import (
    load_measures,
    load_overview,
    overview_labels,
    owners_of,
    plans_of,
    programme_data,
    programme_lines,
)
from .tables import OverviewTable


def choose_period(periods: list[ReportingPeriod], requested: str | None) -> ReportingPeriod:
    """The period asked for in the query string, else the most recent one."""
    if requested:
        for period in periods:
            if str(period.pk) == requested:
                return period
        raise Http404(_("Dit rapportagemoment bestaat niet."))
    return max(periods, key=lambda period: (period.reference_date, period.pk))


@permission_required("measures.view_measure", raise_exception=True)
def overview(request):
    """The "op koers" overview of one reporting period, filtered, on screen or exported.

    Queries, whatever the number of measures: the user and their permissions, the
    periods, the measures, the status levels, the ids the filter selects (only when
    filtering), the targets, the savings task with adjustments, and for every series but
    the targets (`?reeks=`) the approved forecasts and realisations; for a closed period,
    what was frozen at closing.
    """
    # Each closed period's snapshot is large; only the one shown is read.
    periods = list(
        ReportingPeriod.objects.select_related("programme__organisation")
        .defer("frozen_report")
        .order_by("programme__name", "-reference_date", "name")
    )
    if not periods:
        return render(request, "measures/overview_empty.html")
    period = choose_period(periods, request.GET.get("periode"))
    programme = period.programme
    measures = load_measures(period)
    levels = list(StatusLevel.objects.filter(scale_id=programme.status_scale_id))
    measure_filter = OverviewFilter(
        request.GET or None,
        queryset=Measure.objects.filter(programme=programme),
        period=period,
        plans=plans_of(measures),
        levels=levels,
        owners=owners_of(measures),
        products=lambda: programme_lines(programme).products,
    )
    is_filtered = measure_filter.is_filtered
    # Named and labelled as frozen at closing for a closed period.
    shown = programme_data(period)
    names = overview_labels(separates_hard_soft=shown.separates_hard_soft).series
    series_form = SeriesForm(request.GET, names=names)
    selected_ids = (
        set(measure_filter.qs.order_by().values_list("pk", flat=True)) if is_filtered else None
    )
    # Controllers may look at the submitted updates before approving them, marked as such.
    export_format = request.GET.get("_export")
    # Never in an export: a file leaves the building without the on-screen marking.
    include_submitted = (
        request.GET.get("concepten") == "1"
        and not export_format
        and not period.is_closed
        and request.user.has_perm("measures.approve_measureupdate")
    )
    original_targets = request.GET.get("taakstelling") == "oorspronkelijk" and not period.is_closed
    result = load_overview(
        period,
        measures=measures,
        selected_ids=selected_ids,
        levels=levels,
        include_submitted=include_submitted,
        original_targets=original_targets,
        series=series_form.series,
    )
    table = OverviewTable(result.overview, for_export=bool(export_format))
    if export_format:
        if export_format not in exports.FORMATS:
            raise Http404(_("Onbekend exportformaat."))
        if series_form.errors:
            raise Http404(_("Onbekende reeks."))
        return exports.response(table, period, shown.name, export_format)

    query = request.GET.copy()
    query.pop("_export", None)
    return render(
        request,
        "measures/overview.html",
        {
            "period": period,
            "programme": programme,
            "shown_programme": shown,
            "periods": periods,
            "filter": measure_filter,
            "is_filtered": is_filtered,
            "filtered_product": measure_filter.product_name,
            "only_product": is_filtered and measure_filter.only_product,
            "include_submitted": include_submitted,
            "original_targets": original_targets,
            "overview": result.overview,
            "table": table,
            "rows_html": overview_rows_html(table),
            "status_counts": result.overview.status_counts(result.statuses),
            "query": query.urlencode(),
            "series_form": series_form,
            "series_links": series_links(query, series_form.series, names),
        },
    )


def series_links(query, current: Series, names: dict[Series, str]) -> list[dict]:
    """A link per series that keeps the period and filters, the current one marked."""
    links = []
    for series in Series:
        link_query = query.copy()
        link_query["reeks"] = series.value
        links.append(
            {
                "url": "?" + link_query.urlencode(),
                "name": names[series],
                "value": series.value,
                "is_current": series is current,
            }
        )
    return links


def overview_rows_html(table: OverviewTable) -> str:
    """The table body rows, rendered by the lean Jinja2 template (autoescaped)."""
    template = engines["jinja2"].get_template("measures/overview_rows.html")
    html = template.render(
        {
            "sections": table.page_sections(),
            "column_count": len(table.columns),
            "measure_url": reverse("measure_detail", kwargs={"pk": 0}).removesuffix("0/"),
            "draft_label": _("(ingediend)"),
        }
    )
    return mark_safe(html)  # noqa: S308 - Jinja2 escaped every value above


@permission_required("measures.view_measure", raise_exception=True)
def measure_detail(request, pk: int):
    measure = get_object_or_404(
        Measure.objects.select_related(
            "programme", "plan", "goal", "owner", "parent"
        ).prefetch_related(
            "targets",
            # The latest revision first: the page names its decision next to "Herzien".
            Prefetch(
                "targets__revisions",
                queryset=TargetRevision.objects.order_by("-created_at", "-pk"),
                to_attr="revisions_latest_first",
            ),
            "children",
            "products",
            "replaces",
            "replaced_by",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("period", "status")
                .prefetch_related("years")
                .order_by("-period__reference_date"),
            ),
        ),
        pk=pk,
    )
    targets = {target.year: target for target in measure.targets.all()}
    open_update = (
        MeasureUpdate.objects.filter(measure=measure, period__is_closed=False)
        .select_related("period")
        .order_by("-period__reference_date")
        .first()
    )
    return render(
        request,
        "measures/measure_detail.html",
        {
            "measure": measure,
            "programme": measure.programme,
            "target_rows": [(year, targets.get(year)) for year in measure.years],
            "assessments": list(measure.assessments.all()),
            "open_update": open_update,
            "can_update": open_update is not None and measure.can_be_updated_by(request.user),
            "timeline": measure_timeline(measure),
        },
    )
