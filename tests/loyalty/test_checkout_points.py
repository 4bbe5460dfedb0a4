"""Points as a discount at checkout, through Saleor's GraphQL checkout."""
from decimal import Decimal

import pytest

from saleor.order.models import Order

from saleor_customer_value.models import Hold, HoldStatus, LedgerTransaction

from ..conftest import global_id, grant
from .conftest import assert_lots_agree, balance, give_points
from .flow import (
    ORDER,
    apply,
    codes,
    my_points,
    pay_and_complete,
    quote,
    ready_checkout,
    total,
)


def test_points_are_a_discount_that_lowers_the_taxable_amount(
    customer_api, customer_user, program, variant, shipping_method, german_vat, staff_api, staff_user
):
    # given 2 x 20.00 EUR goods (gross 40.00, net 33.61 at 19%) + 5.00 shipping
    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    assert total(customer_api, checkout)["gross"]["amount"] == 45.0

    # when the customer uses 1000 points (100 points = 1.00 EUR)
    data = apply(customer_api, checkout, 1000)

    # then a 10.00 discount is split like the lines: net 8.40, gross 10.00
    assert data["customerValueErrors"] == []
    quoted = data["pointsQuote"]
    assert quoted["appliedPoints"] == 1000
    assert quoted["discount"]["gross"] == {"amount": 10.0, "currency": "EUR"}
    assert quoted["discount"]["net"]["amount"] == 8.4
    checkout_after = total(customer_api, checkout)
    assert checkout_after["gross"]["amount"] == 35.0
    assert checkout_after["net"]["amount"] == 37.82 - 8.4
    assert balance(customer_user) == (1500, 1000)

    # when the rest is paid by card
    order = pay_and_complete(customer_api, checkout)

    # then the order shows the discount with its own name and a lower tax
    assert order["total"]["gross"]["amount"] == 35.0
    assert order["total"]["net"]["amount"] == 29.42
    assert order["total"]["tax"]["amount"] == 5.58
    saved = Order.objects.get()
    grant(staff_user, "manage_orders")
    shown = staff_api.execute(ORDER, {"id": global_id("Order", saved.pk)})["order"]
    assert shown["discount"] == {"amount": 10.0}
    assert shown["discountName"] == "Loyalty points (1000 points)"
    assert {"key": "customer_value.points_redeemed", "value": "1000"} in order["metadata"]
    assert balance(customer_user) == (500, 0)
    redeemed = LedgerTransaction.objects.get(reason="points_redeemed")
    assert redeemed.order_id == saved.pk
    assert redeemed.metadata["rate"] == {"points": 100, "amount": "1.00", "currency": "EUR"}
    assert_lots_agree(customer_user)


def test_the_quote_says_how_many_points_the_checkout_takes(
    customer_api, customer_user, program, variant, shipping_method
):
    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    quoted = quote(customer_api, checkout)

    assert quoted["available"] == 1500
    assert quoted["maxPoints"] == 1500
    assert quoted["maxDiscount"]["amount"] == 40.0  # the goods; shipping is not discounted
    assert quoted["eligibleValue"]["amount"] == 40.0
    assert quoted["cartValue"]["amount"] == 40.0
    assert quoted["totalBeforePoints"]["amount"] == 45.0
    assert quoted["rate"] == {"points": 100, "amount": {"amount": 1.0}, "step": 1}
    assert quoted["appliedPoints"] == 0
    assert quoted["canRedeem"] is True
    assert quoted["blockedBy"] is None


def test_the_quote_by_token_and_for_another_customer(
    customer_api, customer_user, other_customer, program, variant, shipping_method
):
    from ..conftest import ApiClient
    from .flow import QUOTE

    give_points(customer_user, 500)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    others = ready_checkout(ApiClient(user=other_customer), variant, shipping_method)

    by_token = customer_api.execute(QUOTE, {"token": checkout["token"]})["checkoutPointsQuote"]
    not_mine = customer_api.execute(QUOTE, {"token": others["token"]})["checkoutPointsQuote"]

    assert by_token["available"] == 500
    assert not_mine is None


def test_max_uses_as_many_points_as_the_rules_allow(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_max_type="amount", redeem_max_value=Decimal("12.34"))
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, use_max=True)

    assert data["customerValueErrors"] == []
    assert data["pointsQuote"]["appliedPoints"] == 1234
    assert data["pointsQuote"]["discount"]["gross"]["amount"] == 12.34
    assert total(customer_api, checkout)["gross"]["amount"] == 32.66
    assert balance(customer_user) == (5000, 1234)


