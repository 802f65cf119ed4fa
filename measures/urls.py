from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview, name="overview"),
    path("maatregelen/<int:pk>/", views.measure_detail, name="measure_detail"),
]
