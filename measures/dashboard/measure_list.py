"""The dashboard's measure list: search on number, title and owner, filter on status and
owner, sort on every column. Numbers sort naturally (6, 6.1, 10) through the measure's
`sort_key`; a measure without a number, outside the plans, comes last.

The status is the approved one in the chosen period, annotated in the same query as the
measures, so a page of the list costs two queries: the count and the page's rows.
"""

import django_filters
import django_tables2 as tables
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from ..models import Assessment, Measure, ReportingPeriod
from ..overview import StatusData

PER_PAGE = 25


def measures_in(period: ReportingPeriod) -> QuerySet[Measure]:
    """The programme's measures with their approved status in `period` (`status_id`, and
    the level's place on the scale as `status_order`) and whether they head others."""
    assessment = Assessment.objects.filter(period=period, measure=OuterRef("pk")).order_by()
    return (
        Measure.objects.filter(programme_id=period.programme_id)
        .select_related("plan", "owner")
        .annotate(
            status_id=Subquery(assessment.values("status_id")[:1]),
            status_order=Subquery(assessment.values("status__order")[:1]),
            has_children=Exists(Measure.objects.filter(parent=OuterRef("pk"))),
        )
    )


class MeasureSearch(django_filters.FilterSet):
    """Choices come from lists the view has loaded already, so the form costs no query."""

    zoek = django_filters.CharFilter(
        label=_("Zoeken"),
        method="search",
        help_text=_("Volgnummer, woorden uit de titel of de naam van de eigenaar."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), method="filter_status")
    eigenaar = django_filters.ChoiceFilter(label=_("Eigenaar"), field_name="owner_id")

    NOT_ASSESSED = "geen"

    class Meta:
        model = Measure
        fields = ["zoek", "status", "eigenaar"]

    def __init__(self, data=None, *, queryset, levels: list[StatusData], owners, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        everyone = _("Alle")
        self.filters["status"].extra.update(
            choices=[(str(level.id), level.label) for level in levels]
            + [(self.NOT_ASSESSED, _("Niet beoordeeld"))],
            empty_label=everyone,
        )
        self.filters["eigenaar"].extra.update(
            choices=[(str(user_id), name) for user_id, name in owners], empty_label=everyone
        )

    def search(self, queryset, name, value):
        """Every word must be found: at the start of the number, in the title, or in the
        owner's name ("6 coach" finds 6.2 Uitbreiden kinder- en pubercoach)."""
        for word in value.split():
            queryset = queryset.filter(
                Q(number__startswith=word)
                | Q(title__icontains=word)
                | Q(owner__first_name__icontains=word)
                | Q(owner__last_name__icontains=word)
                | Q(owner__username__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == self.NOT_ASSESSED:
            return queryset.filter(status_id__isnull=True, has_children=False)
        return queryset.filter(status_id=value)


class MeasureStatusColumn(tables.Column):
    """The status with its icon and text; a heading has none of its own."""

    def __init__(self, *, levels: dict[int, StatusData], **kwargs):
        self.levels = levels
        super().__init__(empty_values=(), **kwargs)

    def render(self, record):
        if record.has_children:
            return _("Kopmaatregel")
        status = self.levels.get(record.status_id)
        if status is None:
            return _("Niet beoordeeld")
        return render_to_string("measures/_status.html", {"status": status})


class MeasureListTable(tables.Table):
    number = tables.Column(verbose_name=_("Volgnr"), default="", attrs={"td": {"class": "number"}})
    title = tables.Column(
        verbose_name=_("Titel"), linkify=("measure_detail", {"pk": tables.A("pk")})
    )
    plan = tables.Column(verbose_name=_("Maatregelenplan"), accessor="plan__name", default="–")
    owner = tables.Column(verbose_name=_("Eigenaar"), empty_values=())

    class Meta:
        model = Measure
        fields = ["number", "title", "plan", "owner"]
        sequence = ["number", "title", "plan", "owner", "status"]
        order_by = ["number"]
        empty_text = _("Geen maatregelen gevonden.")

    def __init__(self, data, *, levels: list[StatusData], **kwargs):
        extra = [
            (
                "status",
                MeasureStatusColumn(
                    verbose_name=_("Status"), levels={level.id: level for level in levels}
                ),
            )
        ]
        super().__init__(
            data, extra_columns=extra, order_by_field="sorteer", page_field="pagina", **kwargs
        )

    def render_owner(self, record):
        owner = record.owner
        return (owner.get_full_name() or owner.username) if owner else "–"

    def order_number(self, queryset, is_descending):
        number = F("sort_key").desc() if is_descending else F("sort_key").asc()
        return queryset.order_by(WITHOUT_NUMBER_LAST, number, "plan__order", "pk"), True

    def order_title(self, queryset, is_descending):
        return _ordered(queryset, is_descending, Lower("title")), True

    def order_plan(self, queryset, is_descending):
        return _ordered(queryset, is_descending, F("plan__order"), F("plan__name")), True

    def order_owner(self, queryset, is_descending):
        # As the name is shown: first name, last name, else the user name.
        keys = [Lower(f"owner__{name}") for name in ("first_name", "last_name", "username")]
        return _ordered(queryset, is_descending, *keys), True

    def order_status(self, queryset, is_descending):
        return _ordered(queryset, is_descending, F("status_order")), True


WITHOUT_NUMBER_LAST = Case(When(number="", then=Value(1)), default=Value(0)).asc()


def _ordered(queryset, is_descending, *keys):
    """Ordered on `keys`, empty values last either way, then in number order."""
    ordering = [
        key.desc(nulls_last=True) if is_descending else key.asc(nulls_last=True) for key in keys
    ]
    return queryset.order_by(*ordering, WITHOUT_NUMBER_LAST, "sort_key", "plan__order", "pk")
