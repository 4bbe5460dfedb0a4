"""Deliver outbox events to Saleor webhooks: in order per customer, at least once.

1. ``fan_out`` turns undelivered outbox events into one ``WebhookDelivery`` per
   subscribed webhook whose App may receive the event (``events.allowed``). One
   fan-out runs at a time (advisory lock) and takes events in (customer, sequence)
   order; a customer's sequence follows commit order, so when an event is visible
   every earlier one of that customer is too.
2. ``deliver_due`` sends each (webhook, customer) stream in sequence order, starting
   with its lowest pending delivery and only once that is due: a later event waits
   while an earlier one is failing. One worker sends a stream at a time (a
   session-level advisory lock, freed with the connection if the worker dies); no DB
   transaction is held open over HTTP. A pass's results are recorded after it, so a
   crash sends those events again (at least once: receivers drop duplicates by id).
3. A failure (no 2xx, or no answer) is retried with exponential backoff; after
   ``MAX_ATTEMPTS`` the delivery is FAILED and the stream moves on (staff or the App
   can ``redeliver``). Every attempt is logged (time, HTTP status, duration, excerpt).

Requests are signed exactly like Saleor 2.10's own webhooks
(``saleor.plugins.webhook.create_webhook_headers``).
"""
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Dict, List, Optional

import requests
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from saleor.plugins.webhook import create_webhook_headers
from saleor.webhook.event_types import WebhookEventType
from saleor.webhook.models import Webhook

from ..models import (
    Customer,
    DeliveryAttempt,
    DeliveryStatus,
    OutboxEvent,
    WebhookDelivery,
)
from . import events

logger = logging.getLogger(__name__)


def _setting(name, default):
    return getattr(settings, f"CUSTOMER_VALUE_WEBHOOK_{name}", default)


