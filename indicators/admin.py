"""Indicators in the admin: an organisation's own (with the parts of a composite), their
values per period (the closed-period guard refuses changes to a closed one), and the
national BBV set, which every organisation reads and only a superuser keeps."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from measures.admin_base import HistoryAdmin
from organisations.admin_mixins import MembersAsUsersAdmin

from .models import Indicator, IndicatorPart, IndicatorValue, NationalIndicator


@admin.register(NationalIndicator)
class NationalIndicatorAdmin(HistoryAdmin):
    list_display = ["number", "name", "unit", "policy_field", "valid_from", "valid_until"]
    list_display_links = ["number", "name"]
    list_filter = ["policy_field"]
    search_fields = ["name", "source"]


class IndicatorPartInline(admin.TabularInline):
    model = IndicatorPart
    extra = 0
    fields = ["label", "order"]


@admin.register(Indicator)
class IndicatorAdmin(MembersAsUsersAdmin, HistoryAdmin):
    list_display = ["__str__", "unit", "direction", "theme", "goal", "is_discontinued", "programme"]
    list_filter = ["programme", "is_discontinued", "direction"]
    list_select_related = ["national", "theme", "goal", "programme"]
    search_fields = ["name", "number", "national__name"]
    inlines = [IndicatorPartInline]
    fieldsets = [
        (None, {"fields": ["programme", "number", "name", "national"]}),
        (
            _("Eenheid en weergave"),
            {"fields": ["unit", "unit_year", "decimals", "unit_after_value", "direction"]},
        ),
        (_("Herkomst"), {"fields": ["source", "margin_note", "note"]}),
        (_("Plaats in het hoofdstuk"), {"fields": ["goal", "theme", "order", "owner"]}),
        (_("Vervallen"), {"fields": ["is_discontinued", "discontinued_note"]}),
    ]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(HistoryAdmin):
    list_display = ["indicator", "part", "year", "kind", "value", "qualifier", "period"]
    list_filter = ["period", "kind", "year"]
    list_select_related = ["indicator", "indicator__national", "part", "period"]
    search_fields = ["indicator__name", "indicator__national__name"]
    fields = ["indicator", "part", "period", "year", "kind", "value", "qualifier"]
