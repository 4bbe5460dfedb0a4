import graphene
from saleor.graphql.core.scalars import Decimal

from ...models import Card as CardModel
from ..cards.types import Card
from ..enums import LedgerAccountKindEnum, LedgerReasonEnum


class CustomerValueCustomer(graphene.ObjectType):
    id = graphene.ID(
        description="Global ID of the Saleor user: the customerId of the staff queries "
        "and bookings. Empty for a card nobody registered yet."
    )
    email = graphene.String(required=True)
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    is_staff = graphene.Boolean(required=True)
    date_joined = graphene.DateTime()
    matched_by = graphene.String(
        required=True, description="What matched: card, chip, email, name or id."
    )
    card = graphene.Field(Card, description="The card that matched a scanned or typed code.")
    card_count = graphene.Int(required=True)

    class Meta:
        description = "A customer as staff find them in the console."

    @staticmethod
    def from_match(match):
        user = match.user
        return CustomerValueCustomer(
            id=graphene.Node.to_global_id("User", user.pk) if user else None,
            email=user.email if user else "",
            first_name=user.first_name if user else "",
            last_name=user.last_name if user else "",
            is_staff=bool(user and user.is_staff),
            date_joined=user.date_joined if user else None,
            matched_by=match.matched_by,
            card=match.card,
            card_count=_card_count(user, match.card),
        )


def _card_count(user, card):
    if user is not None:
        return CardModel.objects.filter(customer__user=user).count()
    return 1 if card is not None else 0


class LedgerReportTotal(graphene.ObjectType):
    reason = LedgerReasonEnum(required=True)
    unit = graphene.String(required=True)
    count = graphene.Int(required=True, description="Transactions.")
    credit = Decimal(required=True, description="Credited to customer accounts.")
    debit = Decimal(required=True, description="Debited from customer accounts.")
    net = Decimal(required=True, description="Credit minus debit.")


class LedgerReport(graphene.ObjectType):
    count = graphene.Int(required=True, description="Transactions matching the filter.")
    totals = graphene.List(graphene.NonNull(LedgerReportTotal), required=True)

    class Meta:
        description = "Totals of the filtered ledger, per reason and unit, over customer accounts."


class LedgerSeriesPoint(graphene.ObjectType):
    date = graphene.Date(required=True)
    topups = Decimal(required=True, description="Credited by top-ups (bonus and gift cards included).")
    spend = Decimal(required=True, description="Paid with the wallet at checkout and at tills.")
    outstanding = Decimal(required=True, description="What customers hold at the end of the day.")


class LedgerReversalLeg(graphene.ObjectType):
    account_kind = LedgerAccountKindEnum(required=True)
    unit = graphene.String(required=True)
    customer_email = graphene.String(required=True)
    change = Decimal(required=True)
    balance_before = Decimal(required=True)
    balance_after = Decimal(required=True)
    clawback = graphene.Boolean(required=True, description="Points already spent: the balance goes below zero.")


class LedgerReversalPreview(graphene.ObjectType):
    transaction = graphene.Field("saleor_customer_value.graphql.ledger.types.LedgerTransaction", required=True)
    legs = graphene.List(graphene.NonNull(LedgerReversalLeg), required=True)
    reversible = graphene.Boolean(required=True)
    needs_clawback = graphene.Boolean(required=True, description="Reverse with allowClawback: true.")
    blocked_by = graphene.String(description="Error code the reversal would fail with.")
    message = graphene.String(required=True)

    class Meta:
        description = "What ledgerTransactionReverse would do; books nothing."


class OrderRefundToWalletPreview(graphene.ObjectType):
    order = graphene.Field("saleor.graphql.order.types.Order")
    order_id = graphene.ID()
    order_number = graphene.String()
    customer_email = graphene.String()
    currency = graphene.String(required=True)
    captured = Decimal()
    already_refunded = Decimal()
    refundable = Decimal()
    amount = Decimal()
    bonus = Decimal()
    total_credit = Decimal()
    wallet_before = Decimal()
    wallet_after = Decimal()
    allowed = graphene.Boolean(required=True)
    field = graphene.String(description="The argument a refusal is about.")
    message = graphene.String(required=True)

    class Meta:
        description = "What orderRefundToWallet would credit; books nothing."


class LedgerExportFile(graphene.ObjectType):
    url = graphene.String(required=True)
    filename = graphene.String(required=True)
    content_type = graphene.String(required=True)
