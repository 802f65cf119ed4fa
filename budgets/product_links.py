"""Which products a savings measure lowers the lasten of: the one write of that link.

The link is `Product.measures`, whose history is kept on the product. Django sends a
change made from the measure's side (`measure.products.set(...)`) with the measure as the
instance, which the product's history cannot record; so every change here is made from
the product's side, one product at a time, and each product's history shows it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from measures.models import Measure


def link_products(*, measure: Measure, products) -> None:
    """Link `measure` to exactly `products`, all of the measure's programme."""
    wanted = {product.pk: product for product in products}
    foreign = [p.name for p in wanted.values() if p.programme_id != measure.programme_id]
    if foreign:
        raise ValidationError(
            {
                "products": _("Dit product hoort bij een ander programma: %(names)s.")
                % {"names": ", ".join(sorted(foreign))}
            }
        )
    with transaction.atomic():
        current = {product.pk: product for product in measure.products.select_for_update()}
        for pk in current.keys() - wanted.keys():
            current[pk].measures.remove(measure)
        for pk in wanted.keys() - current.keys():
            wanted[pk].measures.add(measure)
