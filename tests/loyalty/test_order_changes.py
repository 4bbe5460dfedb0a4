"""Cancellations and refunds: redeemed points come back, earned points are taken back
(in proportion for partial refunds), and a clawback that finds the points spent leaves
a negative balance that blocks redemption until it is positive again."""
from decimal import Decimal

import pytest

from saleor_customer_value.loyalty import orders as loyalty_orders
from saleor_customer_value.models import LedgerTransaction, PointsLot
from saleor_customer_value.models.loyalty import LotStatus

from ..conftest import ApiClient, grant
from .conftest import assert_lots_agree, balance, configure, give_points
from .flow import apply, buy, cancel, codes, my_points, quote, ready_checkout, refund


@pytest.fixture
def order_staff(staff_user):
    grant(staff_user, "manage_orders", "manage_loyalty")
    return ApiClient(user=staff_user)


def test_cancelling_returns_redeemed_points_and_takes_back_earned_ones(
    customer_api, customer_user, program, variant, shipping_method, order_staff
):
    # given an order that used 1000 points and earned 30 (1 point per 1.00 of 30.00)
    give_points(customer_user, 1000)
    order = buy(customer_api, variant, shipping_method, points=1000)
    assert balance(customer_user) == (30, 0)

    # when staff cancel it
    cancel(order_staff, order)

    # then the customer has the 1000 points back and not the 30
    assert balance(customer_user) == (1000, 0)
    redeemed = LedgerTransaction.objects.get(reason="points_redeemed")
    earned = LedgerTransaction.objects.get(reason="points_earned")
    assert redeemed.reversed_by.metadata == {"reversed_reason": "points_redeemed"}
    assert earned.reversed_by is not None
    # and the customer's history shows both reversed pairs with the reason
    history = [e["node"] for e in my_points(customer_api)["movements"]["edges"]]
    assert sorted((m["points"], m["reason"], m["customerNote"]) for m in history) == sorted([
        (1000, "POINTS_ADJUSTMENT", ""),
        (-1000, "POINTS_REDEEMED", f"1000 points redeemed on order #{order.pk}"),
        (30, "POINTS_EARNED", f"30 points earned on order #{order.pk}"),
        (1000, "REVERSAL", f"Order #{order.pk} cancelled: redeemed points returned."),
        (-30, "REVERSAL", f"Order #{order.pk} cancelled: earned points taken back."),
    ])
    assert_lots_agree(customer_user)

    # and a second cancellation report changes nothing
    loyalty_orders.order_cancelled(order)
    assert balance(customer_user) == (1000, 0)


def test_a_clawback_of_spent_points_blocks_redemption_until_positive(
    customer_api, customer_user, program, variant, shipping_method, order_staff
):
    # given 100 points earned on order A (2.5 points per 1.00)
    configure(earn_points=5, earn_amount=Decimal("2.00"))
    order_a = buy(customer_api, variant, shipping_method)
    assert balance(customer_user) == (100, 0)
    # and 80 of them spent on order B (which earns nothing)
    configure(earn_points=0)
    buy(customer_api, variant, shipping_method, points=80)
    assert balance(customer_user) == (20, 0)

    # when order A is cancelled
    cancel(order_staff, order_a)

    # then the 100 points are taken back and the balance is below zero
    assert balance(customer_user) == (-80, 0)
    assert LedgerTransaction.objects.get(reason="reversal", metadata__reversed_reason="points_earned").is_clawback
    assert my_points(customer_api)["balance"] == {"posted": -80, "held": 0, "available": 0, "pending": 0}
    assert_lots_agree(customer_user)
    # and points cannot be redeemed
    checkout = ready_checkout(customer_api, variant, shipping_method)
    assert quote(customer_api, checkout)["blockedBy"] == "NEGATIVE_BALANCE"
    assert codes(apply(customer_api, checkout, 10)) == [("points", "NEGATIVE_BALANCE")]

    # when the balance is positive again (staff add 100 points)
    give_points(customer_user, 100)

    # then exactly the 20 points above zero can be redeemed
    assert balance(customer_user) == (20, 0)
    assert codes(apply(customer_api, checkout, 21)) == [("points", "INSUFFICIENT_FUNDS")]
    assert apply(customer_api, checkout, 20)["customerValueErrors"] == []
    assert_lots_agree(customer_user)


