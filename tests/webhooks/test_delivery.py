"""Outgoing webhooks against a real HTTP receiver on 127.0.0.1."""
import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import (
    DeliveryAttempt,
    DeliveryStatus,
    OutboxEvent,
    WebhookDelivery,
)
from saleor_customer_value.webhooks import events

from ..wallet.conftest import fund_wallet
from .conftest import SECRET, deliver, signature, subscribe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WALLET = "CUSTOMER_VALUE_WALLET_BALANCE_CHANGED"


def test_signed_like_saleor_with_event_id_and_sequence(till_app, receiver, customer_user, site):
    # given a till subscribed to wallet events with Saleor's webhookCreate
    subscribe(till_app, receiver.url, [WALLET])

    # when the customer's wallet is credited and the dispatcher runs
    fund_wallet(customer_user, "25.00")
    deliver()

    # then one signed request arrived, verifiable with the secret
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    assert headers["X-Saleor-Event"] == events.WALLET_BALANCE_CHANGED
    assert headers["X-Saleor-Domain"] == site.domain
    assert headers["X-Saleor-HMAC-SHA256"] == signature(body)
    assert headers["X-Saleor-HMAC-SHA256"] != signature(body, secret="wrong")
    payload = json.loads(body)
    customer = accounts.customer_for_user(customer_user)
    assert payload["customer"]["id"] == customer.pk
    assert headers["X-Customer-Value-Event-Id"] == payload["id"]
    assert headers["X-Customer-Value-Sequence"] == str(payload["sequence"])
    assert payload["data"]["currency"] == "EUR"
    assert payload["data"]["change"] == "25.00"
    assert payload["data"]["balance"] == {"posted": "25.00", "held": "0.00", "available": "25.00"}


def test_receiver_500_then_200_gets_the_event_again(till_app, receiver, customer_user):
    # given a receiver that fails once
    subscribe(till_app, receiver.url, [WALLET])
    receiver.script = [500]
    fund_wallet(customer_user, "10.00")

    # when the dispatcher runs, then again once the retry is due
    deliver()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=5)
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    deliver()

    # then the same event came twice, the second time accepted
    first, second = receiver.requests
    assert (first["status"], second["status"]) == (500, 200)
    assert json.loads(first["body"])["id"] == json.loads(second["body"])["id"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_delivery_log_shows_the_failed_attempt(till_app, receiver, customer_user):
    subscribe(till_app, receiver.url, [WALLET])
    receiver.script = [503]
    fund_wallet(customer_user, "10.00")

    deliver()

    (attempt,) = DeliveryAttempt.objects.all()
    assert attempt.status_code == 503 and attempt.success is False
    assert attempt.response_excerpt == "receiver failed"
    assert attempt.duration_ms >= 0 and attempt.created_at <= timezone.now()


def test_unreachable_receiver_is_logged_and_retried_with_backoff(till_app, customer_user):
    # given a receiver that is down (nothing listens on the port)
    subscribe(till_app, "http://127.0.0.1:8159/down", [WALLET])
    fund_wallet(customer_user, "10.00")

    for _ in range(3):
        deliver()
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())

    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 3 and delivery.status == DeliveryStatus.PENDING
    attempts = list(DeliveryAttempt.objects.order_by("pk"))
    assert [a.status_code for a in attempts] == [None, None, None]
    assert all("ConnectionError" in a.error for a in attempts)


def test_rolled_back_booking_sends_nothing(till_app, receiver, customer_user):
    subscribe(till_app, receiver.url, [WALLET])

    # when a booking is rolled back with its DB transaction
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            fund_wallet(customer_user, "10.00")
            raise RuntimeError("abort")
    deliver()

    # then no event exists and nothing was sent
    assert not OutboxEvent.objects.exists()
    assert receiver.requests == []


def test_hundred_bookings_arrive_in_sequence_without_gaps(till_app, receiver, customer_user):
    from ..conftest import grant

    # given a subscriber to every event it may see (USE_POS + VIEW_LEDGER)
    grant(till_app, "view_ledger")
    subscribe(till_app, receiver.url, ["ANY_EVENTS"])

    for _ in range(100):
        fund_wallet(customer_user, "1.00")
    deliver()

    # then each booking's transaction and balance event arrived, numbered 1..200
    got = receiver.delivered
    assert [e["sequence"] for e in got] == list(range(1, 201))
    assert [e["previousSequence"] for e in got] == [None] + list(range(1, 200))
    assert len({e["id"] for e in got}) == 200
    balances = [e["data"]["balance"]["posted"] for e in got if e["type"] == events.WALLET_BALANCE_CHANGED]
    assert balances == [f"{n}.00" for n in range(1, 101)]


