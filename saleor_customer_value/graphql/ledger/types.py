import graphene
from saleor.graphql.core.scalars import Decimal
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType

from ... import models
from ...ledger import queries
from ..enums import (
    LedgerAccountKindEnum,
    LedgerActorTypeEnum,
    LedgerReasonEnum,
    LedgerSystemAccountEnum,
)


class LedgerBalance(graphene.ObjectType):
    unit = graphene.String(required=True, description="Currency code, or PTS.")
    posted = Decimal(required=True, description="Booked balance.")
    held = Decimal(required=True, description="Reserved by pending holds.")
    available = Decimal(required=True, description="Posted minus held.")

    class Meta:
        description = "A balance split into posted, held and available value."


class LedgerAccount(CountableDjangoObjectType):
    kind = LedgerAccountKindEnum(required=True)
    system_code = LedgerSystemAccountEnum(
        description="For system accounts: what the account stands for."
    )
    balance = graphene.Field(LedgerBalance, required=True)
    customer_email = graphene.String(description="E-mail of the customer, if any.")

    class Meta:
        description = "One balance in one unit: a customer's wallet or points, or a system account."
        model = models.Account
        interfaces = [relay.Node]
        only_fields = ["id", "unit", "created_at"]

    @staticmethod
    def resolve_system_code(root: models.Account, _info):
        return root.system_code or None

    @staticmethod
    def resolve_balance(root: models.Account, _info):
        return queries.balance(root)

    @staticmethod
    def resolve_customer_email(root: models.Account, _info):
        return root.customer.email if root.customer_id else None


class LedgerEntry(graphene.ObjectType):
    account = graphene.Field(LedgerAccount, required=True)
    unit = graphene.String(required=True)
    amount = Decimal(
        required=True, description="Signed: positive raises the account's balance."
    )
    balance_after = Decimal(
        description="The account's posted balance after this entry (customer accounts)."
    )

    class Meta:
        description = "One leg of a ledger transaction."

    @staticmethod
    def resolve_amount(root: models.Entry, _info):
        return root.signed_amount


class LedgerTransaction(CountableDjangoObjectType):
    reason = LedgerReasonEnum(required=True)
    reason_label = graphene.String(required=True, description="The reason in the request's language.")
    actor_type = LedgerActorTypeEnum(required=True)
    actor_user = graphene.Field("saleor.graphql.account.types.User")
    actor_app = graphene.Field("saleor.graphql.app.types.App")
    order = graphene.Field("saleor.graphql.order.types.Order")
    entries = graphene.List(graphene.NonNull(LedgerEntry), required=True)
    reversal_of = graphene.Field(lambda: LedgerTransaction)
    reversed_by = graphene.Field(lambda: LedgerTransaction)
    metadata = graphene.JSONString(
        description="Rule values the movement was computed with."
    )

    class Meta:
        description = "One movement of value, made of entries that sum to zero per unit."
        model = models.LedgerTransaction
        interfaces = [relay.Node]
        only_fields = [
            "id",
            "created_at",
            "actor_label",
            "note",
            "customer_note",
            "checkout_token",
            "external_reference",
            "is_clawback",
        ]

    @staticmethod
    def resolve_reason_label(root, _info):
        from ...ledger.reasons import reason_label

        return reason_label(root.reason)

    @staticmethod
    def resolve_entries(root: models.LedgerTransaction, _info):
        return root.entries.select_related("account", "account__customer")

    @staticmethod
    def resolve_reversed_by(root: models.LedgerTransaction, _info):
        return models.LedgerTransaction.objects.filter(reversal_of=root).first()

    @staticmethod
    def resolve_order(root: models.LedgerTransaction, _info):
        return root.order if root.order_id else None


class LedgerSystemBalance(graphene.ObjectType):
    account = graphene.Field(LedgerAccount, required=True)
    balance = graphene.Field(LedgerBalance, required=True)
