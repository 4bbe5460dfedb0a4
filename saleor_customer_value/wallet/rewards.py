"""Cashback on paid orders (taken back on cancellation and refunds) and the B2B annual
bonus.

Cashback: ``percent`` of the order's external money (its total less the wallet's part)
less its stored-value lines (top-ups, gift vouchers), rounded down to the currency's
precision; CASHBACK -> wallet, once per order, the percent and base in its metadata.

Taking cashback back. What is *due* back is cumulative: the whole cashback when the
order is cancelled; ``cashback * refunded / order total`` (rounded down) after refunds,
where "refunded" is read from the records (Saleor's refund transactions on the order's
payments plus store-credit refunds in the ledger), so the same state never takes back
twice, however often it is reported.
- Nothing taken back yet, the whole cashback due and the wallet can pay it: the credit
  is reversed with ``service.reverse`` (a linked reversal; the customer's history hides
  both).
- Otherwise a CASHBACK debit wallet -> CASHBACK takes ``due - already due``, but never
  more than the wallet has available (money never goes below zero). What it cannot take
  is forgiven: recorded as ``shortfall`` in the debit's metadata, with ``due`` and
  ``taken``, and never asked for again.
- With nothing available at all there is nothing to book; a warning is logged and the
  next event (another refund, the cancellation) asks for the full due amount again.
Every settlement locks the cashback credit's row first, so two events of one order
take back one after the other, never both from the same state.

B2B annual bonus: when a customer's paid revenue in the order's calendar year (their
orders, fully paid, not cancelled or draft, same currency, stored-value lines excluded)
reaches the threshold, BONUS -> wallet once per customer and year: the idempotency key
is per customer and year, so two orders paid at the same moment cannot both pay it.
"""
import logging
from datetime import datetime
from decimal import Decimal
from typing import Optional

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.payment import TransactionKind

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.errors import IdempotencyConflict, InsufficientFunds
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import AccountKind, LedgerTransaction
from .paid_values import order_key, paid_values, round_down, transfer_once
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

CASHBACK_ACTOR = Actor.system("order-paid:cashback")
CLAWBACK_ACTOR = Actor.system("order-changed:cashback")
B2B_ACTOR = Actor.system("order-paid:b2b-bonus")
B2B_SCOPE = "system:b2b-bonus"


# --- cashback ------------------------------------------------------------------------


def credit_cashback(order, customer, values, config):
    percent = config.cashback_percent
    if not percent:
        return None
    base = max(values.external - values.stored_value, Decimal(0))
    amount = round_down(base * percent / 100, values.currency)
    if amount <= 0:
        return None
    return transfer_once(
        accounts.system_account(SystemAccountCode.CASHBACK, values.currency),
        accounts.wallet_account(customer, values.currency),
        amount,
        service.Posting(
            reason=Reason.CASHBACK,
            actor=CASHBACK_ACTOR,
            customer_note=f"Cashback {percent}% on order #{order.pk}",
            refs=service.References(order_id=order.pk),
            metadata={
                "event": "credit",
                "percent": str(percent),
                "base": str(base),
                "order_total": str(values.total),
                "wallet_paid": str(values.wallet_paid),
                "stored_value": str(values.stored_value),
            },
        ),
        order_key(order, "cashback"),
    )


def cashback_credit(order) -> Optional[LedgerTransaction]:
    return LedgerTransaction.objects.filter(
        order_id=order.pk, reason=Reason.CASHBACK, metadata__event="credit"
    ).first()


def refunded_total(order) -> Decimal:
    """Refunded so far: Saleor refunds of the order's payments and store credit."""
    from saleor.payment.models import Transaction

    saleor_refunds = Transaction.objects.filter(
        payment__order=order, kind=TransactionKind.REFUND, is_success=True
    )
    total = sum((t.amount for t in saleor_refunds), Decimal(0))
    store_credit = LedgerTransaction.objects.filter(
        order_id=order.pk, reason=Reason.REFUND, metadata__store_credit=True
    ).exclude(reversed_by__isnull=False)
    total += sum((Decimal(t.metadata.get("refund", "0")) for t in store_credit), Decimal(0))
    return total


def _already_due(credit: LedgerTransaction) -> Decimal:
    if LedgerTransaction.objects.filter(reversal_of=credit).exists():
        return _amount_of(credit)
    debits = LedgerTransaction.objects.filter(
        order_id=credit.order_id, reason=Reason.CASHBACK, metadata__event="clawback"
    )
    return max((Decimal(t.metadata["due"]) for t in debits), default=Decimal(0))


def _amount_of(credit: LedgerTransaction) -> Decimal:
    return credit.entries.get(account__kind=AccountKind.WALLET).amount


