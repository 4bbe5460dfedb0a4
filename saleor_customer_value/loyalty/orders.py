"""What points do when Saleor creates, pays, fulfils, cancels or refunds an order.

The plugin calls these from Saleor's hooks, possibly more than once per order: every
function is idempotent, and none raises (an order without a customer, the program
switched off, or an unexpected error only logs), because a loyalty problem must never
stop an order. Each runs in its own savepoint.

Earning happens at the program's moment (created / fully paid / fulfilled). With
pending days the points wait in a pending lot (not in the ledger) until the release job
books them; otherwise they are booked at once.

Taking points back:
- cancellation returns the points redeemed on the order (the POINTS_REDEEMED booking is
  reversed) and takes back what the order earned: a pending lot is simply cancelled;
  booked points are reversed (``allow_clawback``: if the customer spent them already,
  the balance goes below zero and redemption is blocked until it is positive again);
- a refund takes back ``earned * refunded / order total`` (rounded down), cumulative,
  so the same refund reported twice takes back once. "Refunded" is what the records
  show (Saleor's refund transactions and store-credit refunds), or the reported amount
  when that is more. From a pending lot the points are removed before they are booked;
  booked points are taken with a POINTS_ADJUSTMENT clawback. Points that expired in the
  meantime are not taken again.
"""
import logging
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from saleor.order import OrderStatus
from saleor.order.models import Order

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.errors import AlreadyReversed, IdempotencyConflict
from ..ledger.reasons import Reason
from ..models import LedgerTransaction, PointsLot
from ..models.loyalty import EarnMoment, LotStatus
from . import earning, lots
from . import program as programs

logger = logging.getLogger(__name__)

ACTOR = Actor.system("loyalty:orders")


def _safely(what, func, *args):
    try:
        with transaction.atomic():
            return func(*args)
    except Exception:  # noqa: BLE001 - loyalty must never stop an order
        logger.exception("Loyalty points: %s failed", what)
        return None


def _fresh(order):
    if order is None or not getattr(order, "pk", None):
        return None
    return Order.objects.select_related("user", "voucher").filter(pk=order.pk).first()


def order_created(order):
    return _safely("earning on order created", _earn, order, EarnMoment.CREATED)


def order_paid(order):
    return _safely("earning on order paid", _earn, order, EarnMoment.PAID)


def order_fulfilled(order):
    return _safely("earning on order fulfilled", _earn, order, EarnMoment.FULFILLED)


def order_cancelled(order):
    return _safely("taking points back on cancellation", _cancel, order)


def order_refunded(order, amount=None):
    return _safely("taking points back on refund", _refund, order, amount)


# --- earning -------------------------------------------------------------------------


def earning_lot(order_id):
    return PointsLot.objects.filter(order_id=order_id, source=Reason.POINTS_EARNED).first()


def _reached(order, moment) -> bool:
    if moment == EarnMoment.PAID:
        return order.is_fully_paid()
    if moment == EarnMoment.FULFILLED:
        return order.status == OrderStatus.FULFILLED
    return True


def _earn(order, moment):
    order = _fresh(order)
    if order is None or order.user_id is None:
        return None
    if order.status in (OrderStatus.DRAFT, OrderStatus.CANCELED):
        return None
    program = programs.get_program()
    if not program.enabled or program.earn_moment != moment or not _reached(order, moment):
        return None
    if earning_lot(order.pk) is not None:
        return None
    result = earning.order_points(order, program)
    if result.points <= 0:
        return None
    account = accounts.points_account(accounts.customer_for_user(order.user))
    now = timezone.now()
    metadata = {**result.metadata, "order": order.pk}
    if program.pending_days:
        available_at = now + timedelta(days=program.pending_days)
        try:
            with transaction.atomic():
                lots.sync(account)  # the account lock first, as everywhere
                lot = lots.create_pending(
                    account,
                    result.points,
                    available_at,
                    programs.expires_at(program, available_at),
                    order.pk,
                    metadata,
                )
        except IntegrityError:
            return None  # another call for this order was first
    else:
        try:
            lots.credit(
                account,
                result.points,
                service.Posting(
                    reason=Reason.POINTS_EARNED,
                    actor=ACTOR,
                    customer_note=f"{result.points} points earned on order #{order.pk}",
                    refs=service.References(order_id=order.pk),
                    metadata=metadata,
                ),
                idem=lots.key(f"order:{order.pk}:earn"),
            )
        except IdempotencyConflict:
            return None  # booked before with the rules of that day
        lot = earning_lot(order.pk)
    # A refund may have come before the points: take its share at once.
    _refund(order, None)
    return lot


