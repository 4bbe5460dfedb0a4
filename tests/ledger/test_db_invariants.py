"""The database refuses what the service never does: raw SQL cannot unbalance,
rewrite, delete or overdraw the ledger.

Balance checks are deferred to commit, so those tests commit (``transaction=True``).
"""
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import Account, Entry, Hold, LedgerTransaction

from .helpers import new_customer, refresh, top_up


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def insert_transaction():
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO customer_value_ledgertransaction (reason, created_at, "
            "actor_type, actor_label, note, customer_note, external_reference, "
            "is_clawback, metadata) VALUES ('correction', now(), 'system', 'raw sql', "
            "'', '', '', false, '{}') RETURNING id"
        )
        return cursor.fetchone()[0]


def insert_entry(txn_id, account, amount, direction):
    sql(
        "INSERT INTO customer_value_entry (transaction_id, account_id, unit, amount, "
        "direction) VALUES (%s, %s, %s, %s, %s)",
        [txn_id, account.pk, account.unit, amount, direction],
    )


@pytest.fixture
def wallet(db):
    wallet = accounts.wallet_account(new_customer(), "EUR")
    top_up(wallet, "10.00")
    return refresh(wallet)


@pytest.fixture
def funding(db):
    return accounts.system_account(SystemAccountCode.FUNDING, "EUR")


committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committing
def test_an_unbalanced_transaction_fails_at_commit(wallet, funding):
    # when
    with pytest.raises(IntegrityError, match="does not balance: EUR 1"):
        with transaction.atomic():
            txn = insert_transaction()
            insert_entry(txn, wallet, "5.00", 1)
            insert_entry(txn, funding, "4.00", -1)

    # then nothing of it stayed
    assert refresh(wallet).posted == Decimal("10.000")
    assert LedgerTransaction.objects.count() == 1


@committing
def test_a_transaction_with_one_entry_fails_at_commit(wallet):
    with pytest.raises(IntegrityError, match="at least two are required"):
        with transaction.atomic():
            insert_entry(insert_transaction(), wallet, "5.00", 1)


@committing
def test_a_transaction_without_entries_fails_at_commit(wallet):
    with pytest.raises(IntegrityError, match="has 0 entries"):
        with transaction.atomic():
            insert_transaction()


@committing
def test_a_balanced_raw_transaction_is_accepted_and_applied(wallet, funding):
    with transaction.atomic():
        txn = insert_transaction()
        insert_entry(txn, wallet, "5.00", 1)
        insert_entry(txn, funding, "5.00", -1)

    assert refresh(wallet).posted == Decimal("15.000")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE customer_value_entry SET amount = 1000",
        "DELETE FROM customer_value_entry",
        "UPDATE customer_value_ledgertransaction SET note = 'edited'",
        "DELETE FROM customer_value_ledgertransaction",
    ],
)
def test_entries_and_transactions_are_immutable(wallet, statement):
    with pytest.raises(IntegrityError, match="immutable"):
        with transaction.atomic():
            sql(statement)
    assert Entry.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement, message",
    [
        ("UPDATE customer_value_account SET posted = 1000000", "only through ledger"),
        ("UPDATE customer_value_account SET held = 0.5", "only through ledger"),
        ("UPDATE customer_value_account SET unit = 'USD'", "identity cannot change"),
        ("DELETE FROM customer_value_account", "never deleted"),
    ],
)
def test_balances_change_only_through_entries(wallet, statement, message):
    with pytest.raises(IntegrityError, match=message):
        with transaction.atomic():
            sql(statement)
    assert refresh(wallet).posted == Decimal("10.000")


@pytest.mark.django_db
def test_an_account_cannot_start_with_a_balance(wallet):
    with pytest.raises(IntegrityError, match="starts at zero"):
        with transaction.atomic():
            Account.objects.create(
                customer=new_customer("x@example.com"), kind="wallet", unit="USD",
                posted=Decimal("100"),
            )


@pytest.mark.django_db
def test_a_wallet_cannot_go_below_zero_even_with_raw_sql(wallet, funding):
    with pytest.raises(IntegrityError, match="cv_wallet_available_gte_0"):
        with transaction.atomic():
            txn = insert_transaction()
            insert_entry(txn, wallet, "10.01", -1)


@pytest.mark.django_db
def test_an_entry_must_carry_its_accounts_unit(wallet):
    with pytest.raises(IntegrityError, match="cv_entry_account_unit"):
        with transaction.atomic():
            sql(
                "INSERT INTO customer_value_entry (transaction_id, account_id, unit, "
                "amount, direction) VALUES (%s, %s, 'USD', 1, 1)",
                [insert_transaction(), wallet.pk],
            )


@pytest.mark.django_db
def test_an_entry_on_a_system_account_must_carry_its_unit(funding):
    # the unit check of system accounts is a read in the entry trigger (no row lock)
    with pytest.raises(IntegrityError, match="cv_entry_account_unit"):
        with transaction.atomic():
            sql(
                "INSERT INTO customer_value_entry (transaction_id, account_id, unit, "
                "amount, direction) VALUES (%s, %s, 'USD', 1, 1)",
                [insert_transaction(), funding.pk],
            )


@pytest.mark.django_db
def test_an_entry_needs_an_existing_account(wallet):
    missing = Account.objects.order_by("-pk").first().pk + 1000
    with pytest.raises(IntegrityError, match="no such account"):
        with transaction.atomic():
            sql(
                "INSERT INTO customer_value_entry (transaction_id, account_id, unit, "
                "amount, direction) VALUES (%s, %s, 'EUR', 1, 1)",
                [insert_transaction(), missing],
            )


