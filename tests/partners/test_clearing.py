"""City card clearing, worked example: Erika tops up 50.00 in cash at the bakery (A),
pays 10.00 from her wallet at the cinema (B), earns 200 points on a 200.00 sale at the
bakery and redeems 100 of them at the cinema. Point value 0.01 at both; commission 10 %
(bakery) and 5 % (cinema).

  bakery: −50.00 (cash it holds) −2.00 (funds 200 points)            = −52.00
  cinema: +10.00 −0.50 commission +1.00 (100 points redeemed)        = +10.50
  commission +0.50; operator's clearing account: +52.00 −10.00 −1.00 = +41.00
  −52.00 + 10.50 + 0.50 + 41.00 = 0
"""
from decimal import Decimal

import pytest

from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.models import LedgerTransaction, PartnerBooking, Statement

from ..pos.queries import PAY, REDEEM, SALE, TOPUP, amount_input
from .conftest import BOOKINGS, PAYOUT, POSITION, SETTLE, STATEMENTS, amounts

pytestmark = pytest.mark.django_db


def _ok(result, name):
    assert result[name]["customerValueErrors"] == [], result
    return result[name]


def book_the_example(bakery, cinema, erika_card):
    card = {"code": erika_card.code}
    _ok(bakery.till.execute(TOPUP, amount_input(card, "50.00", receipt="A-1", key="a1")), "posWalletTopUp")
    _ok(cinema.till.execute(PAY, amount_input(card, "10.00", receipt="B-1", key="b1")), "posWalletPay")
    sale = _ok(bakery.staff.execute(SALE, amount_input(card, "200.00", receipt="A-2", key="a2")), "posSaleRecord")
    assert sale["pointsEarned"] == 200
    redeem = cinema.till.execute(
        REDEEM,
        {"input": {"customer": card, "points": 100, "receipt": "B-2", "note": "popcorn", "idempotencyKey": "b2"}},
    )
    _ok(redeem, "posPointsRedeem")


def test_every_till_booking_records_its_merchant(program, bakery, cinema, erika_card):
    # when
    book_the_example(bakery, cinema, erika_card)

    # then
    by_receipt = {
        t.external_reference: t.merchant_id
        for t in LedgerTransaction.objects.exclude(reason=Reason.PARTNER_CLEARING)
    }
    assert by_receipt == {
        "A-1": bakery.merchant.pk,
        "B-1": cinema.merchant.pk,
        "A-2": bakery.merchant.pk,
        "B-2": cinema.merchant.pk,
    }
    kinds = {(b.transaction.external_reference, b.kind, b.amount, b.commission) for b in PartnerBooking.objects.all()}
    assert kinds == {
        ("A-1", "topup", Decimal("-50.000"), Decimal("0.000")),
        ("B-1", "payment", Decimal("9.500"), Decimal("0.500")),
        ("A-2", "points_earned", Decimal("-2.000"), Decimal("0.000")),
        ("B-2", "points_redeemed", Decimal("1.000"), Decimal("0.000")),
    }
    # every clearing is its own balanced ledger transaction, committed with its booking
    clearings = LedgerTransaction.objects.filter(reason=Reason.PARTNER_CLEARING)
    assert clearings.count() == 4
    assert {c.merchant_id for c in clearings} == {bakery.merchant.pk, cinema.merchant.pk}


def test_statements_of_both_merchants_net_to_zero_against_the_operator(program, operator, bakery, cinema, erika_card):
    # given
    book_the_example(bakery, cinema, erika_card)
    position = operator.execute(POSITION, {"currency": "EUR"})["partnerNetworkPosition"]
    assert position["balanced"] is True
    assert {m["merchant"]["name"]: m["balance"]["amount"] for m in position["merchants"]} == {
        "Bakery": -52.0,
        "Cinema": 10.5,
    }
    assert position["commission"]["amount"] == 0.5
    assert position["operator"]["amount"] == 41.0

    # when
    bakery_statement = _ok(operator.execute(SETTLE, {"merchantId": bakery.id}), "merchantSettle")["statements"]
    cinema_statement = _ok(operator.execute(SETTLE, {"merchantId": cinema.id}), "merchantSettle")["statements"]

    # then
    [a] = bakery_statement
    [b] = cinema_statement
    assert (a["number"], a["topups"]["amount"], a["pointsEarned"]["amount"], a["net"]["amount"]) == (1, -50.0, -2.0, -52.0)
    assert (b["payments"]["amount"], b["commission"]["amount"], b["pointsRedeemed"]["amount"], b["net"]["amount"]) == (
        10.0,
        0.5,
        1.0,
        10.5,
    )
    assert sorted(x["kind"] for x in a["bookings"]) == ["POINTS_EARNED", "TOPUP"]
    assert sorted(x["kind"] for x in b["bookings"]) == ["PAYMENT", "POINTS_REDEEMED"]
    # statements + commission + operator = 0
    assert a["net"]["amount"] + b["net"]["amount"] + position["commission"]["amount"] + position["operator"]["amount"] == 0

    # when the payouts are recorded (the bakery pays 52.00 in, the cinema gets 10.50)
    for statement, reference in ((a, "SEPA-IN-1"), (b, "SEPA-OUT-1")):
        paid = _ok(operator.execute(PAYOUT, {"statementId": statement["id"], "reference": reference}), "merchantStatementPayoutRecord")
        assert paid["statement"]["payoutReference"] == reference

    # then both merchants are square; the operator keeps the commission
    position = operator.execute(POSITION, {"currency": "EUR"})["partnerNetworkPosition"]
    assert position["merchantTotal"]["amount"] == 0.0
    assert position["operator"]["amount"] == -0.5
    assert position["balanced"] is True
    again = operator.execute(PAYOUT, {"statementId": a["id"]})["merchantStatementPayoutRecord"]
    assert [e["code"] for e in again["customerValueErrors"]] == ["ALREADY_PAID"]


