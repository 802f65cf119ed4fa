"""Filters of the overview. Choices come from lists the view has already loaded, so that
rendering and validating the form costs no queries of its own."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import PolicyDomain
from .models import Measure
from .overview import Series


class OverviewFilter(django_filters.FilterSet):
    plan = django_filters.ChoiceFilter(label=_("Maatregelenplan"), method="filter_plan")
    status = django_filters.ChoiceFilter(label=_("Op koers"), method="filter_status")
    domain = django_filters.ChoiceFilter(label=_("Beleidsterrein"), choices=PolicyDomain.choices)
    owner = django_filters.ChoiceFilter(label=_("Eigenaar"), field_name="owner_id")

    OUTSIDE_PLANS = "buiten"
    NOT_ASSESSED = "geen"

    class Meta:
        model = Measure
        fields = ["plan", "status", "domain", "owner"]

    def __init__(self, data=None, *, queryset, period, plans, levels, owners, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        self.period = period
        empty = _("Alle")
        self.filters["plan"].extra.update(
            choices=[(str(p.pk), str(p)) for p in plans]
            + [(self.OUTSIDE_PLANS, _("Buiten de maatregelenplannen"))],
            empty_label=empty,
        )
        self.filters["status"].extra.update(
            choices=[(str(level.pk), level.label) for level in levels]
            + [(self.NOT_ASSESSED, _("Niet beoordeeld"))],
            empty_label=empty,
        )
        self.filters["domain"].extra.update(empty_label=empty)
        self.filters["owner"].extra.update(
            choices=[(str(user_id), name) for user_id, name in owners],
            empty_label=empty,
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and self.form.is_valid() and any(self.form.cleaned_data.values())

    def filter_plan(self, queryset, name, value):
        if value == self.OUTSIDE_PLANS:
            return queryset.filter(plan__isnull=True)
        return queryset.filter(plan_id=value)

    def filter_status(self, queryset, name, value):
        if value == self.NOT_ASSESSED:
            assessed = queryset.filter(
                assessments__period=self.period, assessments__status__isnull=False
            )
            return queryset.filter(children__isnull=True).exclude(pk__in=assessed.values("pk"))
        return queryset.filter(assessments__period=self.period, assessments__status_id=value)


class SeriesForm(forms.Form):
    """Which series the overview shows (`?reeks=`). Not a filter: it changes what the
    rows show, not which measures, so the programme's rows stay."""

    reeks = forms.ChoiceField(
        label=_("Reeks"),
        required=False,
        error_messages={
            "invalid_choice": _("Kies taakstelling, prognose, realisatie of afwijking.")
        },
    )

    def __init__(self, data, *, names: dict[Series, str]):
        super().__init__(data)
        self.fields["reeks"].choices = [(series.value, names[series]) for series in Series]

    @property
    def series(self) -> Series:
        """The chosen series; the targets when none or an unknown one was asked for."""
        if self.is_valid() and self.cleaned_data["reeks"]:
            return Series(self.cleaned_data["reeks"])
        return Series.TARGET
