"""Settlement runs while tills book: every booking lands in exactly one statement, and
the database (not only Python) holds the clearing invariants at commit."""
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import PartnerBooking, Statement, StatementLine
from saleor_customer_value.partners import clearing, settlement

from ..conftest import ApiClient
from ..ledger.test_concurrency import run_concurrently
from ..pos.queries import PAY, amount_input
from ..wallet.conftest import fund_wallet

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_concurrent_settlement_and_booking_put_each_booking_in_exactly_one_statement(
    program, cinema, erika_card
):
    # given
    fund_wallet(erika_card.customer.user, "100.00")
    token = cinema.app.tokens.first().auth_token
    card = {"code": erika_card.code}

    def work(i):
        if i % 3 == 0:  # 4 settlement runs among 8 bookings
            return [s.pk for s in settlement.settle(cinema.merchant)]
        result = ApiClient(app_token=token).execute(
            PAY, amount_input(card, "1.00", receipt=f"R-{i}", key=f"k-{i}")
        )["posWalletPay"]
        assert result["customerValueErrors"] == [], result
        return result["bookings"][0]["id"]

    # when
    results = run_concurrently(12, work)
    settlement.settle(cinema.merchant)  # whatever was still open

    # then
    assert all(not isinstance(r, Exception) for r in results), results
    bookings = PartnerBooking.objects.filter(merchant=cinema.merchant)
    assert bookings.count() == 8
    assert StatementLine.objects.count() == 8  # the primary key is the booking: once each
    assert not bookings.filter(line__isnull=True).exists()
    statements = Statement.objects.filter(merchant=cinema.merchant)
    for statement in statements:
        lines = PartnerBooking.objects.filter(line__statement=statement)
        assert statement.net == sum(b.amount for b in lines)
        assert statement.payments == sum(b.amount + b.commission for b in lines)
    assert sum(s.net for s in statements) == Decimal("7.60")  # 8 x (1.00 - 5 %)
    position = clearing.network_position("EUR")
    assert position["merchant_total"] == Decimal("7.60")
    assert position["merchant_total"] + position["commission"] + position["operator"] == 0


def test_a_clearing_transaction_touching_a_customer_account_fails_at_commit(cinema, erika_card):
    wallet = fund_wallet(erika_card.customer.user, "5.00")
    with pytest.raises(DatabaseError, match="cv_clearing_accounts|non-clearing account"):
        with transaction.atomic():
            service.post(
                [
                    service.Leg(wallet, Decimal("-1.00")),
                    service.Leg(
                        accounts.merchant_account(cinema.merchant, SystemAccountCode.MERCHANT_CLEARING, "EUR"),
                        Decimal("1.00"),
                    ),
                ],
                service.Posting(reason=Reason.PARTNER_CLEARING, actor=Actor.system("test")),
            )


def test_statements_and_lines_are_immutable_and_cover_only_their_merchant(program, bakery, cinema, erika_card):
    from ..pos.queries import TOPUP

    bakery.till.execute(TOPUP, amount_input({"code": erika_card.code}, "20.00", receipt="A-1", key="a1"))
    [statement] = settlement.settle(bakery.merchant)
    line = StatementLine.objects.get(statement=statement)
    for sql, params in (
        ("UPDATE customer_value_statement SET net = 0 WHERE id = %s", [statement.pk]),
        ("DELETE FROM customer_value_statementline WHERE booking_id = %s", [line.pk]),
        ("UPDATE customer_value_partnerbooking SET amount = 0 WHERE transaction_id = %s", [line.pk]),
    ):
        with pytest.raises(DatabaseError):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)

    # a booking of the cinema can never be put on the bakery's statement
    cinema.till.execute(PAY, amount_input({"code": erika_card.code}, "1.00", receipt="B-1", key="b1"))
    foreign = PartnerBooking.objects.get(merchant=cinema.merchant)
    with pytest.raises((IntegrityError, DatabaseError)):
        with transaction.atomic():
            StatementLine.objects.create(booking=foreign, statement=statement)

    # and the payout is booked once
    settlement.record_payout(statement, Actor.system("test"), "X-1")
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE customer_value_statement SET paid_at = now() WHERE id = %s", [statement.pk])


def test_a_member_gets_an_email_when_a_reward_becomes_reachable(program, bakery, customer_user, erika_card, mailoutbox):
    from saleor_customer_value.models import MerchantReward
    from saleor_customer_value.partners import plans

    from ..pos.queries import SALE

    # given the bakery's plan (1 point per 2.00) with a reward at 10 points, Erika a member
    bakery.merchant.plan_enabled = True
    bakery.merchant.plan_earn_amount = Decimal("2.00")
    bakery.merchant.save()
    MerchantReward.objects.create(merchant=bakery.merchant, name="Free croissant", points=10)
    plans.join(bakery.merchant, erika_card.customer)
    card = {"code": erika_card.code}

    # when she earns 6, then 6 more points (crossing 10), then 6 more
    for i in range(3):
        result = bakery.till.execute(SALE, amount_input(card, "12.00", receipt=f"A-{i}", key=f"s{i}"))
        assert result["posSaleRecord"]["pointsEarned"] == 6

    # then exactly one e-mail, after the booking that crossed the reward's points
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["erika@example.com"]
    assert "Bakery" in mailoutbox[0].subject and "Free croissant (10)" in mailoutbox[0].body


def test_a_settlement_run_does_not_block_bookings(program, cinema, erika_card):
    import threading
    import time

    # given a settlement run that holds its merchant lock (as settlement.settle takes it)
    fund_wallet(erika_card.customer.user, "5.00")
    token = cinema.app.tokens.first().auth_token
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT id FROM customer_value_merchant WHERE id = %s FOR NO KEY UPDATE", [cinema.merchant.pk]
                    )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(10)
    try:
        # when a till books meanwhile (its partner booking references the merchant row)
        started = time.monotonic()
        result = ApiClient(app_token=token).execute(
            PAY, amount_input({"code": erika_card.code}, "1.00", receipt="R-x", key="k-x")
        )["posWalletPay"]
        elapsed = time.monotonic() - started
    finally:
        release.set()
        holder.join(10)

    # then it went through without waiting for the run (which holds the lock for 10 s;
    # with FOR UPDATE it would wait: the partner booking's foreign key takes KEY SHARE)
    assert result["customerValueErrors"] == [], result
    assert elapsed < 5
    assert PartnerBooking.objects.filter(merchant=cinema.merchant).count() == 1
