"""The transactional outbox of customer-value events and its webhook delivery log.

``OutboxEvent`` rows are written in the DB transaction of the change they describe
(triggers of migration 0010 for ledger, hold and card rows; ``webhooks.events.emit``
for the rest), so a committed change always has its event and a rolled-back one never
does. ``sequence`` numbers a customer's events without gaps, in commit order.
Deliveries fan each event out to the Saleor ``Webhook`` rows allowed to receive it.
"""
from django.contrib.postgres.fields import ArrayField, JSONField
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q


class OutboxEvent(models.Model):
    id = models.BigAutoField(primary_key=True)
    # Random (uuid4, drawn by PostgreSQL): no index, which would cost every posting.
    event_id = models.UUIDField()
    event_type = models.CharField(max_length=64)
    # Plain ids, no foreign keys: a key check would cost every posting, and customers
    # are never deleted (the ledger protects them).
    customer_id = models.IntegerField(null=True, blank=True)
    sequence = models.BigIntegerField(null=True, blank=True)
    payload = JSONField(default=dict)
    created_at = models.DateTimeField()
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)
        indexes = [
            models.Index(
                fields=["id"],
                name="cv_outbox_undispatched_idx",
                condition=Q(dispatched_at__isnull=True),
            ),
            # Append-only and time-ordered: a BRIN index is nearly free to maintain.
            BrinIndex(fields=["created_at"], name="cv_outbox_created_brin"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer_id", "sequence"], name="cv_outbox_customer_sequence"
            )
        ]


class EventSequence(models.Model):
    """The last sequence number given to a customer's events (one row per customer,
    locked only at commit, after the customer's accounts: no global hot row)."""

    customer_id = models.IntegerField(primary_key=True)
    last_sequence = models.BigIntegerField(default=0)

    class Meta:
        app_label = "customer_value"


class DeliveryStatus:
    PENDING = "pending"  # waiting for its turn, or for the next retry
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the maximum number of attempts
    CHOICES = [(PENDING, "Pending"), (DELIVERED, "Delivered"), (FAILED, "Failed")]


class WebhookDelivery(models.Model):
    """One event for one Saleor webhook. Within (webhook, customer) only the pending
    delivery with the lowest sequence is attempted: later events wait for it."""

    id = models.BigAutoField(primary_key=True)
    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="deliveries")
    webhook = models.ForeignKey(
        "webhook.Webhook", on_delete=models.CASCADE, related_name="customer_value_deliveries"
    )
    customer_id = models.IntegerField(null=True, blank=True)
    sequence = models.BigIntegerField(null=True, blank=True)
    previous_sequence = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.CHOICES, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)
        indexes = [
            models.Index(
                fields=["webhook", "customer_id", "sequence", "event"],
                name="cv_delivery_stream_idx",
                condition=Q(status=DeliveryStatus.PENDING),
            ),
            models.Index(fields=["webhook", "-id"], name="cv_delivery_webhook_idx"),
            models.Index(fields=["created_at"], name="cv_delivery_created_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "webhook"], name="cv_delivery_once")
        ]


class DeliveryAttempt(models.Model):
    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    created_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    success = models.BooleanField()
    response_excerpt = models.TextField(blank=True, default="")
    error = models.TextField(blank=True, default="")

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)


class PosSyncItem(models.Model):
    """The outcome of one offline booking a till uploaded with ``posSync``, by its
    idempotency key: a replay of the upload returns the same outcome (a refusal stays
    a refusal, a booking is replayed by the ledger's own idempotency)."""

    id = models.BigAutoField(primary_key=True)
    scope = models.CharField(max_length=64)
    key = models.CharField(max_length=255)
    kind = models.CharField(max_length=16)
    request_hash = models.CharField(max_length=64)
    status = models.CharField(max_length=16)
    code = models.CharField(max_length=64, blank=True, default="")
    message = models.TextField(blank=True, default="")
    receipt = models.CharField(max_length=255, blank=True, default="")
    till_timestamp = models.DateTimeField(null=True, blank=True)
    customer_id = models.IntegerField(null=True, blank=True)
    transaction_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="cv_pos_sync_item_key")
        ]
