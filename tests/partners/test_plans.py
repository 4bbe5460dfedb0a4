"""Merchant card plans (seed 002): the bakery's own rule (1 point per 10.00), its reward
catalogue, the share link, points per plan on the customer's side, and points added or
removed by the bakery's staff with a note."""
from decimal import Decimal

import pytest

from saleor_customer_value.models import PartnerBooking

from ..pos.queries import SALE, amount_input
from .conftest import CUSTOMERS, MERCHANT, MERCHANT_UPDATE

pytestmark = pytest.mark.django_db

REWARD_CREATE = """
mutation Reward($merchantId: ID, $input: MerchantRewardInput!) {
  merchantRewardCreate(merchantId: $merchantId, input: $input) {
    reward { id name points } customerValueErrors { field code message }
  }
}
"""
JOIN = """
mutation Join($token: String!) {
  partnerPlanJoin(token: $token) { merchantName customerValueErrors { field code message } }
}
"""
MY_PLANS = """
query { myPartnerPlans { merchantName earningRule points rewards { name points pointsMissing } } }
"""
ADJUST = """
mutation Adjust($customer: PosCustomerInput!, $points: Int!, $note: String!, $key: String!) {
  merchantPointsAdjust(customer: $customer, points: $points, note: $note, idempotencyKey: $key) {
    customer { points { available } } bookings { reason amount unit }
    customerValueErrors { field code message }
  }
}
"""


@pytest.fixture
def bakery_plan(operator, bakery):
    result = operator.execute(
        MERCHANT_UPDATE,
        {
            "id": bakery.id,
            "input": {"planEnabled": True, "planEarnPoints": 1, "planEarnAmount": "10.00", "planEarnRounding": "DOWN"},
        },
    )["merchantUpdate"]
    assert result["customerValueErrors"] == [], result
    reward = bakery.staff.execute(REWARD_CREATE, {"input": {"name": "Free croissant", "points": 15}})
    assert reward["merchantRewardCreate"]["customerValueErrors"] == [], reward
    return bakery


def test_a_customer_joins_by_share_link_and_sees_points_per_plan(bakery_plan, cinema, customer_api, erika_card):
    # given
    token = bakery_plan.staff.execute("query { merchant { planSignupToken } }")["merchant"]["planSignupToken"]

    # when
    joined = customer_api.execute(JOIN, {"token": token})["partnerPlanJoin"]
    sale = bakery_plan.till.execute(SALE, amount_input({"code": erika_card.code}, "125.00", receipt="A-1", key="a1"))

    # then: the bakery's rule (1 per 10.00, down), funded by the bakery at 0.01 per point
    assert joined == {"merchantName": "Bakery", "customerValueErrors": []}
    assert sale["posSaleRecord"]["pointsEarned"] == 12
    booking = PartnerBooking.objects.get(merchant=bakery_plan.merchant)
    assert (booking.kind, booking.amount) == ("points_earned", Decimal("-0.120"))
    assert customer_api.execute(MY_PLANS)["myPartnerPlans"] == [
        {
            "merchantName": "Bakery",
            "earningRule": "1 per 10.00 EUR",
            "points": 12,
            "rewards": [{"name": "Free croissant", "points": 15, "pointsMissing": 3}],
        }
    ]


def test_a_bad_share_link_is_refused(bakery_plan, customer_api):
    result = customer_api.execute(JOIN, {"token": "nope"})["partnerPlanJoin"]
    assert [e["code"] for e in result["customerValueErrors"]] == ["INVALID_SIGNUP_LINK"]


def test_merchant_staff_add_and_remove_points_with_a_note(program, bakery_plan, customer_api, erika_card):
    card = {"code": erika_card.code}
    added = bakery_plan.staff.execute(ADJUST, {"customer": card, "points": 20, "note": "birthday", "key": "p1"})
    assert added["merchantPointsAdjust"]["customerValueErrors"] == [], added
    assert added["merchantPointsAdjust"]["customer"]["points"]["available"] == 20
    removed = bakery_plan.staff.execute(ADJUST, {"customer": card, "points": -5, "note": "typo", "key": "p2"})
    assert removed["merchantPointsAdjust"]["customerValueErrors"] == [], removed
    too_many = bakery_plan.staff.execute(ADJUST, {"customer": card, "points": -50, "note": "x", "key": "p3"})
    assert [e["code"] for e in too_many["merchantPointsAdjust"]["customerValueErrors"]] == ["INSUFFICIENT_FUNDS"]
    no_note = bakery_plan.staff.execute(ADJUST, {"customer": card, "points": 1, "note": " ", "key": "p4"})
    assert [e["code"] for e in no_note["merchantPointsAdjust"]["customerValueErrors"]] == ["REQUIRED"]

    # the bakery funds what it added and gets back what it removed, at 0.01 per point
    assert sorted(PartnerBooking.objects.values_list("amount", flat=True)) == [Decimal("-0.200"), Decimal("0.050")]
    customers = bakery_plan.staff.execute(CUSTOMERS, {})["merchantCustomers"]
    assert [(c["email"], c["points"], c["planPoints"], c["bookings"]) for c in customers] == [
        ("erika@example.com", 15, 15, 2)
    ]
    # points earned elsewhere count in the shared balance, not in the bakery's plan
    from ..loyalty.conftest import give_points

    give_points(erika_card.customer.user, 100)
    (customer,) = bakery_plan.staff.execute(CUSTOMERS, {})["merchantCustomers"]
    assert (customer["points"], customer["planPoints"]) == (115, 15)
    plans = customer_api.execute(MY_PLANS)["myPartnerPlans"]
    assert [(p["merchantName"], p["points"]) for p in plans] == [("Bakery", 15)]


def test_another_merchant_cannot_touch_the_bakerys_catalogue(bakery_plan, cinema):
    result = cinema.staff.execute(REWARD_CREATE, {"merchantId": bakery_plan.id, "input": {"name": "x", "points": 1}})
    assert [e["code"] for e in result["merchantRewardCreate"]["customerValueErrors"]] == ["NOT_FOUND"]