# --- taking back ---------------------------------------------------------------------


def _ledger_taken(lot) -> int:
    """Points of ``lot`` already taken back through the ledger (after release)."""
    return lot.taken_back - (lot.earned_points - lot.points)


def _take(lot, account, points, event, order, extra):
    return lots.debit(
        account,
        points,
        service.Posting(
            reason=Reason.POINTS_ADJUSTMENT,
            actor=ACTOR,
            note=f"Points of order #{order.pk} taken back: order {event}.",
            customer_note=f"{points} points taken back, order #{order.pk} {event}",
            refs=service.References(order_id=order.pk),
            metadata={"event": f"order_{event}", "lots": [lot.pk], **extra},
            is_clawback=True,
        ),
        idem=lots.key(f"order:{order.pk}:takeback:{lot.taken_back + points}"),
    )


def _locked_lot(order):
    lot = earning_lot(order.pk)
    if lot is None:
        return None, None
    account = lot.account
    lots.sync(account)  # locks the account (accounts before lots)
    return PointsLot.objects.select_for_update().get(pk=lot.pk), account


def _refund(order, reported):
    order = _fresh(order)
    if order is None:
        return None
    from ..wallet.rewards import refunded_total

    total = Decimal(order.total_gross_amount or 0)
    refunded = min(max(refunded_total(order), Decimal(str(reported or 0))), total)
    if total <= 0 or refunded <= 0:
        return None
    with transaction.atomic():
        lot, account = _locked_lot(order)
        if lot is None or lot.status in (LotStatus.CANCELLED, LotStatus.REVERSED):
            return None
        due = int((lot.earned_points * refunded / total).to_integral_value(ROUND_DOWN))
        wanted = due - lot.taken_back
        if wanted <= 0:
            return None
        extra = {"refunded": str(refunded), "order_total": str(total), "due": due}
        txn = None
        if lot.status == LotStatus.PENDING:
            lot.points -= min(wanted, lot.points)
        elif lot.status in (LotStatus.ACTIVE, LotStatus.USED):
            txn = _take(lot, account, wanted, "refunded", order, extra)
            lot.refresh_from_db()
        # An expired lot: its points are gone already; nothing more to take.
        lot.taken_back = due
        lot.metadata = {**lot.metadata, "refunded": str(refunded), "taken_back": due}
        lot.save(update_fields=["points", "taken_back", "metadata"])
        return txn


def _cancel(order):
    order = _fresh(order)
    if order is None:
        return None
    _return_redeemed(order)
    with transaction.atomic():
        lot, account = _locked_lot(order)
        if lot is None or lot.status in (LotStatus.CANCELLED, LotStatus.REVERSED):
            return None
        if lot.status == LotStatus.PENDING:
            lot.status = LotStatus.CANCELLED
            lot.resolved_at = timezone.now()
            lot.taken_back = lot.earned_points
            lot.save(update_fields=["status", "resolved_at", "taken_back"])
            return None
        if lot.status == LotStatus.EXPIRED:
            return None
        credit = lot.credit_transaction
        taken = _ledger_taken(lot)
        wanted = lot.points - taken
        if wanted <= 0 or credit is None:
            return None
        if taken == 0 and not LedgerTransaction.objects.filter(reversal_of=credit).exists():
            try:
                txn = service.reverse(
                    credit,
                    actor=ACTOR,
                    note=f"Order #{order.pk} cancelled: earned points taken back.",
                    customer_note=f"Order #{order.pk} cancelled: earned points taken back.",
                    allow_clawback=True,
                    idem=lots.key(f"order:{order.pk}:earn:reverse"),
                )
            except AlreadyReversed:
                return None
            lots.sync(account)
        else:
            txn = _take(lot, account, wanted, "cancelled", order, {})
        lot = PointsLot.objects.get(pk=lot.pk)
        lot.taken_back = lot.earned_points
        lot.save(update_fields=["taken_back"])
        return txn


def _return_redeemed(order):
    redeemed = LedgerTransaction.objects.filter(
        order_id=order.pk, reason=Reason.POINTS_REDEEMED, reversed_by__isnull=True
    )
    for txn in list(redeemed):
        entry = txn.entries.select_related("account").filter(account__customer__isnull=False).first()
        with transaction.atomic():
            service.reverse(
                txn,
                actor=ACTOR,
                note=f"Order #{order.pk} cancelled: redeemed points returned.",
                customer_note=f"Order #{order.pk} cancelled: redeemed points returned.",
                idem=lots.key(f"order:{order.pk}:redeem:return:{txn.pk}"),
            )
            if entry is not None:
                lots.sync(entry.account)
