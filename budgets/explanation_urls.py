"""URLs of this part of the budgets app; budgets/urls.py gathers them under "budgets"."""

urlpatterns = []
