import graphene
from saleor.graphql.checkout.types import Checkout
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.order.types import Order

from ...ledger import accounts
from ...ledger.reasons import Reason
from ...permissions import CustomerValuePermissions
from ...wallet import bookings, checkout as wallet_checkout, payments, refunds
from ..core import (
    IDEMPOTENCY_KEY_ARGUMENT,
    CustomerValueMutation,
    idempotency_key as make_key,
    owned_checkout,
    request_actor,
)
from ..ledger.types import LedgerTransaction
from .types import CheckoutWalletPayment, Wallet, WalletView, money


def checkout_wallet_payment(info, checkout):
    application = wallet_checkout.current(
        checkout, list(checkout), info.context.discounts, info.context.plugins
    )
    wallet = accounts.find_wallet(accounts.customer_for_user(checkout.user), checkout.currency)
    available = wallet.available if wallet else 0
    return CheckoutWalletPayment(
        applied=application.applied,
        total_before_wallet=application.total_before,
        remaining=application.remaining,
        available=money(available, checkout.currency),
        reserved_until=application.hold.expires_at if application.hold else None,
    )


class CheckoutWalletApply(CustomerValueMutation):
    checkout = graphene.Field(Checkout)
    wallet_payment = graphene.Field(CheckoutWalletPayment)

    class Arguments:
        checkout_id = graphene.ID(required=True)
        amount = Decimal(
            description="Amount to pay from the wallet; omit for as much as possible."
        )
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Pay part of the caller's checkout from their wallet. The amount is reserved "
            "now and lowers the checkout total; applying again replaces it."
        )

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, amount=None, idempotency_key=None):
        checkout = owned_checkout(cls, info, checkout_id)
        wallet_checkout.apply(
            checkout,
            list(checkout),
            info.context.discounts,
            info.context.plugins,
            amount=amount,
            idem=make_key(info, idempotency_key),
        )
        return cls(checkout=checkout, wallet_payment=checkout_wallet_payment(info, checkout))


class CheckoutWalletRemove(CustomerValueMutation):
    checkout = graphene.Field(Checkout)
    wallet_payment = graphene.Field(CheckoutWalletPayment)

    class Arguments:
        checkout_id = graphene.ID(required=True)

    class Meta:
        description = "Stop paying the caller's checkout from the wallet (releases the reservation)."

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id):
        checkout = owned_checkout(cls, info, checkout_id)
        wallet_checkout.remove(checkout)
        return cls(checkout=checkout, wallet_payment=checkout_wallet_payment(info, checkout))


class CheckoutWalletPaymentToken(CustomerValueMutation):
    token = graphene.String(
        description=(
            "Use as `token` in `checkoutPaymentCreate` with the gateway "
            f"`{payments.WALLET_GATEWAY_ID}` to pay the whole checkout from the wallet. "
            "Valid for one hour."
        )
    )
    gateway = graphene.String()

    class Arguments:
        checkout_id = graphene.ID(required=True)

    class Meta:
        description = "A payment token for paying the caller's checkout with the wallet gateway."

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id):
        checkout = owned_checkout(cls, info, checkout_id)
        return cls(token=payments.issue_token(checkout), gateway=payments.WALLET_GATEWAY_ID)


class WalletBookingReasonEnum(graphene.Enum):
    GOODWILL = Reason.GOODWILL
    CORRECTION = Reason.CORRECTION
    CASHBACK = Reason.CASHBACK
    B2B_BONUS = Reason.B2B_BONUS
    REFUND = Reason.REFUND
    TOPUP = Reason.TOPUP
    POS_PAYMENT = Reason.POS_PAYMENT


class WalletBookingInput(graphene.InputObjectType):
    customer_id = graphene.ID(required=True, description="ID of the customer (User).")
    currency = graphene.String(description="Wallet currency; the shop's by default.")
    amount = Decimal(required=True, description="Positive amount in the currency.")
    reason = WalletBookingReasonEnum(
        description=(
            "Credits: GOODWILL (default), CORRECTION, CASHBACK, B2B_BONUS, REFUND, TOPUP. "
            "Debits: CORRECTION (default), POS_PAYMENT."
        )
    )
    note = graphene.String(required=True, description="Internal note (required).")
    customer_note = graphene.String(description="Shown in the customer's history.")
    idempotency_key = IDEMPOTENCY_KEY_ARGUMENT


def _customer_user(mutation, info, customer_id):
    from saleor.graphql.account.types import User

    return mutation.get_node_or_error(info, customer_id, only_type=User, field="customer_id")


class _WalletBooking(CustomerValueMutation):
    wallet = graphene.Field(Wallet)
    transaction = graphene.Field(LedgerTransaction)
    credit = True
    default_reason = Reason.GOODWILL

    class Arguments:
        input = WalletBookingInput(required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, _root, info, input):
        from django.conf import settings

        user = _customer_user(cls, info, input["customer_id"])
        currency = input.get("currency") or settings.DEFAULT_CURRENCY
        txn = bookings.book(
            user,
            currency,
            input["amount"],
            input.get("reason") or cls.default_reason,
            request_actor(info),
            input.get("note"),
            customer_note=input.get("customer_note"),
            credit=cls.credit,
            idem=make_key(info, input.get("idempotency_key")),
        )
        customer = accounts.customer_for_user(user)
        account = accounts.find_wallet(customer, currency.upper())
        return cls(wallet=WalletView(customer, account.unit, account), transaction=txn)


class WalletCredit(_WalletBooking):
    class Meta:
        description = "Credit a customer's wallet (goodwill, correction, bonus...)."
        permissions = (CustomerValuePermissions.MANAGE_WALLETS,)


class WalletDebit(_WalletBooking):
    credit = False
    default_reason = Reason.CORRECTION

    class Meta:
        description = "Debit a customer's wallet (correction); never below zero."
        permissions = (CustomerValuePermissions.MANAGE_WALLETS,)


class OrderRefundToWallet(CustomerValueMutation):
    order = graphene.Field(Order)
    wallet = graphene.Field(Wallet)
    transaction = graphene.Field(LedgerTransaction)

    class Arguments:
        order_id = graphene.ID(required=True)
        amount = Decimal(required=True, description="Up to what the order's payments captured.")
        retention_bonus_percent = Decimal(
            description="Extra store credit in percent of the amount (0 to 100)."
        )
        note = graphene.String(required=True, description="Internal note (required).")
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Refund an order to the customer's wallet instead of the original payment "
            "method (store credit), optionally with a retention bonus."
        )
        permissions = (CustomerValuePermissions.MANAGE_WALLETS,)

    @classmethod
    def perform_mutation(cls, _root, info, order_id, amount, note, retention_bonus_percent=None, idempotency_key=None):
        order = cls.get_node_or_error(info, order_id, only_type=Order, field="order_id")
        txn = refunds.refund_to_wallet(
            order,
            amount,
            request_actor(info),
            note,
            bonus_percent=retention_bonus_percent,
            idem=make_key(info, idempotency_key),
        )
        customer = accounts.customer_for_user(order.user)
        account = accounts.find_wallet(customer, order.currency)
        return cls(order=order, wallet=WalletView(customer, order.currency, account), transaction=txn)
