"""Cashback (credited when paid, taken back on cancellation and refunds), the B2B annual
bonus, and the validation of their settings."""
from datetime import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from saleor.order.models import Order

from saleor_customer_value.config import (
    B2B_BONUS,
    B2B_BONUS_THRESHOLD,
    CASHBACK_PERCENT,
    TOPUP_BONUS_TIERS,
    get_config,
)
from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.models import LedgerTransaction
from saleor_customer_value.wallet import paid_orders

from ..conftest import global_id, grant
from ..ledger.helpers import spend
from .stored_value_flow import (
    add_top_up,
    booked,
    configure,
    new_checkout,
    pay_and_complete,
    wallet_amount,
    wallet_posted,
)

pytestmark = pytest.mark.django_db

ORDER_CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { orderErrors { field code message } } }
"""

ORDER_REFUND = """
mutation($id: ID!, $amount: Decimal!) {
  orderRefund(id: $id, amount: $amount) { orderErrors { field code message } }
}
"""


def shirt_order(api, variant, shipping_method, quantity=2):
    """2 x 20.00 + 5.00 shipping = 45.00, paid."""
    checkout = new_checkout(api, variant, quantity)
    return pay_and_complete(api, checkout, shipping_method)


def the_wallet(user):
    from saleor_customer_value.ledger import accounts

    return accounts.wallet_account(accounts.customer_for_user(user), "EUR")


@pytest.fixture
def cashback_3(staff_api, staff_user):
    assert configure(staff_api, staff_user, **{CASHBACK_PERCENT: "3"}) == []


# --- cashback ------------------------------------------------------------------------


def test_cashback_is_credited_on_the_paid_total(
    cashback_3, customer_api, customer_user, variant, shipping_method
):
    order = shirt_order(customer_api, variant, shipping_method)

    result = paid_orders.handle_order_paid(order)

    assert wallet_posted(customer_user) == Decimal("1.350")
    assert wallet_amount(result.cashback) == Decimal("1.350")
    assert result.cashback.reason == Reason.CASHBACK
    assert result.cashback.metadata == {
        "event": "credit",
        "percent": "3",
        "base": "45.00",
        "order_total": "45.00",
        "wallet_paid": "0",
        "stored_value": "0",
    }


def test_cashback_leaves_out_top_ups_and_rounds_down(
    staff_api, staff_user, customer_api, customer_user, variant, shipping_method
):
    # given 2.5% cashback and an order of 45.00 goods and a 50.00 top-up
    configure(staff_api, staff_user, **{CASHBACK_PERCENT: "2.5"})
    checkout = new_checkout(customer_api, variant, 2)
    add_top_up(customer_api, checkout, 50)
    order = pay_and_complete(customer_api, checkout, shipping_method)

    # when
    result = paid_orders.handle_order_paid(order)

    # then 2.5% of 45.00 = 1.125 -> 1.12; the top-up itself is credited apart
    assert wallet_amount(result.cashback) == Decimal("1.120")
    assert result.cashback.metadata["stored_value"] == "50.00"
    assert wallet_posted(customer_user) == Decimal("51.120")


def test_cashback_off_books_nothing(customer_api, variant, shipping_method):
    order = shirt_order(customer_api, variant, shipping_method)

    result = paid_orders.handle_order_paid(order)

    assert result.cashback is None
    assert booked(order, Reason.CASHBACK) == []


def test_cashback_is_booked_once_per_order(
    cashback_3, customer_api, customer_user, variant, shipping_method
):
    order = shirt_order(customer_api, variant, shipping_method)

    first = paid_orders.handle_order_paid(order)
    second = paid_orders.handle_order_paid(order)

    assert second.cashback.pk == first.cashback.pk
    assert len(booked(order, Reason.CASHBACK)) == 1
    assert wallet_posted(customer_user) == Decimal("1.350")


def test_cancelled_order_reverses_its_cashback(
    cashback_3, customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given a paid order with cashback
    order = shirt_order(customer_api, variant, shipping_method)
    credit = paid_orders.handle_order_paid(order).cashback

    # when staff cancel it through Saleor (and the cancellation is reported again)
    grant(staff_user, "manage_orders")
    data = staff_api.execute(ORDER_CANCEL, {"id": global_id("Order", order.pk)})
    assert data["orderCancel"]["orderErrors"] == []
    paid_orders.handle_order_cancelled(Order.objects.get(pk=order.pk))

    # then the credit is reversed once, with a linked reversal
    assert wallet_posted(customer_user) == Decimal("0.000")
    reversal = LedgerTransaction.objects.get(reversal_of=credit)
    assert reversal.reason == Reason.REVERSAL
    assert reversal.order_id == order.pk


def test_cancel_after_the_cashback_was_spent_takes_what_is_left(
    cashback_3, customer_api, customer_user, variant, shipping_method
):
    # given 1.35 cashback of which 1.00 was spent
    order = shirt_order(customer_api, variant, shipping_method)
    paid_orders.handle_order_paid(order)
    spend(the_wallet(customer_user), "1.00")

    # when
    clawback = paid_orders.handle_order_cancelled(order)
    again = paid_orders.handle_order_cancelled(order)

    # then 0.35 is taken back and 1.00 recorded as forgiven shortfall, once
    assert again is None
    assert wallet_amount(clawback) == Decimal("-0.350")
    assert clawback.reason == Reason.CASHBACK
    assert clawback.metadata["due"] == "1.350"
    assert clawback.metadata["taken"] == "0.350"
    assert clawback.metadata["shortfall"] == "1.000"
    assert wallet_posted(customer_user) == Decimal("0.000")


def test_cancel_with_an_empty_wallet_books_nothing_and_does_not_fail(
    cashback_3, customer_api, customer_user, variant, shipping_method
):
    order = shirt_order(customer_api, variant, shipping_method)
    paid_orders.handle_order_paid(order)
    spend(the_wallet(customer_user), "1.35")

    assert paid_orders.handle_order_cancelled(order) is None
    assert wallet_posted(customer_user) == Decimal("0.000")


def test_refund_takes_back_its_share_of_the_cashback_once(
    cashback_3, customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given a paid 45.00 order with 1.35 cashback
    order = shirt_order(customer_api, variant, shipping_method)
    paid_orders.handle_order_paid(order)

    # when staff refund 15.00 through Saleor
    grant(staff_user, "manage_orders")
    data = staff_api.execute(
        ORDER_REFUND, {"id": global_id("Order", order.pk), "amount": 15}
    )
    assert data["orderRefund"]["orderErrors"] == []

    # then the plugin notices the refund by itself (Saleor's order_updated) and takes
    # back a third of the cashback; reporting the same refund again takes nothing
    clawbacks = [t for t in booked(order, Reason.CASHBACK) if t.metadata.get("event") == "clawback"]
    assert len(clawbacks) == 1
    assert wallet_amount(clawbacks[0]) == Decimal("-0.450")
    assert clawbacks[0].metadata["refunded"] == "15.00"
    assert paid_orders.handle_order_refunded(order, Decimal("15.00")) is None
    assert wallet_posted(customer_user) == Decimal("0.900")

    # and cancelling later takes back the rest
    paid_orders.handle_order_cancelled(order)
    assert wallet_posted(customer_user) == Decimal("0.000")
    assert len(booked(order, Reason.CASHBACK)) == 3


# --- B2B annual bonus ----------------------------------------------------------------


def test_b2b_bonus_is_paid_once_when_the_year_revenue_reaches_the_threshold(
    staff_api, staff_user, customer_api, customer_user, variant, shipping_method
):
    configure(
        staff_api, staff_user, **{B2B_BONUS_THRESHOLD: "90", B2B_BONUS: "10"}
    )
    # first order 45.00: below the threshold
    first = shirt_order(customer_api, variant, shipping_method)
    assert paid_orders.handle_order_paid(first).b2b_bonus is None

    # second order: 90.00 reached exactly
    second = shirt_order(customer_api, variant, shipping_method)
    bonus = paid_orders.handle_order_paid(second).b2b_bonus
    assert bonus.reason == Reason.B2B_BONUS
    assert wallet_amount(bonus) == Decimal("10.000")
    year = timezone.localtime(second.created).year
    assert bonus.metadata == {"year": year, "revenue": "90.00", "threshold": "90", "rule": "10"}

    # a third order and a replay pay nothing more
    third = shirt_order(customer_api, variant, shipping_method)
    assert paid_orders.handle_order_paid(third).b2b_bonus is None
    assert paid_orders.handle_order_paid(second).b2b_bonus is None
    assert LedgerTransaction.objects.filter(reason=Reason.B2B_BONUS).count() == 1
    assert wallet_posted(customer_user) == Decimal("10.000")


def test_b2b_bonus_as_percent_counts_only_paid_orders_of_the_year(
    staff_api, staff_user, customer_api, customer_user, variant, shipping_method
):
    # given 2% from 100.00, an order of last year and a cancelled one
    configure(staff_api, staff_user, **{B2B_BONUS_THRESHOLD: "100", B2B_BONUS: "2%"})
    last_year = shirt_order(customer_api, variant, shipping_method, quantity=5)
    Order.objects.filter(pk=last_year.pk).update(
        created=timezone.make_aware(datetime(timezone.now().year - 1, 12, 31, 12))
    )
    cancelled = shirt_order(customer_api, variant, shipping_method, quantity=5)
    Order.objects.filter(pk=cancelled.pk).update(status="canceled")
    paid_orders.handle_order_paid(shirt_order(customer_api, variant, shipping_method))
    assert wallet_posted(customer_user) == Decimal("0")

    # when this year's paid revenue reaches 45 + 65 = 110.00
    order = shirt_order(customer_api, variant, shipping_method, quantity=3)
    bonus = paid_orders.handle_order_paid(order).b2b_bonus

    # then 2% of 110.00
    assert wallet_amount(bonus) == Decimal("2.200")
    assert bonus.metadata["revenue"] == "110.00"
    assert bonus.metadata["rule"] == "2%"


def test_b2b_bonus_leaves_out_top_ups(
    staff_api, staff_user, customer_api, customer_user, warehouse
):
    configure(staff_api, staff_user, **{B2B_BONUS_THRESHOLD: "100", B2B_BONUS: "10"})
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 150)
    order = pay_and_complete(customer_api, checkout)

    assert paid_orders.handle_order_paid(order).b2b_bonus is None
    assert wallet_posted(customer_user) == Decimal("150.000")


# --- settings ------------------------------------------------------------------------


def test_reward_settings_are_stored(staff_api, staff_user):
    errors = configure(
        staff_api,
        staff_user,
        **{
            TOPUP_BONUS_TIERS: "100:10, 50:5",
            CASHBACK_PERCENT: "1.25",
            B2B_BONUS_THRESHOLD: "10000",
            B2B_BONUS: "2%",
        },
    )

    assert errors == []
    settings = get_config()
    assert [(t.threshold, t.percent) for t in settings.topup_bonus_tiers] == [
        (Decimal("50"), Decimal("5")),
        (Decimal("100"), Decimal("10")),
    ]
    assert settings.cashback_percent == Decimal("1.25")
    assert settings.b2b_bonus_threshold == Decimal("10000")
    assert settings.b2b_bonus.percent == Decimal("2")


@pytest.mark.parametrize(
    "name, value",
    [
        (TOPUP_BONUS_TIERS, "50-5"),
        (TOPUP_BONUS_TIERS, "50:5,50:10"),
        (TOPUP_BONUS_TIERS, "50:0"),
        (TOPUP_BONUS_TIERS, "50:101"),
        (TOPUP_BONUS_TIERS, "0:5"),
        (TOPUP_BONUS_TIERS, "50.001:5"),
        (CASHBACK_PERCENT, "101"),
        (CASHBACK_PERCENT, "-1"),
        (CASHBACK_PERCENT, "1.255"),
        (CASHBACK_PERCENT, "lots"),
        (B2B_BONUS_THRESHOLD, "-5"),
        (B2B_BONUS, "abc"),
        (B2B_BONUS, "150%"),
        ("Top-up minimum", "0"),
        ("Top-up maximum", "1.00"),
    ],
)
def test_invalid_reward_settings_are_refused(staff_api, staff_user, name, value):
    errors = configure(staff_api, staff_user, **{name: value})

    assert [e["code"] for e in errors] == ["INVALID"]
    assert get_config().cashback_percent == Decimal("0")
