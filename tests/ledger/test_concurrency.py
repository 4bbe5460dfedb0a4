"""Real threads, real PostgreSQL: no double spend, one effect per idempotency key.

These tests commit (``transaction=True``): row locks and unique indexes only show
their effect between separate connections.
"""
import threading
from decimal import Decimal

import pytest
from django.db import connection

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.errors import (
    AlreadyReversed,
    InsufficientFunds,
)
from saleor_customer_value.ledger.idempotency import IdempotencyKey
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import Account, Entry, LedgerTransaction

from .helpers import SYSTEM, new_customer, refresh, spend, top_up

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_concurrently(n, work):
    """Start ``n`` threads at once on ``work(i)``; return their results or errors."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def target(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_50_concurrent_debits_of_the_whole_balance_exactly_one_succeeds():
    # given
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "50.00")

    # when
    results = run_concurrently(50, lambda i: spend(wallet, "50.00"))

    # then
    successes = [r for r in results if isinstance(r, LedgerTransaction)]
    failures = [r for r in results if isinstance(r, InsufficientFunds)]
    assert (len(successes), len(failures)) == (1, 49)
    assert refresh(wallet).posted == Decimal("0")


def test_concurrent_mixed_spends_and_holds_never_overdraw():
    # given 100.00 and 40 callers each taking 7.00 by a spend or a hold
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "100.00")
    sink = accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")

    def work(i):
        if i % 2:
            return spend(wallet, "7.00")
        return service.place_hold(wallet, sink, "7.00", Reason.CHECKOUT_PAYMENT)

    # when
    results = run_concurrently(40, work)

    # then exactly 14 of them fit (14 x 7 = 98) and available never went below zero
    taken = [r for r in results if not isinstance(r, Exception)]
    assert len(taken) == 14
    assert all(isinstance(r, InsufficientFunds) for r in results if isinstance(r, Exception))
    refresh(wallet)
    assert wallet.posted - wallet.held == Decimal("2.000")


def test_concurrent_requests_with_one_idempotency_key_book_once():
    # given
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "50.00")
    key = IdempotencyKey(scope="app:7", key="receipt-4711")

    # when 10 retries of one till payment arrive at once
    results = run_concurrently(10, lambda i: spend(wallet, "20.00", idem=key))

    # then one booking, and every caller got it
    assert all(isinstance(r, LedgerTransaction) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert sum(1 for r in results if not r.replayed) == 1
    assert refresh(wallet).posted == Decimal("30.000")


def test_concurrent_reversals_of_one_transaction_reverse_once():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "50.00")
    payment = spend(wallet, "30.00")

    results = run_concurrently(
        10, lambda i: service.reverse(payment, SYSTEM, note=f"attempt {i}")
    )

    assert sum(isinstance(r, LedgerTransaction) for r in results) == 1
    assert sum(isinstance(r, AlreadyReversed) for r in results) == 9
    assert refresh(wallet).posted == Decimal("50.000")


def test_transfers_in_opposite_directions_between_two_customers_do_not_deadlock():
    # given two wallets that pay each other concurrently (locks in pk order)
    a = accounts.wallet_account(new_customer("a@example.com"), "EUR")
    b = accounts.wallet_account(new_customer("b@example.com"), "EUR")
    top_up(a, "100.00")
    top_up(b, "100.00")

    def work(i):
        source, destination = (a, b) if i % 2 else (b, a)
        return service.transfer(
            source,
            destination,
            "1.00",
            service.Posting(reason=Reason.CARD_MERGE, actor=SYSTEM),
        )

    # when
    results = run_concurrently(30, work)

    # then all of them went through and the total is unchanged
    assert not [r for r in results if isinstance(r, Exception)], results
    assert refresh(a).posted + refresh(b).posted == Decimal("200.000")


def test_entries_always_sum_to_zero_after_concurrent_activity():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "10.00")

    run_concurrently(20, lambda i: spend(wallet, "1.00") if i % 3 else top_up(wallet, "1.00"))

    from django.db.models import DecimalField, ExpressionWrapper, F, Sum

    signed = ExpressionWrapper(F("amount") * F("direction"), output_field=DecimalField())
    totals = Entry.objects.order_by().values("unit").annotate(total=Sum(signed))
    assert {row["unit"]: row["total"] for row in totals} == {"EUR": Decimal("0")}
    assert Account.objects.get(pk=wallet.pk).posted >= 0