def test_nothing_to_settle_is_an_error_and_books_nothing(operator, bakery):
    result = operator.execute(SETTLE, {"merchantId": bakery.id})["merchantSettle"]
    assert [e["code"] for e in result["customerValueErrors"]] == ["NOTHING_TO_SETTLE"]
    assert Statement.objects.count() == 0


def test_a_reversal_after_settlement_lands_in_the_next_statement(program, operator, cinema, erika_card):
    from ..pos.queries import REVERSE
    from ..wallet.conftest import fund_wallet

    # given a settled payment of 10.00 at the cinema
    fund_wallet(erika_card.customer.user, "30.00")
    card = {"code": erika_card.code}
    _ok(cinema.till.execute(PAY, amount_input(card, "10.00", receipt="B-9", key="b9")), "posWalletPay")
    [first] = _ok(operator.execute(SETTLE, {"merchantId": cinema.id}), "merchantSettle")["statements"]
    assert first["net"]["amount"] == 9.5

    # when the till reverses the receipt
    reversed_ = cinema.till.execute(REVERSE, {"receipt": "B-9", "note": "refund", "key": "rev-b9"})["posReverse"]
    assert reversed_["customerValueErrors"] == [], reversed_

    # then the settled statement is unchanged and the reversal is in the next one
    [second] = _ok(operator.execute(SETTLE, {"merchantId": cinema.id}), "merchantSettle")["statements"]
    assert second["number"] == 2
    assert [x["kind"] for x in second["bookings"]] == ["REVERSAL"]
    assert (second["reversals"]["amount"], second["commission"]["amount"], second["net"]["amount"]) == (-10.0, -0.5, -9.5)
    statements = cinema.staff.execute(STATEMENTS, {})["merchantStatements"]
    assert [(s["number"], s["net"]["amount"]) for s in statements] == [(2, -9.5), (1, 9.5)]
    bookings = cinema.staff.execute(BOOKINGS, {})["merchantBookings"]
    assert [(b["kind"], b["statementNumber"]) for b in bookings] == [("REVERSAL", 2), ("PAYMENT", 1)]
    assert amounts(bookings, "net") == [-9.5, 9.5]


def test_operator_tills_without_a_merchant_book_no_clearing(program, app, erika_card):
    from ..conftest import ApiClient, grant
    from ..wallet.conftest import fund_wallet

    grant(app, "use_pos")
    till = ApiClient(app_token=app.tokens.first().auth_token)
    fund_wallet(erika_card.customer.user, "5.00")
    _ok(till.execute(PAY, amount_input({"code": erika_card.code}, "5.00", receipt="O-1", key="o1")), "posWalletPay")
    assert PartnerBooking.objects.count() == 0
    assert LedgerTransaction.objects.get(external_reference="O-1").merchant_id is None


def test_offline_bookings_and_replays_clear_once(program, cinema, erika_card):
    from ..webhooks.test_pos_sync import item, sync
    from ..wallet.conftest import fund_wallet

    # given
    fund_wallet(erika_card.customer.user, "20.00")
    items = [item(erika_card, "PAYMENT", "p1", amount="8.00"), item(erika_card, "SALE", "s1", amount="10.00")]

    # when the till uploads its offline bookings twice
    first = sync(cinema.till, items)
    again = sync(cinema.till, items)

    # then each booking has its merchant and one clearing, the replay adds nothing
    assert [r["status"] for r in first["results"]] == ["BOOKED", "BOOKED"], first
    assert again["customerValueErrors"] == []
    bookings = PartnerBooking.objects.filter(merchant=cinema.merchant).order_by("transaction_id")
    assert [(b.kind, b.amount, b.commission) for b in bookings] == [
        ("payment", Decimal("7.600"), Decimal("0.400")),
        ("points_earned", Decimal("-0.100"), Decimal("0.000")),
    ]
    assert LedgerTransaction.objects.filter(reason=Reason.PARTNER_CLEARING).count() == 2
