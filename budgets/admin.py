"""The money's structure in the admin: products (with the savings measures that lower
their lasten), the organisation's statement layout and threshold, and the budget figures
of open periods, kept by controllers. The Iv3 taakvelden are shared reference data,
read-only for all. Variance explanations are read-only here: they change only through
their pages (budgets.explanation_views and budgets.services), which check roles, four
eyes, the threshold and closed periods."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from measures.admin import ReadOnlyMixin
from measures.admin_base import HistoryAdmin
from measures.models import Measure, ReportingPeriod
from organisations.admin_mixins import OrganisationOwnedAdmin

from .models import BudgetFigure, Product, StatementLayout, TaskField, VarianceExplanation


@admin.register(TaskField)
class TaskFieldAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Product)
class ProductAdmin(HistoryAdmin):
    list_display = ["name", "code", "programme", "task_field", "goal", "theme"]
    list_filter = ["programme"]
    list_select_related = ["programme", "task_field", "goal", "theme"]
    search_fields = ["name", "code"]
    filter_horizontal = ["measures"]
    fieldsets = [
        (None, {"fields": ["programme", "name", "code", "task_field", "order"]}),
        (_("Plaats in de doelenboom"), {"fields": ["goal", "theme"]}),
        (_("Besparingsmaatregelen"), {"fields": ["measures"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "measures":
            # The scoped manager: the measures of the organisation the user works in.
            kwargs["queryset"] = Measure.objects.select_related("plan").order_by(
                "programme", "sort_key"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OpenPeriodsOnly:
    """A period-bound row is kept while its period is open; in a closed period it is
    read-only (the closed-period guard would refuse the write anyway), and new rows go
    into open periods only."""

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.period.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.period.is_closed:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            kwargs["queryset"] = ReportingPeriod.objects.filter(is_closed=False).select_related(
                "programme"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(BudgetFigure)
class BudgetFigureAdmin(OpenPeriodsOnly, HistoryAdmin):
    list_display = ["__str__", "amount", "period", "updated_by"]
    list_filter = ["period", "category", "column"]
    list_select_related = ["product", "task_field", "period", "updated_by"]
    search_fields = ["product__name", "task_field__code", "reserve"]
    readonly_fields = ["updated_by"]
    fieldsets = [
        (None, {"fields": ["period", "product", "task_field", "year"]}),
        (_("Bedrag"), {"fields": ["category", "reserve", "column", "amount", "updated_by"]}),
    ]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class StatementLayoutForm(forms.ModelForm):
    def validate_unique(self):
        # The organisation is no field of the form: its one layout is said as a whole.
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions())
        except ValidationError:
            self.add_error(
                None,
                _("Deze organisatie heeft al een opmaak; wijzig die in plaats van een nieuwe."),
            )

    class Meta:
        model = StatementLayout
        fields = [
            "title",
            "saldo",
            "budget_column",
            "show_product_boxes",
            "rows",
            "columns",
            "threshold_percent",
            "threshold_amount",
        ]
        help_texts = {
            "rows": _(
                "Een lijst van [code, kop]-paren in de volgorde van de tabel, zoals "
                '[["lasten", "Lasten"], ["baten", "Baten"], ["resultaat", "Resultaat"]]. '
                "Een kop mag {year} en {name} bevatten."
            ),
            "columns": _(
                'Een lijst van [code, kop]-paren, zoals [["na_wijziging", "Begroting na '
                'wijziging {year}"], ["realisatie", "Realisatie {year}"], ["verschil", '
                '"Verschil"]].'
            ),
        }


@admin.register(StatementLayout)
class StatementLayoutAdmin(OrganisationOwnedAdmin, HistoryAdmin):
    """One per organisation (a one-to-one field): a second one is refused with a message
    by the form, which validates with the organisation set (OrganisationOwnedAdmin)."""

    form = StatementLayoutForm
    list_display = ["__str__", "title", "saldo", "threshold_percent", "threshold_amount"]
    fieldsets = [
        (None, {"fields": ["title", "saldo", "budget_column", "show_product_boxes"]}),
        (_("Rijen en kolommen"), {"fields": ["rows", "columns"]}),
        (
            _("Drempel voor toelichtingen (financiële verordening)"),
            {"fields": ["threshold_percent", "threshold_amount"]},
        ),
    ]


@admin.register(VarianceExplanation)
class VarianceExplanationAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["label", "amount", "period", "state", "updated_by", "approved_by"]
    list_filter = ["period", "state"]
    list_select_related = ["period", "updated_by", "approved_by"]
    search_fields = ["label", "text"]