@pytest.mark.django_db
def test_an_account_with_entries_cannot_be_deleted_or_change_its_unit(wallet, funding):
    # what the dropped composite foreign key also guaranteed, kept by cv_account_guard
    for statement, message in (
        ("DELETE FROM customer_value_account WHERE id = %s", "never deleted"),
        ("UPDATE customer_value_account SET unit = 'USD' WHERE id = %s", "identity cannot change"),
    ):
        for account in (wallet, funding):
            with pytest.raises(IntegrityError, match=message):
                with transaction.atomic():
                    sql(statement, [account.pk])


@pytest.mark.django_db
def test_points_entries_must_be_whole():
    points = accounts.points_account(new_customer())
    with pytest.raises(IntegrityError, match="cv_entry_points_whole"):
        with transaction.atomic():
            insert_entry(insert_transaction(), points, "1.5", 1)


@pytest.mark.django_db
def test_points_cannot_go_negative_without_a_clawback():
    points = accounts.points_account(new_customer())
    with pytest.raises(IntegrityError, match="below its available balance"):
        with transaction.atomic():
            insert_entry(insert_transaction(), points, "1", -1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement, message",
    [
        ("UPDATE customer_value_hold SET status = 'pending'", "already posted"),
        ("UPDATE customer_value_hold SET status = 'voided'", "already posted"),
        ("DELETE FROM customer_value_hold", "never deleted"),
    ],
)
def test_a_resolved_hold_cannot_be_resolved_again(wallet, statement, message):
    # given a posted hold
    sink = accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")
    hold = service.place_hold(wallet, sink, "4.00", Reason.CHECKOUT_PAYMENT)
    service.post_hold(
        hold, service.Posting(reason=Reason.CHECKOUT_PAYMENT, actor=service.Actor.system("t"))
    )

    with pytest.raises(IntegrityError, match=message):
        with transaction.atomic():
            sql(statement)
    assert refresh(wallet).posted == Decimal("6.000")


@pytest.mark.django_db
def test_a_pending_hold_cannot_change_its_amount(wallet):
    sink = accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")
    service.place_hold(wallet, sink, "4.00", Reason.CHECKOUT_PAYMENT)

    with pytest.raises(IntegrityError, match="cannot change"):
        with transaction.atomic():
            sql("UPDATE customer_value_hold SET amount = 1")


@pytest.mark.django_db
def test_a_hold_larger_than_available_is_refused_by_the_database(wallet):
    sink = accounts.system_account(SystemAccountCode.REDEMPTION, "EUR")
    with pytest.raises(IntegrityError, match="cv_wallet_available_gte_0"):
        with transaction.atomic():
            Hold.objects.create(
                account=wallet, counter_account=sink, amount=Decimal("10.01"),
                reason=Reason.CHECKOUT_PAYMENT, created_at=timezone.now(),
            )


@pytest.mark.django_db
def test_unknown_reasons_are_refused(wallet):
    with pytest.raises(IntegrityError, match="cv_txn_reason_known"):
        with transaction.atomic():
            sql(
                "INSERT INTO customer_value_ledgertransaction (reason, created_at, "
                "actor_type, actor_label, note, customer_note, external_reference, "
                "is_clawback, metadata) VALUES ('free_money', now(), 'system', '', '', "
                "'', '', false, '{}')"
            )


@committing
def test_an_entry_added_later_to_a_committed_transaction_fails_at_commit(wallet, funding):
    # given a committed, balanced transaction (booked by the service)
    txn = service.transfer(
        funding,
        wallet,
        "1.00",
        service.Posting(reason=Reason.TOPUP, actor=service.Actor.system("t")),
    )

    # when one more entry is added to it in a later DB transaction
    with pytest.raises(IntegrityError, match=f"ledger transaction {txn.pk} does not"):
        with transaction.atomic():
            insert_entry(txn.pk, wallet, "5.00", 1)

    # then nothing of it stayed
    assert txn.entries.count() == 2
    assert refresh(wallet).posted == Decimal("11.000")


@committing
def test_an_entry_added_to_a_just_booked_transaction_fails_at_commit(wallet, funding):
    # The service books the transaction and its entries in one statement, which skips
    # their per-entry checks (the transaction's own check covers them). An entry added
    # afterwards in the same DB transaction is still checked, even after the
    # transaction's check already ran early.
    with pytest.raises(IntegrityError, match="does not balance: EUR 5"):
        with transaction.atomic():
            txn = service.transfer(
                funding,
                wallet,
                "1.00",
                service.Posting(reason=Reason.TOPUP, actor=service.Actor.system("t")),
            )
            sql("SET CONSTRAINTS ALL IMMEDIATE")  # the pending checks run (and pass)
            sql("SET CONSTRAINTS ALL DEFERRED")
            insert_entry(txn.pk, wallet, "5.00", 1)

    assert refresh(wallet).posted == Decimal("10.000")


@committing
def test_entries_are_still_checked_after_a_refused_booking_in_a_savepoint(
    wallet, funding
):
    # given a raw transaction and a booking refused inside its savepoint
    with pytest.raises(IntegrityError, match="does not balance: EUR 5"):
        with transaction.atomic():
            txn_id = insert_transaction()
            insert_entry(txn_id, wallet, "1.00", 1)
            insert_entry(txn_id, funding, "1.00", -1)
            with pytest.raises(service.InsufficientFunds):
                service.transfer(
                    wallet,
                    funding,
                    "100.00",
                    service.Posting(
                        reason=Reason.CHECKOUT_PAYMENT, actor=service.Actor.system("t")
                    ),
                )
            # when an unbalanced entry is added to an earlier transaction
            insert_entry(txn_id, wallet, "5.00", 1)

    assert refresh(wallet).posted == Decimal("10.000")
