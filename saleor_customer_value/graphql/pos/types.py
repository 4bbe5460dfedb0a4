"""GraphQL types of the POS API: what a till sees of a customer (never another
customer's card code: cards are masked) and what a POS booking returns."""
from decimal import Decimal

import graphene
from saleor.graphql.core.types import Money

from ...cards import codes
from ...ledger.amounts import precision
from ...pos.lookup import CustomerView
from ..cards.types import CardKindEnum, CardStateEnum
from ..core import CustomerValueError
from ..enums import LedgerReasonEnum
from ..wallet.types import WalletBalance, money


class PosCard(graphene.ObjectType):
    masked_code = graphene.String(required=True, description="The code's last 4 characters.")
    kind = CardKindEnum(required=True)
    state = CardStateEnum(required=True)
    expires_at = graphene.Date()

    class Meta:
        description = "A customer card as a till sees it (masked code)."

    @staticmethod
    def of(card):
        return PosCard(
            masked_code=codes.masked(card.code),
            kind=card.kind,
            state=card.state,
            expires_at=card.expires_at,
        )


class PosWalletBalance(graphene.ObjectType):
    currency = graphene.String(required=True)
    balance = graphene.Field(WalletBalance, required=True)

    class Meta:
        description = "A wallet balance in one currency."


class PosPoints(graphene.ObjectType):
    available = graphene.Int(required=True, description="Points that can be redeemed now.")
    posted = graphene.Int(required=True, description="Booked points (below zero after a clawback).")
    held = graphene.Int(required=True, description="Reserved by online checkouts.")
    pending = graphene.Int(required=True, description="Earned, not yet available (returns window).")

    class Meta:
        description = "A customer's points at the till."


class PosCustomer(graphene.ObjectType):
    customer_id = graphene.ID(
        description="The Saleor user's ID (null for a card sold anonymously)."
    )
    name = graphene.String(required=True)
    email = graphene.String()
    card = graphene.Field(PosCard, description="The card that was scanned, if any.")
    cards = graphene.List(
        graphene.NonNull(PosCard), required=True, description="The customer's active cards (masked)."
    )
    wallets = graphene.List(graphene.NonNull(PosWalletBalance), required=True)
    points = graphene.Field(PosPoints, required=True)
    badges = graphene.Field("saleor_customer_value.graphql.badges.types.CustomerBadges", required=True)
    discount_group = graphene.Field(
        "saleor_customer_value.graphql.cardkinds.types.PosDiscountGroup",
        description="The customer's discount group valid today and the percentages that apply (null: none).",
    )
    credit_lines = graphene.List(
        graphene.NonNull("saleor_customer_value.graphql.credit.types.CreditLine"),
        required=True,
        description="Credit lines (debit card): limit, what is still available, overdue.",
    )

    class Meta:
        description = "A customer identified at a till."

    @staticmethod
    def resolve_credit_lines(root: CustomerView, _info):
        from ...models import CreditLine

        return list(
            CreditLine.objects.select_related("account", "customer__user")
            .filter(customer=root.customer)
            .order_by("currency")
        )

    @staticmethod
    def resolve_badges(root: CustomerView, _info):
        from ..badges.types import badges_of  # badges and tier, as the staff console shows them

        return badges_of(root.customer)

    @staticmethod
    def resolve_discount_group(root: CustomerView, _info):
        from ..cardkinds.types import pos_group_of

        return pos_group_of(root.customer)

    @staticmethod
    def of(view: CustomerView) -> CustomerView:
        # The resolvers below read the view's parts lazily: only what the till's
        # query selects is read from the database.
        return view

    @staticmethod
    def resolve_customer_id(root: CustomerView, _info):
        return graphene.Node.to_global_id("User", root.user.pk) if root.user else None

    @staticmethod
    def resolve_name(root: CustomerView, _info):
        return (root.user.get_full_name() or "") if root.user else ""

    @staticmethod
    def resolve_email(root: CustomerView, _info):
        return (root.user.email if root.user else root.customer.email) or None

    @staticmethod
    def resolve_card(root: CustomerView, _info):
        return PosCard.of(root.card) if root.card else None

    @staticmethod
    def resolve_cards(root: CustomerView, _info):
        return [PosCard.of(card) for card in root.cards]

    @staticmethod
    def resolve_wallets(root: CustomerView, _info):
        return [
            PosWalletBalance(
                currency=account.unit,
                balance=WalletBalance.of(account.unit, account.posted, account.held),
            )
            for account in root.wallets
        ]

    @staticmethod
    def resolve_points(root: CustomerView, _info):
        points = root.points
        return PosPoints(
            available=points.available,
            posted=points.posted,
            held=points.held,
            pending=points.pending,
        )


class PosBooking(graphene.ObjectType):
    id = graphene.ID(required=True, description="The ledger transaction's ID.")
    reason = LedgerReasonEnum(required=True)
    amount = graphene.String(
        required=True, description="The customer's side, signed, as a decimal string."
    )
    unit = graphene.String(required=True, description="Currency code, or PTS.")
    created = graphene.DateTime(required=True)

    class Meta:
        description = "One ledger transaction booked by a POS request."

    @staticmethod
    def of(txn):
        side = getattr(txn, "customer_side", None)  # set by the booking that just wrote it
        if side is not None:
            amount, unit = side
            return PosBooking(
                id=graphene.Node.to_global_id("LedgerTransaction", txn.pk),
                reason=txn.reason,
                amount=str(amount.quantize(Decimal(1).scaleb(-precision(unit)))),
                unit=unit,
                created=txn.created_at,
            )
        entry = (
            txn.entries.exclude(account__kind="system").order_by("pk").first()
            or txn.entries.order_by("pk").first()
        )
        return PosBooking(
            id=graphene.Node.to_global_id("LedgerTransaction", txn.pk),
            reason=txn.reason,
            amount=str(entry.signed_amount.quantize(Decimal(1).scaleb(-precision(entry.unit)))),
            unit=entry.unit,
            created=txn.created_at,
        )


class PosCustomerLookup(graphene.ObjectType):
    customers = graphene.List(
        graphene.NonNull(PosCustomer),
        required=True,
        description="The card's customer, or up to 5 matches of an e-mail or name search.",
    )
    customer_value_errors = graphene.List(graphene.NonNull(CustomerValueError), required=True)

    class Meta:
        description = "The result of a POS customer lookup, with typed errors."


def result_money(amount, currency):
    return money(amount, currency) if amount is not None and currency else None


__all__ = ["PosBooking", "PosCard", "PosCustomer", "PosCustomerLookup", "PosPoints", "Money"]
