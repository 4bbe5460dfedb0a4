"""Wallet top-ups bought through Saleor's checkout: limits, permissions, crediting with
bonus tiers when the order is paid, idempotency."""
from decimal import Decimal

import pytest
from saleor.product.models import ProductVariant

from saleor_customer_value.config import TOPUP_BONUS_TIERS
from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.wallet import paid_orders

from ..conftest import ApiClient, global_id
from .stored_value_flow import (
    add_top_up,
    booked,
    checkout_state,
    configure,
    new_checkout,
    pay_and_complete,
    wallet_amount,
    wallet_posted,
)

pytestmark = pytest.mark.django_db

LINES_ADD = """
mutation($id: ID!, $variant: ID!) {
  checkoutLinesAdd(checkoutId: $id, lines: [{quantity: 1, variantId: $variant}]) {
    checkoutErrors { field code message }
  }
}
"""


def test_customer_tops_up_any_amount_and_gets_it_credited_when_paid(
    customer_api, customer_user, warehouse
):
    # given a checkout with a top-up of 37.50
    checkout = new_checkout(customer_api)
    data = add_top_up(customer_api, checkout, 37.5)
    assert data["customerValueErrors"] == []
    assert data["amount"] == {"amount": 37.5, "currency": "EUR"}
    assert data["checkout"]["lines"] == [
        {"quantity": 1, "variant": {"sku": "wallet-topup-EUR-37.50"}}
    ]

    # when it is paid and the order reported paid
    order = pay_and_complete(customer_api, checkout)
    paid_orders.handle_order_paid(order)

    # then the wallet holds the amount, booked as one untaxed TOPUP for the order
    assert order.total_gross_amount == Decimal("37.50")
    assert order.total_net_amount == Decimal("37.50")
    line = order.lines.get()
    assert line.product_sku == "wallet-topup-EUR-37.50"
    assert line.is_shipping_required is False
    assert line.tax_rate == Decimal("0")
    assert wallet_posted(customer_user) == Decimal("37.500")
    [topup] = booked(order, Reason.TOPUP)
    assert wallet_amount(topup) == Decimal("37.500")
    assert topup.actor_type == "system"
    assert booked(order, Reason.TOPUP_BONUS) == []


def test_top_up_next_to_goods_gets_the_tier_bonus(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given bonus tiers and a checkout of a 20.00 shirt (+5.00 shipping) and a 50 top-up
    assert configure(staff_api, staff_user, **{TOPUP_BONUS_TIERS: "50:5,100:10"}) == []
    checkout = new_checkout(customer_api, variant)
    add_top_up(customer_api, checkout, 50)
    state = checkout_state(customer_api, checkout)
    assert state["totalPrice"]["gross"]["amount"] == 70.0

    # when
    order = pay_and_complete(customer_api, checkout, shipping_method)
    paid_orders.handle_order_paid(order)

    # then 50 top-up + 5% bonus, the bonus with the rule it was computed with
    assert order.total_gross_amount == Decimal("75.00")
    assert wallet_posted(customer_user) == Decimal("52.500")
    [bonus] = booked(order, Reason.TOPUP_BONUS)
    assert wallet_amount(bonus) == Decimal("2.500")
    assert bonus.metadata == {
        "tier_from": "50",
        "tier_percent": "5",
        "tiers": "50:5,100:10",
        "topup_total": "50.00",
        "bonus_base": "50.00",
    }
    assert bonus.entries.get(amount__gt=0, direction=-1).account.system_code == "bonus"


@pytest.mark.parametrize(
    "amount, bonus",
    [
        (49.99, None),
        (50.0, Decimal("2.500")),
        (99.99, Decimal("4.990")),  # 4.9995 rounded down
        (100.0, Decimal("10.000")),
    ],
)
def test_bonus_tier_boundaries(
    customer_api, customer_user, staff_api, staff_user, warehouse, amount, bonus
):
    configure(staff_api, staff_user, **{TOPUP_BONUS_TIERS: "50:5, 100:10"})
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, amount)

    order = pay_and_complete(customer_api, checkout)
    paid_orders.handle_order_paid(order)

    bonuses = [wallet_amount(t) for t in booked(order, Reason.TOPUP_BONUS)]
    assert bonuses == ([bonus] if bonus else [])
    assert wallet_posted(customer_user) == Decimal(str(amount)) + (bonus or 0)


def test_order_paid_twice_books_once_even_after_the_rule_changed(
    customer_api, customer_user, staff_api, staff_user, warehouse
):
    # given a paid top-up order booked with the 5% tier
    configure(staff_api, staff_user, **{TOPUP_BONUS_TIERS: "50:5"})
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 60)
    order = pay_and_complete(customer_api, checkout)
    first = paid_orders.handle_order_paid(order)

    # when the rule changes and the order is reported paid again
    configure(staff_api, staff_user, **{TOPUP_BONUS_TIERS: "50:20"})
    second = paid_orders.handle_order_paid(order)

    # then nothing more is booked and the bonus keeps its rule
    assert [t.pk for t in second.topups] == [t.pk for t in first.topups]
    assert len(booked(order, Reason.TOPUP)) == 1
    [bonus] = booked(order, Reason.TOPUP_BONUS)
    assert bonus.metadata["tier_percent"] == "5"
    assert wallet_posted(customer_user) == Decimal("63.000")


