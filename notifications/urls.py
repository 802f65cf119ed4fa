from django.urls import path

from . import views

urlpatterns = [
    path("mijn-instellingen/", views.my_settings, name="my_settings"),
]
