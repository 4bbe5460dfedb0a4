"""What a reversal or a refund to the wallet would do, computed without booking.

The console shows these before staff confirm; the real mutation checks everything
again under the account locks, so a preview is advice, never a promise.
"""
from dataclasses import dataclass, field
from decimal import Decimal
from typing import List, Optional

from ..ledger.reasons import POINTS_UNIT, Reason
from ..models import AccountKind, LedgerTransaction
from ..wallet import refunds


@dataclass
class ReversalLeg:
    account_kind: str
    unit: str
    customer_email: str
    change: Decimal
    balance_before: Decimal
    balance_after: Decimal
    clawback: bool


@dataclass
class ReversalPreview:
    transaction: LedgerTransaction
    legs: List[ReversalLeg] = field(default_factory=list)
    reversible: bool = True
    needs_clawback: bool = False
    blocked_by: Optional[str] = None
    message: str = ""


def reversal(txn: LedgerTransaction) -> ReversalPreview:
    from django.utils.translation import gettext as _

    preview = ReversalPreview(txn)
    if txn.reason == Reason.REVERSAL:
        preview.reversible = False
        preview.blocked_by = "NOT_REVERSIBLE"
        preview.message = _("A reversal cannot itself be reversed; book anew.")
        return preview
    if LedgerTransaction.objects.filter(reversal_of=txn).exists():
        preview.reversible = False
        preview.blocked_by = "ALREADY_REVERSED"
        preview.message = _("This transaction was already reversed.")
        return preview
    for entry in txn.entries.select_related("account__customer").order_by("pk"):
        account = entry.account
        if account.kind == AccountKind.SYSTEM:
            continue
        change = -entry.signed_amount
        available = account.posted - account.held
        after = account.posted + change
        leg = ReversalLeg(
            account_kind=account.kind,
            unit=account.unit,
            customer_email=account.customer.email if account.customer_id else "",
            change=change,
            balance_before=account.posted,
            balance_after=after,
            clawback=False,
        )
        if change < 0 and available + change < 0:
            if account.unit == POINTS_UNIT:
                leg.clawback = True
                preview.needs_clawback = True
                preview.message = _(
                    "Some of these points were already spent: reversing leaves a negative "
                    "points balance (a clawback) that blocks redemption until it is "
                    "positive again."
                )
            else:
                preview.reversible = False
                preview.blocked_by = "INSUFFICIENT_FUNDS"
                preview.message = _(
                    "The customer has already spent this money: the wallet cannot go "
                    "below zero, so it cannot be reversed."
                )
        preview.legs.append(leg)
    return preview


@dataclass
class RefundPreview:
    order: object
    currency: str
    captured: Decimal
    already_refunded: Decimal
    refundable: Decimal
    amount: Decimal
    bonus: Decimal
    total_credit: Decimal
    wallet_before: Decimal
    wallet_after: Decimal
    allowed: bool
    message: str = ""


def refund(order, amount=None, bonus_percent=None) -> RefundPreview:
    """``amount`` defaults to everything that can still be refunded to the wallet.
    Raises the same ``LedgerError``s as the refund for a bad amount or percent."""
    from django.db.models import Sum
    from django.utils.translation import gettext as _

    from ..ledger import accounts
    from ..ledger.amounts import to_amount
    from ..models import Customer

    currency = order.currency
    captured = order.payments.aggregate(total=Sum("captured_amount"))["total"] or Decimal(0)
    limit = refunds.refundable(order)
    amount = to_amount(amount, currency) if amount is not None else limit
    bonus = refunds.retention_bonus(amount, bonus_percent, currency) if amount else Decimal(0)
    before = Decimal(0)
    customer = Customer.objects.filter(user_id=order.user_id).first() if order.user_id else None
    if customer is not None:
        wallet = accounts.find_wallet(customer, currency)
        before = wallet.posted if wallet is not None else Decimal(0)
    allowed, message = True, ""
    if order.user_id is None:
        allowed = False
        message = _("This order was placed without a customer account; refund it to the original payment method instead.")
    elif amount <= 0:
        allowed = False
        message = _("Nothing of this order can be refunded to the wallet any more.")
    elif amount > limit:
        allowed = False
        message = _("At most %(limit)s %(currency)s of this order can still be refunded to the wallet.") % {
            "limit": limit, "currency": currency,
        }
    return RefundPreview(
        order=order,
        currency=currency,
        captured=captured,
        already_refunded=refunds.refunded_to_wallet(order),
        refundable=limit,
        amount=amount,
        bonus=bonus,
        total_credit=amount + bonus,
        wallet_before=before,
        wallet_after=before + (amount + bonus if allowed else 0),
        allowed=allowed,
        message=message,
    )
