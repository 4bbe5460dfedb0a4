"""Mutations for stored value sold or redeemed by shoppers: top-ups and gift-voucher
recipients on a checkout, gift card codes into the wallet. Thin: the rules live in
``wallet.topups`` and ``wallet.gift_cards``."""
import graphene
from saleor.checkout.models import Checkout as CheckoutModel
from saleor.graphql.checkout.types import Checkout
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.core.types import Money

from ... import config
from ...error_codes import CustomerValueErrorCode as Code
from ...ledger.errors import InvalidAmount
from ...wallet import gift_cards, topups
from ...security.client import client_ip
from ..core import (
    IDEMPOTENCY_KEY_ARGUMENT,
    CustomerValueMutation,
    error,
    idempotency_key as request_idempotency_key,
    permission_denied,
)
from .types import Wallet, WalletView, money
from django.utils.translation import gettext as _


def _is_user(context) -> bool:
    user = getattr(context, "user", None)
    return bool(user and user.is_authenticated) and getattr(context, "app", None) is None


def _checkout(cls, info, checkout_id) -> CheckoutModel:
    """The checkout, if the caller may change it: its owner, or anybody holding the
    ID of an anonymous checkout (Saleor's own rule). Another customer's checkout is
    reported as not found."""
    checkout = cls.get_node_or_error(info, checkout_id, only_type=Checkout, field="checkout_id")
    user = info.context.user
    if checkout.user_id is not None and (
        not user.is_authenticated or checkout.user_id != user.pk
    ):
        raise error(
            "checkout_id", _("Couldn't resolve to a node: %(checkout_id)s") % {"checkout_id": checkout_id}, Code.NOT_FOUND
        )
    return checkout


class CheckoutWalletTopUpAdd(CustomerValueMutation):
    checkout = graphene.Field(Checkout, description="The checkout with the top-up line.")
    amount = graphene.Field(Money, description="The top-up added.")

    class Arguments:
        checkout_id = graphene.ID(required=True, description="ID of the checkout.")
        amount = Decimal(
            required=True,
            description="Amount to top up, in the checkout's currency, within the limits.",
        )

    class Meta:
        description = (
            "Add a wallet top-up of any amount within the shop's limits to the logged-in "
            "customer's checkout. Paid like any line; the money (plus a bonus, if a tier "
            "is reached) is credited to the wallet when the order is fully paid."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return _is_user(context)

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, amount):
        checkout = _checkout(cls, info, checkout_id)
        if checkout.user_id is None:
            raise permission_denied(
                _("Top-ups are credited to the buyer's wallet: attach the checkout to your account first (checkoutCustomerAttach).")
            )
        if amount is None:
            raise InvalidAmount(_("The amount is not a number."))
        value = topups.add_to_checkout(
            checkout, amount, config.get_config(), info.context.discounts
        )
        return cls(checkout=checkout, amount=money(value, checkout.currency))


class CheckoutGiftVoucherRecipientSet(CustomerValueMutation):
    checkout = graphene.Field(Checkout, description="The updated checkout.")

    class Arguments:
        checkout_id = graphene.ID(required=True, description="ID of the checkout.")
        email = graphene.String(
            description="Who receives the checkout's gift vouchers; empty: the buyer."
        )
        message = graphene.String(description="A personal message (max 500 characters).")

    class Meta:
        description = (
            "Send the gift vouchers bought with this checkout to someone else, with a "
            "message. Without a recipient the codes are e-mailed to the buyer."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return True  # who may change the checkout is decided by ``_checkout``

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, email=None, message=None):
        checkout = _checkout(cls, info, checkout_id)
        gift_cards.set_recipient(checkout, email, message)
        return cls(checkout=checkout)


class WalletRedeemGiftCard(CustomerValueMutation):
    wallet = graphene.Field(Wallet, description="The wallet after the redemption.")
    amount = graphene.Field(Money, description="What the gift card added.")

    class Arguments:
        code = graphene.String(required=True, description="The gift card code.")
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Move the whole remaining balance of a gift card into the logged-in "
            "customer's wallet; the gift card is used up. Unknown, used and expired "
            "codes get the same INVALID_GIFT_CARD_CODE; failures are rate-limited "
            "(TOO_MANY_ATTEMPTS)."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return _is_user(context)

    @classmethod
    def perform_mutation(cls, _root, info, code, idempotency_key=None):
        user = info.context.user
        idem = request_idempotency_key(info, idempotency_key)
        redemption = gift_cards.redeem(
            user, code, idem=idem, guard=gift_cards.guard_for(user, client_ip(info.context))
        )
        wallet = redemption.wallet
        amount = redemption.transaction.entries.get(account=wallet).amount
        return cls(
            wallet=WalletView(wallet.customer, wallet.unit, wallet),
            amount=money(amount, wallet.unit),
        )
