"""The wallet (``saleor.customer_value.wallet``) and the credit line of a customer card
(``saleor.customer_value.credit``) as Saleor payment gateways.

Listed in ``availablePaymentGateways``; used with ``checkoutPaymentCreate`` and a token
from ``checkoutWalletPaymentToken``. Every operation is delegated to
``wallet.payments``.
"""
from saleor.payment import TransactionKind
from saleor.plugins.base_plugin import BasePlugin

from .credit import payments as credit_payments
from .wallet import payments
from .wallet.payments import gateway_response


# Each gateway defines every operation on its own class: Saleor 2.10 lists a plugin as a
# payment gateway only when ``process_payment`` is in ``type(plugin).__dict__``, so a
# shared base class would hide both gateways.
class WalletGatewayPlugin(BasePlugin):
    PLUGIN_ID = payments.WALLET_GATEWAY_ID
    PLUGIN_NAME = payments.WALLET_GATEWAY_NAME
    PLUGIN_DESCRIPTION = "Pay a whole checkout from the customer's wallet."
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = []
    CONFIG_STRUCTURE = {}

    def process_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return payments.charge(payment_information)

    def capture_payment(self, payment_information, previous_value):
        # Wallet payments are captured when processed; nothing is ever left to capture.
        if not self.active:
            return previous_value
        return gateway_response(
            TransactionKind.CAPTURE, payment_information, False,
            "Wallet payments are captured when the checkout is completed.",
        )

    def refund_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return payments.refund_response(payment_information)

    def void_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return gateway_response(
            TransactionKind.VOID, payment_information, False,
            "A captured wallet payment is refunded, not voided.",
        )

    def get_payment_config(self, previous_value):
        return []


class CreditGatewayPlugin(BasePlugin):
    """The customer card's credit line as a Saleor payment gateway
    (``saleor.customer_value.credit``, "Pay later"): the whole checkout is booked on the
    owner's credit line and billed with the next statement. Token from
    ``checkoutCreditPaymentToken``; every operation is delegated to
    ``credit.payments``."""

    PLUGIN_ID = credit_payments.CREDIT_GATEWAY_ID
    PLUGIN_NAME = credit_payments.CREDIT_GATEWAY_NAME
    PLUGIN_DESCRIPTION = "Pay a whole checkout on the customer card's credit line (billed later)."
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = []
    CONFIG_STRUCTURE = {}

    def process_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return credit_payments.charge(payment_information)

    def capture_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return gateway_response(
            TransactionKind.CAPTURE, payment_information, False,
            "Credit payments are captured when the checkout is completed.",
        )

    def refund_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return credit_payments.refund_response(payment_information)

    def void_payment(self, payment_information, previous_value):
        if not self.active:
            return previous_value
        return gateway_response(
            TransactionKind.VOID, payment_information, False,
            "A captured credit payment is refunded, not voided.",
        )

    def get_payment_config(self, previous_value):
        return []
