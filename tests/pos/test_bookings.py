"""Sales, wallet payments, top-ups, points redemption and reversals through GraphQL."""
from decimal import Decimal

import pytest

from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.models import Account, CardState, LedgerTransaction
from saleor_customer_value.models.loyalty import PointsLot

from ..loyalty.conftest import assert_lots_agree, balance
from .conftest import fund_wallet, give_points, make_card
from .queries import PAY, REDEEM, REVERSE, SALE, TOPUP, amount_input, wallet


def by_code(card):
    return {"code": card.code}


def test_sale_earns_points_by_program_rules(till, customer_user, erika_card, program, app):
    # when 37.99 EUR at 1 point per 1.00, rounded down
    data = till.execute(SALE, amount_input(by_code(erika_card), "37.99", receipt="R-100"))
    result = data["posSaleRecord"]

    # then
    assert result["customerValueErrors"] == []
    assert result["pointsEarned"] == 37
    assert result["customer"]["points"]["available"] == 37
    (booking,) = result["bookings"]
    assert (booking["reason"], booking["amount"], booking["unit"]) == ("POINTS_EARNED", "37", "PTS")
    txn = LedgerTransaction.objects.get(reason=Reason.POINTS_EARNED)
    assert txn.external_reference == "R-100"
    assert txn.card_id == erika_card.pk
    assert txn.actor_app == app
    assert txn.note == "till 1"
    assert txn.metadata["earn_points"] == 1 and txn.metadata["base"] == "37.99"
    assert_lots_agree(customer_user)


def test_sale_rounding_half_up_and_ratio(till, customer_user, erika_card, program):
    from ..loyalty.conftest import configure

    configure(earn_points=3, earn_amount=Decimal("2.00"), earn_rounding="half_up")
    result = till.execute(SALE, amount_input(by_code(erika_card), "9.00"))["posSaleRecord"]
    assert result["pointsEarned"] == 14  # 13.5 -> 14


def test_sale_with_program_off_books_nothing(till, erika_card, db):
    result = till.execute(SALE, amount_input(by_code(erika_card), "10.00"))["posSaleRecord"]
    assert result["customerValueErrors"] == [] and result["pointsEarned"] == 0
    assert not LedgerTransaction.objects.exists()


def test_staff_cashier_records_sale_by_customer_id(cashier, customer_user, program, staff_user):
    import graphene

    customer = {"customerId": graphene.Node.to_global_id("User", customer_user.pk)}
    result = cashier.execute(SALE, amount_input(customer, "5.00"))["posSaleRecord"]
    assert result["pointsEarned"] == 5
    assert LedgerTransaction.objects.get().actor_user == staff_user


def test_wallet_pay_full_and_partial(till, customer_user, erika_card):
    fund_wallet(customer_user, "30.00")

    part = till.execute(PAY, amount_input(by_code(erika_card), "12.50", key="p1"))["posWalletPay"]
    rest = till.execute(PAY, amount_input(by_code(erika_card), "17.50", key="p2"))["posWalletPay"]
    more = till.execute(PAY, amount_input(by_code(erika_card), "0.01", key="p3"))["posWalletPay"]

    assert part["paid"] == {"amount": 12.5, "currency": "EUR"}
    assert wallet(part["customer"]) == {"posted": 17.5, "held": 0.0, "available": 17.5}
    assert wallet(rest["customer"])["available"] == 0.0
    assert more["customerValueErrors"][0]["code"] == "INSUFFICIENT_FUNDS"
    assert LedgerTransaction.objects.filter(reason=Reason.POS_PAYMENT).count() == 2


def test_top_up_with_bonus_tier(till, customer_user, erika_card, bonus_tiers):
    result = till.execute(TOPUP, amount_input(by_code(erika_card), "100.00"))["posWalletTopUp"]

    assert result["customerValueErrors"] == []
    assert result["toppedUp"] == {"amount": 100.0}
    assert result["bonus"] == {"amount": 10.0}
    assert wallet(result["customer"])["posted"] == 110.0
    assert [b["reason"] for b in result["bookings"]] == ["TOPUP", "TOPUP_BONUS"]
    bonus = LedgerTransaction.objects.get(reason=Reason.TOPUP_BONUS)
    assert bonus.metadata["tier_percent"] == "10" and bonus.metadata["tiers"] == "50:5,100:10"
    assert bonus.external_reference == "R-1"


def test_top_up_retry_returns_first_result_with_bonus(till, erika_card, bonus_tiers):
    first = till.execute(TOPUP, amount_input(by_code(erika_card), "60.00"))["posWalletTopUp"]
    again = till.execute(TOPUP, amount_input(by_code(erika_card), "60.00"))["posWalletTopUp"]

    assert first["replayed"] is False and again["replayed"] is True
    assert again["bonus"] == {"amount": 3.0}
    assert again["bookings"] == first["bookings"]
    assert wallet(again["customer"])["posted"] == 63.0


def test_top_up_sells_an_unsold_card(till):
    card = make_card()
    result = till.execute(TOPUP, amount_input(by_code(card), "20.00"))["posWalletTopUp"]
    assert result["customerValueErrors"] == []
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE and card.customer.user is None
    assert wallet(result["customer"])["posted"] == 20.0


