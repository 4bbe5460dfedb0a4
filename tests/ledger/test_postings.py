"""Worked examples of postings through the ledger service."""
from decimal import Decimal

import pytest

from saleor_customer_value.ledger import accounts, queries, service
from saleor_customer_value.ledger.errors import (
    CurrencyMismatch,
    InsufficientFunds,
    InvalidAmount,
    Unbalanced,
)
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import Entry, LedgerTransaction

from .helpers import SYSTEM, new_customer, refresh, spend, top_up

pytestmark = pytest.mark.django_db


def test_top_up_of_50_eur_credits_wallet_and_debits_funding():
    # given
    wallet = accounts.wallet_account(new_customer(), "EUR")

    # when
    txn = top_up(wallet, "50.00", note="paid at till 3")

    # then
    assert refresh(wallet).posted == Decimal("50.000")
    entries = {e.account_id: e.signed_amount for e in txn.entries.all()}
    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")
    assert entries == {wallet.pk: Decimal("50.000"), funding.pk: Decimal("-50.000")}
    assert txn.reason == Reason.TOPUP
    assert txn.actor_type == "system" and txn.actor_label == "tests"
    assert txn.customer_id == wallet.customer_id
    assert queries.balance(funding).posted == Decimal("-50.000")


def test_entries_record_the_running_balance_of_customer_accounts():
    # given
    wallet = accounts.wallet_account(new_customer(), "EUR")

    # when
    top_up(wallet, "30.00")
    spend(wallet, "12.50")
    top_up(wallet, "1.00")

    # then
    history = queries.account_history(wallet)
    assert [(e.signed_amount, e.balance_after) for e in history] == [
        (Decimal("1.000"), Decimal("18.500")),
        (Decimal("-12.500"), Decimal("17.500")),
        (Decimal("30.000"), Decimal("30.000")),
    ]


def test_spending_more_than_the_balance_is_refused_and_books_nothing():
    # given
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "10.00")
    before = LedgerTransaction.objects.count()

    # when
    with pytest.raises(InsufficientFunds) as error:
        spend(wallet, "10.01")

    # then
    assert "Only 10.000 EUR is available" in error.value.message
    assert LedgerTransaction.objects.count() == before
    assert refresh(wallet).posted == Decimal("10.000")


def test_spending_exactly_the_balance_leaves_zero():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "10.00")

    spend(wallet, "10.00")

    assert refresh(wallet).posted == Decimal("0")


@pytest.mark.parametrize(
    "amount, message",
    [
        ("0", "greater than zero"),
        ("-5", "greater than zero"),
        ("1.001", "more precision than EUR allows"),
        ("abc", "is not a number"),
        ("NaN", "is not a number"),
        ("1e16", "too large"),
    ],
)
def test_invalid_amounts_are_rejected(amount, message):
    wallet = accounts.wallet_account(new_customer(), "EUR")

    with pytest.raises(InvalidAmount) as error:
        top_up(wallet, amount)

    assert message in error.value.message
    assert Entry.objects.count() == 0


def test_points_must_be_whole():
    points = accounts.points_account(new_customer())
    issued = accounts.system_account(SystemAccountCode.POINTS_ISSUED, "PTS")

    with pytest.raises(InvalidAmount):
        service.transfer(
            issued, points, Decimal("1.5"),
            service.Posting(reason=Reason.POINTS_EARNED, actor=SYSTEM),
        )


def test_a_transfer_between_units_is_refused():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    points = accounts.points_account(wallet.customer)

    with pytest.raises(CurrencyMismatch):
        service.transfer(
            points, wallet, 5, service.Posting(reason=Reason.CORRECTION, actor=SYSTEM)
        )


def test_unbalanced_legs_are_refused_by_the_service():
    wallet = accounts.wallet_account(new_customer(), "EUR")
    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")

    with pytest.raises(Unbalanced):
        service.post(
            [service.Leg(funding, Decimal("-10")), service.Leg(wallet, Decimal("9"))],
            service.Posting(reason=Reason.TOPUP, actor=SYSTEM),
        )


def test_a_multi_leg_top_up_with_bonus_balances():
    # given a 50 EUR top-up with a 5% bonus paid by the shop
    wallet = accounts.wallet_account(new_customer(), "EUR")
    funding = accounts.system_account(SystemAccountCode.FUNDING, "EUR")
    bonus = accounts.system_account(SystemAccountCode.BONUS, "EUR")

    # when
    service.post(
        [
            service.Leg(funding, Decimal("-50.00")),
            service.Leg(bonus, Decimal("-2.50")),
            service.Leg(wallet, Decimal("52.50")),
        ],
        service.Posting(
            reason=Reason.TOPUP, actor=SYSTEM, metadata={"bonus_percent": "5"}
        ),
    )

    # then
    assert refresh(wallet).posted == Decimal("52.500")


def test_wallets_are_per_currency():
    customer = new_customer()

    eur = accounts.wallet_account(customer, "EUR")
    again = accounts.wallet_account(customer, "eur")

    assert eur.pk == again.pk
    with pytest.raises(CurrencyMismatch):
        accounts.wallet_account(customer, "XXXX")
