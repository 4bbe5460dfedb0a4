"""Idempotency keys: replay, conflict, failures that leave no record."""
from decimal import Decimal

import pytest

from saleor_customer_value.ledger import accounts
from saleor_customer_value.ledger.errors import IdempotencyConflict, InsufficientFunds
from saleor_customer_value.ledger.idempotency import IdempotencyKey
from saleor_customer_value.ledger.errors import InvalidReference
from saleor_customer_value.models import IdempotencyRecord, LedgerTransaction

from .helpers import new_customer, refresh, spend, top_up

pytestmark = pytest.mark.django_db

KEY = IdempotencyKey(scope="app:1", key="till-3-receipt-0815")


@pytest.fixture
def wallet():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "50.00")
    return wallet


def test_same_key_same_request_returns_the_original_without_new_rows(wallet):
    # given
    first = spend(wallet, "20.00", idem=KEY)
    rows = LedgerTransaction.objects.count()

    # when
    second = spend(wallet, "20.00", idem=KEY)

    # then
    assert second.pk == first.pk
    assert (first.replayed, second.replayed) == (False, True)
    assert LedgerTransaction.objects.count() == rows
    assert refresh(wallet).posted == Decimal("30.000")


def test_same_key_different_request_is_a_conflict(wallet):
    spend(wallet, "20.00", idem=KEY)

    with pytest.raises(IdempotencyConflict):
        spend(wallet, "20.01", idem=KEY)
    assert refresh(wallet).posted == Decimal("30.000")


def test_keys_are_scoped_per_caller(wallet):
    spend(wallet, "20.00", idem=KEY)

    other = spend(wallet, "20.00", idem=IdempotencyKey(scope="app:2", key=KEY.key))

    assert other.replayed is False
    assert refresh(wallet).posted == Decimal("10.000")


def test_a_failed_request_leaves_no_record_so_a_retry_can_succeed(wallet):
    with pytest.raises(InsufficientFunds):
        spend(wallet, "60.00", idem=KEY)
    assert not IdempotencyRecord.objects.exists()

    top_up(wallet, "10.00")
    txn = spend(wallet, "60.00", idem=KEY)

    assert txn.replayed is False
    assert refresh(wallet).posted == Decimal("0")


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there"])
def test_malformed_keys_are_rejected(key):
    with pytest.raises(InvalidReference):
        IdempotencyKey(scope="app:1", key=key)
