from django.urls import path

from . import help_views, views, workflow_views
from .dashboard import views as dashboard_views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("maatregelen/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("mijn-maatregelen/", workflow_views.my_measures, name="my_measures"),
    path("updates/<int:pk>/", workflow_views.update_form, name="update_form"),
    path("updates/<int:pk>/indienen/", workflow_views.submit_unchanged, name="submit_unchanged"),
    path("updates/<int:pk>/terugsturen/", workflow_views.return_update, name="return_update"),
    path("goedkeuren/", workflow_views.approvals, name="approvals"),
    path("rapportagemomenten/", workflow_views.periods, name="periods"),
    path(
        "rapportagemomenten/<int:pk>/afsluiten/", workflow_views.close_period, name="close_period"
    ),
    path(
        "rapportagemomenten/<int:pk>/volledigheid/",
        workflow_views.completeness,
        name="completeness",
    ),
    path("rapportagemomenten/<int:pk>/wijzigingen/", workflow_views.changes, name="changes"),
    path(
        "programmas/<int:programme_pk>/taakstelling-herzien/",
        workflow_views.revise_target,
        name="revise_target",
    ),
    path("help/", help_views.help_page, name="help"),
]
