from django.conf import settings
from django.contrib.postgres.fields import JSONField
from django.db import models
from django.db.models import Q

from ..ledger.reasons import ActorType, Reason
from .accounts import MONEY_FIELD


def _reference(model, related_name="+", db_index=False):
    # References to Saleor objects never constrain or cascade: the ledger is immutable
    # and must outlive a deleted draft order or App. Only the ones history is searched
    # by get an index: every index is paid on every posting.
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=db_index,
        related_name=related_name,
    )


class LedgerTransaction(models.Model):
    """One movement of value: what happened, who did it, what it belongs to, when.

    Its entries sum to zero per unit (checked by a deferred trigger at commit). Rows
    are never updated or deleted (trigger); a correction is a new transaction with
    ``reversal_of`` pointing at the one it undoes, and each transaction can be reversed
    at most once (unique).
    """

    id = models.BigAutoField(primary_key=True)

    reason = models.CharField(max_length=32, choices=Reason.CHOICES)
    created_at = models.DateTimeField(db_index=True)

    actor_type = models.CharField(max_length=16, choices=ActorType.CHOICES)
    actor_user = _reference(settings.AUTH_USER_MODEL)
    actor_app = _reference("app.App")
    actor_label = models.CharField(max_length=128, blank=True, default="")

    note = models.TextField(blank=True, default="")
    customer_note = models.CharField(max_length=255, blank=True, default="")

    customer = models.ForeignKey(
        "customer_value.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_transactions",
    )
    order = _reference("order.Order", db_index=True)
    payment = _reference("payment.Payment")
    checkout_token = models.UUIDField(null=True, blank=True, db_index=True)
    card_id = models.BigIntegerField(null=True, blank=True)
    merchant_id = models.BigIntegerField(null=True, blank=True)
    external_reference = models.CharField(max_length=128, blank=True, default="")

    reversal_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    hold = models.OneToOneField(
        "customer_value.Hold",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posting",
    )
    # Clawbacks are the one way a points balance may go below zero (entry trigger).
    is_clawback = models.BooleanField(default=False)
    # Rule values a movement was computed with (rates, tiers): rules change, history
    # must not.
    metadata = JSONField(blank=True, default=dict)

    class Meta:
        app_label = "customer_value"
        # Newest first: what an audit view and Saleor's connection sorting expect.
        ordering = ("-pk",)
        indexes = [
            models.Index(
                fields=["external_reference"],
                name="cv_txn_external_ref_idx",
                condition=~Q(external_reference=""),
            )
        ]
        constraints = [
            models.CheckConstraint(
                check=Q(reason__in=[code for code, _ in Reason.CHOICES]),
                name="cv_txn_reason_known",
            ),
            models.CheckConstraint(
                check=Q(reversal_of__isnull=True) | Q(reason=Reason.REVERSAL),
                name="cv_txn_reversal_has_reason",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.reason}"


class Entry(models.Model):
    """One leg of a transaction: ``amount`` (> 0) moves ``direction`` (+1 raises the
    account's balance, -1 lowers it). ``balance_after`` is written by the trigger that
    applies the entry to a customer account, so history shows running balances.
    """

    id = models.BigAutoField(primary_key=True)

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="entries"
    )
    # Enforced by the composite (account, unit) foreign key of migration 0002 and
    # indexed by cv_entry_account_idx; a second key and index would cost every posting.
    account = models.ForeignKey(
        "customer_value.Account",
        on_delete=models.PROTECT,
        related_name="entries",
        db_constraint=False,
        db_index=False,
    )
    # Copied from the account and tied to it by a composite foreign key (migration
    # 0002), so the per-unit balance check never needs a join.
    unit = models.CharField(max_length=8)
    amount = models.DecimalField(**MONEY_FIELD)
    direction = models.SmallIntegerField()
    balance_after = models.DecimalField(null=True, blank=True, **MONEY_FIELD)

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)
        indexes = [models.Index(fields=["account", "-id"], name="cv_entry_account_idx")]
        constraints = [
            models.CheckConstraint(check=Q(amount__gt=0), name="cv_entry_amount_gt_0"),
            models.CheckConstraint(
                check=Q(direction__in=[-1, 1]), name="cv_entry_direction"
            ),
        ]

    @property
    def signed_amount(self):
        return self.amount * self.direction
