import graphene

from ...badges import evaluate as badge_rules
from ...ledger import service
from ...models import AccountKind
from ...models import LedgerTransaction as LedgerTransactionModel
from ...permissions import CustomerValuePermissions
from ..core import (
    IDEMPOTENCY_KEY_ARGUMENT,
    CustomerValueMutation,
    error,
    has_permissions,
    idempotency_key,
    permission_denied,
    request_actor,
)
from ...error_codes import CustomerValueErrorCode as Code
from .types import LedgerTransaction
from django.utils.translation import gettext as _


def required_permissions(txn: LedgerTransactionModel):
    """Money movements need MANAGE_WALLETS, points movements MANAGE_LOYALTY."""
    kinds = set(txn.entries.values_list("account__kind", flat=True))
    perms = []
    if AccountKind.WALLET in kinds or any(
        unit != "PTS" for unit in txn.entries.values_list("unit", flat=True)
    ):
        perms.append(CustomerValuePermissions.MANAGE_WALLETS)
    if AccountKind.POINTS in kinds:
        perms.append(CustomerValuePermissions.MANAGE_LOYALTY)
    return perms


class LedgerTransactionReverse(CustomerValueMutation):
    transaction = graphene.Field(LedgerTransaction, description="The reversal.")

    class Arguments:
        id = graphene.ID(required=True, description="ID of the transaction to reverse.")
        note = graphene.String(
            required=True, description="Internal note: why it is reversed."
        )
        allow_clawback = graphene.Boolean(
            default_value=False,
            description=(
                "Let a points balance go below zero when the points were already spent "
                "(a clawback; the customer cannot redeem until it is positive again)."
            ),
        )
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Reverse a ledger transaction with a mirror transaction that points at it. "
            "The original stays in the audit trail; customer history hides both."
        )
        permissions = (CustomerValuePermissions.VIEW_LEDGER,)

    @classmethod
    def check_permissions(cls, context, permissions=None):
        # The real check depends on the transaction's units (see perform_mutation);
        # any of the plugin's booking permissions lets the caller get that far.
        return any(
            has_permissions(context, (perm,))
            for perm in (
                CustomerValuePermissions.MANAGE_WALLETS,
                CustomerValuePermissions.MANAGE_LOYALTY,
            )
        )

    @classmethod
    def perform_mutation(cls, _root, info, **data):
        txn = cls.get_node_or_error(info, data["id"], only_type=LedgerTransaction)
        if not has_permissions(info.context, required_permissions(txn)):
            raise permission_denied()
        note = (data.get("note") or "").strip()
        if not note:
            raise error("note", _("Say why the transaction is reversed."), Code.REQUIRED)
        reversal = service.reverse(
            txn,
            actor=request_actor(info),
            note=note,
            allow_clawback=data.get("allow_clawback", False),
            idem=idempotency_key(info, data.get("idempotency_key")),
        )
        badge_rules.project_points_of(reversal)  # lots and badges follow in this transaction
        return cls(transaction=reversal)
