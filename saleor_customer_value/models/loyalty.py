"""Loyalty points: the program's settings, earning overrides, lots, reservations and
recorded actions.

The ledger (accounts, entries) stays the only record of *value*. The rows here say
where a points balance came from and when it expires (lots), which is something the
ledger's entries do not know, and they hold the shop owner's rules. Lots are a
projection of the ledger (see ``loyalty.lots``): for every points account,

    posted balance == sum(remaining of active lots) - debt

and the projection is advanced under the account's row lock, in the same DB
transaction as the postings it follows.
"""
from django.contrib.postgres.fields import JSONField
from django.db import models
from django.db.models import Q

from .accounts import MONEY_FIELD

RULE_AMOUNT = dict(max_digits=12, decimal_places=3)


class EarnBase:
    PRODUCTS = "products"
    PRODUCTS_AND_SHIPPING = "products_and_shipping"
    CHOICES = [(PRODUCTS, "Products only"), (PRODUCTS_AND_SHIPPING, "Products and shipping")]


class EarnRounding:
    DOWN = "down"
    NEAREST = "nearest"
    CHOICES = [(DOWN, "Round down"), (NEAREST, "Round to the nearest point")]


class EarnMode:
    """Whether ``earn_points`` per ``earn_amount`` counts parts of ``earn_amount``."""

    PROPORTIONAL = "proportional"
    FULL_STEPS = "full_steps"
    CHOICES = [
        (PROPORTIONAL, "In proportion (36.00 at 10 per 5.00 earn 72)"),
        (FULL_STEPS, "Per full step (36.00 at 10 per 5.00 earn 70)"),
    ]


class EarnMoment:
    CREATED = "created"
    PAID = "paid"
    FULFILLED = "fulfilled"
    CHOICES = [
        (CREATED, "When the order is created"),
        (PAID, "When the order is fully paid"),
        (FULFILLED, "When the order is fulfilled"),
    ]


class ReviewPolicy:
    PER_REVIEW = "per_review"
    ONCE_PER_CUSTOMER = "once_per_customer"
    CHOICES = [(PER_REVIEW, "Every review"), (ONCE_PER_CUSTOMER, "Once per customer")]


class MaxDiscountType:
    NONE = "none"
    AMOUNT = "amount"
    PERCENT = "percent"
    CHOICES = [(NONE, "No maximum"), (AMOUNT, "Fixed amount"), (PERCENT, "Percent")]


class LoyaltyProgram(models.Model):
    """The shop owner's settings: one row (pk 1), read by every loyalty service.

    Kept in a model rather than in Saleor's plugin configuration because the rules have
    structure (product lists, custom actions) that Saleor's string settings cannot hold.
    Money values are in the shop's default currency.
    """

    SINGLETON_ID = 1

    enabled = models.BooleanField(default=False)
    # Earning on purchases: ``earn_points`` points per ``earn_amount`` of currency.
    earn_points = models.PositiveIntegerField(default=1)
    earn_amount = models.DecimalField(default=1, **RULE_AMOUNT)
    earn_base = models.CharField(
        max_length=32, choices=EarnBase.CHOICES, default=EarnBase.PRODUCTS
    )
    earn_rounding = models.CharField(
        max_length=16, choices=EarnRounding.CHOICES, default=EarnRounding.DOWN
    )
    earn_moment = models.CharField(
        max_length=16, choices=EarnMoment.CHOICES, default=EarnMoment.PAID
    )
    earn_mode = models.CharField(
        max_length=16, choices=EarnMode.CHOICES, default=EarnMode.PROPORTIONAL
    )
    pending_days = models.PositiveIntegerField(default=0)
    # Fixed points for actions.
    registration_points = models.PositiveIntegerField(default=0)
    newsletter_points = models.PositiveIntegerField(default=0)
    review_points = models.PositiveIntegerField(default=0)
    review_policy = models.CharField(
        max_length=32, choices=ReviewPolicy.CHOICES, default=ReviewPolicy.PER_REVIEW
    )
    # [{"code": "...", "points": n, "once_per_customer": bool}]
    custom_actions = JSONField(blank=True, default=list)
    # Redemption at checkout: ``redeem_points`` points are worth ``redeem_amount``.
    redeem_points = models.PositiveIntegerField(default=100)
    redeem_amount = models.DecimalField(default=1, **RULE_AMOUNT)
    redeem_min_balance = models.PositiveIntegerField(default=0)
    redeem_min_cart = models.DecimalField(default=0, **RULE_AMOUNT)
    redeem_max_type = models.CharField(
        max_length=16, choices=MaxDiscountType.CHOICES, default=MaxDiscountType.NONE
    )
    redeem_max_value = models.DecimalField(default=0, **RULE_AMOUNT)
    redeem_exclude_discounted = models.BooleanField(default=False)
    redeem_include_products = models.ManyToManyField(
        "product.Product", blank=True, related_name="loyalty_redeem_include+"
    )
    redeem_include_categories = models.ManyToManyField(
        "product.Category", blank=True, related_name="loyalty_redeem_include+"
    )
    redeem_exclude_products = models.ManyToManyField(
        "product.Product", blank=True, related_name="loyalty_redeem_exclude+"
    )
    redeem_exclude_categories = models.ManyToManyField(
        "product.Category", blank=True, related_name="loyalty_redeem_exclude+"
    )
    # Conversion into wallet money: ``convert_points`` points -> ``convert_amount``.
    # 0 points turns conversion off.
    convert_points = models.PositiveIntegerField(default=0)
    convert_amount = models.DecimalField(default=0, **RULE_AMOUNT)
    convert_min_points = models.PositiveIntegerField(default=0)
    # Expiry: points expire this many days after they become available; None = never.
    expiry_days = models.PositiveIntegerField(null=True, blank=True)
    expiring_soon_days = models.PositiveIntegerField(default=30)
    intro_text = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.CheckConstraint(check=Q(id=1), name="cv_loyalty_program_singleton")
        ]