def _settle(order, due: Decimal, event: str, refunded: Optional[Decimal] = None):
    """Take cashback back until ``due`` (cumulative) is covered; see the module doc."""
    credit = cashback_credit(order)
    if credit is None:
        return None
    with transaction.atomic():
        LedgerTransaction.objects.select_for_update().get(pk=credit.pk)
        cashback = _amount_of(credit)
        due = min(due, cashback)
        before = _already_due(credit)
        if due <= before:
            return None
        entry = credit.entries.select_related("account").get(account__kind=AccountKind.WALLET)
        wallet = entry.account
        wallet.refresh_from_db()
        if before == 0 and due == cashback and wallet.available >= cashback:
            return service.reverse(
                credit,
                actor=CLAWBACK_ACTOR,
                note=f"Cashback taken back: order #{order.pk} {event}.",
                idem=order_key(order, "cashback:reverse"),
                customer_note=f"Cashback taken back: order #{order.pk} {event}.",
            )
        wanted = due - before
        taken = min(wanted, wallet.available)
        if taken <= 0:
            logger.warning(
                "Order %s %s: %s %s cashback is due back but the wallet is empty",
                order.pk, event, wanted, wallet.unit,
            )
            return None
        metadata = {
            "event": "clawback",
            "trigger": event,
            "credit": credit.pk,
            "due": str(due),
            "taken": str(taken),
            "shortfall": str(wanted - taken),
        }
        if refunded is not None:
            metadata["refunded"] = str(refunded)
        return service.transfer(
            wallet,
            accounts.system_account(SystemAccountCode.CASHBACK, wallet.unit),
            taken,
            service.Posting(
                reason=Reason.CASHBACK,
                actor=CLAWBACK_ACTOR,
                note=f"Cashback taken back: order #{order.pk} {event}.",
                customer_note=f"Cashback taken back, order #{order.pk}",
                refs=service.References(order_id=order.pk),
                metadata=metadata,
            ),
            order_key(order, f"cashback:due:{due}"),
        )


def _settle_safely(order, due, event, refunded=None):
    # The wallet may be spent between reading it and booking (InsufficientFunds under
    # the lock): read again and retry.
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _settle(order, due, event, refunded)
        except InsufficientFunds:
            continue
        except IdempotencyConflict:
            return None  # another event settled this due amount in the meantime
    raise InsufficientFunds(_("The wallet kept changing while cashback was taken back."))


def take_back_on_cancel(order):
    credit = cashback_credit(order)
    if credit is None:
        return None
    return _settle_safely(order, _amount_of(credit), "cancelled")


def take_back_on_refund(order, reported: Decimal = Decimal(0)):
    """``reported`` (the refund the caller saw) only counts when the records show less,
    i.e. for a refund recorded nowhere the plugin reads."""
    credit = cashback_credit(order)
    if credit is None:
        return None
    total = Decimal(credit.metadata.get("order_total") or order.total_gross_amount)
    refunded = min(max(refunded_total(order), reported), total)
    if total <= 0 or refunded <= 0:
        return None
    due = round_down(_amount_of(credit) * refunded / total, order.currency)
    return _settle_safely(order, due, "refunded", refunded)


# --- B2B annual bonus ----------------------------------------------------------------


def _year_bounds(year: int):
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(datetime(year, 1, 1), zone)
    end = timezone.make_aware(datetime(year + 1, 1, 1), zone)
    return start, end


def yearly_revenue(user, year: int, currency: str) -> Decimal:
    start, end = _year_bounds(year)
    orders = (
        Order.objects.filter(user=user, currency=currency, created__gte=start, created__lt=end)
        .exclude(status__in=[OrderStatus.DRAFT, OrderStatus.CANCELED])
        .prefetch_related("payments")
    )
    revenue = Decimal(0)
    for order in orders:
        if order.is_fully_paid():
            revenue += order.total_gross_amount - paid_values(order).stored_value
    return revenue


def b2b_key(customer, year: int) -> IdempotencyKey:
    return IdempotencyKey(scope=B2B_SCOPE, key=f"customer:{customer.pk}:year:{year}")


def credit_b2b_bonus(order, customer, config):
    threshold, rule = config.b2b_bonus_threshold, config.b2b_bonus
    if not threshold or rule.is_off or order.user_id is None:
        return None
    if order.currency != django_settings.DEFAULT_CURRENCY:
        return None
    year = timezone.localtime(order.created).year
    idem = b2b_key(customer, year)
    from .paid_values import booked

    if booked(idem) is not None:
        return None
    revenue = yearly_revenue(order.user, year, order.currency)
    if revenue < threshold:
        return None
    if rule.percent is not None:
        amount = round_down(revenue * rule.percent / 100, order.currency)
    else:
        amount = rule.amount
    if amount <= 0:
        return None
    try:
        with transaction.atomic():
            return service.transfer(
                accounts.system_account(SystemAccountCode.BONUS, order.currency),
                accounts.wallet_account(customer, order.currency),
                amount,
                service.Posting(
                    reason=Reason.B2B_BONUS,
                    actor=B2B_ACTOR,
                    customer_note=f"Annual bonus {year}",
                    refs=service.References(order_id=order.pk),
                    metadata={
                        "year": year,
                        "revenue": str(revenue),
                        "threshold": str(threshold),
                        "rule": config.b2b_bonus_text,
                    },
                ),
                idem,
            )
    except IdempotencyConflict:
        return None  # another order of the same year paid it first