def test_partial_subscriber_detects_gaps_by_previous_sequence(till_app, receiver, customer_user):
    # given a subscriber to wallet events only: the customer's sequence has the
    # transaction events in between, previousSequence chains what this webhook gets
    subscribe(till_app, receiver.url, [WALLET])
    for _ in range(20):
        fund_wallet(customer_user, "1.00")

    deliver()

    got = receiver.delivered
    assert [e["sequence"] for e in got] == list(range(1, 40, 2))
    assert all(b["previousSequence"] == a["sequence"] for a, b in zip(got, got[1:]))


def test_later_event_waits_while_an_earlier_one_fails(till_app, receiver, customer_user):
    subscribe(till_app, receiver.url, [WALLET])
    receiver.script = [500]
    fund_wallet(customer_user, "1.00")
    fund_wallet(customer_user, "2.00")

    deliver()
    # only the first event was tried; the second waits behind it
    assert [json.loads(r["body"])["sequence"] for r in receiver.requests] == [1]

    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    deliver()
    assert [json.loads(r["body"])["sequence"] for r in receiver.requests] == [1, 1, 3]


def test_receiver_down_for_an_hour_gets_everything_afterwards(till_app, receiver, customer_user):
    subscribe(till_app, receiver.url, [WALLET])
    receiver.script = [502] * 10
    for amount in ("1.00", "2.00", "3.00"):
        fund_wallet(customer_user, amount)

    # an hour of failed attempts, each after its backoff
    waited = timedelta(0)
    while receiver.script:
        deliver()
        delivery = WebhookDelivery.objects.get(sequence=1)
        waited += delivery.next_attempt_at - delivery.last_attempt_at
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert waited >= timedelta(hours=1)

    deliver()
    assert [e["sequence"] for e in receiver.delivered] == [1, 3, 5]


def test_redelivery_sends_a_delivered_event_again(till_app, receiver, customer_user):
    from saleor_customer_value.webhooks import dispatch

    subscribe(till_app, receiver.url, [WALLET])
    fund_wallet(customer_user, "5.00")
    deliver()
    delivery = WebhookDelivery.objects.get()

    dispatch.redeliver(delivery)
    deliver()

    first, second = receiver.requests
    assert first["body"] == second["body"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_app_without_permission_gets_nothing(till_app, receiver, customer_user):
    # given an App whose only permission is USE_POS subscribed to ledger transactions
    subscribe(till_app, receiver.url, ["CUSTOMER_VALUE_TRANSACTION_POSTED", WALLET])
    fund_wallet(customer_user, "5.00")

    deliver()

    # then it gets the wallet event (USE_POS) but not the transaction (VIEW_LEDGER)
    assert [e["type"] for e in receiver.delivered] == [events.WALLET_BALANCE_CHANGED]
    assert OutboxEvent.objects.filter(event_type=events.TRANSACTION_POSTED).count() == 1


def test_any_events_subscription_gets_every_allowed_event(till_app, receiver, customer_user):
    from ..conftest import grant

    grant(till_app, "view_ledger")
    subscribe(till_app, receiver.url, ["ANY_EVENTS"])
    fund_wallet(customer_user, "5.00")

    deliver()

    types = sorted(e["type"] for e in receiver.delivered)
    assert types == [events.TRANSACTION_POSTED, events.WALLET_BALANCE_CHANGED]
    txn = receiver.of_type(events.TRANSACTION_POSTED)[0]["data"]
    assert txn["reason"] == "topup"
    assert [(e["account"], e["amount"]) for e in txn["entries"]] == [
        ("system:funding", "-5.00"),
        ("wallet", "5.00"),
    ]


def test_pruning_removes_old_log_rows(till_app, receiver, customer_user):
    from saleor_customer_value.webhooks import dispatch

    subscribe(till_app, receiver.url, [WALLET])
    fund_wallet(customer_user, "5.00")
    deliver()

    kept = dispatch.prune(days=30)
    removed = dispatch.prune(days=30, now=timezone.now() + timedelta(days=31))

    assert kept == {"attempts": 0, "deliveries": 0, "events": 0}
    assert removed["attempts"] == 1 and removed["deliveries"] == 1
    assert removed["events"] == OutboxEvent.objects.count() + removed["events"] >= 2
    assert not WebhookDelivery.objects.exists()


def test_deactivated_webhook_pauses_its_deliveries(till_app, receiver, customer_user):
    from saleor.webhook.models import Webhook

    from saleor_customer_value.webhooks import dispatch

    # given an event fanned out to the webhook, which is then deactivated
    subscribe(till_app, receiver.url, [WALLET])
    fund_wallet(customer_user, "5.00")
    dispatch.fan_out()
    Webhook.objects.update(is_active=False)

    # then nothing is sent, and events of the inactive time are not for it (as Saleor)
    deliver()
    fund_wallet(customer_user, "1.00")
    deliver()
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING

    # when it is active again, the paused delivery goes out
    Webhook.objects.update(is_active=True)
    deliver()
    assert [e["data"]["change"] for e in receiver.delivered] == ["5.00"]