def test_partial_refunds_take_back_earned_points_in_proportion(
    customer_api, customer_user, program, variant, shipping_method, order_staff
):
    # given 80 points earned on a 45.00 order (10 points per 5.00 of the 40.00 goods)
    configure(earn_points=10, earn_amount=Decimal("5.00"))
    order = buy(customer_api, variant, shipping_method)
    assert balance(customer_user) == (80, 0)

    # when half of the order is refunded
    refund(order_staff, order, "22.50")

    # then half of the points are taken back
    assert balance(customer_user) == (40, 0)
    taken = LedgerTransaction.objects.get(reason="points_adjustment")
    assert taken.is_clawback
    assert taken.metadata["refunded"] == "22.50"
    assert taken.metadata["due"] == 40
    latest = my_points(customer_api)["movements"]["edges"][0]["node"]
    assert (latest["points"], latest["customerNote"]) == (
        -40, f"40 points taken back, order #{order.pk} refunded",
    )

    # and reporting the same refund again takes nothing more
    loyalty_orders.order_refunded(order)
    assert balance(customer_user) == (40, 0)

    # when another 9.00 is refunded (31.50 of 45.00: 56 points due in total)
    refund(order_staff, order, "9.00")
    assert balance(customer_user) == (24, 0)

    # and the order is cancelled: the rest goes
    cancel(order_staff, order)
    assert balance(customer_user) == (0, 0)
    assert_lots_agree(customer_user)


def test_a_refund_after_the_points_were_spent_leaves_a_negative_balance(
    customer_api, customer_user, program, variant, shipping_method, order_staff
):
    configure(earn_points=10, earn_amount=Decimal("5.00"))
    order = buy(customer_api, variant, shipping_method)  # +80
    configure(earn_points=0)
    buy(customer_api, variant, shipping_method, points=60)

    refund(order_staff, order, "45.00")

    assert balance(customer_user) == (-60, 0)
    assert_lots_agree(customer_user)


def test_pending_points_are_reduced_and_cancelled_without_touching_the_ledger(
    customer_api, customer_user, program, variant, shipping_method, order_staff
):
    configure(earn_points=10, earn_amount=Decimal("5.00"), pending_days=14)
    order = buy(customer_api, variant, shipping_method)
    assert my_points(customer_api)["balance"]["pending"] == 80

    refund(order_staff, order, "22.50")
    assert my_points(customer_api)["balance"]["pending"] == 40

    cancel(order_staff, order)
    assert my_points(customer_api)["balance"]["pending"] == 0
    lot = PointsLot.objects.get()
    assert (lot.status, lot.taken_back) == (LotStatus.CANCELLED, 80)
    assert LedgerTransaction.objects.filter(entries__unit="PTS").count() == 0


def test_released_points_remember_a_refund_during_the_returns_window(
    customer_api, customer_user, program, variant, shipping_method, order_staff
):
    from saleor_customer_value.loyalty import lots

    configure(earn_points=10, earn_amount=Decimal("5.00"), pending_days=14)
    order = buy(customer_api, variant, shipping_method)
    refund(order_staff, order, "22.50")

    lot = PointsLot.objects.get()
    lots.release_due(now=lot.available_at)
    assert balance(customer_user) == (40, 0)

    # a later cancellation takes the 40 that were booked
    cancel(order_staff, order)
    assert balance(customer_user) == (0, 0)
    assert_lots_agree(customer_user)


def test_guest_orders_and_a_switched_off_program_are_left_alone(
    api_client, program, variant, shipping_method, order_staff
):
    order = buy(api_client, variant, shipping_method)
    configure(enabled=False)

    cancel(order_staff, order)

    assert loyalty_orders.order_refunded(order) is None
    assert LedgerTransaction.objects.filter(entries__unit="PTS").count() == 0
