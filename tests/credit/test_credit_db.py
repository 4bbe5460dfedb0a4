"""PostgreSQL refuses a credit line past its limit, whatever writes: raw SQL entries,
holds, limit updates, and limits on accounts that are not credit lines."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from saleor_customer_value.credit import lines
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.errors import CreditLimitExceeded
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import Account, Customer, Hold

from ..ledger.test_db_invariants import insert_entry, insert_transaction, sql

committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def line(db):
    customer = Customer.objects.create(email="c@example.com")
    return lines.open_line(customer, "EUR", Decimal("50.00"), 14, "test", Actor.system("tests"))


@pytest.fixture
def sales(db):
    return accounts.system_account(SystemAccountCode.CREDIT_SALES, "EUR")


def posted(account):
    return Account.objects.get(pk=account.pk).posted


@committing
def test_raw_sql_cannot_book_past_the_limit(line, sales):
    # when a hand-written purchase of 50.01 on a 50.00 line is inserted
    with pytest.raises(IntegrityError, match="cv_credit_within_limit"):
        with transaction.atomic():
            txn = insert_transaction()
            insert_entry(txn, line.account, "50.01", -1)
            insert_entry(txn, sales, "50.01", 1)

    # then nothing of it stayed; exactly the limit is accepted
    assert posted(line.account) == Decimal("0")
    with transaction.atomic():
        txn = insert_transaction()
        insert_entry(txn, line.account, "50.00", -1)
        insert_entry(txn, sales, "50.00", 1)
    assert posted(line.account) == Decimal("-50.000")


@committing
def test_raw_sql_cannot_lower_the_limit_below_what_is_owed(line, sales):
    service.transfer(
        line.account, sales, Decimal("30.00"),
        service.Posting(reason=Reason.CREDIT_PURCHASE, actor=Actor.system("tests")),
    )

    with pytest.raises(IntegrityError, match="cv_credit_within_limit"):
        with transaction.atomic():
            sql("UPDATE customer_value_account SET credit_limit = 29.99 WHERE id = %s", [line.account.pk])
    with pytest.raises(IntegrityError, match="cv_credit_within_limit"):
        with transaction.atomic():
            sql("UPDATE customer_value_account SET credit_limit = -1 WHERE id = %s", [line.account.pk])

    assert Account.objects.get(pk=line.account.pk).credit_limit == Decimal("50.000")


@committing
def test_a_hold_counts_against_the_limit_in_the_database(line, sales):
    # a hold of 40.00 (through the service), then 10.01 more by raw SQL
    service.place_hold(line.account, sales, Decimal("40.00"), Reason.CREDIT_PURCHASE)
    with pytest.raises(IntegrityError, match="cv_credit_within_limit"):
        with transaction.atomic():
            txn = insert_transaction()
            insert_entry(txn, line.account, "10.01", -1)
            insert_entry(txn, sales, "10.01", 1)
    # and the service refuses with its typed error before the database must
    with pytest.raises(CreditLimitExceeded):
        service.transfer(
            line.account, sales, Decimal("10.01"),
            service.Posting(reason=Reason.CREDIT_PURCHASE, actor=Actor.system("tests")),
        )
    assert Hold.objects.get().status == "pending"


@pytest.mark.django_db
def test_only_credit_lines_have_a_limit(line):
    wallet = accounts.wallet_account(Customer.objects.create(), "EUR")

    with pytest.raises(IntegrityError, match="cv_credit_within_limit"):
        with transaction.atomic():
            sql("UPDATE customer_value_account SET credit_limit = 10 WHERE id = %s", [wallet.pk])
    with pytest.raises(IntegrityError, match="cv_txn_reason_known"):
        with transaction.atomic():
            sql(
                "INSERT INTO customer_value_ledgertransaction (reason, created_at, actor_type, "
                "actor_label, note, customer_note, external_reference, is_clawback, metadata) "
                "VALUES ('credit_bogus', now(), 'system', '', '', '', '', false, '{}')"
            )


@committing
def test_a_credit_booking_is_in_the_transaction_event_without_a_balance_event(line, sales):
    from saleor_customer_value.models import OutboxEvent

    service.transfer(
        line.account, sales, Decimal("12.00"),
        service.Posting(reason=Reason.CREDIT_PURCHASE, actor=Actor.system("tests")),
    )

    events = list(OutboxEvent.objects.values_list("event_type", flat=True))
    assert events == ["customer_value_transaction_posted"]
    payload = OutboxEvent.objects.get().payload
    assert [e["account"] for e in payload["entries"]] == ["credit", "system:credit_sales"]
