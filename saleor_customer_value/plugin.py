"""The Saleor plugin: a thin adapter from Saleor's hooks to the plugin's services.

Settings are edited through Saleor's own ``plugins``/``pluginUpdate`` API and dashboard;
``config.get_config()`` reads them for the services. The wallet's payment gateway is a
second plugin (``gateway_plugin.WalletGatewayPlugin``).
"""
import logging
from copy import deepcopy

from django.db import transaction
from saleor.plugins.base_plugin import BasePlugin

from . import checkout_context, config
from .badges import perks as badge_perks
from .cardkinds import chain as discount_chain
from .cardkinds import groups as discount_groups
from .cardkinds import promotion as wallet_promotion
from .credit import checkout as credit_checkout
from .loyalty import actions as loyalty_actions
from .loyalty import checkout as points_checkout
from .loyalty import orders as loyalty_orders
from .wallet import checkout as wallet_checkout
from .security import captures
from .wallet import orders

logger = logging.getLogger(__name__)


class CustomerValuePlugin(BasePlugin):
    PLUGIN_ID = config.PLUGIN_ID
    PLUGIN_NAME = "Customer value"
    PLUGIN_DESCRIPTION = (
        "Wallets, gift vouchers, loyalty points and customer cards in one ledger."
    )
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = config.DEFAULT_CONFIGURATION
    CONFIG_STRUCTURE = config.CONFIG_STRUCTURE

    def __init__(self, *, configuration, active):
        # Saleor passes DEFAULT_CONFIGURATION itself and then edits its dicts in place
        # (labels, updated values): without a copy one shop's settings would leak
        # into the class default.
        super().__init__(configuration=deepcopy(configuration), active=active)

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration):
        config.validate(plugin_configuration.configuration)

    # --- checkout ------------------------------------------------------------------

    def calculate_checkout_total(self, checkout, lines, discounts, previous_value):
        if not self.active:
            return previous_value
        # The discounts in their documented order (ARCHITECTURE.md): discount group,
        # badge, points, wallet-payment promotion, each a real discount (net and
        # gross); then the wallet pays part of what is left and the credit line part
        # of the rest (means of payment).
        discounted = discount_chain.before_wallet(checkout, lines, discounts, previous_value)
        after_wallet = wallet_checkout.lowered_total(checkout, discounted)
        return credit_checkout.lowered_total(checkout, after_wallet)

    def preprocess_order_creation(self, checkout, discounts, previous_value):
        if not self.active:
            return previous_value
        captures.refuse_recapture(checkout)  # before Saleor reaches the gateway again
        # The manager running this hook: never a second one (checkout_context).
        manager = checkout_context.for_checkout(checkout).manager
        # The group first: an employee allowance that would be exceeded refuses the
        # completion before anything else is pinned (one DB transaction).
        discount_groups.prepare_order(checkout, discounts, manager)
        badge_perks.prepare_order(checkout, discounts, manager)
        points_checkout.prepare_order(checkout, discounts, manager)
        wallet_promotion.prepare_order(checkout, discounts, manager)
        wallet_checkout.prepare_order(checkout, discounts, manager)
        credit_checkout.prepare_order(checkout, discounts, manager)
        return previous_value

    def customer_created(self, customer, previous_value):
        if self.active:
            loyalty_actions.customer_registered(customer)
        return previous_value

    # --- orders --------------------------------------------------------------------

    def order_created(self, order, previous_value):
        # Runs inside create_order's DB transaction: posting the reservations here
        # commits or rolls back together with the order. Everything else waits for
        # the commit, so it can never undo an order whose card was charged.
        discount_groups.record_on_order(order)
        badge_perks.record_on_order(order)
        points_checkout.record_on_order(order)
        wallet_promotion.record_on_order(order)
        wallet_checkout.record_on_order(order)
        credit_checkout.record_on_order(order)
        order_id = order.pk
        transaction.on_commit(lambda: orders.order_created_committed(order_id))
        return previous_value

    def order_fully_paid(self, order, previous_value):
        orders.order_paid(order)
        return previous_value

    def order_updated(self, order, previous_value):
        orders.order_updated(order)
        return previous_value

    def order_fulfilled(self, order, previous_value):
        loyalty_orders.order_fulfilled(order)
        return previous_value

    def order_cancelled(self, order, previous_value):
        orders.order_cancelled(order)
        return previous_value
