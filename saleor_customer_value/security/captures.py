"""No second capture when ``checkoutComplete`` is retried after a crash.

Saleor 2.10's ``checkoutComplete`` (``saleor/graphql/checkout/mutations.py``) calls
``gateway.process_payment`` for the checkout's last active payment every time, without
looking at whether that payment was already captured. The capture is recorded (its
``Transaction`` row, ``charge_status``) in autocommit before ``create_order`` runs its
own DB transaction, so a crash between the two leaves a captured payment, the checkout
and no order; a retry by the shopper captures the card again.

``refuse_recapture`` runs in ``preprocess_order_creation``, before Saleor reaches the
gateway: when the last active payment already has a successful capture and no order,
completing is refused (``PAYMENT_ERROR``) and logged for staff, who either create the
order by hand or refund the capture (then the shopper pays again). A crash between the
gateway's capture and Saleor recording it cannot be seen here: only an idempotent
gateway capture protects against that (see the README).
"""
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _orphan_capture(checkout):
    from saleor.payment import TransactionKind

    payment = checkout.get_last_active_payment()
    if payment is None or payment.to_confirm or payment.order_id is not None:
        return None
    captured = payment.transactions.filter(
        kind=TransactionKind.CAPTURE, is_success=True, action_required=False
    ).exists()
    return payment if captured else None


def refuse_recapture(checkout):
    from saleor.checkout.error_codes import CheckoutErrorCode

    payment = _orphan_capture(checkout)
    if payment is None:
        return
    logger.error(
        "Checkout %s: payment %s (%s) was captured but no order was created; "
        "completing again would capture it twice. Create the order or refund the payment.",
        checkout.pk, payment.pk, payment.gateway,
    )
    raise ValidationError(
        _(
            "Your payment was already taken, but the order was not created. You will not "
            "be charged again: the shop will complete the order or refund the payment."
        ),
        code=CheckoutErrorCode.PAYMENT_ERROR.value,
    )
