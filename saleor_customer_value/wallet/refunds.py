"""Refunds to the wallet: returns become store credit instead of money back.

Staff credit any amount up to what the order's payments captured, minus what was
already refunded to the wallet, optionally with a retention bonus (a percentage the
shop adds to keep the customer). Both are booked in one transaction per refund.
"""
from decimal import ROUND_DOWN, Decimal

from django.db.models import Sum

from ..ledger import accounts, service
from ..ledger.amounts import precision, to_amount
from ..ledger.errors import InvalidAmount, InvalidReference
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import LedgerTransaction
from . import orders
from django.utils.translation import gettext as _

REFUNDED_KEY = "customer_value.refunded_to_wallet"


def refundable(order) -> Decimal:
    captured = order.payments.aggregate(total=Sum("captured_amount"))["total"] or Decimal(0)
    return max(captured - refunded_to_wallet(order), Decimal(0))


def refunded_to_wallet(order) -> Decimal:
    """Store credit given for the order so far (bonuses excluded, reversed ones too)."""
    refunds = LedgerTransaction.objects.filter(
        order_id=order.pk, reason=Reason.REFUND, metadata__store_credit=True
    ).exclude(reversed_by__isnull=False)
    return sum((Decimal(txn.metadata["refund"]) for txn in refunds), Decimal(0))


def retention_bonus(amount: Decimal, bonus_percent, currency: str) -> Decimal:
    if not bonus_percent:
        return Decimal(0)
    percent = Decimal(str(bonus_percent))
    if not percent.is_finite() or percent < 0 or percent > 100:
        raise InvalidAmount(_("The retention bonus is 0 to 100 percent."), field="retentionBonusPercent")
    quantum = Decimal(1).scaleb(-precision(currency))
    return (amount * percent / 100).quantize(quantum, rounding=ROUND_DOWN)


def refund_to_wallet(order, amount, actor, note, bonus_percent=None, idem=None):
    if order.user_id is None:
        raise InvalidReference(
            _("This order was placed without a customer account; refund it to the original payment method instead."),
            field="orderId",
        )
    note = (note or "").strip()
    if not note:
        raise InvalidReference(_("Say why the order is refunded."), field="note")
    currency = order.currency
    amount = to_amount(amount, currency)
    limit = refundable(order)
    if amount > limit:
        raise InvalidAmount(
            _("At most %(limit)s %(currency)s of this order can still be refunded to the wallet.") % {"limit": limit, "currency": currency}
        )
    bonus = retention_bonus(amount, bonus_percent, currency)
    wallet = accounts.wallet_account(accounts.customer_for_user(order.user), currency)
    legs = [
        service.Leg(accounts.system_account(SystemAccountCode.REFUNDS, currency), -amount),
        service.Leg(wallet, amount + bonus),
    ]
    if bonus:
        legs.append(service.Leg(accounts.system_account(SystemAccountCode.BONUS, currency), -bonus))
    txn = service.post(
        legs,
        service.Posting(
            reason=Reason.REFUND,
            actor=actor,
            note=note,
            customer_note=f"Store credit for order #{order.pk}"
            + (f" (+{bonus} {currency} bonus)" if bonus else ""),
            refs=service.References(order_id=order.pk),
            metadata={
                "store_credit": True,
                "refund": str(amount),
                "retention_bonus_percent": str(bonus_percent or 0),
                "retention_bonus": str(bonus),
            },
        ),
        idem,
    )
    order.store_value_in_metadata({REFUNDED_KEY: str(refunded_to_wallet(order))})
    order.save(update_fields=["metadata"])
    orders.order_refunded(order)
    return txn
