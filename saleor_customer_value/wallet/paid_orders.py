"""What happens when an order is fully paid, cancelled or refunded: top-ups are credited
(with bonus tiers), gift vouchers issued, cashback and the B2B bonus booked, and cashback
taken back.

The plugin calls these from Saleor's hooks and after a checkout order is committed, so
they may run more than once for one order: every booking is idempotent per order (and
per line or unit), and orders that have nothing to do with the plugin (no user, no
stored-value lines, features off) book nothing and never raise.

The parts of ``handle_order_paid`` run independently, each in its own savepoint: one
failing (say, the mail server) does not stop the others. The first error is raised
after all parts ran; a later call completes what is missing.
"""
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import List, Optional

from django.db import transaction
from saleor.order import OrderStatus
from saleor.order.models import Order

from .. import config
from ..ledger import accounts
from . import gift_cards, rewards, topups
from .paid_values import WALLET_TOPUP, paid_values

logger = logging.getLogger(__name__)


@dataclass
class PaidOrderBookings:
    """What one call booked or issued (replays of earlier bookings included)."""

    topups: List[object] = field(default_factory=list)  # transactions, bonus last
    gift_cards: List[object] = field(default_factory=list)  # newly issued only
    cashback: Optional[object] = None
    b2b_bonus: Optional[object] = None


def _fresh(order) -> Optional[Order]:
    return (
        Order.objects.select_related("user", "voucher").filter(pk=order.pk).first()
        if order is not None and order.pk
        else None
    )


def _run(part, errors, func, *args):
    try:
        with transaction.atomic():
            return func(*args)
    except Exception as exc:  # noqa: BLE001 - reported after the other parts ran
        logger.exception("Order paid: %s failed", part)
        errors.append(exc)
        return None


def handle_order_paid(order) -> PaidOrderBookings:
    result = PaidOrderBookings()
    order = _fresh(order)
    if order is None or order.status in (OrderStatus.DRAFT, OrderStatus.CANCELED):
        return result
    if not order.is_fully_paid():
        return result
    values = paid_values(order)
    settings = config.get_config()
    errors = []
    if values.lines:
        result.gift_cards = _run(
            "gift vouchers", errors, gift_cards.issue_for_paid_order, order, values
        ) or []
    if order.user_id is None:
        if values.of_kind(WALLET_TOPUP):
            logger.warning(
                "Order %s: wallet top-ups paid without a customer account; refund them "
                "or book them by hand",
                order.pk,
            )
    else:
        customer = accounts.customer_for_user(order.user)
        result.topups = _run(
            "top-ups", errors, topups.credit_paid_topups, order, customer, values, settings
        ) or []
        result.cashback = _run(
            "cashback", errors, rewards.credit_cashback, order, customer, values, settings
        )
        result.b2b_bonus = _run(
            "B2B bonus", errors, rewards.credit_b2b_bonus, order, customer, settings
        )
    if errors:
        raise errors[0]
    return result


def handle_order_cancelled(order):
    """Take the order's cashback back (see ``rewards`` for the rule)."""
    order = _fresh(order)
    if order is None:
        return None
    return rewards.take_back_on_cancel(order)


def handle_order_refunded(order, amount):
    """Take back the refunded share of the order's cashback.

    The share is computed from what the records say was refunded in total (Saleor's
    refund transactions and store-credit refunds), not by adding up ``amount``s, so
    reporting the same refund twice takes back once. ``amount`` counts only when the
    records show less (a refund recorded nowhere the plugin reads).
    """
    order = _fresh(order)
    if order is None:
        return None
    return rewards.take_back_on_refund(order, Decimal(str(amount or 0)))
