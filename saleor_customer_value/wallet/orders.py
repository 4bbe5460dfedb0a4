"""Order lifecycle: what the plugin does when Saleor creates, pays or cancels an order
(wallet and loyalty points alike).

Saleor 2.10 captures a checkout's payment before the order exists, so its
``order_fully_paid`` hook never fires for storefront orders; the plugin checks for
itself once the order is committed. Both paths end in the idempotent
``paid_orders.handle_order_paid``.
"""
import logging

from saleor.order.models import Order
from saleor.payment import ChargeStatus, TransactionKind
from saleor.payment import gateway as saleor_gateway
from saleor.payment.models import Payment, Transaction

from ..credit.payments import CREDIT_GATEWAY_ID
from ..loyalty import orders as loyalty_orders
from . import paid_orders
from .payments import WALLET_GATEWAY_ID

from . import order_history

logger = logging.getLogger(__name__)


def order_created_committed(order_id):
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return
    loyalty_orders.order_created(order)
    if order.is_fully_paid():
        order_paid(order)


def order_paid(order):
    paid_orders.handle_order_paid(order)
    loyalty_orders.order_paid(order)
    order_history.sync(order)


def order_cancelled(order):
    """Give back every wallet and credit-line payment of the order, through Saleor's
    own refund so its payment records show the refund too."""
    wallet_payments = Payment.objects.filter(
        order=order,
        gateway__in=[WALLET_GATEWAY_ID, CREDIT_GATEWAY_ID],
        charge_status__in=[ChargeStatus.FULLY_CHARGED, ChargeStatus.PARTIALLY_REFUNDED],
    )
    for payment in wallet_payments:
        amount = payment.captured_amount
        if amount > 0:
            saleor_gateway.refund(payment, amount)
    paid_orders.handle_order_cancelled(order)
    loyalty_orders.order_cancelled(order)
    order_history.sync(order)


def order_refunded(order):
    """Take back the refunded share of cashback and earned points. Both handlers read
    the refunded total from Saleor's refund transactions and the store-credit refunds,
    so calling this again after the same refund takes nothing more."""
    paid_orders.handle_order_refunded(order, None)
    loyalty_orders.order_refunded(order)
    order_history.sync(order)


def order_updated(order):
    # Saleor 2.10 has no refund hook: ``orderRefund`` only reports ``order_updated``.
    refunded = Transaction.objects.filter(
        payment__order=order, kind=TransactionKind.REFUND, is_success=True
    ).exists()
    if not refunded:
        return
    try:
        order_refunded(order)
    except Exception:  # noqa: BLE001 - the refund itself already happened in Saleor
        logger.exception("Taking back rewards after a refund of order %s failed", order.pk)
