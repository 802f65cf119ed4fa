"""The budgets app's URLs under the "budgets" namespace, one module per part: the money
pages (doelenboom, statement, exports), the variance explanations, the ledger import
and the product pages."""

from . import explanation_urls, ledger_urls, page_urls, product_urls

app_name = "budgets"

urlpatterns = [
    *page_urls.urlpatterns,
    *explanation_urls.urlpatterns,
    *ledger_urls.urlpatterns,
    *product_urls.urlpatterns,
]
