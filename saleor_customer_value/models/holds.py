from django.db import models
from django.db.models import Q

from ..ledger.reasons import Reason
from .accounts import MONEY_FIELD


class HoldStatus:
    PENDING = "pending"
    POSTED = "posted"
    VOIDED = "voided"
    EXPIRED = "expired"
    CHOICES = [
        (PENDING, "Pending"),
        (POSTED, "Posted"),
        (VOIDED, "Voided"),
        (EXPIRED, "Expired"),
    ]


class Hold(models.Model):
    """Value reserved on a customer account, to be posted to ``counter_account``.

    While pending, ``amount`` counts in the account's ``held`` (trigger). A hold leaves
    ``pending`` exactly once (trigger): posted (fully or partly, the rest released),
    voided, or expired.
    """

    id = models.BigAutoField(primary_key=True)

    account = models.ForeignKey(
        "customer_value.Account", on_delete=models.PROTECT, related_name="holds"
    )
    counter_account = models.ForeignKey(
        "customer_value.Account", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(**MONEY_FIELD)
    reason = models.CharField(max_length=32, choices=Reason.CHOICES)
    status = models.CharField(
        max_length=16, choices=HoldStatus.CHOICES, default=HoldStatus.PENDING
    )
    posted_amount = models.DecimalField(null=True, blank=True, **MONEY_FIELD)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    checkout_token = models.UUIDField(null=True, blank=True, db_index=True)
    order_id = models.IntegerField(null=True, blank=True)
    external_reference = models.CharField(max_length=128, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        app_label = "customer_value"
        indexes = [
            models.Index(
                fields=["account", "expires_at"],
                name="cv_hold_pending_idx",
                condition=Q(status=HoldStatus.PENDING),
            ),
            models.Index(
                fields=["expires_at"],
                name="cv_hold_expiry_idx",
                condition=Q(status=HoldStatus.PENDING),
            ),
        ]
        constraints = [
            # A checkout reserves at most one amount per kind of value (wallet money,
            # points) at a time: re-applying replaces the hold.
            models.UniqueConstraint(
                fields=["checkout_token", "reason"],
                condition=Q(status=HoldStatus.PENDING, checkout_token__isnull=False),
                name="cv_hold_one_pending_per_checkout",
            ),
            models.CheckConstraint(check=Q(amount__gt=0), name="cv_hold_amount_gt_0"),
            models.CheckConstraint(
                check=Q(posted_amount__isnull=True)
                | (Q(posted_amount__gt=0) & Q(posted_amount__lte=models.F("amount"))),
                name="cv_hold_posted_within_amount",
            ),
        ]

    @property
    def is_pending(self):
        return self.status == HoldStatus.PENDING
