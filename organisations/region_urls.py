from django.urls import path

from . import region_views

app_name = "regions"

urlpatterns = [
    path("", region_views.region_list, name="list"),
    path("<int:pk>/", region_views.region_detail, name="detail"),
]
