from dataclasses import dataclass
from typing import Optional

import graphene
from django.db.models import F
from graphene import relay
from prices import Money as PricesMoney
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.core.fields import PrefetchingConnectionField
from saleor.graphql.core.types import Money

from ...ledger import queries
from ...ledger.amounts import in_unit
from ...models import Account, Customer, Entry
from ...models.holds import HoldStatus
from ..enums import LedgerReasonEnum


def money(amount, currency):
    return PricesMoney(in_unit(amount, currency), currency)


class WalletBalance(graphene.ObjectType):
    posted = graphene.Field(Money, required=True, description="Booked money.")
    held = graphene.Field(
        Money, required=True, description="Reserved for checkouts not yet completed."
    )
    available = graphene.Field(Money, required=True, description="What can be spent.")

    class Meta:
        description = "A wallet balance: posted, held and available."

    @staticmethod
    def of(currency, posted, held):
        return WalletBalance(
            posted=money(posted, currency),
            held=money(held, currency),
            available=money(posted - held, currency),
        )


class WalletMovement(CountableDjangoObjectType):
    date = graphene.DateTime(required=True)
    amount = graphene.Field(Money, required=True, description="Signed: + credit, - debit.")
    balance_after = graphene.Field(Money, description="Posted balance after it.")
    reason = LedgerReasonEnum(required=True)
    customer_note = graphene.String(description="Note shown to the customer.")
    reason_label = graphene.String(required=True, description="The reason in the request's language.")
    order = graphene.Field("saleor.graphql.order.types.Order")
    reversal_of = graphene.Field(
        lambda: WalletMovement, description="The movement this one takes back (for a REVERSAL)."
    )
    reversed_by = graphene.Field(
        lambda: WalletMovement, description="The movement that took this one back, if any."
    )

    class Meta:
        description = "One movement in a wallet's history."
        model = Entry
        interfaces = [relay.Node]
        only_fields = ["id"]

    @staticmethod
    def resolve_date(root: Entry, _info):
        return root.transaction.created_at

    @staticmethod
    def resolve_amount(root: Entry, _info):
        return money(root.signed_amount, root.unit)

    @staticmethod
    def resolve_balance_after(root: Entry, _info):
        return money(root.balance_after, root.unit) if root.balance_after is not None else None

    @staticmethod
    def resolve_reason(root: Entry, _info):
        return root.transaction.reason

    @staticmethod
    def resolve_reason_label(root, _info):
        from ...ledger.reasons import reason_label

        return reason_label(root.transaction.reason)


    @staticmethod
    def resolve_customer_note(root: Entry, _info):
        return root.transaction.customer_note

    @staticmethod
    def resolve_order(root: Entry, _info):
        return root.transaction.order if root.transaction.order_id else None

    @staticmethod
    def resolve_reversal_of(root: Entry, _info):
        return queries.linked_entries(root)[0]

    @staticmethod
    def resolve_reversed_by(root: Entry, _info):
        return queries.linked_entries(root)[1]


@dataclass
class WalletView:
    customer: Optional[Customer]
    currency: str
    account: Optional[Account]


class WalletHold(graphene.ObjectType):
    amount = graphene.Field(Money, required=True)
    reason = graphene.Field(LedgerReasonEnum, required=True)
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(description="When the reservation lapses unless used (null: no expiry).")
    checkout_token = graphene.UUID(description="The checkout the money is reserved for, if any.")

    class Meta:
        description = "Money reserved on the wallet (e.g. for an open checkout): counted in `held`."


class Wallet(graphene.ObjectType):
    currency = graphene.String(required=True)
    balance = graphene.Field(WalletBalance, required=True)
    holds = graphene.List(
        graphene.NonNull(WalletHold), required=True,
        description="Pending reservations that make up `balance.held`, soonest expiry first.",
    )
    movements = PrefetchingConnectionField(
        WalletMovement,
        date_from=graphene.DateTime(description="Movements on or after this instant."),
        date_to=graphene.DateTime(description="Movements on or before this instant."),
        reasons=graphene.List(graphene.NonNull(LedgerReasonEnum)),
        description=(
            "History, newest first. A reversed movement and its reversal are both "
            "listed, linked by reversalOf/reversedBy."
        ),
    )

    class Meta:
        description = "A customer's stored value in one currency."

    @staticmethod
    def resolve_balance(root: WalletView, _info):
        account = root.account
        if account is None:
            return WalletBalance.of(root.currency, 0, 0)
        return WalletBalance.of(root.currency, account.posted, account.held)

    @staticmethod
    def resolve_holds(root: WalletView, _info):
        if root.account is None:
            return []
        pending = root.account.holds.filter(status=HoldStatus.PENDING).order_by(F("expires_at").asc(nulls_last=True), "pk")
        return [
            WalletHold(
                amount=PricesMoney(hold.amount, root.currency), reason=hold.reason,
                created_at=hold.created_at, expires_at=hold.expires_at, checkout_token=hold.checkout_token,
            )
            for hold in pending
        ]

    @staticmethod
    def resolve_movements(root: WalletView, _info, date_from=None, date_to=None, reasons=None, **_kwargs):
        if root.account is None:
            return Entry.objects.none()
        return queries.account_history(
            root.account,
            created_from=date_from,
            created_to=date_to,
            reasons=reasons,
        ).select_related("transaction", "transaction__order")


class CheckoutWalletPayment(graphene.ObjectType):
    applied = graphene.Field(Money, required=True, description="Paid from the wallet.")
    total_before_wallet = graphene.Field(Money, required=True)
    remaining = graphene.Field(
        Money, required=True, description="What is left to pay with another gateway."
    )
    available = graphene.Field(
        Money, required=True, description="Wallet money still available."
    )
    reserved_until = graphene.DateTime(description="When the reservation lapses.")

    class Meta:
        description = "The wallet part of a checkout's payment."


class WalletBookingPreview(graphene.ObjectType):
    balance = graphene.Field(WalletBalance, required=True, description="Now.")
    resulting_balance = graphene.Field(
        WalletBalance, required=True, description="After the booking."
    )
    allowed = graphene.Boolean(
        required=True, description="False when the booking would overdraw the wallet."
    )
