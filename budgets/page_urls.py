"""URLs of this part of the budgets app; budgets/urls.py gathers them under "budgets"."""

from django.urls import path

from . import page_views

urlpatterns = [
    path("programmas/<int:pk>/doelenboom/", page_views.doelenboom, name="doelenboom"),
    path(
        "programmas/<int:pk>/doelenboom/export/",
        page_views.doelenboom_export,
        name="doelenboom_export",
    ),
    path(
        "programmas/<int:pk>/wat-heeft-het-gekost/",
        page_views.statement_page,
        name="statement",
    ),
    path(
        "programmas/<int:pk>/wat-heeft-het-gekost/export/",
        page_views.statement_export,
        name="statement_export",
    ),
]
