from decimal import Decimal

import pytest

from saleor_customer_value.ledger import accounts, queries, service
from saleor_customer_value.ledger.errors import (
    AlreadyReversed,
    InsufficientFunds,
    NegativeBalance,
    NotReversible,
)
from saleor_customer_value.ledger.reasons import Reason

from .helpers import SYSTEM, earn_points, new_customer, redeem_points, refresh, spend, top_up

pytestmark = pytest.mark.django_db


def test_reversing_a_payment_gives_the_money_back_and_links_both():
    # given
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "20.00")
    payment = spend(wallet, "15.00")

    # when
    reversal = service.reverse(payment, SYSTEM, note="order cancelled")

    # then
    assert refresh(wallet).posted == Decimal("20.000")
    assert reversal.reason == Reason.REVERSAL
    assert reversal.reversal_of_id == payment.pk
    assert reversal.note == "order cancelled"
    assert {e.signed_amount for e in reversal.entries.all()} == {
        Decimal("15.000"),
        Decimal("-15.000"),
    }


def test_customer_history_hides_reversed_pairs_audit_trail_keeps_them():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "20.00")
    payment = spend(wallet, "15.00")
    service.reverse(payment, SYSTEM, note="mistake")

    visible = queries.account_history(wallet, hide_reversed=True)
    audit = queries.account_history(wallet)

    assert [e.transaction.reason for e in visible] == [Reason.TOPUP]
    assert [e.transaction.reason for e in audit] == [
        Reason.REVERSAL,
        Reason.CHECKOUT_PAYMENT,
        Reason.TOPUP,
    ]


def test_a_transaction_is_reversed_at_most_once():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    txn = top_up(wallet, "20.00")
    service.reverse(txn, SYSTEM, note="first")

    with pytest.raises(AlreadyReversed):
        service.reverse(txn, SYSTEM, note="second")
    assert refresh(wallet).posted == Decimal("0")


def test_a_reversal_cannot_be_reversed():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    reversal = service.reverse(top_up(wallet, "20.00"), SYSTEM, note="x")

    with pytest.raises(NotReversible):
        service.reverse(reversal, SYSTEM, note="y")


def test_reversing_a_spent_top_up_is_refused_for_money():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    txn = top_up(wallet, "20.00")
    spend(wallet, "15.00")

    with pytest.raises(InsufficientFunds):
        service.reverse(txn, SYSTEM, note="chargeback")
    assert refresh(wallet).posted == Decimal("5.000")


def test_clawback_of_spent_points_goes_negative_and_blocks_redemption():
    # given 100 earned points of which 80 were redeemed
    points = accounts.points_account(new_customer())
    earned = earn_points(points, 100)
    redeem_points(points, 80)

    # when the earning is reversed as a clawback
    service.reverse(earned, SYSTEM, note="order refunded", allow_clawback=True)

    # then the balance is -80 and nothing can be redeemed until it is positive
    assert refresh(points).posted == Decimal("-80")
    with pytest.raises(NegativeBalance):
        redeem_points(points, 1)
    earn_points(points, 90)
    redeem_points(points, 10)
    assert refresh(points).posted == Decimal("0")


def test_points_reversal_without_clawback_is_refused_when_spent():
    points = accounts.points_account(new_customer())
    earned = earn_points(points, 100)
    redeem_points(points, 80)

    with pytest.raises(InsufficientFunds):
        service.reverse(earned, SYSTEM, note="refund")
