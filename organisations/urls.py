from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("huisstijl/<slug:slug>.css", views.theme_css, name="theme_css"),
    path("huisstijl/<slug:slug>/logo", views.logo, name="logo"),
    path("organisatie/wisselen/", views.switch, name="switch"),
]
