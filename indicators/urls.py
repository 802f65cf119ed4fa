from django.urls import path

from . import value_views, views

app_name = "indicators"

urlpatterns = [
    path("indicatoren/export/", views.export, name="export"),
    path("indicatoren/importeren/", views.import_start, name="import_start"),
    path("indicatoren/importeren/<int:pk>/", views.import_record, name="import_record"),
    path(
        "indicatoren/importeren/sjabloon/<int:period_pk>/",
        views.import_template,
        name="import_template",
    ),
    path(
        "indicatoren/<int:pk>/waarden/<int:period_pk>/",
        value_views.values_form,
        name="values_form",
    ),
]
