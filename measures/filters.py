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
    product = django_filters.ChoiceFilter(label=_("Product"), method="filter_product")

    OUTSIDE_PLANS = "buiten"
    NOT_ASSESSED = "geen"

    class Meta:
        model = Measure
        fields = ["plan", "status", "domain", "owner", "product"]

    def __init__(self, data=None, *, queryset, period, plans, levels, owners, products, **kwargs):
        """`products` is a callable giving (id, name) of the programme's products: read
        only when the form is shown or checked, so that an unfiltered export costs no
        query for it."""
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
        self.products = products
        self.filters["product"].extra.update(
            choices=lambda: [(str(pk), name) for pk, name in products()],
            empty_label=empty,
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and self.form.is_valid() and any(self.form.cleaned_data.values())

    @property
    def product_name(self) -> str | None:
        """The name of the product filtered on, if any."""
        if not self.is_filtered or not self.form.cleaned_data.get("product"):
            return None
        return dict(self.form.fields["product"].choices).get(self.form.cleaned_data["product"])

    @property
    def only_product(self) -> bool:
        """Whether the product is the only filter, so the selection is its measures."""
        data = self.form.cleaned_data
        return bool(data.get("product")) and not any(
            value for name, value in data.items() if name != "product"
        )

    def filter_product(self, queryset, name, value):
        """The measures linked to the product (budgets.Product.measures)."""
        return queryset.filter(products=value)

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
