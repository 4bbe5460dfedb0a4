import graphene

from ..inputs import node_or_none
from django.conf import settings
from saleor.graphql.core.scalars import Decimal
from graphql_jwt.decorators import login_required
from saleor.graphql.decorators import one_of_permissions_required, permission_required

from ...ledger.amounts import validate_currency
from ...ledger.errors import LedgerError
from ...models import AccountKind, Customer
from ...permissions import CustomerValuePermissions
from ...wallet import bookings
from .mutations import (
    CheckoutWalletApply,
    CheckoutWalletPaymentToken,
    CheckoutWalletRemove,
    OrderRefundToWallet,
    WalletCredit,
    WalletDebit,
    checkout_wallet_payment,
)
from .products import (
    CheckoutGiftVoucherRecipientSet,
    CheckoutWalletTopUpAdd,
    WalletRedeemGiftCard,
)
from .types import CheckoutWalletPayment, Wallet, WalletBalance, WalletBookingPreview, WalletView


def wallets_of(user):
    """The user's wallets; the shop currency's is always listed (possibly empty)."""
    customer = Customer.objects.filter(user=user).first()
    found = {}
    if customer:
        for account in customer.accounts.filter(kind=AccountKind.WALLET).order_by("unit"):
            found[account.unit] = WalletView(customer, account.unit, account)
    found.setdefault(settings.DEFAULT_CURRENCY, WalletView(customer, settings.DEFAULT_CURRENCY, None))
    default = found.pop(settings.DEFAULT_CURRENCY)
    return [default] + list(found.values())


def wallet_of(user, currency):
    currency = validate_currency(currency or settings.DEFAULT_CURRENCY)
    for view in wallets_of(user):
        if view.currency == currency:
            return view
    return WalletView(None, currency, None)


def _user(info, customer_id):
    from saleor.graphql.account.types import User

    return node_or_none(info, customer_id, User)


class WalletQueries(graphene.ObjectType):
    my_wallets = graphene.List(
        graphene.NonNull(Wallet),
        required=True,
        description="The logged-in customer's wallets (the shop currency first).",
    )
    my_wallet = graphene.Field(
        Wallet,
        currency=graphene.String(description="Currency code; the shop's by default."),
        description="The logged-in customer's wallet in one currency.",
    )
    checkout_wallet_payment = graphene.Field(
        CheckoutWalletPayment,
        token=graphene.Argument(graphene.UUID, required=True),
        description="The wallet part of the logged-in customer's checkout.",
    )
    customer_wallets = graphene.List(
        graphene.NonNull(Wallet),
        customer_id=graphene.Argument(graphene.ID, required=True),
        description="A customer's wallets (staff).",
    )
    wallet_booking_preview = graphene.Field(
        WalletBookingPreview,
        customer_id=graphene.Argument(graphene.ID, required=True),
        amount=graphene.Argument(
            Decimal, required=True, description="Signed: positive credits, negative debits."
        ),
        currency=graphene.String(),
        description="The balance a booking would leave, before it is made (staff).",
    )

    @login_required
    def resolve_my_wallets(self, info):
        return wallets_of(info.context.user)

    @login_required
    def resolve_my_wallet(self, info, currency=None):
        return wallet_of(info.context.user, currency)

    @login_required
    def resolve_checkout_wallet_payment(self, info, token):
        from saleor.checkout.models import Checkout

        checkout = Checkout.objects.filter(token=token, user=info.context.user).first()
        return checkout_wallet_payment(info, checkout) if checkout else None

    @one_of_permissions_required(
        [CustomerValuePermissions.MANAGE_WALLETS, CustomerValuePermissions.VIEW_LEDGER]
    )
    def resolve_customer_wallets(self, info, customer_id):
        user = _user(info, customer_id)
        return wallets_of(user) if user else []

    @permission_required(CustomerValuePermissions.MANAGE_WALLETS)
    def resolve_wallet_booking_preview(self, info, customer_id, amount, currency=None):
        user = _user(info, customer_id)
        if user is None:
            return None
        try:
            preview = bookings.preview(user, currency or settings.DEFAULT_CURRENCY, amount)
        except LedgerError as exc:
            raise _graphql_error(exc)
        return WalletBookingPreview(
            balance=WalletBalance.of(preview.currency, preview.posted, preview.held),
            resulting_balance=WalletBalance.of(
                preview.currency, preview.resulting_posted, preview.held
            ),
            allowed=preview.allowed,
        )


def _graphql_error(exc):
    from graphql.error import GraphQLError

    return GraphQLError(f"{exc.code}: {exc.message}")


class WalletMutations(graphene.ObjectType):
    checkout_wallet_apply = CheckoutWalletApply.Field()
    checkout_wallet_remove = CheckoutWalletRemove.Field()
    checkout_wallet_payment_token = CheckoutWalletPaymentToken.Field()
    wallet_credit = WalletCredit.Field()
    wallet_debit = WalletDebit.Field()
    order_refund_to_wallet = OrderRefundToWallet.Field()
    checkout_wallet_top_up_add = CheckoutWalletTopUpAdd.Field()
    checkout_gift_voucher_recipient_set = CheckoutGiftVoucherRecipientSet.Field()
    wallet_redeem_gift_card = WalletRedeemGiftCard.Field()