def test_top_up_limits_apply(till, erika_card):
    result = till.execute(TOPUP, amount_input(by_code(erika_card), "1000.00"))["posWalletTopUp"]
    assert result["customerValueErrors"][0]["code"] == "INVALID_AMOUNT"
    assert not LedgerTransaction.objects.exists()


def test_redeem_points_for_discount(till, customer_user, erika_card, program):
    give_points(customer_user, 500)

    result = till.execute(
        REDEEM, {"input": {"customer": by_code(erika_card), "points": 250, "receipt": "R-7", "note": "n", "idempotencyKey": "r1"}}
    )["posPointsRedeem"]

    assert result["customerValueErrors"] == []
    assert result["pointsRedeemed"] == 250
    assert result["discount"] == {"amount": 2.5, "currency": "EUR"}
    assert result["customer"]["points"]["available"] == 250
    assert LedgerTransaction.objects.get(reason=Reason.POINTS_REDEEMED).external_reference == "R-7"
    assert_lots_agree(customer_user)


@pytest.mark.parametrize("points, code", [(600, "INSUFFICIENT_FUNDS"), (0, "INVALID_AMOUNT"), (-5, "INVALID_AMOUNT")])
def test_redeem_refusals(till, customer_user, erika_card, program, points, code):
    give_points(customer_user, 500)
    result = till.execute(
        REDEEM, {"input": {"customer": by_code(erika_card), "points": points, "receipt": "R", "note": "n", "idempotencyKey": "r"}}
    )["posPointsRedeem"]
    assert result["customerValueErrors"][0]["code"] == code
    assert balance(customer_user) == (500, 0)


def test_reverse_receipt_reverses_sale_payment_and_redemption(till, customer_user, erika_card, program):
    fund_wallet(customer_user, "30.00")
    give_points(customer_user, 300)
    till.execute(SALE, amount_input(by_code(erika_card), "20.00", receipt="R-9", key="s"))
    till.execute(PAY, amount_input(by_code(erika_card), "10.00", receipt="R-9", key="p"))
    till.execute(
        REDEEM, {"input": {"customer": by_code(erika_card), "points": 100, "receipt": "R-9", "note": "n", "idempotencyKey": "r"}}
    )

    result = till.execute(REVERSE, {"receipt": "R-9", "note": "customer returned it", "key": "rev"})["posReverse"]
    again = till.execute(REVERSE, {"receipt": "R-9", "note": "customer returned it", "key": "rev"})["posReverse"]
    other = till.execute(REVERSE, {"receipt": "R-9", "note": "customer returned it", "key": "rev2"})["posReverse"]

    assert result["customerValueErrors"] == []
    assert len(result["bookings"]) == 3
    assert wallet(result["customer"])["posted"] == 30.0
    assert result["customer"]["points"]["posted"] == 300
    assert again["replayed"] is True and again["bookings"] == result["bookings"]
    assert other["customerValueErrors"][0]["code"] == "ALREADY_REVERSED"
    assert_lots_agree(customer_user)


def test_reverse_spent_points_is_a_clawback(till, customer_user, erika_card, program):
    till.execute(SALE, amount_input(by_code(erika_card), "50.00", receipt="R-1", key="s"))
    till.execute(
        REDEEM, {"input": {"customer": by_code(erika_card), "points": 50, "receipt": "R-2", "note": "n", "idempotencyKey": "r"}}
    )
    result = till.execute(REVERSE, {"receipt": "R-1", "note": "returned", "key": "x"})["posReverse"]
    assert result["customerValueErrors"] == []
    assert result["customer"]["points"]["posted"] == -50
    assert_lots_agree(customer_user)


def test_reverse_spent_top_up_is_refused_and_changes_nothing(till, customer_user, erika_card, bonus_tiers):
    till.execute(TOPUP, amount_input(by_code(erika_card), "50.00", receipt="T-1", key="t"))
    till.execute(PAY, amount_input(by_code(erika_card), "40.00", receipt="P-1", key="p"))
    before = LedgerTransaction.objects.count()

    result = till.execute(REVERSE, {"receipt": "T-1", "note": "mistake", "key": "x"})["posReverse"]

    (err,) = result["customerValueErrors"]
    assert err["code"] == "NOT_REVERSIBLE" and "spent" in err["message"]
    assert LedgerTransaction.objects.count() == before
    assert Account.objects.get(kind="wallet").posted == Decimal("12.50")


def test_reverse_only_this_tills_bookings(till, cashier, erika_card, customer_user):
    fund_wallet(customer_user, "30.00")
    cashier.execute(PAY, amount_input(by_code(erika_card), "10.00", receipt="R-5", key="p"))
    result = till.execute(REVERSE, {"receipt": "R-5", "note": "n", "key": "x"})["posReverse"]
    assert result["customerValueErrors"][0]["code"] == "NOT_FOUND"
    ok = cashier.execute(REVERSE, {"receipt": "R-5", "note": "n", "key": "x"})["posReverse"]
    assert ok["customerValueErrors"] == [] and wallet(ok["customer"])["posted"] == 30.0
