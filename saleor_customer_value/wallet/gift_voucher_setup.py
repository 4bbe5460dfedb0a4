"""A ready-to-sell gift-voucher product, so a shop owner does not assemble the product
type, its metadata and stock by hand.

The product type carries ``customer_value.kind = gift_voucher`` (what ``paid_values``
reads to issue a Saleor gift card per unit paid), needs no shipping, and the product
charges no taxes (selling stored value is not taxed: the tax arises when it is spent).
Each denomination is a variant with ``price_override`` and no inventory tracking,
stocked in every warehouse (Saleor only sells a variant with a stock in a warehouse
serving the country). Idempotent: run again, it only adds what is missing.
"""
from decimal import Decimal

from django.conf import settings as django_settings
from saleor.product.models import Product, ProductType, ProductVariant
from saleor.warehouse.models import Stock, Warehouse

from .paid_values import GIFT_VOUCHER, KIND_KEY
from .topups import _get_or_create

PRODUCT_TYPE_SLUG = "customer-value-gift-voucher"
PRODUCT_SLUG = "gift-voucher"
DENOMINATIONS = (Decimal("10.00"), Decimal("25.00"), Decimal("50.00"), Decimal("100.00"))


def ensure_gift_voucher_product(denominations=DENOMINATIONS, currency=None) -> Product:
    currency = currency or django_settings.DEFAULT_CURRENCY
    product_type = _get_or_create(
        ProductType,
        {"slug": PRODUCT_TYPE_SLUG},
        {
            "name": "Gift voucher",
            "has_variants": True,
            "is_shipping_required": False,
            "is_digital": True,
            "metadata": {KIND_KEY: GIFT_VOUCHER},
        },
    )
    if (product_type.metadata or {}).get(KIND_KEY) != GIFT_VOUCHER:
        product_type.store_value_in_metadata({KIND_KEY: GIFT_VOUCHER})
        product_type.save(update_fields=["metadata"])
    lowest = min(denominations)
    product = _get_or_create(
        Product,
        {"slug": PRODUCT_SLUG},
        {
            "name": "Gift voucher",
            "description": "A gift voucher, sent by e-mail, to spend in the shop.",
            "product_type": product_type,
            "currency": currency,
            "price_amount": lowest,
            "minimal_variant_price_amount": lowest,
            "is_published": True,
            "charge_taxes": False,
        },
    )
    quantity = django_settings.MAX_CHECKOUT_LINE_QUANTITY
    for amount in denominations:
        variant = _get_or_create(
            ProductVariant,
            {"sku": f"gift-voucher-{currency}-{amount}"},
            {
                "product": product,
                "name": f"{amount} {currency}",
                "currency": currency,
                "price_override_amount": amount,
                "track_inventory": False,
            },
        )
        for warehouse in Warehouse.objects.exclude(stock__product_variant=variant):
            _get_or_create(
                Stock, {"warehouse": warehouse, "product_variant": variant}, {"quantity": quantity}
            )
    return product
