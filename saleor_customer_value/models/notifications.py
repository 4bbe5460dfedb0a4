"""Customer notifications (e-mail): staff-editable templates, the record of every
notification (at most one per event, customer and key), the customer's language and
opt-outs, and the shop's notification settings.

The rules live in ``notifications/``; see ARCHITECTURE.md ("Notifications").
"""
from django.conf import settings
from django.contrib.postgres.fields import JSONField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationEvent:
    POINTS_CREDITED = "points_credited"
    POINTS_DIGEST = "points_digest"
    POINTS_EXPIRING = "points_expiring"
    BADGE_UNLOCKED = "badge_unlocked"
    TIER_REACHED = "tier_reached"
    REWARD_REACHABLE = "reward_reachable"
    WALLET_CREDITED = "wallet_credited"
    GIFT_VOUCHER_RECEIVED = "gift_voucher_received"
    CARD_REGISTERED = "card_registered"
    CARD_BLOCKED = "card_blocked"
    CARD_REPLACED = "card_replaced"

    CHOICES = [
        (POINTS_CREDITED, _("Points credited")),
        (POINTS_DIGEST, _("Points credited today (daily digest)")),
        (POINTS_EXPIRING, _("Points expiring soon")),
        (BADGE_UNLOCKED, _("Badge unlocked")),
        (TIER_REACHED, _("Tier reached")),
        (REWARD_REACHABLE, _("Reward within reach")),
        (WALLET_CREDITED, _("Wallet credited")),
        (GIFT_VOUCHER_RECEIVED, _("Gift voucher received")),
        (CARD_REGISTERED, _("Card registered")),
        (CARD_BLOCKED, _("Card blocked")),
        (CARD_REPLACED, _("Card replaced")),
    ]
    # Marketing: an opt-out of marketing e-mails stops these. The rest confirm a
    # change of the customer's value or card (transactional).
    MARKETING = {POINTS_EXPIRING, BADGE_UNLOCKED, TIER_REACHED, REWARD_REACHABLE}


class NotificationCategory:
    MARKETING = "marketing"
    TRANSACTIONAL = "transactional"
    CHOICES = [(MARKETING, _("Marketing")), (TRANSACTIONAL, _("Transactional"))]


class NotificationStatus:
    PENDING = "pending"  # recorded, waiting for its send time
    SENDING = "sending"  # claimed by a worker (never sent twice, even after a crash)
    SENT = "sent"
    SKIPPED = "skipped"  # opted out, no e-mail address, template switched off
    FAILED = "failed"  # the e-mail backend refused it
    CHOICES = [
        (PENDING, _("Pending")),
        (SENDING, _("Sending")),
        (SENT, _("Sent")),
        (SKIPPED, _("Skipped")),
        (FAILED, _("Failed")),
    ]


class PointsCreditedMode:
    EACH = "each"  # one e-mail per posting
    DAILY = "daily"  # one digest per customer and day
    CHOICES = [(EACH, _("One e-mail per posting")), (DAILY, _("One digest per day"))]


class NotificationTemplate(models.Model):
    """A staff-edited template for one event and language; without a row the shipped
    default (``notifications/defaults.py``) is used."""

    event = models.CharField(max_length=32, choices=NotificationEvent.CHOICES)
    language = models.CharField(max_length=8)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True, default="")
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        app_label = "customer_value"
        permissions = (
            ("manage_notifications", "Edit customer e-mail templates and settings."),
        )
        constraints = [
            models.UniqueConstraint(fields=["event", "language"], name="cv_ntpl_event_language"),
        ]


class NotificationSettings(models.Model):
    """The shop's notification settings (one row, id 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    enabled = models.BooleanField(default=True)
    points_credited_mode = models.CharField(
        max_length=8, choices=PointsCreditedMode.CHOICES, default=PointsCreditedMode.EACH
    )
    expiry_reminder_days = models.PositiveSmallIntegerField(default=7)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.CheckConstraint(check=Q(id=1), name="cv_nsettings_single_row"),
            models.CheckConstraint(
                check=Q(expiry_reminder_days__gte=1, expiry_reminder_days__lte=365),
                name="cv_nsettings_reminder_days",
            ),
        ]


class CustomerPreference(models.Model):
    """The customer's language and e-mail opt-outs (no row: shop language, all e-mails)."""

    customer = models.OneToOneField(
        "customer_value.Customer", primary_key=True, on_delete=models.CASCADE,
        related_name="preference",
    )
    language = models.CharField(max_length=8, blank=True, default="")
    marketing_opt_out = models.BooleanField(default=False)
    transactional_opt_out = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "customer_value"


class Notification(models.Model):
    """One notification of one customer: recorded once per (event, customer, key),
    which is what makes it at most once (the key is the outbox event, the expiry date
    of a batch of lots, the day of a digest, ...)."""

    id = models.BigAutoField(primary_key=True)
    event = models.CharField(max_length=32, choices=NotificationEvent.CHOICES)
    customer = models.ForeignKey(
        "customer_value.Customer", on_delete=models.PROTECT, related_name="notifications"
    )
    key = models.CharField(max_length=128)
    category = models.CharField(max_length=16, choices=NotificationCategory.CHOICES)
    status = models.CharField(
        max_length=16, choices=NotificationStatus.CHOICES, default=NotificationStatus.PENDING
    )
    data = JSONField(default=dict, blank=True)  # what the event said (amounts, ids)
    send_after = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True, default="")
    to_email = models.CharField(max_length=254, blank=True, default="")
    subject = models.CharField(max_length=255, blank=True, default="")
    detail = models.TextField(blank=True, default="")  # why skipped or failed

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "customer", "key"], name="cv_notification_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["send_after"], name="cv_notification_due_idx",
                condition=Q(status="pending"),
            ),
        ]
