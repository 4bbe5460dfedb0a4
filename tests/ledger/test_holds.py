"""Two-phase holds: reserve, then post (fully or partly), void or expire, once."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.errors import (
    HoldExpired,
    HoldNotPending,
    InsufficientFunds,
    InvalidAmount,
)
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import HoldStatus

from .helpers import SYSTEM, new_customer, refresh, spend, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def wallet():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "100.00")
    return refresh(wallet)


@pytest.fixture
def sink():
    return accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")


def hold(wallet, sink, amount, **kwargs):
    return service.place_hold(wallet, sink, amount, Reason.CHECKOUT_PAYMENT, **kwargs)


def posting(**kwargs):
    return service.Posting(reason=Reason.CHECKOUT_PAYMENT, actor=SYSTEM, **kwargs)


def test_a_hold_counts_against_available_but_not_posted(wallet, sink):
    hold(wallet, sink, "30.00")

    refresh(wallet)
    assert (wallet.posted, wallet.held, wallet.available) == (
        Decimal("100.000"),
        Decimal("30.000"),
        Decimal("70.000"),
    )


def test_held_value_cannot_be_spent_twice(wallet, sink):
    hold(wallet, sink, "80.00")

    with pytest.raises(InsufficientFunds):
        spend(wallet, "20.01")
    with pytest.raises(InsufficientFunds):
        hold(wallet, sink, "20.01")
    spend(wallet, "20.00")
    assert refresh(wallet).available == Decimal("0")


def test_posting_part_of_a_hold_releases_the_rest(wallet, sink):
    # given
    reserved = hold(wallet, sink, "30.00")

    # when
    txn = service.post_hold(reserved, posting(), amount="12.50")

    # then
    reserved.refresh_from_db()
    assert reserved.status == HoldStatus.POSTED
    assert reserved.posted_amount == Decimal("12.500")
    assert txn.hold_id == reserved.pk
    refresh(wallet)
    assert (wallet.posted, wallet.held) == (Decimal("87.500"), Decimal("0"))


def test_posting_the_whole_hold_by_default(wallet, sink):
    reserved = hold(wallet, sink, "30.00")

    service.post_hold(reserved, posting())

    assert refresh(wallet).posted == Decimal("70.000")


def test_posting_more_than_held_is_refused(wallet, sink):
    reserved = hold(wallet, sink, "30.00")

    with pytest.raises(InvalidAmount):
        service.post_hold(reserved, posting(), amount="30.01")
    reserved.refresh_from_db()
    assert reserved.status == HoldStatus.PENDING


def test_a_hold_is_resolved_at_most_once(wallet, sink):
    reserved = hold(wallet, sink, "30.00")
    service.post_hold(reserved, posting())

    with pytest.raises(HoldNotPending):
        service.post_hold(reserved, posting())
    with pytest.raises(HoldNotPending):
        service.void_hold(reserved)
    assert refresh(wallet).posted == Decimal("70.000")


def test_voiding_releases_everything(wallet, sink):
    reserved = hold(wallet, sink, "30.00")

    service.void_hold(reserved)

    reserved.refresh_from_db()
    assert reserved.status == HoldStatus.VOIDED
    refresh(wallet)
    assert (wallet.posted, wallet.held) == (Decimal("100.000"), Decimal("0"))
    with pytest.raises(HoldNotPending):
        service.void_hold(reserved)


def test_expire_holds_releases_at_the_exact_expiry_instant(wallet, sink):
    # given
    expires_at = timezone.now() + timedelta(minutes=30)
    reserved = hold(wallet, sink, "30.00", expires_at=expires_at)

    # when the sweeper runs one microsecond early, then exactly at expiry
    early = service.expire_holds(now=expires_at - timedelta(microseconds=1))
    on_time = service.expire_holds(now=expires_at)

    # then
    assert (early, on_time) == (0, 1)
    reserved.refresh_from_db()
    assert reserved.status == HoldStatus.EXPIRED
    assert refresh(wallet).held == Decimal("0")


def test_an_expired_hold_cannot_be_posted(wallet, sink):
    reserved = hold(wallet, sink, "30.00", expires_at=timezone.now() + timedelta(minutes=5))
    service.expire_holds(now=timezone.now() + timedelta(minutes=6))

    with pytest.raises(HoldExpired):
        service.post_hold(reserved, posting())


def test_a_hold_past_expiry_no_longer_blocks_spending_before_the_sweeper_runs(
    wallet, sink, freezer=None
):
    # given a hold that expires in a second
    reserved = hold(wallet, sink, "100.00", expires_at=timezone.now() + timedelta(seconds=1))
    with pytest.raises(InsufficientFunds):
        spend(wallet, "1.00")

    # when time passes beyond the expiry (no sweeper run)
    import time

    time.sleep(1.1)
    spend(wallet, "100.00")

    # then the spend released the expired hold under its lock
    reserved.refresh_from_db()
    assert reserved.status == HoldStatus.EXPIRED
    assert refresh(wallet).available == Decimal("0")


def test_a_hold_cannot_be_placed_already_expired(wallet, sink):
    with pytest.raises(InvalidAmount):
        hold(wallet, sink, "1.00", expires_at=timezone.now() - timedelta(seconds=1))