class EarnRuleMode:
    FIXED = "fixed"
    PERCENT = "percent"
    EXCLUDED = "excluded"
    CHOICES = [
        (FIXED, "Fixed points per unit"),
        (PERCENT, "Percent of the price as points"),
        (EXCLUDED, "Earns no points"),
    ]


class LoyaltyEarnRule(models.Model):
    """Overrides the program's earn ratio for one product or one category (and its
    subcategories; the nearest rule wins, a product's own rule before any category's)."""

    product = models.OneToOneField(
        "product.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="loyalty_earn_rule",
    )
    category = models.OneToOneField(
        "product.Category",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="loyalty_earn_rule",
    )
    mode = models.CharField(max_length=16, choices=EarnRuleMode.CHOICES)
    value = models.DecimalField(default=0, **RULE_AMOUNT)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.CheckConstraint(
                check=Q(product__isnull=False, category__isnull=True)
                | Q(product__isnull=True, category__isnull=False),
                name="cv_earn_rule_one_target",
            )
        ]


class LotStatus:
    PENDING = "pending"  # promised, not in the ledger yet (returns window)
    ACTIVE = "active"  # in the ledger, ``remaining`` points left
    USED = "used"  # in the ledger, nothing left
    EXPIRED = "expired"  # the rest was booked as expired
    CANCELLED = "cancelled"  # a pending lot that never reached the ledger
    REVERSED = "reversed"  # its credit was reversed
    CHOICES = [
        (PENDING, "Pending"),
        (ACTIVE, "Active"),
        (USED, "Used"),
        (EXPIRED, "Expired"),
        (CANCELLED, "Cancelled"),
        (REVERSED, "Reversed"),
    ]


