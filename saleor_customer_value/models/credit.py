"""Debit cards: a customer's credit line, its limit history and its billing statements.

The value itself is in the ledger: one account of kind ``credit`` per line (the
customer's receivable, negative while owed), whose ``credit_limit`` column the database
compares with the balance (``cv_credit_within_limit``). These rows say how the line is
billed and what was billed when.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q

from .accounts import MONEY_FIELD


class CreditLineStatus:
    ACTIVE = "active"
    SUSPENDED = "suspended"  # staff stopped new purchases; bills are still paid
    CLOSED = "closed"
    CHOICES = [(ACTIVE, "Active"), (SUSPENDED, "Suspended"), (CLOSED, "Closed")]


class BillingCycle:
    MONTHLY = "monthly"
    CHOICES = [(MONTHLY, "Monthly")]


class CreditLine(models.Model):
    customer = models.ForeignKey(
        "customer_value.Customer", on_delete=models.PROTECT, related_name="credit_lines"
    )
    currency = models.CharField(max_length=8)
    account = models.OneToOneField(
        "customer_value.Account", on_delete=models.PROTECT, related_name="credit_line"
    )
    billing_cycle = models.CharField(
        max_length=16, choices=BillingCycle.CHOICES, default=BillingCycle.MONTHLY
    )
    due_days = models.PositiveIntegerField(default=14)
    status = models.CharField(
        max_length=16, choices=CreditLineStatus.CHOICES, default=CreditLineStatus.ACTIVE
    )
    # The open cycle runs from here to the next cycle boundary (first of a month, UTC).
    cycle_start = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "currency"], name="cv_credit_line_one_per_currency"
            ),
            models.CheckConstraint(check=Q(due_days__lte=365), name="cv_credit_due_days"),
        ]

    @property
    def limit(self):
        return self.account.credit_limit


class CreditLimitChange(models.Model):
    """Every limit a line had, with who set it and why (the opening limit included)."""

    line = models.ForeignKey(CreditLine, on_delete=models.PROTECT, related_name="limit_changes")
    old_limit = models.DecimalField(**MONEY_FIELD)
    new_limit = models.DecimalField(**MONEY_FIELD)
    note = models.TextField()
    actor_type = models.CharField(max_length=16)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_app = models.ForeignKey(
        "app.App", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        ordering = ["-created_at", "-pk"]


class StatementStatus:
    OPEN = "open"  # billed, not yet fully paid
    PAID = "paid"
    CHOICES = [(OPEN, "Open"), (PAID, "Paid")]


class CreditStatement(models.Model):
    """One closed billing cycle of one line: what was booked and what is owed.

    ``amount_due`` is everything owed when the cycle closed (unpaid earlier bills
    included); payments recorded after the close count towards it (``paid_amount``).
    The bookings are the ledger entries of the line's account with ids after the
    previous statement's ``last_entry_id`` up to this one's (ids, not times: a booking
    that waited for the account lock while the cycle closed lands on the next
    statement, never on none); ``opening_balance`` + their sum = ``closing_balance``.
    """

    line = models.ForeignKey(CreditLine, on_delete=models.PROTECT, related_name="statements")
    number = models.PositiveIntegerField()
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    last_entry_id = models.BigIntegerField(default=0)
    opening_balance = models.DecimalField(**MONEY_FIELD)
    closing_balance = models.DecimalField(**MONEY_FIELD)
    purchases = models.DecimalField(**MONEY_FIELD)
    credits = models.DecimalField(**MONEY_FIELD)
    amount_due = models.DecimalField(**MONEY_FIELD)
    paid_amount = models.DecimalField(default=0, **MONEY_FIELD)
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=StatementStatus.CHOICES)
    closed_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customer_value"
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(fields=["line", "period_start"], name="cv_statement_one_per_cycle"),
            models.UniqueConstraint(fields=["line", "number"], name="cv_statement_number"),
            models.CheckConstraint(check=Q(period_end__gt=models.F("period_start")), name="cv_statement_period"),
            models.CheckConstraint(
                check=Q(amount_due__gte=0) & Q(paid_amount__gte=0), name="cv_statement_amounts"
            ),
            models.CheckConstraint(
                check=Q(status=StatementStatus.OPEN, settled_at__isnull=True)
                | Q(status=StatementStatus.PAID, settled_at__isnull=False, paid_amount__gte=models.F("amount_due")),
                name="cv_statement_settled",
            ),
        ]
