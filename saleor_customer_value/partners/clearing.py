"""Clearing between the operator and its partner merchants, on the one ledger.

Every till booking made for a merchant gets a ``PartnerBooking`` row and, when it moves
value between the merchant and the operator, a clearing transaction (reason
``partner_clearing``), both written in the booking's own DB transaction:

=================  ==========================================================
booking            clearing (merchant clearing account: + operator owes it)
=================  ==========================================================
cash top-up X      merchant −X, operator +X (the merchant holds the cash)
points adjusted N  added: as earned; removed: merchant +N·v
wallet payment X   merchant +(X − c), merchant commission +c, operator −X
points earned N    merchant −N·v, operator +N·v (the merchant funds them)
points redeemed N  merchant +N·v, operator −N·v
reversal           the mirror of the reversed booking's clearing
=================  ==========================================================

``c`` is the merchant's commission percent of X (half up to the currency's cents),
``v`` its point value. A top-up bonus is the operator's own promotion: no clearing.

Clearing transactions touch only clearing accounts (deferred trigger
``cv_clearing_accounts``) and balance like every ledger transaction, so the sum over
all merchants' accounts is always minus the operator's ``clearing`` account
(``network_position``).
"""
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from django.db.models import Sum

from ..ledger import accounts, service
from ..ledger.amounts import precision
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import (
    Account,
    ClearingKind,
    Entry,
    LedgerTransaction,
    Merchant,
    PartnerBooking,
)

KIND_BY_REASON = {
    Reason.TOPUP: ClearingKind.TOPUP,
    Reason.POS_PAYMENT: ClearingKind.PAYMENT,
    Reason.POINTS_EARNED: ClearingKind.POINTS_EARNED,
    Reason.POINTS_REDEEMED: ClearingKind.POINTS_REDEEMED,
    Reason.POINTS_ADJUSTMENT: ClearingKind.POINTS_ADJUSTED,
    Reason.REVERSAL: ClearingKind.REVERSAL,
}


def money(value, currency) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-precision(currency)), rounding=ROUND_HALF_UP)


def commission_of(merchant: Merchant, amount: Decimal, currency: str) -> Decimal:
    return money(amount * merchant.commission_percent / 100, currency)


def _moved(txn: LedgerTransaction, kind: str):
    """(money amount, currency) of the customer side of ``txn``."""
    entries = list(txn.entries.select_related("account"))
    customer = [e for e in entries if e.account.kind != "system"] or entries
    entry = customer[0]
    return Decimal(entry.amount), entry.unit


def _clearing_legs(merchant, kind, txn):
    """Legs, signed merchant amount, commission and currency of one booking."""
    if kind in (ClearingKind.POINTS_EARNED, ClearingKind.POINTS_REDEEMED, ClearingKind.POINTS_ADJUSTED):
        points, _ = _moved(txn, kind)
        currency = merchant.currency
        value = money(points * merchant.point_value, currency)
        if kind == ClearingKind.POINTS_ADJUSTED:  # added: funded like earned; removed: refunded
            added = txn.entries.filter(account__kind="points", direction=1).exists()
            return (-value if added else value), Decimal(0), currency
        signed = -value if kind == ClearingKind.POINTS_EARNED else value
        return signed, Decimal(0), currency
    amount, currency = _moved(txn, kind)
    if kind == ClearingKind.TOPUP:
        return -amount, Decimal(0), currency
    commission = commission_of(merchant, amount, currency)
    return amount - commission, commission, currency


def _post(merchant, txn, amount, commission, currency, kind, actor, extra=None):
    operator_leg = -(amount + commission)
    legs = []
    if amount:
        legs.append(service.Leg(accounts.merchant_account(merchant, SystemAccountCode.MERCHANT_CLEARING, currency), amount))
    if commission:
        legs.append(
            service.Leg(accounts.merchant_account(merchant, SystemAccountCode.MERCHANT_COMMISSION, currency), commission)
        )
    if not legs:
        return None
    legs.append(service.Leg(accounts.system_account(SystemAccountCode.CLEARING, currency), operator_leg))
    return service.post(
        legs,
        service.Posting(
            reason=Reason.PARTNER_CLEARING,
            actor=actor,
            note=f"Clearing of transaction {txn.pk} ({kind}) with {merchant.name}",
            refs=service.References(merchant_id=merchant.pk, external_reference=txn.external_reference),
            metadata={
                "booking": txn.pk,
                "kind": kind,
                "commission_percent": str(merchant.commission_percent),
                "point_value": str(merchant.point_value),
                **(extra or {}),
            },
        ),
    )


