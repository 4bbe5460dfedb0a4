"""Staff bookings on a customer's points: add, subtract, preview, reverse."""
from datetime import timedelta

import pytest

from saleor_customer_value.models import LedgerTransaction, PointsLot
from saleor_customer_value.models.loyalty import LotStatus

from ..conftest import ApiClient, global_id, grant
from .conftest import assert_lots_agree, balance, configure, give_points
from .flow import buy, my_points

BOOK = """
mutation($input: LoyaltyPointsBookingInput!) {
  %s(input: $input) {
    points { balance { posted available } }
    transaction { id reason note customerNote }
    customerValueErrors { field code message }
  }
}
"""
PREVIEW = """
query($customer: ID!, $points: Int!) {
  loyaltyPointsPreview(customerId: $customer, points: $points) {
    balance { posted available }
    resultingBalance { posted available }
    allowed
  }
}
"""
CUSTOMER_POINTS = """
query($customer: ID!) {
  customerPoints(customerId: $customer) {
    balance { posted available pending }
    movements(first: 10) { edges { node { points reason customerNote } } }
    lots { status points remaining }
  }
}
"""
REVERSE = """
mutation($id: ID!) {
  ledgerTransactionReverse(id: $id, note: "booked by mistake", allowClawback: true) {
    transaction { reason }
    customerValueErrors { field code message }
  }
}
"""


def book(api, mutation, user, points, note="Goodwill for a late delivery", customer_note=None):
    return api.execute(
        BOOK % mutation,
        {
            "input": {
                "customerId": global_id("User", user.pk),
                "points": points,
                "note": note,
                "customerNote": customer_note,
            }
        },
    )[mutation]


def errors(data):
    return [(e["field"], e["code"]) for e in data["customerValueErrors"]]


def test_staff_add_points_with_a_note(loyalty_staff, customer_user, customer_api, program):
    configure(expiry_days=180)

    data = book(loyalty_staff, "loyaltyPointsAdd", customer_user, 300, customer_note="Sorry for the delay")

    assert data["customerValueErrors"] == []
    assert data["points"]["balance"] == {"posted": 300, "available": 300}
    assert data["transaction"]["reason"] == "POINTS_ADJUSTMENT"
    assert data["transaction"]["note"] == "Goodwill for a late delivery"
    lot = PointsLot.objects.get()
    assert lot.expires_at == lot.created_at + timedelta(days=180)

    movement = my_points(customer_api)["movements"]["edges"][0]["node"]
    assert (movement["points"], movement["customerNote"]) == (300, "Sorry for the delay")


def test_a_note_is_required(loyalty_staff, customer_user, program):
    data = book(loyalty_staff, "loyaltyPointsAdd", customer_user, 300, note="  ")

    assert errors(data) == [("note", "INVALID")]
    assert balance(customer_user) == (0, 0)


def test_staff_subtract_up_to_the_balance(loyalty_staff, customer_user, program):
    give_points(customer_user, 100)

    too_much = book(loyalty_staff, "loyaltyPointsSubtract", customer_user, 101)
    exact = book(loyalty_staff, "loyaltyPointsSubtract", customer_user, 100)

    assert errors(too_much) == [("points", "INSUFFICIENT_FUNDS")]
    assert exact["points"]["balance"] == {"posted": 0, "available": 0}
    assert_lots_agree(customer_user)


@pytest.mark.parametrize("points", ["0", "-5", "2.5"])
def test_bad_point_amounts(loyalty_staff, customer_user, program, points):
    data = book(loyalty_staff, "loyaltyPointsAdd", customer_user, points)

    assert errors(data) == [("points", "INVALID_AMOUNT")]


def test_the_preview_shows_the_resulting_balance(loyalty_staff, customer_user, program):
    give_points(customer_user, 100)
    user_id = global_id("User", customer_user.pk)

    minus = loyalty_staff.execute(PREVIEW, {"customer": user_id, "points": -30})["loyaltyPointsPreview"]
    overdraw = loyalty_staff.execute(PREVIEW, {"customer": user_id, "points": -101})["loyaltyPointsPreview"]
    plus = loyalty_staff.execute(PREVIEW, {"customer": user_id, "points": 50})["loyaltyPointsPreview"]

    assert minus == {
        "balance": {"posted": 100, "available": 100},
        "resultingBalance": {"posted": 70, "available": 70},
        "allowed": True,
    }
    assert (overdraw["resultingBalance"]["posted"], overdraw["allowed"]) == (-1, False)
    assert (plus["resultingBalance"]["posted"], plus["allowed"]) == (150, True)
    assert balance(customer_user) == (100, 0)


def test_bookings_need_manage_loyalty(staff_user, customer_api, customer_user, program):
    grant(staff_user, "manage_wallets")
    staff = ApiClient(user=staff_user)

    assert errors(book(staff, "loyaltyPointsAdd", customer_user, 10)) == [(None, "PERMISSION_DENIED")]
    assert errors(book(customer_api, "loyaltyPointsAdd", customer_user, 10)) == [(None, "PERMISSION_DENIED")]
    content = staff.post(PREVIEW, {"customer": global_id("User", customer_user.pk), "points": 1})
    assert content["data"]["loyaltyPointsPreview"] is None


def test_a_reversed_booking_stays_in_the_customers_history_next_to_its_reversal(
    loyalty_staff, customer_user, program
):
    give_points(customer_user, 100)
    wrong = book(loyalty_staff, "loyaltyPointsAdd", customer_user, 500)

    reversed_ = loyalty_staff.execute(REVERSE, {"id": wrong["transaction"]["id"]})["ledgerTransactionReverse"]

    assert reversed_["customerValueErrors"] == []
    shown = loyalty_staff.execute(CUSTOMER_POINTS, {"customer": global_id("User", customer_user.pk)})[
        "customerPoints"
    ]
    assert shown["balance"] == {"posted": 100, "available": 100, "pending": 0}
    assert [(m["node"]["points"], m["node"]["reason"]) for m in shown["movements"]["edges"]] == [
        (-500, "REVERSAL"), (500, "POINTS_ADJUSTMENT"), (100, "POINTS_ADJUSTMENT")
    ]
    # the lots follow a reversal made outside the loyalty package
    assert [(lot["status"], lot["remaining"]) for lot in shown["lots"]] == [
        ("REVERSED", 0),
        ("ACTIVE", 100),
    ]
    assert_lots_agree(customer_user)


def test_reversing_spent_points_needs_a_clawback(loyalty_staff, customer_user, program, variant, shipping_method, customer_api):
    added = book(loyalty_staff, "loyaltyPointsAdd", customer_user, 500)
    configure(earn_points=0)
    buy(customer_api, variant, shipping_method, points=300)

    loyalty_staff.execute(REVERSE, {"id": added["transaction"]["id"]})

    assert balance(customer_user) == (-300, 0)
    assert LedgerTransaction.objects.get(reason="reversal").is_clawback
    assert_lots_agree(customer_user)  # the lots catch up with the reversal (debt 300)
    assert PointsLot.objects.get(credit_transaction__reason="points_adjustment").status == LotStatus.REVERSED