TIMEOUT = _setting("TIMEOUT", 10)  # seconds per request, as Saleor's WEBHOOK_TIMEOUT
BACKOFF_BASE = _setting("BACKOFF_BASE", 10)  # seconds before the first retry
BACKOFF_MAX = _setting("BACKOFF_MAX", 900)  # at most 15 minutes between attempts
MAX_ATTEMPTS = _setting("MAX_ATTEMPTS", 40)  # about 9 hours of retries
EXCERPT = 1000
LOG_DAYS = _setting("LOG_DAYS", 30)
FAN_OUT_LOCK = 0x63765F776830  # pg advisory lock key ("cv_wh0")


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 10 s, 20 s, 40 s ... 15 min."""
    return timedelta(seconds=min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


# --- fan-out -------------------------------------------------------------------------


def subscribers() -> Dict[str, List[Webhook]]:
    """Active webhooks of active Apps, by the customer-value event they may receive."""
    ours = list(events.REGISTRY)
    hooks = (
        Webhook.objects.filter(
            is_active=True,
            app__is_active=True,
            events__event_type__in=ours + [WebhookEventType.ANY],
        )
        .distinct()
        .select_related("app")
        .prefetch_related("events")
    )
    result: Dict[str, List[Webhook]] = {}
    for hook in hooks:
        granted = hook.app.get_permissions()
        wanted = {e.event_type for e in hook.events.all()}
        types = ours if WebhookEventType.ANY in wanted else wanted
        for event_type in types:
            if events.allowed(event_type, granted):
                result.setdefault(event_type, []).append(hook)
    return result


def fan_out(limit: int = 1000) -> int:
    """Create the deliveries of up to ``limit`` new events; return how many events."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FAN_OUT_LOCK])
            if not cursor.fetchone()[0]:
                return 0  # another worker is fanning out
        batch = list(
            OutboxEvent.objects.filter(dispatched_at__isnull=True)
            .exclude(customer_id__isnull=False, sequence__isnull=True)
            .order_by("customer_id", "sequence", "id")
            .only("id", "event_type", "customer_id", "sequence")[:limit]
        )
        if not batch:
            return 0
        subs = subscribers()
        now = timezone.now()
        previous: Dict[tuple, Optional[int]] = {}
        deliveries = []
        for event in batch:
            for hook in subs.get(event.event_type, []):
                stream = (hook.pk, event.customer_id)
                if event.customer_id is not None and stream not in previous:
                    previous[stream] = WebhookDelivery.objects.filter(
                        webhook_id=hook.pk, customer_id=event.customer_id
                    ).aggregate(last=Max("sequence"))["last"]
                deliveries.append(
                    WebhookDelivery(
                        event_id=event.pk,
                        webhook_id=hook.pk,
                        customer_id=event.customer_id,
                        sequence=event.sequence,
                        previous_sequence=previous.get(stream),
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
                if event.customer_id is not None:
                    previous[stream] = event.sequence
        WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        _record_notifications([e.pk for e in batch])
        OutboxEvent.objects.filter(pk__in=[e.pk for e in batch]).update(dispatched_at=now)
        return len(batch)


def _record_notifications(event_ids):
    """Customer e-mails from the same committed events (notifications/outbox.py), in
    this transaction: a failure there is logged and never holds up the webhooks."""
    from ..notifications import outbox as notification_outbox

    try:
        with transaction.atomic():
            notification_outbox.record(event_ids)
    except Exception:  # noqa: BLE001
        logger.exception("Recording notifications for outbox events failed")


# --- delivery ------------------------------------------------------------------------

# The first pending delivery of every (webhook, customer) stream of an active webhook,
# if it is due. Events without a customer are each their own stream.
_DUE_HEADS = """
SELECT webhook_id, customer_id, id FROM (
    SELECT DISTINCT ON (webhook_id, coalesce(customer_id, -event_id))
           id, webhook_id, customer_id, next_attempt_at
      FROM customer_value_webhookdelivery
     WHERE status = 'pending'
       -- a deactivated webhook or App pauses its streams until it is active again
       AND webhook_id IN (SELECT w.id FROM webhook_webhook w JOIN app_app a ON a.id = w.app_id
                           WHERE w.is_active AND a.is_active)
     ORDER BY webhook_id, coalesce(customer_id, -event_id), sequence, event_id
) heads
WHERE next_attempt_at <= now()
LIMIT %s
"""


def _stream_key(webhook_id, customer_id, delivery_id):
    # Two int4 keys; a customer-less delivery is its own stream (collisions only make
    # a worker skip a stream for one pass).
    second = customer_id if customer_id is not None else -(delivery_id % 2 ** 31)
    return [webhook_id % 2 ** 31, second]


def _try_lock(key) -> bool:
    """One sender per stream: a session-level advisory lock, released when the
    stream is drained or, if the worker dies, with its connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
        return cursor.fetchone()[0]


def _unlock(key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)


def envelope(delivery: WebhookDelivery, customers: Dict[int, Customer] = None) -> dict:
    """The JSON body: the event's frozen ``data`` plus who, which and where in order."""
    event = delivery.event
    customer = None
    if event.customer_id is not None:
        customers = {} if customers is None else customers
        if event.customer_id not in customers:
            customers[event.customer_id] = Customer.objects.filter(pk=event.customer_id).first()
        row = customers[event.customer_id]
        customer = {
            "id": event.customer_id,
            "userId": _user_global_id(row.user_id) if row and row.user_id else None,
        }
    return {
        "id": str(event.event_id),
        "type": event.event_type,
        "createdAt": event.created_at,
        "sequence": event.sequence,
        "previousSequence": delivery.previous_sequence,
        "customer": customer,
        "data": event.payload,
    }


def _user_global_id(user_id):
    import graphene

    return graphene.Node.to_global_id("User", user_id)


def body_of(delivery: WebhookDelivery, customers=None) -> str:
    return json.dumps(
        envelope(delivery, customers), cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False
    )


def headers_of(delivery: WebhookDelivery, body: str) -> dict:
    event = delivery.event
    headers = create_webhook_headers(event.event_type, body, delivery.webhook.secret_key)
    headers.update(
        {
            "Content-Type": "application/json; charset=utf-8",
            "X-Customer-Value-Event-Id": str(event.event_id),
            "X-Customer-Value-Delivery-Id": str(delivery.pk),
        }
    )
    if event.customer_id is not None:
        headers["X-Customer-Value-Customer"] = str(event.customer_id)
        headers["X-Customer-Value-Sequence"] = str(event.sequence)
    return headers


@dataclass
class Outcome:
    success: bool
    status_code: Optional[int]
    duration_ms: int
    excerpt: str = ""
    error: str = ""


def _post(session, delivery: WebhookDelivery, customers=None) -> Outcome:
    body = body_of(delivery, customers)
    headers = headers_of(delivery, body)
    started = time.monotonic()
    try:
        response = session.post(
            delivery.webhook.target_url,
            data=body.encode("utf-8"),
            headers=headers,
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        return Outcome(False, None, _ms(started), error=f"{type(exc).__name__}: {exc}"[:EXCERPT])
    return Outcome(
        200 <= response.status_code < 300,
        response.status_code,
        _ms(started),
        excerpt=response.text[:EXCERPT],
    )


def _ms(started):
    return int((time.monotonic() - started) * 1000)


def _record(results):
    """Log the attempts of one stream pass and move each delivery on, in one DB
    transaction (a crash before it only means the same events are sent again)."""
    now = timezone.now()
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(
            [
                DeliveryAttempt(
                    delivery_id=delivery.pk,
                    created_at=at,
                    duration_ms=outcome.duration_ms,
                    status_code=outcome.status_code,
                    success=outcome.success,
                    response_excerpt=outcome.excerpt,
                    error=outcome.error,
                )
                for delivery, outcome, at in results
            ]
        )
        for delivery, outcome, at in results:
            delivery.attempts += 1
            delivery.last_attempt_at = at
            if outcome.success:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.delivered_at = at
            elif delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = DeliveryStatus.FAILED
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
        WebhookDelivery.objects.bulk_update(
            [d for d, _, _ in results],
            ["attempts", "last_attempt_at", "status", "delivered_at", "next_attempt_at"],
        )


def _drain_stream(session, webhook_id, customer_id, head_id, limit, deadline) -> int:
    """Send a stream's pending deliveries in sequence order until one fails, one is
    not due yet, ``limit`` or the deadline; return how many succeeded."""
    key = _stream_key(webhook_id, customer_id, head_id)
    if not _try_lock(key):
        return 0  # another worker is sending this stream
    try:
        pending = WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, webhook_id=webhook_id
        ).select_related("event", "webhook")
        if customer_id is None:
            pending = pending.filter(pk=head_id)
        else:
            pending = pending.filter(customer_id=customer_id).order_by("sequence", "event_id")
        customers = {}
        results = []
        for delivery in pending[:limit]:
            if delivery.next_attempt_at > timezone.now() or time.monotonic() >= deadline:
                break
            outcome = _post(session, delivery, customers)
            results.append((delivery, outcome, timezone.now()))
            if not outcome.success:
                break
        if results:
            _record(results)
        return sum(1 for _, outcome, _ in results if outcome.success)
    finally:
        _unlock(key)


def deliver_due(budget_seconds: float = 25.0, heads: int = 200, per_stream: int = 200) -> int:
    """Send what is due until nothing is or the time budget is spent; return how many
    deliveries succeeded."""
    deadline = time.monotonic() + budget_seconds
    delivered = 0
    with requests.Session() as session:
        while time.monotonic() < deadline:
            with connection.cursor() as cursor:
                cursor.execute(_DUE_HEADS, [heads])
                streams = cursor.fetchall()
            sent = sum(
                _drain_stream(session, webhook_id, customer_id, head_id, per_stream, deadline)
                for webhook_id, customer_id, head_id in streams
            )
            delivered += sent
            if not sent:
                break  # all due heads failed or are being sent by others
    return delivered


def run(budget_seconds: float = 25.0) -> dict:
    """One dispatcher pass: fan out new events, then deliver what is due."""
    fanned = 0
    while True:
        n = fan_out()
        fanned += n
        if n < 1000:
            break
    return {"fanned_out": fanned, "delivered": deliver_due(budget_seconds)}


# --- redelivery and pruning ----------------------------------------------------------


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again as soon as the dispatcher runs (delivered or failed ones
    included). It becomes pending again, so later events of its stream wait for it."""
    with transaction.atomic():
        row = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
        row.status = DeliveryStatus.PENDING
        row.next_attempt_at = timezone.now()
        row.save(update_fields=["status", "next_attempt_at"])
    return row


def prune(days: int = None, now=None) -> dict:
    """Delete log rows older than ``days``: attempts, finished deliveries, and events
    that have no pending delivery left."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=LOG_DAYS if days is None else days)
    with transaction.atomic():
        attempts, _ = DeliveryAttempt.objects.filter(created_at__lt=cutoff).delete()
        deliveries, _ = (
            WebhookDelivery.objects.filter(created_at__lt=cutoff)
            .exclude(status=DeliveryStatus.PENDING)
            .delete()
        )
        old_events = OutboxEvent.objects.filter(
            created_at__lt=cutoff, dispatched_at__isnull=False
        ).exclude(deliveries__status=DeliveryStatus.PENDING)
        removed, _ = OutboxEvent.objects.filter(pk__in=old_events.values("pk")).delete()
    return {"attempts": attempts, "deliveries": deliveries, "events": removed}
