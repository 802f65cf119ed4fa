from django.urls import path

from . import views

app_name = "chapters"

urlpatterns = [
    path("programmas/", views.programmes, name="programmes"),
    path("programmas/<int:pk>/hoofdstuk/", views.chapter, name="chapter"),
]
