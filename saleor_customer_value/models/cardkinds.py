"""Card kinds beyond stored value: discount groups (incl. employee consumption) and
the wallet-payment promotion (issue 13).

A ``DiscountGroup`` gives its members a general percentage and/or percentages per
category (subcategories included) and per product. A customer (the card's owner) is
in at most one group (unique ``customer``), optionally from/until a date. An employee
group can carry a monthly allowance (an amount of discount and/or a number of
discounted items); each use is an ``EmployeeConsumption`` row, booked under the
membership's row lock so two concurrent uses cannot exceed it.

``WalletPromotion`` is one row (pk 1): a discount for paying with the wallet.
"""
from django.db import models
from django.db.models import Q

PERCENT = dict(max_digits=6, decimal_places=3)
AMOUNT = dict(max_digits=12, decimal_places=3)


class DiscountGroupKind:
    CUSTOMER = "customer"
    EMPLOYEE = "employee"
    MANAGEMENT = "management"
    CHOICES = [(CUSTOMER, "Customer"), (EMPLOYEE, "Employee"), (MANAGEMENT, "Management")]


class DiscountGroup(models.Model):
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=16, choices=DiscountGroupKind.CHOICES, default=DiscountGroupKind.CUSTOMER)
    percent = models.DecimalField(default=0, **PERCENT)  # on every product
    is_active = models.BooleanField(default=True)
    # Employee consumption: per member and calendar month (null: no limit).
    allowance_amount = models.DecimalField(null=True, blank=True, **AMOUNT)
    allowance_count = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=8, default="EUR")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        permissions = (("manage_discount_groups", "Manage discount groups, members and employee consumption."),)
        constraints = [
            models.CheckConstraint(check=Q(percent__gte=0, percent__lte=100), name="cv_group_percent_range"),
            models.CheckConstraint(
                check=Q(allowance_amount__isnull=True) | Q(allowance_amount__gte=0), name="cv_group_allowance_gte_0"
            ),
        ]

    def __str__(self):
        return self.name


class DiscountGroupCategory(models.Model):
    group = models.ForeignKey(DiscountGroup, on_delete=models.CASCADE, related_name="category_rates")
    category = models.ForeignKey("product.Category", on_delete=models.CASCADE, related_name="+")
    percent = models.DecimalField(**PERCENT)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["group", "category"], name="cv_group_category_once"),
            models.CheckConstraint(check=Q(percent__gte=0, percent__lte=100), name="cv_group_category_percent"),
        ]


class DiscountGroupProduct(models.Model):
    group = models.ForeignKey(DiscountGroup, on_delete=models.CASCADE, related_name="product_rates")
    product = models.ForeignKey("product.Product", on_delete=models.CASCADE, related_name="+")
    percent = models.DecimalField(**PERCENT)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(fields=["group", "product"], name="cv_group_product_once"),
            models.CheckConstraint(check=Q(percent__gte=0, percent__lte=100), name="cv_group_product_percent"),
        ]


class DiscountGroupMember(models.Model):
    customer = models.OneToOneField(
        "customer_value.Customer", on_delete=models.CASCADE, related_name="discount_membership"
    )
    group = models.ForeignKey(DiscountGroup, on_delete=models.PROTECT, related_name="members")
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.CheckConstraint(
                check=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="cv_member_valid_range",
            ),
        ]


class ConsumptionStatus:
    RESERVED = "reserved"  # checkout completion started, order not yet created
    BOOKED = "booked"
    CHOICES = [(RESERVED, "Reserved"), (BOOKED, "Booked")]


class EmployeeConsumption(models.Model):
    """One use of an employee allowance: online (checkout -> order) or at a till."""

    member = models.ForeignKey(DiscountGroupMember, on_delete=models.PROTECT, related_name="consumptions")
    customer = models.ForeignKey("customer_value.Customer", on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(DiscountGroup, on_delete=models.PROTECT, related_name="consumptions")
    month = models.DateField()  # first day of the calendar month it counts against
    status = models.CharField(max_length=16, choices=ConsumptionStatus.CHOICES, default=ConsumptionStatus.BOOKED)
    items_value = models.DecimalField(**AMOUNT)  # gross value of the discounted items
    discount = models.DecimalField(**AMOUNT)  # what the discount took off (counts against the amount)
    item_count = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=8)
    note = models.TextField(blank=True, default="")
    checkout_token = models.UUIDField(null=True, blank=True)
    order = models.ForeignKey("order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    receipt = models.CharField(max_length=255, blank=True, default="")
    idempotency_scope = models.CharField(max_length=64, blank=True, default="")
    idempotency_key = models.CharField(max_length=255, blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True)  # of a reservation
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        indexes = [models.Index(fields=["customer", "month"], name="cv_consumption_month")]
        constraints = [
            models.CheckConstraint(check=Q(items_value__gte=0, discount__gte=0), name="cv_consumption_amounts"),
            models.UniqueConstraint(
                fields=["checkout_token"], condition=Q(checkout_token__isnull=False), name="cv_consumption_one_per_checkout"
            ),
            models.UniqueConstraint(
                fields=["idempotency_scope", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="cv_consumption_idempotent",
            ),
        ]


class PromotionMode:
    WHOLE_ORDER = "whole_order"  # only when the wallet pays everything that is left
    WALLET_PART = "wallet_part"  # on the part the wallet pays
    CHOICES = [(WHOLE_ORDER, "Whole order paid from the wallet"), (WALLET_PART, "On the part paid from the wallet")]


class WalletPromotion(models.Model):
    """The shop's wallet-payment promotion: one row (pk 1)."""

    enabled = models.BooleanField(default=False)
    percent = models.DecimalField(default=0, **PERCENT)
    mode = models.CharField(max_length=16, choices=PromotionMode.CHOICES, default=PromotionMode.WHOLE_ORDER)
    max_discount = models.DecimalField(null=True, blank=True, **AMOUNT)  # per order
    min_order = models.DecimalField(default=0, **AMOUNT)  # goods after discounts, gross
    name = models.CharField(max_length=100, default="Wallet payment discount")

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.CheckConstraint(check=Q(percent__gte=0, percent__lte=100), name="cv_promotion_percent_range"),
            models.CheckConstraint(check=Q(pk=1), name="cv_promotion_one_row"),
        ]
