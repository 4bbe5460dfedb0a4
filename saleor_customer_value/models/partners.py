"""The partner network (issue 12): merchants, who acts for them, what each till booking
means for the clearing between the operator and its partners, and settlement statements.

Ledger rows stay the only record of value: a clearing movement is a ledger transaction
(reason ``partner_clearing``) on the merchant's own system accounts (``Account.merchant``),
so the ledger's balance triggers hold for it. The tables here only link and group them.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from .accounts import MONEY_FIELD
from .loyalty import EarnRounding


class MerchantStatus:
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CHOICES = [(ACTIVE, "Active"), (SUSPENDED, "Suspended")]


class Merchant(models.Model):
    name = models.CharField(max_length=128)
    contact_name = models.CharField(max_length=128, blank=True, default="")
    contact_email = models.EmailField(blank=True, default="")
    payout_details = models.TextField(blank=True, default="")
    status = models.CharField(
        max_length=16, choices=MerchantStatus.CHOICES, default=MerchantStatus.ACTIVE
    )
    # Percent of each wallet payment accepted at the merchant that the operator keeps.
    commission_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    # Money per point: what the merchant pays for points earned at its tills and is
    # paid for points redeemed there.
    point_value = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    # The merchant's own card plan (seed 002) on the shared points: its earning rule
    # replaces the shop program's at its tills while the plan is on.
    plan_enabled = models.BooleanField(default=False)
    plan_earn_points = models.PositiveIntegerField(default=1)
    plan_earn_amount = models.DecimalField(max_digits=12, decimal_places=2, default=1)
    plan_earn_rounding = models.CharField(max_length=16, choices=EarnRounding.CHOICES, default=EarnRounding.DOWN)
    plan_description = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("name", "pk")
        permissions = (("manage_partners", "Manage partner merchants and settle with them."),)
        constraints = [
            models.CheckConstraint(
                check=Q(commission_percent__gte=0) & Q(commission_percent__lte=100),
                name="cv_merchant_commission_range",
            ),
            models.CheckConstraint(check=Q(point_value__gte=0), name="cv_merchant_point_value_gte_0"),
            models.CheckConstraint(check=Q(plan_earn_amount__gt=0), name="cv_merchant_plan_earn_amount_gt_0"),
            models.CheckConstraint(
                check=Q(status__in=[MerchantStatus.ACTIVE, MerchantStatus.SUSPENDED]),
                name="cv_merchant_status_known",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self):
        return self.status == MerchantStatus.ACTIVE


class MerchantStaff(models.Model):
    """A staff user acting for one merchant (a user acts for at most one)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="staff")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cv_merchant_membership"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"


class MerchantTill(models.Model):
    """A Saleor App (a till with ``USE_POS``) that books for one merchant."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="tills")
    app = models.OneToOneField("app.App", on_delete=models.CASCADE, related_name="cv_merchant_till")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"


class PlanMember(models.Model):
    """A customer who joined a merchant's card plan (share link, or a first sale)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="members")
    customer = models.ForeignKey("customer_value.Customer", on_delete=models.CASCADE, related_name="partner_plans")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["merchant", "customer"], name="cv_planmember_unique"),
        ]


class MerchantReward(models.Model):
    """A reward of a merchant's catalogue, redeemed with points at its till."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="rewards")
    name = models.CharField(max_length=128)
    description = models.TextField(blank=True, default="")
    points = models.PositiveIntegerField()
    is_active = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)

    class Meta:
        app_label = "customer_value"
        ordering = ("sort_order", "points", "pk")
        constraints = [models.CheckConstraint(check=Q(points__gt=0), name="cv_merchantreward_points_gt_0")]


class ClearingKind:
    TOPUP = "topup"  # cash taken at the merchant's till: the merchant owes the operator
    PAYMENT = "payment"  # wallet money accepted: the operator owes the merchant (less commission)
    POINTS_EARNED = "points_earned"  # the merchant funds the points at its point value
    POINTS_REDEEMED = "points_redeemed"  # the operator pays the merchant for the points
    POINTS_ADJUSTED = "points_adjusted"  # merchant staff added (funds) or removed points
    REVERSAL = "reversal"  # mirrors the clearing of the booking it reverses
    CHOICES = [
        (TOPUP, "Top-up taken"),
        (PAYMENT, "Wallet payment accepted"),
        (POINTS_EARNED, "Points issued"),
        (POINTS_REDEEMED, "Points redeemed"),
        (POINTS_ADJUSTED, "Points added or removed by the merchant"),
        (REVERSAL, "Reversal"),
    ]


class PartnerBooking(models.Model):
    """A till booking made for a merchant, and its clearing transaction (if it moves
    anything between the merchant and the operator). Written in the booking's DB
    transaction; one row per booking (the primary key is the booking)."""

    transaction = models.OneToOneField(
        "customer_value.LedgerTransaction",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="partner_booking",
    )
    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(max_length=32, choices=ClearingKind.CHOICES)
    customer = models.ForeignKey(
        "customer_value.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clearing = models.OneToOneField(
        "customer_value.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clears",
    )
    currency = models.CharField(max_length=8, blank=True, default="")
    # Signed, in ``currency``: positive = the operator owes the merchant.
    amount = models.DecimalField(default=0, **MONEY_FIELD)
    commission = models.DecimalField(default=0, **MONEY_FIELD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)
        indexes = [models.Index(fields=["merchant", "-transaction"], name="cv_partnerbooking_merchant")]


class Statement(models.Model):
    """One settled period of one merchant in one currency."""

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="statements")
    number = models.PositiveIntegerField()
    currency = models.CharField(max_length=8)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField()
    topups = models.DecimalField(default=0, **MONEY_FIELD)
    payments = models.DecimalField(default=0, **MONEY_FIELD)
    points_earned = models.DecimalField(default=0, **MONEY_FIELD)
    points_redeemed = models.DecimalField(default=0, **MONEY_FIELD)
    reversals = models.DecimalField(default=0, **MONEY_FIELD)
    commission = models.DecimalField(default=0, **MONEY_FIELD)
    # Positive: the operator pays the merchant; negative: the merchant pays the operator.
    net = models.DecimalField(default=0, **MONEY_FIELD)
    payout_transaction = models.OneToOneField(
        "customer_value.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="settles",
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    payout_reference = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("-pk",)
        constraints = [
            models.UniqueConstraint(fields=["merchant", "number"], name="cv_statement_number_unique"),
        ]


class StatementLine(models.Model):
    """A booking covered by a statement: at most one statement per booking (the primary
    key), so a booking lands in exactly one."""

    booking = models.OneToOneField(
        PartnerBooking, primary_key=True, on_delete=models.PROTECT, related_name="line"
    )
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")

    class Meta:
        app_label = "customer_value"
