"""Badges, the tier ladder, perks and the reward catalogue.

A badge is earned by a range of a measured points value (``BadgeProgram.measure``);
a *tier* is a badge on the ordered ladder whose ranges never overlap (an exclusion
constraint in migration 0009), so a customer holds at most one tier (a partial unique
index on ``CustomerBadge``) and any number of badges. ``CustomerBadge`` is the one row
per customer and badge (unique): what is held now; ``BadgeEvent`` is the history of
unlocks, grace periods, losses, grants and revocations with their cause.

Rewards are bought with points: ``RewardRedemption`` records the ledger transaction
that debited them and what was issued (wallet credit, a personal Saleor voucher, a
free product).
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

RULE_AMOUNT = dict(max_digits=12, decimal_places=3)


class BadgeMeasure:
    BALANCE = "balance"
    LIFETIME = "lifetime"
    WINDOW = "window"
    CHOICES = [
        (BALANCE, "Current points balance"),
        (LIFETIME, "Points earned in the customer's lifetime"),
        (WINDOW, "Points earned in a rolling window"),
    ]


class LossRule:
    IMMEDIATE = "immediate"
    GRACE = "grace"
    CHOICES = [(IMMEDIATE, "Lose at once"), (GRACE, "Lose at the end of a grace period")]


class BadgeProgram(models.Model):
    """The shop's badge settings: one row (pk 1)."""

    measure = models.CharField(max_length=16, choices=BadgeMeasure.CHOICES, default=BadgeMeasure.BALANCE)
    window_days = models.PositiveIntegerField(default=365)
    loss_rule = models.CharField(max_length=16, choices=LossRule.CHOICES, default=LossRule.IMMEDIATE)
    grace_days = models.PositiveIntegerField(default=30)

    class Meta:
        app_label = "customer_value"


class DiscountKind:
    NONE = "none"
    PERCENT = "percent"
    FIXED = "fixed"
    CHOICES = [(NONE, "None"), (PERCENT, "Percent"), (FIXED, "Fixed amount")]


class DiscountScope:
    ALL = "all"
    CATEGORIES = "categories"
    PRODUCTS = "products"
    CHOICES = [(ALL, "All products"), (CATEGORIES, "Chosen categories"), (PRODUCTS, "Chosen products")]


class Badge(models.Model):
    title = models.CharField(max_length=128)
    title_de = models.CharField(max_length=128, blank=True, default="")
    description = models.TextField(blank=True, default="")
    description_de = models.TextField(blank=True, default="")
    icon = models.ImageField(upload_to="customer-value/badges", blank=True, null=True)
    # [min_points, max_points): null min = awarded by hand only; null max = open-ended.
    min_points = models.IntegerField(null=True, blank=True)
    max_points = models.IntegerField(null=True, blank=True)
    sort_order = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)
    is_tier = models.BooleanField(default=False)
    # Perks
    earn_multiplier = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    topup_bonus_tiers = models.CharField(max_length=255, blank=True, default="")
    discount_kind = models.CharField(max_length=16, choices=DiscountKind.CHOICES, default=DiscountKind.NONE)
    discount_value = models.DecimalField(default=0, **RULE_AMOUNT)
    discount_scope = models.CharField(max_length=16, choices=DiscountScope.CHOICES, default=DiscountScope.ALL)
    discount_products = models.ManyToManyField("product.Product", blank=True, related_name="+")
    discount_categories = models.ManyToManyField("product.Category", blank=True, related_name="+")
    voucher_kind = models.CharField(max_length=16, choices=DiscountKind.CHOICES, default=DiscountKind.NONE)
    voucher_value = models.DecimalField(default=0, **RULE_AMOUNT)
    voucher_valid_days = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("sort_order", "min_points", "pk")
        constraints = [
            models.CheckConstraint(
                check=Q(max_points__isnull=True) | Q(min_points__isnull=True) | Q(max_points__gt=models.F("min_points")),
                name="cv_badge_range_ordered",
            ),
            models.CheckConstraint(
                check=Q(is_tier=False) | Q(min_points__isnull=False), name="cv_badge_tier_has_range"
            ),
            models.CheckConstraint(check=Q(earn_multiplier__gte=1), name="cv_badge_multiplier_gte_1"),
            models.CheckConstraint(check=Q(discount_value__gte=0), name="cv_badge_discount_gte_0"),
            models.CheckConstraint(check=Q(voucher_value__gte=0), name="cv_badge_voucher_gte_0"),
        ]

    def __str__(self):
        return self.title


class CustomerBadgeStatus:
    ACTIVE = "active"
    GRACE = "grace"
    LOST = "lost"
    REVOKED = "revoked"
    HELD = (ACTIVE, GRACE)
    CHOICES = [
        (ACTIVE, "Held"),
        (GRACE, "Held during a grace period"),
        (LOST, "Lost"),
        (REVOKED, "Revoked by staff"),
    ]