def record(txn: LedgerTransaction, merchant: Optional[Merchant], actor) -> Optional[PartnerBooking]:
    """Record ``txn`` (a till booking just made, or replayed) for ``merchant`` and post
    its clearing. Call inside the booking's DB transaction. A replay finds the row the
    first request wrote."""
    if merchant is None or txn is None:
        return None
    existing = PartnerBooking.objects.filter(transaction_id=txn.pk).first()
    if existing is not None or getattr(txn, "replayed", False):
        return existing
    kind = KIND_BY_REASON.get(txn.reason)
    if kind is None:  # a top-up bonus: the operator's own promotion
        return None
    amount, commission, currency = _clearing_legs(merchant, kind, txn)
    clearing = _post(merchant, txn, amount, commission, currency, kind, actor)
    return PartnerBooking.objects.create(
        transaction=txn,
        merchant=merchant,
        kind=kind,
        customer_id=txn.customer_id,
        clearing=clearing,
        currency=currency,
        amount=amount,
        commission=commission,
    )


def record_reversal(original: LedgerTransaction, reversal: LedgerTransaction, actor):
    """The clearing of a reversed booking, mirrored. It is a new booking: whether or not
    the original was settled, the reversal lands in the merchant's next statement."""
    booking = PartnerBooking.objects.select_related("merchant").filter(transaction_id=original.pk).first()
    if booking is None:
        return None
    if PartnerBooking.objects.filter(transaction_id=reversal.pk).exists():
        return None
    clearing = _post(
        booking.merchant,
        reversal,
        -booking.amount,
        -booking.commission,
        booking.currency,
        ClearingKind.REVERSAL,
        actor,
        extra={"reverses": original.pk, "reversed_kind": booking.kind},
    ) if booking.clearing_id else None
    return PartnerBooking.objects.create(
        transaction=reversal,
        merchant=booking.merchant,
        kind=ClearingKind.REVERSAL,
        customer_id=reversal.customer_id,
        clearing=clearing,
        currency=booking.currency,
        amount=-booking.amount,
        commission=-booking.commission,
    )


def _balance(accounts_qs):
    total = Decimal(0)
    for amount, direction in Entry.objects.filter(account__in=accounts_qs).values_list("amount", "direction"):
        total += amount * direction
    return total


def account_balance(account: Optional[Account]) -> Decimal:
    if account is None:
        return Decimal(0)
    rows = Entry.objects.filter(account=account).values("direction").annotate(total=Sum("amount"))
    return sum((Decimal(r["total"]) * r["direction"] for r in rows), Decimal(0))


def merchant_balance(merchant: Merchant, currency: str, code=SystemAccountCode.MERCHANT_CLEARING) -> Decimal:
    """The merchant's clearing balance: positive = the operator owes the merchant."""
    account = Account.objects.filter(merchant=merchant, system_code=code, unit=currency).first()
    return account_balance(account)


def network_position(currency: str) -> dict:
    """The operator's view against every merchant's clearing accounts, per currency.
    ``merchants + commission + operator == 0`` always (balanced clearing transactions
    that touch only these accounts)."""
    merchants = {}
    for account in Account.objects.filter(
        merchant__isnull=False, system_code=SystemAccountCode.MERCHANT_CLEARING, unit=currency
    ).select_related("merchant"):
        merchants[account.merchant] = account_balance(account)
    commission = sum(
        (
            account_balance(a)
            for a in Account.objects.filter(
                merchant__isnull=False, system_code=SystemAccountCode.MERCHANT_COMMISSION, unit=currency
            )
        ),
        Decimal(0),
    )
    operator = account_balance(
        Account.objects.filter(
            kind="system", merchant__isnull=True, system_code=SystemAccountCode.CLEARING, unit=currency
        ).first()
    )
    return {
        "currency": currency,
        "merchants": merchants,
        "merchant_total": sum(merchants.values(), Decimal(0)),
        "commission": commission,
        "operator": operator,
    }
