import graphene
from graphql_jwt.decorators import login_required
from saleor.graphql.decorators import one_of_permissions_required

from ...models import CreditLine as Model
from ...permissions import CustomerValuePermissions
from ..inputs import node_or_none
from .mutations import (
    CheckoutCreditApply,
    CheckoutCreditPaymentToken,
    CheckoutCreditRemove,
    CreditCycleClose,
    CreditLimitUpdate,
    CreditLineCreate,
    CreditLineUpdate,
    CreditPaymentRecord,
    PosCreditPay,
)
from .types import CreditLine


def _lines(**lookup):
    return list(
        Model.objects.select_related("account", "customer__user").filter(**lookup).order_by("currency")
    )


class CreditQueries(graphene.ObjectType):
    my_credit_lines = graphene.List(
        graphene.NonNull(CreditLine),
        required=True,
        description="The logged-in customer's credit lines with their statements.",
    )
    customer_credit_lines = graphene.List(
        graphene.NonNull(CreditLine),
        customer_id=graphene.Argument(graphene.ID, required=True),
        description="A customer's credit lines (MANAGE_CREDIT or VIEW_LEDGER).",
    )

    @login_required
    def resolve_my_credit_lines(self, info):
        return _lines(customer__user=info.context.user)

    @one_of_permissions_required(
        [CustomerValuePermissions.MANAGE_CREDIT, CustomerValuePermissions.VIEW_LEDGER]
    )
    def resolve_customer_credit_lines(self, info, customer_id):
        from saleor.graphql.account.types import User

        user = node_or_none(info, customer_id, User)
        return _lines(customer__user=user) if user else []


class CreditMutations(graphene.ObjectType):
    credit_line_create = CreditLineCreate.Field()
    credit_limit_update = CreditLimitUpdate.Field()
    credit_line_update = CreditLineUpdate.Field()
    credit_cycle_close = CreditCycleClose.Field()
    credit_payment_record = CreditPaymentRecord.Field()
    checkout_credit_payment_token = CheckoutCreditPaymentToken.Field()
    checkout_credit_apply = CheckoutCreditApply.Field()
    checkout_credit_remove = CheckoutCreditRemove.Field()
    pos_credit_pay = PosCreditPay.Field()
