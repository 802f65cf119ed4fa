"""A measure names the budget products whose lasten it lowers (issue 11 item 4): in the
measure's admin page, limited to its programme's products, recorded in the product's
history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgets.models import Product
from budgets.product_links import link_products
from measures.models import Measure
from tests.admin_forms import page_form
from tests.budgets.builders import make_money


@pytest.fixture
def money(db):
    period = make_money(products=2, measures=3)
    products = list(Product.objects.filter(programme=period.programme).order_by("order"))
    measure = Measure.objects.filter(programme=period.programme).order_by("pk").first()
    return period, products, measure


def change_url(measure) -> str:
    return reverse("admin:measures_measure_change", args=[measure.pk])


def test_the_admin_offers_only_the_programmes_products(controller_client, money, almelo):
    _period, products, measure = money
    html = controller_client.get(change_url(measure)).content.decode()
    for product in products:
        assert f'name="products" value="{product.pk}"' in html
    other = Product.objects.filter(programme=almelo).first()
    assert f'name="products" value="{other.pk}"' not in html
    assert "De producten waarvan deze maatregel de lasten moet verlagen." in html


def test_the_admin_links_and_unlinks_products(controller_client, money):
    _period, products, measure = money
    data = page_form(controller_client, change_url(measure))
    data["products"] = [str(products[0].pk), str(products[1].pk)]
    response = controller_client.post(change_url(measure), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert set(measure.products.all()) == set(products)
    assert products[0].history.latest().history_type == "~"

    data["products"] = [str(products[1].pk)]
    response = controller_client.post(change_url(measure), data)
    assert response.status_code == 302
    assert list(measure.products.all()) == [products[1]]


def test_a_product_of_another_programme_is_refused_with_a_message(controller_client, money, almelo):
    _period, products, measure = money
    data = page_form(controller_client, change_url(measure))
    other = Product.objects.filter(programme=almelo).first()
    data["products"] = [str(other.pk)]
    response = controller_client.post(change_url(measure), data)
    assert response.status_code == 200
    assert "products" in response.context["adminform"].form.errors
    assert not measure.products.exists()


def test_the_service_refuses_a_product_of_another_programme(money, almelo):
    _period, products, measure = money
    other = Product.objects.filter(programme=almelo).first()
    with pytest.raises(ValidationError):
        link_products(measure=measure, products=[products[0], other])
    assert not measure.products.exists()
