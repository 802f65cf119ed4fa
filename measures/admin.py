from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, UniqueConstraint
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from budgets.models import Product
from budgets.product_links import link_products
from organisations.admin_mixins import MembersAsUsersAdmin, OrganisationOwnedAdmin
from organisations.models import Region

from . import (
    admin_users,  # noqa: F401 (registers the user and group admin)
    services,
)
from .admin_base import HistoryAdmin
from .forms import AdjustmentForm, SavingsTaskForm, YearTargetForm
from .keys import can_be_key
from .models import (
    Adjustment,
    Assessment,
    AssessmentYear,
    Goal,
    Measure,
    MeasurePlan,
    MeasureUpdate,
    Programme,
    ReportingPeriod,
    SavingsTask,
    StatusLevel,
    StatusScale,
    TargetRevision,
    UpdateYear,
    YearFigures,
    YearTarget,
)
from .money import format_cell
from .overview import Amount


class StoredRowsInlineFormSet(BaseInlineFormSet):
    """Inline rows are saved one at a time, so a row may not take a value (a year, a
    number, a label) that another stored row still holds, as when two years are swapped:
    the database would refuse it halfway through saving. Django leaves this out of each
    row's own validation because the unique constraint includes the inline's foreign key,
    so it is checked here, against what is stored."""

    def clean(self):
        super().clean()
        if self.instance.pk is None:
            return
        constraints = [
            constraint
            for constraint in self.model._meta.constraints
            if isinstance(constraint, UniqueConstraint)
            and self.fk.name in constraint.fields
            and constraint.condition is None
        ]
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed() or not form.is_valid():
                continue
            for constraint in constraints:
                try:
                    constraint.validate(self.model, form.instance)
                except ValidationError:
                    fields = [name for name in constraint.fields if name != self.fk.name]
                    form.add_error(
                        fields[0] if len(fields) == 1 and fields[0] in form.fields else None,
                        _(
                            "Dit staat nu nog bij een andere regel. Wissel geen waarden tussen "
                            "regels in één keer: sla eerst de ene wijziging op, dan de andere."
                        ),
                    )


class StatusLevelInline(admin.TabularInline):
    model = StatusLevel
    formset = StoredRowsInlineFormSet
    extra = 0


@admin.register(StatusScale)
class StatusScaleAdmin(OrganisationOwnedAdmin):
    inlines = [StatusLevelInline]
    search_fields = ["name"]


class GoalInline(admin.StackedInline):
    model = Goal
    formset = StoredRowsInlineFormSet
    extra = 0


def save_targets(request, formset) -> None:
    """Save an inline of targets (YearTarget or SavingsTask). A changed amount of an
    existing target is a council decision: it goes through services.revise_target, which
    keeps the original in a revision; new and deleted targets are saved as usual."""
    for form in formset.initial_forms:
        if form.revision is None or form in formset.deleted_forms:
            continue
        euros, is_pm = form.revision
        # Fresh from the database: the form's instance holds the new amount already.
        services.revise_target(
            target=type(form.instance).objects.get(pk=form.instance.pk),
            new=services.NewAmount(euros, is_pm=is_pm),
            reason=str(form.REVISION_REASON),
            decision_reference=form.cleaned_data["decision_reference"],
            decided_on=form.cleaned_data["decided_on"],
            user=request.user,
        )
    revised = {form.instance.pk for form in formset.initial_forms if form.revision is not None}
    for target in formset.save(commit=False):
        if target.pk not in revised:
            target.save()
    for target in formset.deleted_objects:
        target.delete()


class SavingsTaskInline(admin.TabularInline):
    model = SavingsTask
    formset = StoredRowsInlineFormSet
    form = SavingsTaskForm
    extra = 0


