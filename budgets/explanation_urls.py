"""URLs of this part of the budgets app; budgets/urls.py gathers them under "budgets":
the variance explanations of a period and their workflow, and the figures form."""

from django.urls import path

from . import explanation_views, figure_views

urlpatterns = [
    path(
        "financieel/<int:period_pk>/toelichtingen/",
        explanation_views.explanations,
        name="explanations",
    ),
    path(
        "financieel/<int:period_pk>/toelichtingen/export/",
        explanation_views.explanations_export,
        name="explanations_export",
    ),
    path(
        "financieel/<int:period_pk>/toelichtingen/nieuw/",
        explanation_views.add_explanation,
        name="explanation_add",
    ),
    path(
        "financieel/<int:period_pk>/toelichtingen/indienen/",
        explanation_views.submit,
        name="explanations_submit",
    ),
    path(
        "financieel/<int:period_pk>/toelichtingen/goedkeuren/",
        explanation_views.approve,
        name="explanations_approve",
    ),
    path(
        "financieel/toelichtingen/<int:pk>/",
        explanation_views.change_explanation,
        name="explanation_change",
    ),
    path(
        "financieel/toelichtingen/<int:pk>/verwijderen/",
        explanation_views.delete_explanation,
        name="explanation_delete",
    ),
    path(
        "financieel/toelichtingen/<int:pk>/terugsturen/",
        explanation_views.return_explanation,
        name="explanation_return",
    ),
    path("financieel/<int:period_pk>/bedragen/", figure_views.figures_form, name="figures_form"),
]
