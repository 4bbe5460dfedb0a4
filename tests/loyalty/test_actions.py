"""Fixed points for actions: registration, newsletter, reviews, custom codes."""
import pytest

from saleor_customer_value.models import LedgerTransaction, LoyaltyActionRecord

from ..conftest import global_id, grant
from .conftest import balance, configure

RECORD = """
mutation($customer: ID!, $action: String!, $reference: String, $key: String) {
  loyaltyActionRecord(customerId: $customer, action: $action, reference: $reference,
                      idempotencyKey: $key) {
    transaction { id reason customerNote metadata }
    points { balance { available } }
    customerValueErrors { field code message }
  }
}
"""


def record(api, user, action, reference=None, key=None):
    return api.execute(
        RECORD,
        {"customer": global_id("User", user.pk), "action": action, "reference": reference, "key": key},
    )["loyaltyActionRecord"]


def errors(data):
    return [(e["field"], e["code"]) for e in data["customerValueErrors"]]


@pytest.fixture
def app_with_loyalty(app, app_api):
    grant(app, "manage_loyalty")
    return app_api


def test_an_app_rewards_a_newsletter_sign_up_once(app_with_loyalty, customer_user, program):
    configure(newsletter_points=50)

    first = record(app_with_loyalty, customer_user, "newsletter")
    again = record(app_with_loyalty, customer_user, "newsletter")

    assert first["customerValueErrors"] == []
    assert first["transaction"]["reason"] == "POINTS_ACTION"
    assert first["transaction"]["customerNote"] == "50 points for the newsletter"
    assert first["points"]["balance"]["available"] == 50
    assert errors(again) == [("action", "ACTION_ALREADY_RECORDED")]
    assert balance(customer_user) == (50, 0)


def test_the_same_idempotency_key_replays_the_reward(app_with_loyalty, customer_user, program):
    configure(newsletter_points=50)

    first = record(app_with_loyalty, customer_user, "newsletter", key="nl-1")
    again = record(app_with_loyalty, customer_user, "newsletter", key="nl-1")

    assert again["customerValueErrors"] == []
    assert again["transaction"]["id"] == first["transaction"]["id"]
    assert balance(customer_user) == (50, 0)


def test_reviews_earn_per_review(app_with_loyalty, customer_user, program):
    configure(review_points=20, review_policy="per_review")

    record(app_with_loyalty, customer_user, "review", reference="review-1")
    record(app_with_loyalty, customer_user, "review", reference="review-2")
    repeated = record(app_with_loyalty, customer_user, "review", reference="review-1")
    missing = record(app_with_loyalty, customer_user, "review")

    assert errors(repeated) == [("action", "ACTION_ALREADY_RECORDED")]
    assert errors(missing) == [("reference", "REQUIRED")]
    assert balance(customer_user) == (40, 0)


def test_reviews_can_earn_once_per_customer(app_with_loyalty, customer_user, program):
    configure(review_points=20, review_policy="once_per_customer")

    record(app_with_loyalty, customer_user, "review", reference="review-1")
    second = record(app_with_loyalty, customer_user, "review", reference="review-2")

    assert errors(second) == [("action", "ACTION_ALREADY_RECORDED")]
    assert balance(customer_user) == (20, 0)


def test_custom_action_codes(app_with_loyalty, customer_user, program):
    configure(
        custom_actions=[
            {"code": "survey", "points": 15, "once_per_customer": False},
            {"code": "app-install", "points": 100, "once_per_customer": True},
        ]
    )

    record(app_with_loyalty, customer_user, "survey", reference="2024-q1")
    record(app_with_loyalty, customer_user, "survey", reference="2024-q2")
    record(app_with_loyalty, customer_user, "app-install")
    txn = LedgerTransaction.objects.filter(reason="points_action").order_by("pk").first()

    assert balance(customer_user) == (130, 0)
    assert txn.metadata == {
        "action": "survey", "points": 15, "once_per_customer": False, "reference": "2024-q1",
        "expiry_days": None,
    }


@pytest.mark.parametrize("action", ["unknown", "newsletter"])
def test_unknown_and_unrewarded_actions_are_refused(app_with_loyalty, customer_user, program, action):
    data = record(app_with_loyalty, customer_user, action)  # newsletter_points is 0

    assert errors(data) == [("action", "UNKNOWN_ACTION")]
    assert LoyaltyActionRecord.objects.count() == 0


def test_actions_need_the_program_and_the_permission(app_api, app_with_loyalty, customer_user, program, customer_api):
    configure(newsletter_points=50)

    by_customer = record(customer_api, customer_user, "newsletter")
    configure(enabled=False)
    switched_off = record(app_with_loyalty, customer_user, "newsletter")

    assert errors(by_customer) == [(None, "PERMISSION_DENIED")]
    assert errors(switched_off) == [(None, "LOYALTY_DISABLED")]
    assert balance(customer_user) == (0, 0)


def test_registering_an_account_earns_points(api_client, program):
    from saleor.account.models import User

    configure(registration_points=200)

    data = api_client.execute(
        """mutation { accountRegister(input: {email: "new@example.com", password: "Secret-pass-1", redirectUrl: "http://localhost:3000/confirm"}) {
             accountErrors { field code message } } }"""
    )["accountRegister"]

    assert data["accountErrors"] == []
    user = User.objects.get(email="new@example.com")
    assert balance(user) == (200, 0)
    assert LoyaltyActionRecord.objects.get().action == "registration"
