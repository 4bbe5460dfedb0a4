"""The wallet as a Saleor payment gateway (``saleor.customer_value.wallet``).

Listed in ``availablePaymentGateways``; used with ``checkoutPaymentCreate`` and a token
from ``checkoutWalletPaymentToken``. Every operation is delegated to
``wallet.payments``.
"""
from saleor.payment import TransactionKind
from saleor.plugins.base_plugin import BasePlugin

from .wallet import payments


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
        return payments._response(
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
        return payments._response(
            TransactionKind.VOID, payment_information, False,
            "A captured wallet payment is refunded, not voided.",
        )

    def get_payment_config(self, previous_value):
        return []
