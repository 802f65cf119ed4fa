"""URLs of this part of the budgets app; budgets/urls.py gathers them under "budgets":
the ledger import of a period (upload, preview and result, template) and the
organisation's ledger codes."""

from django.urls import path

from . import ledger_views

urlpatterns = [
    path(
        "financieel/<int:period_pk>/import/",
        ledger_views.ledger_import,
        name="ledger_import",
    ),
    path(
        "financieel/<int:period_pk>/import/sjabloon/",
        ledger_views.ledger_template,
        name="ledger_template",
    ),
    path(
        "financieel/import/<int:pk>/",
        ledger_views.ledger_import_record,
        name="ledger_import_record",
    ),
    path("financieel/grootboekcodes/", ledger_views.ledger_codes, name="ledger_codes"),
    path(
        "financieel/grootboekcodes/<int:pk>/",
        ledger_views.ledger_code_edit,
        name="ledger_code_edit",
    ),
    path(
        "financieel/grootboekcodes/<int:pk>/verwijderen/",
        ledger_views.ledger_code_delete,
        name="ledger_code_delete",
    ),
]