def test_max_is_limited_by_the_balance(customer_api, customer_user, program, variant, shipping_method):
    give_points(customer_user, 777)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, use_max=True)

    assert data["pointsQuote"]["appliedPoints"] == 777
    assert total(customer_api, checkout)["gross"]["amount"] == 37.23


def test_exactly_the_minimum_balance_may_redeem(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_min_balance=1000)
    give_points(customer_user, 1000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, 200)

    assert data["customerValueErrors"] == []
    assert balance(customer_user) == (1000, 200)


def test_one_point_below_the_minimum_balance_is_refused(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_min_balance=1000)
    give_points(customer_user, 999)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, 200)
    quoted = quote(customer_api, checkout)

    assert codes(data) == [("points", "POINTS_BELOW_MINIMUM")]
    assert Hold.objects.count() == 0
    assert (quoted["canRedeem"], quoted["blockedBy"], quoted["maxPoints"]) == (
        False,
        "POINTS_BELOW_MINIMUM",
        0,
    )


def test_exactly_the_minimum_cart_value_may_redeem(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_min_cart=Decimal("40.00"))
    give_points(customer_user, 1000)
    checkout = ready_checkout(customer_api, variant, shipping_method)  # 40.00 of goods

    assert apply(customer_api, checkout, 500)["customerValueErrors"] == []


def test_a_cart_a_cent_below_the_minimum_is_refused(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_min_cart=Decimal("40.01"))
    give_points(customer_user, 1000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, 500)

    assert codes(data) == [("checkoutId", "CART_BELOW_MINIMUM")]
    assert Hold.objects.count() == 0


def test_exactly_the_maximum_discount_amount_is_allowed_one_point_more_is_not(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_max_type="amount", redeem_max_value=Decimal("10.00"))
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    too_much = apply(customer_api, checkout, 1001)
    assert codes(too_much) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]
    assert Hold.objects.count() == 0

    exact = apply(customer_api, checkout, 1000)
    assert exact["customerValueErrors"] == []
    assert exact["pointsQuote"]["discount"]["gross"]["amount"] == 10.0


def test_the_maximum_discount_in_percent_of_the_eligible_lines(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_max_type="percent", redeem_max_value=Decimal("25"))
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)  # 40.00 eligible

    assert quote(customer_api, checkout)["maxPoints"] == 1000
    assert codes(apply(customer_api, checkout, 1001)) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]
    assert apply(customer_api, checkout, 1000)["customerValueErrors"] == []


def test_points_never_discount_more_than_the_goods(
    customer_api, customer_user, program, variant, shipping_method
):
    give_points(customer_user, 9000)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    assert codes(apply(customer_api, checkout, 4001)) == [("points", "DISCOUNT_ABOVE_MAXIMUM")]
    assert apply(customer_api, checkout, 4000)["customerValueErrors"] == []
    assert total(customer_api, checkout)["gross"]["amount"] == 5.0  # shipping is left


@pytest.mark.parametrize(
    "points, code",
    [
        (0, "INVALID_AMOUNT"),
        (-5, "INVALID_AMOUNT"),
        ("10.5", "INVALID_AMOUNT"),
        (1501, "INSUFFICIENT_FUNDS"),
    ],
)
def test_bad_points_change_nothing(
    customer_api, customer_user, program, variant, shipping_method, points, code
):
    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, points)

    assert codes(data) == [("points", code)]
    assert Hold.objects.count() == 0
    assert balance(customer_user) == (1500, 0)


def test_points_that_are_not_worth_whole_cents_are_refused(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    configure(redeem_points=150, redeem_amount=Decimal("1.00"))  # 3 points = 0.02
    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    assert codes(apply(customer_api, checkout, 100)) == [("points", "INVALID_AMOUNT")]
    data = apply(customer_api, checkout, 150)
    assert data["pointsQuote"]["discount"]["gross"]["amount"] == 1.0


def test_another_customers_checkout_is_not_found(
    customer_api, customer_user, other_customer, program, variant, shipping_method
):
    from ..conftest import ApiClient

    give_points(customer_user, 1500)
    others = ready_checkout(ApiClient(user=other_customer), variant, shipping_method)

    data = apply(customer_api, others, 100)

    assert codes(data) == [("checkoutId", "NOT_FOUND")]
    assert Hold.objects.count() == 0


def test_anonymous_callers_cannot_use_points(api_client, program, variant, shipping_method):
    checkout = ready_checkout(api_client, variant, shipping_method)

    data = apply(api_client, checkout, 100)

    assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]


