from django.db import models
from django.db.models import Q

from ..ledger.reasons import POINTS_UNIT, SystemAccountCode

MONEY_FIELD = dict(max_digits=20, decimal_places=3)


class AccountKind:
    WALLET = "wallet"
    POINTS = "points"
    SYSTEM = "system"
    # A debit card's credit line: the customer's receivable, negative while owed,
    # never below ``-credit_limit`` (see ``credit/``).
    CREDIT = "credit"
    CHOICES = [
        (WALLET, "Wallet"),
        (POINTS, "Points"),
        (SYSTEM, "System"),
        (CREDIT, "Credit line"),
    ]


class Account(models.Model):
    """One balance in one unit (a currency code, or ``PTS`` for points).

    Customer accounts keep ``posted`` and ``held`` on the row, maintained only by
    database triggers from entries and holds, so a balance is one indexed read and can
    never drift from the entries. System accounts keep no running balance: they are the
    other side of every posting, and a balance row there would be a lock every posting
    waits for; their balance is the sum of their entries.
    """

    customer = models.ForeignKey(
        "customer_value.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    kind = models.CharField(max_length=16, choices=AccountKind.CHOICES)
    system_code = models.CharField(
        max_length=32, blank=True, default="", choices=SystemAccountCode.CHOICES
    )
    unit = models.CharField(max_length=8)
    # The partner a clearing/commission system account belongs to (issue 12).
    merchant = models.ForeignKey(
        "customer_value.Merchant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    posted = models.DecimalField(default=0, **MONEY_FIELD)
    held = models.DecimalField(default=0, **MONEY_FIELD)
    # Only credit accounts have one: how far ``posted - held`` may go below zero.
    credit_limit = models.DecimalField(default=0, **MONEY_FIELD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customer_value"
        permissions = (
            ("manage_wallets", "Book, correct and refund wallet money."),
            ("manage_loyalty", "Book points and manage the loyalty program."),
            ("manage_cards", "Generate, export, block and replace cards."),
            ("use_pos", "Act as a point-of-sale terminal."),
            ("view_ledger", "Read the ledger's audit trail and reports."),
            ("manage_credit", "Grant credit lines, close billing cycles, record payments."),
        )
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind", "unit"],
                condition=Q(customer__isnull=False),
                name="cv_account_one_per_customer_kind_unit",
            ),
            models.UniqueConstraint(
                fields=["system_code", "unit"],
                condition=Q(kind=AccountKind.SYSTEM, merchant__isnull=True),
                name="cv_account_one_per_system_code_unit",
            ),
            models.UniqueConstraint(
                fields=["merchant", "system_code", "unit"],
                condition=Q(merchant__isnull=False),
                name="cv_account_one_per_merchant_code_unit",
            ),
            models.CheckConstraint(
                check=Q(merchant__isnull=True)
                | Q(
                    kind=AccountKind.SYSTEM,
                    system_code__in=[
                        SystemAccountCode.MERCHANT_CLEARING,
                        SystemAccountCode.MERCHANT_COMMISSION,
                    ],
                ),
                name="cv_account_merchant_shape",
            ),
            models.CheckConstraint(
                check=(
                    Q(kind=AccountKind.SYSTEM, customer__isnull=True)
                    & ~Q(system_code="")
                    & Q(posted=0, held=0)
                )
                | (
                    Q(kind__in=[AccountKind.WALLET, AccountKind.POINTS, AccountKind.CREDIT])
                    & Q(customer__isnull=False, system_code="")
                ),
                name="cv_account_kind_shape",
            ),
            models.CheckConstraint(
                check=Q(kind=AccountKind.POINTS, unit=POINTS_UNIT)
                | (Q(kind__in=[AccountKind.WALLET, AccountKind.CREDIT]) & ~Q(unit=POINTS_UNIT))
                | Q(kind=AccountKind.SYSTEM),
                name="cv_account_points_unit",
            ),
            models.CheckConstraint(check=Q(held__gte=0), name="cv_account_held_gte_0"),
            # Money never goes below zero, held value included. Points may (clawback);
            # the entry trigger decides when.
            models.CheckConstraint(
                check=~Q(kind=AccountKind.WALLET)
                | (Q(posted__gte=0) & Q(posted__gte=models.F("held"))),
                name="cv_wallet_available_gte_0",
            ),
            # A credit line: owed value (held included) never beyond the limit stored on
            # the same row; other kinds have no limit.
            models.CheckConstraint(
                check=(
                    Q(kind=AccountKind.CREDIT)
                    & Q(credit_limit__gte=0)
                    & Q(posted__gte=-models.F("credit_limit"))
                    & Q(posted__gte=models.F("held") - models.F("credit_limit"))
                )
                | (~Q(kind=AccountKind.CREDIT) & Q(credit_limit=0)),
                name="cv_credit_within_limit",
            ),
        ]

    def __str__(self):
        owner = self.system_code or f"customer {self.customer_id}"
        return f"{self.kind}:{owner}:{self.unit}"

    @property
    def available(self):
        """What may still be spent: for a credit line, the unused part of the limit."""
        return self.posted - self.held + self.credit_limit

    @property
    def is_points(self):
        return self.unit == POINTS_UNIT
