"""The audit trail: ledger transactions, system balances, reversals."""
import graphene

from ..inputs import node_or_none
from saleor.graphql.core.fields import FilterInputConnectionField
from saleor.graphql.decorators import permission_required

from ...ledger import queries
from ...models import Account, AccountKind, LedgerTransaction as LedgerTransactionModel
from ...permissions import CustomerValuePermissions
from .filters import LedgerTransactionFilterInput
from .mutations import LedgerTransactionReverse
from .types import LedgerSystemBalance, LedgerTransaction


class LedgerQueries(graphene.ObjectType):
    ledger_transactions = FilterInputConnectionField(
        LedgerTransaction,
        filter=LedgerTransactionFilterInput(description="Filtering options."),
        description="The ledger's audit trail, newest first (reversals included).",
    )
    ledger_transaction = graphene.Field(
        LedgerTransaction,
        id=graphene.Argument(graphene.ID, required=True),
        description="Look up a ledger transaction by ID.",
    )
    ledger_system_balances = graphene.List(
        graphene.NonNull(LedgerSystemBalance),
        required=True,
        description=(
            "Balances of the system accounts (the other side of customer movements). "
            "Computed from entries: an auditor's reconciliation view."
        ),
    )

    @permission_required(CustomerValuePermissions.VIEW_LEDGER)
    def resolve_ledger_transactions(self, info, **_kwargs):
        return LedgerTransactionModel.objects.order_by("-pk")

    @permission_required(CustomerValuePermissions.VIEW_LEDGER)
    def resolve_ledger_transaction(self, info, id):
        return node_or_none(info, id, LedgerTransaction)

    @permission_required(CustomerValuePermissions.VIEW_LEDGER)
    def resolve_ledger_system_balances(self, info):
        accounts = Account.objects.filter(kind=AccountKind.SYSTEM).order_by(
            "system_code", "unit"
        )
        return [
            LedgerSystemBalance(account=account, balance=queries.balance(account))
            for account in accounts
        ]


class LedgerMutations(graphene.ObjectType):
    ledger_transaction_reverse = LedgerTransactionReverse.Field()