def test_a_switched_off_program_refuses_and_stops_discounting(
    customer_api, customer_user, program, variant, shipping_method
):
    from .conftest import configure

    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 1000)

    configure(enabled=False)

    assert total(customer_api, checkout)["gross"]["amount"] == 45.0
    assert [e["code"] for e in apply(customer_api, checkout, 500)["customerValueErrors"]] == [
        "LOYALTY_DISABLED"
    ]
    assert quote(customer_api, checkout)["blockedBy"] == "LOYALTY_DISABLED"


def test_applying_again_replaces_and_removing_releases(
    customer_api, customer_user, program, variant, shipping_method
):
    from .flow import remove

    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 1000)

    changed = apply(customer_api, checkout, 250)
    assert changed["pointsQuote"]["appliedPoints"] == 250
    assert Hold.objects.filter(status=HoldStatus.PENDING).count() == 1
    assert balance(customer_user) == (1500, 250)
    assert total(customer_api, checkout)["gross"]["amount"] == 42.5

    removed = remove(customer_api, checkout)
    assert removed["pointsQuote"]["appliedPoints"] == 0
    assert balance(customer_user) == (1500, 0)
    assert total(customer_api, checkout)["gross"]["amount"] == 45.0


def test_a_replayed_apply_with_its_key_reserves_once(
    customer_api, customer_user, program, variant, shipping_method
):
    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)

    apply(customer_api, checkout, 1000, key="points-1")
    again = apply(customer_api, checkout, 1000, key="points-1")

    assert again["customerValueErrors"] == []
    assert again["pointsQuote"]["appliedPoints"] == 1000
    assert Hold.objects.count() == 1
    assert balance(customer_user) == (1500, 1000)


def test_an_expired_reservation_no_longer_lowers_the_total(
    customer_api, customer_user, program, variant, shipping_method
):
    from django.utils import timezone

    from saleor_customer_value.ledger import service

    give_points(customer_user, 1500)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 1000)

    service.expire_holds(now=timezone.now() + timezone.timedelta(days=8))

    assert total(customer_api, checkout)["gross"]["amount"] == 45.0
    assert balance(customer_user) == (1500, 0)


def test_a_shrinking_cart_lowers_the_discount_and_the_points_used(
    customer_api, customer_user, program, variant, shipping_method
):
    # given 3000 points (30.00) on 40.00 of goods
    give_points(customer_user, 5000)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 3000)

    # when the cart shrinks to one T-shirt (20.00)
    customer_api.execute(
        """mutation($id: ID!, $lines: [CheckoutLineInput]!) {
             checkoutLinesUpdate(checkoutId: $id, lines: $lines) { checkoutErrors { code } } }""",
        {"id": checkout["id"], "lines": [{"quantity": 1, "variantId": global_id("ProductVariant", variant.pk)}]},
    )

    # then points take off 20.00 only and the order uses 2000 points
    assert total(customer_api, checkout)["gross"]["amount"] == 5.0
    assert quote(customer_api, checkout)["appliedPoints"] == 2000
    pay_and_complete(customer_api, checkout)
    assert balance(customer_user) == (3000, 0)
    assert Order.objects.get().discount_amount == Decimal("20.00")
    assert_lots_agree(customer_user)


def test_redemption_takes_the_soonest_expiring_points_first(
    customer_api, customer_user, program, variant, shipping_method
):
    from saleor_customer_value.models import PointsLot

    never = give_points(customer_user, 500, expiry_days=None)
    give_points(customer_user, 500, expiry_days=90)
    give_points(customer_user, 500, expiry_days=30)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 800)

    pay_and_complete(customer_api, checkout)

    remaining = {
        lot.expires_at is None and "never" or lot.metadata["expiry_days"]: lot.remaining
        for lot in PointsLot.objects.filter(account=never)
    }
    assert remaining == {30: 0, 90: 200, "never": 500}
    shown = my_points(customer_api)["lots"]
    assert [(lot["status"], lot["remaining"]) for lot in shown] == [
        ("USED", 0),
        ("ACTIVE", 200),
        ("ACTIVE", 500),
    ]
    assert_lots_agree(customer_user)