class PointsLot(models.Model):
    """Points from one credit (a purchase, an action, a booking), with their expiry.

    A pending lot is a promise: its points are not in the ledger until the release task
    books them (``available_at``). Spending takes points from the soonest-expiring
    lots first (never-expiring last).
    """

    id = models.BigAutoField(primary_key=True)
    account = models.ForeignKey(
        "customer_value.Account", on_delete=models.PROTECT, related_name="points_lots"
    )
    source = models.CharField(max_length=32)  # the ledger reason of its credit
    status = models.CharField(max_length=16, choices=LotStatus.CHOICES)
    points = models.BigIntegerField()  # credited (or, while pending, to be credited)
    remaining = models.BigIntegerField()
    # For purchases: points the order earned before refunds took part of them back.
    earned_points = models.BigIntegerField(default=0)
    taken_back = models.BigIntegerField(default=0)
    credit_transaction = models.OneToOneField(
        "customer_value.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_lot",
    )
    order_id = models.IntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField()
    available_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    metadata = JSONField(blank=True, default=dict)

    class Meta:
        app_label = "customer_value"
        indexes = [
            models.Index(
                fields=["account", "expires_at"],
                name="cv_lot_active_idx",
                condition=Q(status="active"),
            ),
            models.Index(
                fields=["expires_at"],
                name="cv_lot_expiry_idx",
                condition=Q(status="active"),
            ),
            models.Index(
                fields=["available_at"],
                name="cv_lot_pending_idx",
                condition=Q(status="pending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                check=Q(remaining__gte=0) & Q(remaining__lte=models.F("points")),
                name="cv_lot_remaining_in_range",
            ),
            models.CheckConstraint(check=Q(points__gte=0), name="cv_lot_points_gte_0"),
            # One earning per order.
            models.UniqueConstraint(
                fields=["order_id"],
                condition=Q(source="points_earned", order_id__isnull=False),
                name="cv_lot_one_earning_per_order",
            ),
        ]


class ConsumptionKind:
    SPENT = "spent"  # a debit took points from a lot
    DEBT = "debt"  # a debit found no points left: the balance went below zero
    SETTLED = "settled"  # a credit paid back debt before filling its lot
    RESTORED = "restored"  # a reversal gave a lot back what a debit had taken
    CHOICES = [
        (SPENT, "Spent"),
        (DEBT, "Debt"),
        (SETTLED, "Debt settled"),
        (RESTORED, "Restored"),
    ]


class PointsLotConsumption(models.Model):
    """How a ledger entry changed the lots (append-only)."""

    id = models.BigAutoField(primary_key=True)
    transaction = models.ForeignKey(
        "customer_value.LedgerTransaction", on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(
        PointsLot, null=True, blank=True, on_delete=models.PROTECT, related_name="consumptions"
    )
    kind = models.CharField(max_length=16, choices=ConsumptionKind.CHOICES)
    points = models.BigIntegerField()

    class Meta:
        app_label = "customer_value"
        indexes = [models.Index(fields=["transaction"], name="cv_lot_use_txn_idx")]


class PointsAccountState(models.Model):
    """How far ``loyalty.lots`` has projected a points account's entries onto its
    lots, and the points owed after a clawback (the part of a negative balance)."""

    account = models.OneToOneField(
        "customer_value.Account",
        primary_key=True,
        on_delete=models.PROTECT,
        related_name="points_state",
    )
    last_entry_id = models.BigIntegerField(default=0)
    debt = models.BigIntegerField(default=0)

    class Meta:
        app_label = "customer_value"
        constraints = [models.CheckConstraint(check=Q(debt__gte=0), name="cv_points_debt_gte_0")]


class CheckoutPointsReservation(models.Model):
    """Points reserved for a checkout (the hold) and what they were worth when the
    shopper applied them: the rate can change before the order is placed."""

    hold = models.OneToOneField(
        "customer_value.Hold", on_delete=models.PROTECT, related_name="points_reservation"
    )
    checkout_token = models.UUIDField(db_index=True)
    points = models.BigIntegerField()
    discount = models.DecimalField(**MONEY_FIELD)
    currency = models.CharField(max_length=3)
    rate_points = models.PositiveIntegerField()
    rate_amount = models.DecimalField(**RULE_AMOUNT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"


class LoyaltyActionRecord(models.Model):
    """An action that earned points (registration, newsletter, a review, a custom
    code). Unique per customer, action and ``dedupe_key`` ("once" for once-per-customer
    actions, else the reference such as a review ID), so it is rewarded once."""

    id = models.BigAutoField(primary_key=True)
    customer = models.ForeignKey(
        "customer_value.Customer", on_delete=models.PROTECT, related_name="loyalty_actions"
    )
    action = models.CharField(max_length=64)
    dedupe_key = models.CharField(max_length=255)
    reference = models.CharField(max_length=255, blank=True, default="")
    transaction = models.OneToOneField(
        "customer_value.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loyalty_action",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "action", "dedupe_key"], name="cv_loyalty_action_once"
            )
        ]
