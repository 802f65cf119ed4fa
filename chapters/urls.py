from django.urls import path

from . import views, workflow_views

app_name = "chapters"

urlpatterns = [
    path("programmas/", views.programmes, name="programmes"),
    path("programmas/<int:pk>/hoofdstuk/", views.chapter, name="chapter"),
    path("mijn-hoofdstuk/", workflow_views.my_chapter, name="my_chapter"),
    path("teksten/<int:pk>/", workflow_views.text_form, name="text_form"),
    path("actiepunten/status/<int:pk>/", workflow_views.status_form, name="status_form"),
    path(
        "hoofdstuk/<slug:kind>/<int:pk>/indienen/",
        workflow_views.submit_unchanged,
        name="submit_unchanged",
    ),
    path(
        "hoofdstuk/<slug:kind>/<int:pk>/terugsturen/",
        workflow_views.return_row,
        name="return_row",
    ),
    path("hoofdstuk/goedkeuren/", workflow_views.approvals, name="approvals"),
]
