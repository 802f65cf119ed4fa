"""The chapter's structure in the admin: themes, action points and the places of texts,
kept by controllers. What is written per period (texts' versions, action points'
statuses) is read-only here: it changes only through the workflow (chapters.services),
which checks roles, four eyes and closed periods."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from measures.admin import ReadOnlyMixin
from measures.admin_base import HistoryAdmin
from organisations.admin_mixins import MembersAsUsersAdmin

from .models import ActionPoint, ActionPointStatus, Text, TextVersion, Theme


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin):
    list_display = ["__str__", "goal", "programme"]
    list_filter = ["programme"]
    list_select_related = ["goal", "programme"]
    search_fields = ["title", "number"]
    fields = ["programme", "goal", "number", "title", "order"]


@admin.register(ActionPoint)
class ActionPointAdmin(MembersAsUsersAdmin, HistoryAdmin):
    list_display = ["number", "title", "kind", "theme", "goal", "owner", "programme"]
    list_display_links = ["number", "title"]
    list_filter = ["programme", "kind", "theme"]
    list_select_related = ["theme", "goal", "owner", "programme"]
    search_fields = ["title", "number", "description"]
    filter_horizontal = ["measures"]
    fieldsets = [
        (None, {"fields": ["programme", "kind", "number", "title", "description"]}),
        (_("Plaats in het hoofdstuk"), {"fields": ["goal", "theme", "order"]}),
        (_("Verantwoordelijkheid"), {"fields": ["owner", "measures"]}),
    ]


@admin.register(Text)
class TextAdmin(MembersAsUsersAdmin, HistoryAdmin):
    list_display = ["__str__", "kind", "goal", "theme", "action_point", "owner", "programme"]
    list_filter = ["programme", "kind"]
    list_select_related = ["goal", "theme", "action_point", "owner", "programme"]
    search_fields = ["heading"]
    filter_horizontal = ["measures"]
    fieldsets = [
        (None, {"fields": ["programme", "kind", "heading", "order", "owner"]}),
        (_("Hoort bij"), {"fields": ["goal", "theme", "action_point", "measures"]}),
    ]


@admin.register(TextVersion)
class TextVersionAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["text", "period", "state", "updated_by", "approved_by", "approved_at"]
    list_filter = ["period", "state"]
    list_select_related = ["text", "period", "updated_by", "approved_by"]
    search_fields = ["heading", "body", "approved_body"]


@admin.register(ActionPointStatus)
class ActionPointStatusAdmin(ReadOnlyMixin, HistoryAdmin):
    list_display = ["action_point", "period", "state", "status", "approved_status", "approved_at"]
    list_filter = ["period", "state"]
    list_select_related = ["action_point", "period", "status", "approved_status"]
    search_fields = ["action_point__title", "action_point__number"]
