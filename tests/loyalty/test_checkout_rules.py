"""Which lines points may discount (sales, vouchers, include/exclude lists), and points
together with wallet money and a card."""
from decimal import Decimal

import pytest
from saleor.discount.models import Sale, Voucher
from saleor.order.models import Order
from saleor.payment.models import Payment
from saleor.product.models import Category

from saleor_customer_value.wallet.payments import WALLET_GATEWAY_ID

from ..checkout_flow import ADDRESS, set_shipping
from ..conftest import global_id, make_variant
from ..wallet.conftest import fund_wallet
from .conftest import assert_lots_agree, balance, configure, give_points
from .flow import apply, codes, pay_and_complete, quote, ready_checkout, total

CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token }
    checkoutErrors { field code message }
  }
}
"""


@pytest.fixture
def mug(warehouse):
    variant = make_variant(warehouse, name="Mug", price="10.00", sku="mug")
    kitchen = Category.objects.create(name="Kitchen", slug="kitchen")
    variant.product.category = kitchen
    variant.product.save()
    return variant


def two_line_checkout(api, shirt, mug, shipping_method):
    data = api.execute(
        CREATE,
        {
            "input": {
                "email": "erika@example.com",
                "lines": [
                    {"quantity": 2, "variantId": global_id("ProductVariant", shirt.pk)},
                    {"quantity": 1, "variantId": global_id("ProductVariant", mug.pk)},
                ],
                "shippingAddress": ADDRESS,
                "billingAddress": ADDRESS,
            }
        },
    )["checkoutCreate"]
    set_shipping(api, data["checkout"], shipping_method)
    return data["checkout"]


def test_points_wallet_money_and_a_card_pay_one_order(
    customer_api, customer_user, program, variant, shipping_method, german_vat
):
    # given 1000 points and 30.00 EUR in the wallet; 45.00 checkout with 19% VAT
    give_points(customer_user, 1000)
    wallet = fund_wallet(customer_user, "30.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)

    # when points take 10.00 off, the wallet pays 20.00 and the card the rest
    assert apply(customer_api, checkout, 1000)["customerValueErrors"] == []
    paid = customer_api.execute(
        """mutation($id: ID!) { checkoutWalletApply(checkoutId: $id, amount: "20.00") {
             walletPayment { applied { amount } remaining { amount } }
             customerValueErrors { code message } } }""",
        {"id": checkout["id"]},
    )["checkoutWalletApply"]
    assert paid["customerValueErrors"] == []
    assert total(customer_api, checkout)["gross"]["amount"] == 15.0
    order = pay_and_complete(customer_api, checkout, 15.0)

    # then the order is discounted by the points (lower tax) and fully paid
    assert order["isPaid"] is True
    assert order["total"]["gross"]["amount"] == 35.0
    assert order["total"]["net"]["amount"] == 29.42
    saved = Order.objects.get()
    assert saved.discount_name == "Loyalty points (1000 points)"
    payments = {p.gateway: p.captured_amount for p in Payment.objects.filter(order=saved)}
    assert payments == {"mirumee.payments.dummy": Decimal("15.00"), WALLET_GATEWAY_ID: Decimal("20.00")}
    wallet.refresh_from_db()
    assert wallet.posted == Decimal("10.000")
    assert balance(customer_user) == (0, 0)
    assert_lots_agree(customer_user)


def test_lines_on_sale_are_not_discounted_again_when_excluded(
    customer_api, customer_user, program, variant, mug, shipping_method
):
    configure(redeem_exclude_discounted=True)
    sale = Sale.objects.create(name="Half price shirts", type="percentage", value=Decimal("50"))
    sale.products.add(variant.product)
    give_points(customer_user, 5000)
    checkout = two_line_checkout(customer_api, variant, mug, shipping_method)  # 2 x 10 + 10

    quoted = quote(customer_api, checkout)
    assert quoted["cartValue"]["amount"] == 30.0
    assert quoted["eligibleValue"]["amount"] == 10.0  # only the mug
    assert codes(apply(customer_api, checkout, 1001)) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]
    assert apply(customer_api, checkout, 1000)["customerValueErrors"] == []


def test_lines_on_sale_take_points_on_their_sale_price_when_allowed(
    customer_api, customer_user, program, variant, mug, shipping_method
):
    sale = Sale.objects.create(name="Half price shirts", type="percentage", value=Decimal("50"))
    sale.products.add(variant.product)
    give_points(customer_user, 5000)
    checkout = two_line_checkout(customer_api, variant, mug, shipping_method)

    assert quote(customer_api, checkout)["eligibleValue"]["amount"] == 30.0


def test_a_voucher_discount_is_taken_off_before_points(
    customer_api, customer_user, program, variant, shipping_method
):
    Voucher.objects.create(
        code="TEN", name="Ten off", type="entire_order", discount_value_type="percentage",
        discount_value=Decimal("10"),
    )
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    customer_api.execute(
        """mutation($id: ID!) { checkoutAddPromoCode(checkoutId: $id, promoCode: "TEN") {
             checkoutErrors { code } } }""",
        {"id": checkout["id"]},
    )

    quoted = quote(customer_api, checkout)
    assert (quoted["cartValue"]["amount"], quoted["eligibleValue"]["amount"]) == (36.0, 36.0)
    assert codes(apply(customer_api, checkout, 3601)) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]
    assert apply(customer_api, checkout, 3600)["customerValueErrors"] == []
    assert total(customer_api, checkout)["gross"]["amount"] == 5.0
    pay_and_complete(customer_api, checkout)
    order = Order.objects.get()
    assert order.discount_amount == Decimal("40.00")
    assert order.discount_name == "Ten off + Loyalty points (3600 points)"


def test_lines_covered_by_a_voucher_are_excluded_when_discounted_lines_are(
    customer_api, customer_user, program, variant, shipping_method
):
    configure(redeem_exclude_discounted=True)
    Voucher.objects.create(
        code="TEN", type="entire_order", discount_value_type="percentage", discount_value=Decimal("10")
    )
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    customer_api.execute(
        """mutation($id: ID!) { checkoutAddPromoCode(checkoutId: $id, promoCode: "TEN") {
             checkoutErrors { code } } }""",
        {"id": checkout["id"]},
    )

    quoted = quote(customer_api, checkout)
    assert quoted["blockedBy"] == "DISCOUNT_ABOVE_MAXIMUM"
    assert codes(apply(customer_api, checkout, use_max=True)) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]


def test_excluded_products_and_categories_take_no_points(
    customer_api, customer_user, program, variant, mug, shipping_method
):
    give_points(customer_user, 5000)
    checkout = two_line_checkout(customer_api, variant, mug, shipping_method)

    configure(redeem_exclude_products=[mug.product])
    assert quote(customer_api, checkout)["eligibleValue"]["amount"] == 40.0
    configure(redeem_exclude_products=[], redeem_exclude_categories=[variant.product.category])
    assert quote(customer_api, checkout)["eligibleValue"]["amount"] == 10.0


def test_an_include_list_limits_points_to_its_products_and_categories(
    customer_api, customer_user, program, variant, mug, shipping_method
):
    give_points(customer_user, 5000)
    checkout = two_line_checkout(customer_api, variant, mug, shipping_method)

    configure(redeem_include_categories=[mug.product.category])
    assert quote(customer_api, checkout)["eligibleValue"]["amount"] == 10.0
    configure(redeem_include_categories=[], redeem_include_products=[variant.product])
    assert quote(customer_api, checkout)["eligibleValue"]["amount"] == 40.0
    assert codes(apply(customer_api, checkout, 4001)) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]


def test_stored_value_lines_cannot_be_paid_with_points(
    customer_api, customer_user, program, warehouse, shipping_method
):
    topup = make_variant(warehouse, name="Wallet top-up", price="25.00", sku="topup")
    product_type = topup.product.product_type
    product_type.store_value_in_metadata({"customer_value.kind": "wallet_topup"})
    product_type.save()
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, topup, shipping_method, quantity=1)

    assert quote(customer_api, checkout)["eligibleValue"]["amount"] == 0.0


def test_a_cart_of_only_excluded_products_says_so(
    customer_api, customer_user, program, variant, shipping_method
):
    # given the shirt's product is excluded from points and the cart holds only shirts
    configure(redeem_exclude_products=[variant.product])
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    # when the shopper asks what points can do, and tries anyway
    quoted = quote(customer_api, checkout)
    for attempt in (apply(customer_api, checkout, 100), apply(customer_api, checkout, use_max=True)):
        # then the answer names the exclusion, not a maximum of 0.00
        assert codes(attempt) == [("points", "PRODUCTS_EXCLUDED_FROM_POINTS")]
        assert attempt["customerValueErrors"][0]["message"] == (
            "The products in this checkout cannot be paid with points."
        )
    assert quoted["blockedBy"] == "PRODUCTS_EXCLUDED_FROM_POINTS"
    assert balance(customer_user) == (5000, 0)


def test_an_include_list_that_misses_the_cart_says_so(
    customer_api, customer_user, program, variant, mug, shipping_method
):
    configure(redeem_include_products=[mug.product])
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    assert codes(apply(customer_api, checkout, 100)) == [("points", "PRODUCTS_EXCLUDED_FROM_POINTS")]