class AdjustmentInline(admin.TabularInline):
    model = Adjustment
    formset = StoredRowsInlineFormSet
    form = AdjustmentForm
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(OrganisationOwnedAdmin):
    list_display = ["name", "first_year", "last_year", "target_year"]
    search_fields = ["name"]
    inlines = [GoalInline, SavingsTaskInline, AdjustmentInline]
    fieldsets = [
        (None, {"fields": ["name", "status_scale"]}),
        (_("Looptijd"), {"fields": ["first_year", "last_year", "target_year"]}),
        (_("Rapportage"), {"fields": ["separates_hard_soft"]}),
        (_("Regio"), {"fields": ["shared_with_regions"]}),
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "shared_with_regions":
            # Only the regions the organisation works in: sharing with another region
            # would show the programme to municipalities it does not work with.
            kwargs["queryset"] = Region.objects.filter(
                memberships__organisation=request.organisation
            )
            kwargs["widget"] = forms.CheckboxSelectMultiple
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is SavingsTask:
            save_targets(request, formset)
        else:
            super().save_formset(request, form, formset, change)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "programme"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["title"]


@admin.register(MeasurePlan)
class MeasurePlanAdmin(admin.ModelAdmin):
    list_display = ["name", "decision_reference", "decision_date", "programme", "measure_count"]
    list_filter = ["programme"]
    list_select_related = ["programme"]
    search_fields = ["name", "decision_reference"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(measure_total=Count("measures"))

    @admin.display(description=_("maatregelen"), ordering="measure_total")
    def measure_count(self, plan):
        return plan.measure_total


class YearTargetInline(admin.TabularInline):
    model = YearTarget
    formset = StoredRowsInlineFormSet
    form = YearTargetForm
    extra = 0
    verbose_name = _("taakstelling")
    verbose_name_plural = _("taakstelling per jaar")


class ReadOnlyMixin:
    """Approved assessments and updates change only through the update workflow
    (measures.services), which checks roles, four eyes and closed periods."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Assessment
    extra = 0
    fields = ["period", "status", "explanation", "approved_by", "approved_at"]
    readonly_fields = fields
    verbose_name_plural = _("goedgekeurde stand per rapportagemoment")


class LatestStatusFilter(admin.SimpleListFilter):
    title = _("op koers (laatste rapportagemoment)")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            (str(level.pk), f"{level.label} ({level.scale})")
            for level in StatusLevel.objects.select_related("scale")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        # Like the admin's own filters: an unknown value goes back to the list (?e=1)
        # instead of reaching the database as a broken lookup.
        if self.value() not in {value for value, _label in self.lookup_choices}:
            raise IncorrectLookupParameters(self.value())
        return queryset.filter(latest_status_id=self.value())


def latest_assessment(field: str) -> Subquery:
    """The given field of the measure's assessment in its programme's latest period."""
    latest = Assessment.objects.filter(measure=OuterRef("pk")).order_by(
        "-period__reference_date", "-period_id"
    )
    return Subquery(latest.values(field)[:1])


class KnownIdsOnly:
    """Django's autocomplete widget looks the posted values up again to show them on a
    form with errors; only values that can be ids are looked up. The field itself says
    that the others are no valid choice."""

    def optgroups(self, name, value, attr=None):
        model = self.field.remote_field.model
        known = [item for item in value if can_be_key(model, item)]
        return super().optgroups(name, known, attr)


class KnownIdsAutocompleteSelect(KnownIdsOnly, AutocompleteSelect):
    pass


class KnownIdsAutocompleteSelectMultiple(KnownIdsOnly, AutocompleteSelectMultiple):
    pass


class KnownIdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses values that cannot be ids before Django looks them all up with `id__in`."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                if not can_be_key(self.queryset.model, item):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super().clean(value)


class ProductsField(KnownIdsMultipleChoiceField):
    """The budget products a measure lowers the lasten of; named with their programme
    where the measure has none yet, so that products of the same name differ."""

    def label_from_instance(self, product):
        return product.name if self.show_names_only else f"{product.programme}: {product}"


class MeasureForm(forms.ModelForm):
    """The measure with its budget products (`Product.measures`, read from the measure's
    side here): only those of the measure's programme can be chosen."""

    products = ProductsField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Begrotingsproducten"),
        help_text=_("De producten waarvan deze maatregel de lasten moet verlagen."),
    )

    class Meta:
        model = Measure
        # The admin passes its fieldsets' fields (querysets are scoped: none at import).
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["products"]
        programme_id = self.instance.programme_id
        products = Product.objects.select_related("programme").order_by(
            "programme__name", "order", "name"
        )
        field.show_names_only = programme_id is not None
        field.queryset = products.filter(programme_id=programme_id) if programme_id else products
        if self.instance.pk:
            field.initial = [product.pk for product in self.instance.products.all()]

    def clean(self):
        cleaned = super().clean()
        programme = cleaned.get("programme")
        foreign = [
            p.name
            for p in cleaned.get("products") or []
            if programme and p.programme_id != programme.pk
        ]
        if foreign:
            self.add_error(
                "products",
                _("Dit product hoort bij een ander programma: %(names)s.")
                % {"names": ", ".join(sorted(foreign))},
            )
        return cleaned


@admin.register(Measure)
class MeasureAdmin(MembersAsUsersAdmin, HistoryAdmin):
    form = MeasureForm
    readonly_fields = ["linked_products"]
    list_display = [
        "display_number",
        "title",
        "plan",
        "domain",
        "owner",
        "target_in_target_year",
        "latest_status",
    ]
    list_display_links = ["display_number", "title"]
    list_filter = ["programme", "plan", LatestStatusFilter, "domain", "owner"]
    list_select_related = ["plan", "owner", "programme"]
    search_fields = ["number", "title", "description", "plan__name", "plan__decision_reference"]
    autocomplete_fields = ["parent", "goal", "owner", "replaces", "delegates"]
    inlines = [YearTargetInline, AssessmentInline]
    fieldsets = [
        (None, {"fields": ["programme", "plan", "number", "title", "description"]}),
        (_("Samenhang"), {"fields": ["parent", "goal", "replaces", "products"]}),
        (_("Verantwoordelijkheid"), {"fields": ["owner", "delegates", "domain"]}),
        (_("Sturing"), {"fields": ["volume_unit", "is_withdrawn"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = KnownIdsAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["form_class"] = KnownIdsMultipleChoiceField
        if db_field.name in self.autocomplete_fields:
            kwargs["widget"] = KnownIdsAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_fieldsets(self, request, obj=None):
        """The products are chosen in the form (`MeasureForm`). A page that shows values
        only lists them instead; a past version leaves them out, since the links are
        kept in the products' history, not the measure's."""
        fieldsets = super().get_fieldsets(request, obj)
        if getattr(request, "shows_past_version", False):
            shown = None
        elif obj is not None and not self.has_change_permission(request, obj):
            shown = "linked_products"
        else:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [
                        shown if field == "products" else field
                        for field in options["fields"]
                        if field != "products" or shown
                    ],
                },
            )
            for name, options in fieldsets
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.shows_past_version = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.display(description=_("Begrotingsproducten"))
    def linked_products(self, measure):
        return ", ".join(str(product) for product in measure.products.all()) or "–"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        link_products(measure=form.instance, products=form.cleaned_data["products"])

    def save_formset(self, request, form, formset, change):
        if formset.model is YearTarget:
            save_targets(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def get_queryset(self, request):
        target = YearTarget.objects.filter(
            measure=OuterRef("pk"), year=OuterRef("programme__target_year")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                target_amount=Subquery(target.values("amount")[:1]),
                target_is_pm=Subquery(target.values("is_pm")[:1]),
                latest_status_id=latest_assessment("status_id"),
                latest_status_label=latest_assessment("status__label"),
            )
        )

    @admin.display(description=_("volgnr"), ordering="sort_key")
    def display_number(self, measure):
        return measure.number or "–"

    @admin.display(description=_("taakstelling doeljaar (x € 1.000)"), ordering="target_amount")
    def target_in_target_year(self, measure):
        if measure.target_is_pm:
            return format_cell(Amount.pm())
        if measure.target_amount is None:
            return ""
        return format_cell(Amount(measure.target_amount))

    @admin.display(description=_("op koers"), ordering="latest_status_label")
    def latest_status(self, measure):
        return measure.latest_status_label or ""


class CheckedDatesChangeList(ChangeList):
    """Django's date hierarchy makes a date of ?<field>__year=9999 (whose next year does
    not exist) or of a year beyond the C integers and fails with HTTP 500; such a query
    goes back to the list (?e=1), as a wrong filter does."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class CheckedDateHierarchy:
    """For admins with a `date_hierarchy`: see CheckedDatesChangeList."""

    def get_changelist(self, request, **kwargs):
        return CheckedDatesChangeList


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CheckedDateHierarchy, HistoryAdmin):
    """Periods are opened and closed on the Rapportagemomenten page (services.open_period
    and close_period); here a controller corrects the name or dates of an open one."""

    list_display = ["name", "programme", "kind", "reference_date", "deadline", "is_closed"]
    list_filter = ["programme", "kind", "is_closed"]
    list_select_related = ["programme"]
    search_fields = ["name"]
    date_hierarchy = "reference_date"
    readonly_fields = ["is_closed", "closed_at", "closed_by"]

    def get_readonly_fields(self, request, obj=None):
        # A period's updates and assessments belong to its programme's measures: moving
        # it to another programme would leave them in a foreign period.
        return [*self.readonly_fields, "programme"] if obj is not None else self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and (obj.is_closed or obj.updates.exists()):
            return False
        return super().has_delete_permission(request, obj)


class YearFiguresInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    fields = ["year", *YearFigures.FIGURE_FIELDS]
    readonly_fields = fields


class AssessmentYearInline(YearFiguresInline):
    model = AssessmentYear


class UpdateYearInline(YearFiguresInline):
    model = UpdateYear


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["measure", "period", "status", "approved_by", "approved_at"]
    list_filter = ["period", "status"]
    list_select_related = ["measure", "measure__plan", "period", "status", "approved_by"]
    search_fields = ["measure__title", "measure__number"]
    inlines = [AssessmentYearInline]


@admin.register(MeasureUpdate)
class MeasureUpdateAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["measure", "period", "state", "status", "updated_by", "updated_at"]
    list_filter = ["period", "state", "status"]
    list_select_related = ["measure", "measure__plan", "period", "status", "updated_by"]
    search_fields = ["measure__title", "measure__number"]
    inlines = [UpdateYearInline]


@admin.register(TargetRevision)
class TargetRevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Revisions are recorded on the "Taakstelling herzien" page (services.revise_target)."""

    list_display = ["__str__", "previous_amount", "new_amount", "decision_reference", "decided_on"]
    list_select_related = ["year_target__measure", "savings_task__programme"]
    search_fields = ["decision_reference", "reason"]