def test_same_amount_twice_is_one_line_of_quantity_two(
    customer_api, customer_user, warehouse
):
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 20)
    data = add_top_up(customer_api, checkout, "20.00")

    assert data["checkout"]["lines"] == [
        {"quantity": 2, "variant": {"sku": "wallet-topup-EUR-20.00"}}
    ]
    order = pay_and_complete(customer_api, checkout)
    paid_orders.handle_order_paid(order)
    assert wallet_posted(customer_user) == Decimal("40.000")


@pytest.mark.parametrize("amount", [0, -5, 4.99, 500.01, 12.345, "1e3"])
def test_top_up_amount_outside_the_limits_is_refused(customer_api, warehouse, amount):
    checkout = new_checkout(customer_api)

    content = customer_api.post(
        """mutation($id: ID!, $amount: Decimal!) {
          checkoutWalletTopUpAdd(checkoutId: $id, amount: $amount) {
            checkout { id } customerValueErrors { field code message } } }""",
        {"id": checkout["id"], "amount": amount},
    )

    data = content["data"]["checkoutWalletTopUpAdd"]
    assert data["checkout"] is None
    [err] = data["customerValueErrors"]
    assert (err["field"], err["code"]) == ("amount", "INVALID_AMOUNT")
    assert "A top-up is 5.00 to 500.00 EUR" in err["message"]
    assert checkout_state(customer_api, checkout)["lines"] == []


def test_limits_are_configurable(customer_api, staff_api, staff_user, warehouse):
    configure(staff_api, staff_user, **{"Top-up minimum": "10", "Top-up maximum": "20"})
    checkout = new_checkout(customer_api)

    low = add_top_up(customer_api, checkout, 9.99)["customerValueErrors"]
    ok = add_top_up(customer_api, checkout, 10)["customerValueErrors"]

    assert [e["code"] for e in low] == ["INVALID_AMOUNT"]
    assert "A top-up is 10 to 20 EUR" in low[0]["message"]
    assert ok == []


def test_top_ups_of_one_checkout_add_up_to_the_maximum(customer_api, warehouse):
    checkout = new_checkout(customer_api)
    assert add_top_up(customer_api, checkout, 300)["customerValueErrors"] == []

    data = add_top_up(customer_api, checkout, 200.01)

    [err] = data["customerValueErrors"]
    assert err["code"] == "INVALID_AMOUNT"
    assert "already holds 300.00 EUR" in err["message"]
    assert add_top_up(customer_api, checkout, 200)["customerValueErrors"] == []


def test_anonymous_caller_cannot_add_a_top_up(api_client, warehouse):
    checkout = new_checkout(api_client)

    data = add_top_up(api_client, checkout, 20)

    assert data["checkout"] is None
    assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]
    assert checkout_state(api_client, checkout)["lines"] == []


def test_top_up_needs_a_checkout_of_ones_own(
    customer_api, other_customer, api_client, warehouse
):
    # given another customer's checkout and an anonymous one
    others = new_checkout(ApiClient(user=other_customer), email="max@example.com")
    anonymous = new_checkout(api_client)

    # when the customer tries to top up on them
    on_others = add_top_up(customer_api, others, 20)["customerValueErrors"]
    on_anonymous = add_top_up(customer_api, anonymous, 20)["customerValueErrors"]
    unknown = add_top_up(
        customer_api,
        {"id": global_id("Checkout", "9f1c7c39-94f5-4a59-9b4a-6fd8c5a1f1a1")},
        20,
    )["customerValueErrors"]

    # then
    assert [(e["field"], e["code"]) for e in on_others] == [("checkoutId", "NOT_FOUND")]
    assert [e["code"] for e in on_anonymous] == ["PERMISSION_DENIED"]
    assert "checkoutCustomerAttach" in on_anonymous[0]["message"]
    assert [(e["field"], e["code"]) for e in unknown] == [("checkoutId", "NOT_FOUND")]


def test_top_up_variant_cannot_be_added_through_saleors_own_lines_add(
    customer_api, warehouse
):
    # given a top-up variant that exists (someone topped up 20)
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 20)
    topup = ProductVariant.objects.get(sku="wallet-topup-EUR-20.00")
    assert topup.product.is_published is False

    # when somebody bypasses the limits and the owner check with checkoutLinesAdd
    other = new_checkout(ApiClient())
    data = ApiClient().execute(
        LINES_ADD, {"id": other["id"], "variant": global_id("ProductVariant", topup.pk)}
    )

    # then Saleor refuses it
    errors = data["checkoutLinesAdd"]["checkoutErrors"]
    assert [e["code"] for e in errors] == ["PRODUCT_NOT_PUBLISHED"]


