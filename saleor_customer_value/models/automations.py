"""Segments, automation runs and periodic gifts (issue 14).

A *segment* is a filter over the shop's customers (``automations.segments``), stored as
plain JSON so a run and a periodic gift keep exactly what staff saw in the preview.
An ``AutomationRun`` applies one action to a segment: its members are written once,
when the run starts (``AutomationRunMember``), so a booking that moves a customer out
of the segment (a balance range) cannot change who the run is for; each member is
booked in its own DB transaction under a per-run per-customer idempotency key and its
row is marked done in the same transaction. A ``PeriodicGift`` creates one run per
occurrence; ``PeriodicGiftOccurrence`` is unique per (gift, period key), so a beat that
fires twice creates one run.
"""
from django.conf import settings
from django.contrib.postgres.fields import JSONField
from django.db import models
from django.db.models import Q

from .accounts import MONEY_FIELD


class AutomationAction:
    ADD_POINTS = "add_points"
    SUBTRACT_POINTS = "subtract_points"
    SET_POINTS = "set_points"
    CREDIT_WALLET = "credit_wallet"
    GRANT_BADGE = "grant_badge"
    CHOICES = [
        (ADD_POINTS, "Add points"),
        (SUBTRACT_POINTS, "Subtract points"),
        (SET_POINTS, "Set the points balance"),
        (CREDIT_WALLET, "Credit the wallet"),
        (GRANT_BADGE, "Grant a badge"),
    ]


class RunStatus:
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"
    FINISHED = (DONE, CANCELLED, FAILED)
    CHOICES = [
        (PENDING, "Pending"),
        (RUNNING, "Running"),
        (DONE, "Done"),
        (CANCELLED, "Cancelled"),
        (FAILED, "Failed"),
    ]


class MemberStatus:
    PENDING = "pending"
    BOOKED = "booked"
    SKIPPED = "skipped"  # nothing to do (set to the same balance, badge already held)
    FAILED = "failed"  # refused for this customer (not enough points); the run goes on
    CHOICES = [
        (PENDING, "Pending"),
        (BOOKED, "Booked"),
        (SKIPPED, "Skipped"),
        (FAILED, "Failed"),
    ]


class Segment(models.Model):
    name = models.CharField(max_length=128)
    definition = JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("name", "pk")


class _ActionFields(models.Model):
    action = models.CharField(max_length=32, choices=AutomationAction.CHOICES)
    points = models.BigIntegerField(null=True, blank=True)
    amount = models.DecimalField(null=True, blank=True, **MONEY_FIELD)
    currency = models.CharField(max_length=3, blank=True, default="")
    badge = models.ForeignKey(
        "customer_value.Badge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=32, blank=True, default="")
    note = models.TextField(blank=True, default="")
    customer_note = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        abstract = True


class AutomationRun(_ActionFields):
    id = models.BigAutoField(primary_key=True)
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    definition = JSONField(default=dict)  # the segment as it was when the run was made
    status = models.CharField(max_length=16, choices=RunStatus.CHOICES, default=RunStatus.PENDING)
    cancel_requested = models.BooleanField(default=False)
    total = models.IntegerField(default=0)
    processed = models.IntegerField(default=0)
    booked = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_app = models.ForeignKey(
        "app.App", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)
        constraints = [
            models.CheckConstraint(check=Q(processed__lte=models.F("total")), name="cv_run_processed_lte_total"),
        ]


class AutomationRunMember(models.Model):
    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(AutomationRun, on_delete=models.CASCADE, related_name="members")
    customer = models.ForeignKey("customer_value.Customer", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=MemberStatus.CHOICES, default=MemberStatus.PENDING)
    transaction = models.ForeignKey(
        "customer_value.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    message = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["run", "customer"], name="cv_run_member_once"),
        ]
        indexes = [
            models.Index(fields=["run", "id"], name="cv_run_member_pending_idx", condition=Q(status="pending")),
        ]


class GiftFrequency:
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"
    BIRTHDAY = "birthday"
    CHOICES = [
        (DAILY, "Every day"),
        (WEEKLY, "Every week"),
        (MONTHLY, "Every month"),
        (YEARLY, "Every year"),
        (BIRTHDAY, "On the customer's birthday"),
    ]


class PeriodicGift(_ActionFields):
    name = models.CharField(max_length=128)
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="gifts"
    )
    definition = JSONField(default=dict)  # used when no segment is linked
    frequency = models.CharField(max_length=16, choices=GiftFrequency.CHOICES)
    # Monthly/yearly: the day of the month (1-28, or 31 = the month's last day);
    # weekly: 1 (Monday) to 7; yearly: also ``month``.
    day = models.PositiveSmallIntegerField(default=1)
    month = models.PositiveSmallIntegerField(default=1)
    is_active = models.BooleanField(default=True)
    starts_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("name", "pk")


class PeriodicGiftOccurrence(models.Model):
    gift = models.ForeignKey(PeriodicGift, on_delete=models.CASCADE, related_name="occurrences")
    period_key = models.CharField(max_length=32)
    run = models.OneToOneField(
        AutomationRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrence"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["gift", "period_key"], name="cv_gift_occurrence_once"),
        ]