class CustomerBadge(models.Model):
    customer = models.ForeignKey("customer_value.Customer", on_delete=models.CASCADE, related_name="badges")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="holders")
    is_tier = models.BooleanField(default=False)  # copied from the badge for the index
    status = models.CharField(max_length=16, choices=CustomerBadgeStatus.CHOICES)
    manual = models.BooleanField(default=False)
    unlocked_at = models.DateTimeField()
    grace_until = models.DateTimeField(null=True, blank=True)
    lost_at = models.DateTimeField(null=True, blank=True)
    voucher = models.ForeignKey("discount.Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["customer", "badge"], name="cv_customer_badge_once"),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_tier=True, status__in=["active", "grace"]),
                name="cv_customer_one_tier",
            ),
        ]


class BadgeEventKind:
    UNLOCKED = "unlocked"
    GRACE_STARTED = "grace_started"
    KEPT = "kept"
    LOST = "lost"
    GRANTED = "granted"
    REVOKED = "revoked"
    CHOICES = [
        (UNLOCKED, "Unlocked"),
        (GRACE_STARTED, "Grace period started"),
        (KEPT, "Kept (back in range during the grace period)"),
        (LOST, "Lost"),
        (GRANTED, "Granted by staff"),
        (REVOKED, "Revoked by staff"),
    ]


class BadgeEvent(models.Model):
    customer = models.ForeignKey("customer_value.Customer", on_delete=models.CASCADE, related_name="badge_events")
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=BadgeEventKind.CHOICES)
    created_at = models.DateTimeField()
    measured_value = models.IntegerField(null=True, blank=True)
    cause = models.CharField(max_length=64, blank=True, default="")
    transaction = models.ForeignKey(
        "customer_value.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_app = models.ForeignKey("app.App", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True, default="")
    voucher = models.ForeignKey("discount.Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = "customer_value"
        ordering = ("-created_at", "-pk")


class RewardKind:
    WALLET_CREDIT = "wallet_credit"
    VOUCHER = "voucher"
    FREE_PRODUCT = "free_product"
    CHOICES = [
        (WALLET_CREDIT, "Wallet credit"),
        (VOUCHER, "Personal voucher code"),
        (FREE_PRODUCT, "Free product in the next checkout"),
    ]


class Reward(models.Model):
    name = models.CharField(max_length=128)
    description = models.TextField(blank=True, default="")
    image = models.ImageField(upload_to="customer-value/rewards", blank=True, null=True)
    points = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=RewardKind.CHOICES)
    amount = models.DecimalField(default=0, **RULE_AMOUNT)  # wallet credit or voucher value
    currency = models.CharField(max_length=3, default="EUR")
    voucher_kind = models.CharField(max_length=16, choices=DiscountKind.CHOICES, default=DiscountKind.FIXED)
    voucher_valid_days = models.PositiveIntegerField(null=True, blank=True)
    variant = models.ForeignKey("product.ProductVariant", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    stock = models.PositiveIntegerField(null=True, blank=True)  # null: unlimited
    redeemed_count = models.PositiveIntegerField(default=0)
    per_customer_limit = models.PositiveIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    required_badge = models.ForeignKey(Badge, null=True, blank=True, on_delete=models.PROTECT, related_name="rewards")
    is_active = models.BooleanField(default=True)
    sort_order = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ("sort_order", "points", "pk")
        constraints = [
            models.CheckConstraint(check=Q(points__gt=0), name="cv_reward_points_gt_0"),
            models.CheckConstraint(
                check=Q(stock__isnull=True) | Q(redeemed_count__lte=models.F("stock")),
                name="cv_reward_stock_not_exceeded",
            ),
            models.CheckConstraint(check=Q(amount__gte=0), name="cv_reward_amount_gte_0"),
        ]

    def __str__(self):
        return self.name


class RewardRedemption(models.Model):
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    customer = models.ForeignKey("customer_value.Customer", on_delete=models.PROTECT, related_name="reward_redemptions")
    points = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    transaction = models.OneToOneField(
        "customer_value.LedgerTransaction", on_delete=models.PROTECT, related_name="reward_redemption"
    )
    credit_transaction = models.ForeignKey(
        "customer_value.LedgerTransaction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voucher = models.ForeignKey("discount.Voucher", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    variant = models.ForeignKey("product.ProductVariant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checkout_token = models.UUIDField(null=True, blank=True)
    channel = models.CharField(max_length=16, default="online")

    class Meta:
        app_label = "customer_value"
        ordering = ("-created_at", "-pk")
