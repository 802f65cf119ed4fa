"""The public pages (reports.public_views): no login, under /openbaar/<organisation>/."""

from django.urls import path

from . import public_views

app_name = "public"
urlpatterns = [
    path("<slug:organisation>/", public_views.report_list, name="reports"),
    path("<slug:organisation>/rapporten/<int:pk>/", public_views.report_page, name="report"),
    path("<slug:organisation>/rapporten/<int:pk>/pdf/", public_views.report_pdf, name="pdf"),
    path(
        "<slug:organisation>/rapporten/<int:pk>/webversie/",
        public_views.report_web,
        name="web",
    ),
    path(
        "<slug:organisation>/rapporten/<int:pk>/tabellen/<slug:table>.csv",
        public_views.table_data,
        {"extension": "csv"},
        name="table_csv",
    ),
    path(
        "<slug:organisation>/rapporten/<int:pk>/tabellen/<slug:table>.json",
        public_views.table_data,
        {"extension": "json"},
        name="table_json",
    ),
    path(
        "<slug:organisation>/programmas/<int:programme>/vergelijk/",
        public_views.compare,
        name="compare",
    ),
]
