"""Delivery log, redelivery and the event log through GraphQL; who sees what."""
import graphene
import pytest
from django.utils import timezone

from saleor_customer_value.models import DeliveryStatus, WebhookDelivery

from ..conftest import ApiClient, grant
from ..wallet.conftest import fund_wallet
from .conftest import deliver, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WALLET = "CUSTOMER_VALUE_WALLET_BALANCE_CHANGED"

DELIVERIES = """
query Deliveries($failing: Boolean, $status: [CustomerValueDeliveryStatusEnum!]) {
  customerValueWebhookDeliveries(first: 10, failing: $failing, status: $status) {
    edges { node {
      id status attempts nextAttemptAt deliveredAt
      event { eventId eventType sequence }
      webhook { id targetUrl }
      attemptLog { createdAt statusCode durationMs success responseExcerpt error }
    } }
  }
}
"""

REDELIVER = """
mutation Redeliver($id: ID!) {
  customerValueWebhookRedeliver(id: $id) {
    delivery { id status }
    customerValueErrors { field code message }
  }
}
"""


def nodes(data):
    return [edge["node"] for edge in data["customerValueWebhookDeliveries"]["edges"]]


@pytest.fixture
def failed_once(till_app, receiver, customer_user):
    subscribe(till_app, receiver.url, [WALLET])
    receiver.script = [500]
    fund_wallet(customer_user, "10.00")
    deliver()
    return WebhookDelivery.objects.get()


def test_app_lists_its_failing_deliveries_and_redelivers(failed_once, till_app, receiver):
    app_api = ApiClient(app_token=till_app.tokens.first().auth_token)

    (node,) = nodes(app_api.execute(DELIVERIES, {"failing": True}))
    assert node["status"] == "PENDING" and node["attempts"] == 1
    (attempt,) = node["attemptLog"]
    assert attempt["statusCode"] == 500 and attempt["success"] is False
    assert attempt["responseExcerpt"] == "receiver failed"
    assert node["event"]["eventType"] == WALLET and node["event"]["sequence"] == 1

    data = app_api.execute(REDELIVER, {"id": node["id"]})["customerValueWebhookRedeliver"]
    assert data["customerValueErrors"] == []
    failed_once.refresh_from_db()
    assert failed_once.next_attempt_at <= timezone.now()
    deliver()
    assert [r["status"] for r in receiver.requests] == [500, 200]
    assert nodes(app_api.execute(DELIVERIES, {"status": ["DELIVERED"]}))[0]["attempts"] == 2


def test_staff_with_manage_webhooks_sees_all_deliveries(failed_once, staff_user):
    staff = ApiClient(user=staff_user)
    assert "errors" in staff.post(DELIVERIES)

    grant(staff_user, "manage_webhooks")
    (node,) = nodes(staff.execute(DELIVERIES))
    data = staff.execute(REDELIVER, {"id": node["id"]})["customerValueWebhookRedeliver"]
    assert data["delivery"]["status"] == "PENDING"


def test_other_app_sees_and_redelivers_nothing(failed_once, db):
    from saleor.app.models import App

    other = App.objects.create(name="Other", is_active=True)
    other.tokens.create(name="t")
    api = ApiClient(app_token=other.tokens.first().auth_token)
    node_id = graphene.Node.to_global_id("CustomerValueWebhookDelivery", failed_once.pk)

    assert nodes(api.execute(DELIVERIES)) == []
    data = api.execute(REDELIVER, {"id": node_id})["customerValueWebhookRedeliver"]
    assert data["customerValueErrors"][0]["code"] == "NOT_FOUND"
    failed_once.refresh_from_db()
    assert failed_once.attempts == 1 and failed_once.next_attempt_at > timezone.now()


@pytest.mark.parametrize(
    "bad_id, code",
    [
        # malformed IDs: the central input check (INVALID), as for every plugin mutation
        ("", "INVALID"),
        ("nope", "INVALID"),
        ("\x00", "INVALID"),
        (graphene.Node.to_global_id("CustomerValueWebhookDelivery", "1\x00"), "INVALID"),
        # well-formed IDs of nothing redeliverable
        (graphene.Node.to_global_id("Order", 1), "NOT_FOUND"),
        (graphene.Node.to_global_id("CustomerValueWebhookDelivery", 999999), "NOT_FOUND"),
    ],
)
def test_redeliver_bad_ids_are_typed_errors(failed_once, staff_user, bad_id, code):
    grant(staff_user, "manage_webhooks")
    data = ApiClient(user=staff_user).execute(REDELIVER, {"id": bad_id})["customerValueWebhookRedeliver"]
    assert data["customerValueErrors"][0]["code"] == code
    assert WebhookDelivery.objects.get(pk=failed_once.pk).status == failed_once.status  # not redelivered


def test_redeliver_needs_permission(failed_once, staff_user, customer_user, api_client):
    node_id = graphene.Node.to_global_id("CustomerValueWebhookDelivery", failed_once.pk)
    for client in (ApiClient(user=staff_user), ApiClient(user=customer_user), api_client):
        data = client.execute(REDELIVER, {"id": node_id})["customerValueWebhookRedeliver"]
        assert data["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
    failed_once.refresh_from_db()
    assert failed_once.status == DeliveryStatus.PENDING and failed_once.attempts == 1


EVENTS = """
query Events($customer: ID, $after: Int) {
  customerValueEvents(first: 50, customer: $customer, sequenceAfter: $after) {
    edges { node { eventType sequence customerNumber user { email } } }
  }
}
"""


def test_event_log_shows_only_allowed_event_types(till_app, customer_user):
    fund_wallet(customer_user, "10.00")
    till = ApiClient(app_token=till_app.tokens.first().auth_token)
    user_id = graphene.Node.to_global_id("User", customer_user.pk)

    got = [e["node"] for e in till.execute(EVENTS, {"customer": user_id})["customerValueEvents"]["edges"]]

    # USE_POS sees the balance change, not the ledger transaction (VIEW_LEDGER)
    assert [(n["eventType"], n["sequence"]) for n in got] == [(WALLET, 1)]
    assert got[0]["user"] == {"email": customer_user.email}
    assert till.execute(EVENTS, {"customer": user_id, "after": 1})["customerValueEvents"]["edges"] == []
    refused = till.post(EVENTS, {"customer": "\x00"})
    assert refused["data"]["customerValueEvents"] is None
    assert [e["message"].split(":")[0] for e in refused["errors"]] == ["INVALID"]


def test_event_log_without_permission_is_denied(customer_user, api_client):
    fund_wallet(customer_user, "1.00")
    for client in (ApiClient(user=customer_user), api_client):
        assert "errors" in client.post(EVENTS)
