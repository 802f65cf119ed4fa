from django.urls import path

from . import value_views

app_name = "indicators"

urlpatterns = [
    path(
        "indicatoren/<int:pk>/waarden/<int:period_pk>/",
        value_views.values_form,
        name="values_form",
    ),
]
