from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("importeren/", views.start, name="start"),
    path("importeren/<int:pk>/", views.record, name="record"),
    path("importeren/sjabloon/<int:programme_pk>/", views.template, name="template"),
    path("exporteren/maatregelen/", views.measures_export, name="measures_export"),
]
