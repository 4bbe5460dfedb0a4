"""The gift-voucher product is set up by one idempotent command (used by the demo)."""
from decimal import Decimal

import pytest
from django.core.management import call_command
from saleor.product.models import Product, ProductVariant

from ..conftest import global_id
from .stored_value_flow import checkout_state, new_checkout

pytestmark = pytest.mark.django_db


def test_the_command_creates_a_ready_gift_voucher_product_once(warehouse):
    # when the command runs twice
    call_command("customer_value_gift_vouchers")
    call_command("customer_value_gift_vouchers")

    # then one published, untaxed, non-shipping product with four denominations exists
    product = Product.objects.get(slug="gift-voucher")
    assert (product.is_published, product.charge_taxes) == (True, False)
    product_type = product.product_type
    assert product_type.metadata == {"customer_value.kind": "gift_voucher"}
    assert product_type.is_shipping_required is False
    variants = ProductVariant.objects.filter(product=product).order_by("price_override_amount")
    assert [v.price_override_amount for v in variants] == [
        Decimal("10.00"), Decimal("25.00"), Decimal("50.00"), Decimal("100.00"),
    ]
    assert all(not v.track_inventory and v.stocks.count() == 1 for v in variants)
    assert Product.objects.filter(product_type=product_type).count() == 1


def test_a_shopper_can_buy_a_voucher_without_shipping(customer_api, warehouse, german_vat):
    # given the set-up product
    call_command("customer_value_gift_vouchers")
    voucher = ProductVariant.objects.get(sku="gift-voucher-EUR-25.00")

    # when a shopper puts a 25.00 voucher in the cart
    checkout = new_checkout(customer_api)
    data = customer_api.execute(
        """mutation($id: ID!, $v: ID!) { checkoutLinesAdd(checkoutId: $id,
             lines: [{quantity: 1, variantId: $v}]) { checkoutErrors { code message } } }""",
        {"id": checkout["id"], "v": global_id("ProductVariant", voucher.pk)},
    )["checkoutLinesAdd"]

    # then it needs no shipping and is not taxed
    assert data["checkoutErrors"] == []
    state = checkout_state(customer_api, checkout)
    assert state["isShippingRequired"] is False
    assert state["totalPrice"]["gross"]["amount"] == 25.0
    assert state["totalPrice"]["tax"]["amount"] == 0.0


def test_the_demo_data_sets_up_gift_vouchers(db):
    call_command("customer_value_demo")

    assert Product.objects.filter(slug="gift-voucher", is_published=True).exists()