def test_top_up_without_a_warehouse_for_the_country_is_refused(customer_api, db):
    checkout = new_checkout(customer_api)

    data = add_top_up(customer_api, checkout, 20)

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [
        ("checkoutId", "INVALID")
    ]


def test_orders_unrelated_to_the_plugin_book_nothing(customer_api, variant, shipping_method):
    checkout = new_checkout(customer_api, variant)
    order = pay_and_complete(customer_api, checkout, shipping_method)

    result = paid_orders.handle_order_paid(order)
    paid_orders.handle_order_cancelled(order)
    paid_orders.handle_order_refunded(order, Decimal("5.00"))

    assert result.topups == [] and result.gift_cards == []
    assert result.cashback is None and result.b2b_bonus is None
    assert booked(order, Reason.TOPUP) == []


def test_guest_order_of_a_marked_product_credits_nobody_and_does_not_fail(
    api_client, variant, shipping_method
):
    # given staff marked the shirt's product type as a top-up and a guest bought it
    product_type = variant.product.product_type
    product_type.store_value_in_metadata({"customer_value.kind": "wallet_topup"})
    product_type.save()
    checkout = new_checkout(api_client, variant, email="guest@example.com")
    order = pay_and_complete(api_client, checkout, shipping_method)

    # when
    result = paid_orders.handle_order_paid(order)

    # then
    assert result.topups == []
    assert booked(order, Reason.TOPUP) == []


def test_top_up_is_credited_at_what_was_paid_after_an_order_voucher(
    customer_api, customer_user, warehouse
):
    # given a 10% entire-order voucher applied to a 100.00 top-up
    from saleor.discount.models import Voucher

    Voucher.objects.create(
        code="TEN", type="entire_order", discount_value_type="percentage",
        discount_value=Decimal("10"),
    )
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 100)
    data = customer_api.execute(
        """mutation($id: ID!) { checkoutAddPromoCode(checkoutId: $id, promoCode: "TEN") {
             checkoutErrors { code } } }""",
        {"id": checkout["id"]},
    )
    assert data["checkoutAddPromoCode"]["checkoutErrors"] == []

    # when
    order = pay_and_complete(customer_api, checkout)
    paid_orders.handle_order_paid(order)

    # then 90.00 was paid and 90.00 is credited, not 100.00
    assert order.total_gross_amount == Decimal("90.00")
    assert wallet_posted(customer_user) == Decimal("90.000")


def test_wallet_money_spent_on_a_top_up_earns_no_bonus(
    customer_api, customer_user, staff_api, staff_user, warehouse
):
    # given 20.00 in the wallet, the 5% tier from 50 and a 60.00 top-up
    from saleor_customer_value.ledger import accounts

    from ..ledger.helpers import top_up

    configure(staff_api, staff_user, **{TOPUP_BONUS_TIERS: "50:5"})
    top_up(accounts.wallet_account(accounts.customer_for_user(customer_user), "EUR"), "20.00")
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 60)

    # when 20.00 of it is paid from the wallet and 40.00 by card
    data = customer_api.execute(
        """mutation($id: ID!) { checkoutWalletApply(checkoutId: $id, amount: 20) {
             customerValueErrors { code message } } }""",
        {"id": checkout["id"]},
    )
    assert data["checkoutWalletApply"]["customerValueErrors"] == []
    order = pay_and_complete(customer_api, checkout)
    paid_orders.handle_order_paid(order)

    # then the 60.00 top-up is credited, but only 40.00 was new money: below the tier
    assert [wallet_amount(t) for t in booked(order, Reason.TOPUP)] == [Decimal("60.000")]
    assert booked(order, Reason.TOPUP_BONUS) == []
    assert wallet_posted(customer_user) == Decimal("60.000")


def test_top_up_is_not_taxed_when_saleor_charges_vat(
    german_vat, customer_api, customer_user, variant, shipping_method
):
    # given Saleor's vatlayer plugin with 19% German VAT, a 20.00 shirt and a 50 top-up
    checkout = new_checkout(customer_api, variant)
    add_top_up(customer_api, checkout, 50)

    # when
    order = pay_and_complete(customer_api, checkout, shipping_method)
    paid_orders.handle_order_paid(order)

    # then the shirt line carries VAT and the top-up line none; 50.00 is credited
    shirt = order.lines.get(product_sku=variant.sku)
    topup = order.lines.get(product_sku="wallet-topup-EUR-50.00")
    assert shirt.unit_price_gross_amount > shirt.unit_price_net_amount
    assert (topup.unit_price_net_amount, topup.unit_price_gross_amount) == (
        Decimal("50.00"),
        Decimal("50.00"),
    )
    assert topup.tax_rate == Decimal("0")
    assert wallet_posted(customer_user) == Decimal("50.000")
