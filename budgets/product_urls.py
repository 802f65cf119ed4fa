"""URLs of this part of the budgets app; budgets/urls.py gathers them under "budgets"."""

from django.urls import path

from . import product_views

urlpatterns = [
    path("programmas/<int:pk>/producten/", product_views.products, name="products"),
    path("producten/<int:pk>/", product_views.product, name="product"),
]
