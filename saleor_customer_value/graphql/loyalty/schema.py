"""Loyalty queries and mutations, mixed into ``CustomerValueQueries``/``Mutations``.

Queries follow Saleor: a missing permission or login is a GraphQL error; the program's
rules are public (shops publish them).
"""
import graphene

from ..inputs import node_or_none
from graphql_jwt.decorators import login_required
from saleor.graphql.decorators import one_of_permissions_required, permission_required

from ...ledger import accounts
from ...ledger.errors import LedgerError
from ...loyalty import bookings, queries
from ...loyalty import program as programs
from ...models import Customer
from ...permissions import CustomerValuePermissions
from saleor.graphql.core.scalars import Decimal

from .mutations import (
    POINTS_INPUT,
    CheckoutPointsApply,
    CheckoutPointsRemove,
    LoyaltyActionRecord,
    LoyaltyEarnRuleDelete,
    LoyaltyEarnRuleSet,
    LoyaltyPointsAdd,
    LoyaltyPointsSubtract,
    LoyaltyProgramUpdate,
    PointsConvertToWallet,
    checkout_quote,
)
from .types import (
    CheckoutPointsQuote,
    LoyaltyPoints,
    LoyaltyPointsBalance,
    LoyaltyPointsPreview,
    LoyaltyProgram,
    PointsConversionPreview,
)


def _user(info, customer_id):
    from saleor.graphql.account.types import User

    return node_or_none(info, customer_id, User)


def _balance(posted, held, pending):
    return LoyaltyPointsBalance(
        posted=posted, held=held, available=max(posted - held, 0), pending=pending
    )


class LoyaltyQueries(graphene.ObjectType):
    loyalty_program = graphene.Field(
        LoyaltyProgram, required=True, description="The shop's loyalty program and its rules."
    )
    my_points = graphene.Field(
        LoyaltyPoints, required=True, description="The logged-in customer's loyalty points."
    )
    customer_points = graphene.Field(
        LoyaltyPoints,
        customer_id=graphene.Argument(graphene.ID, required=True),
        description="A customer's loyalty points (staff).",
    )
    checkout_points_quote = graphene.Field(
        CheckoutPointsQuote,
        checkout_id=graphene.Argument(graphene.ID),
        token=graphene.Argument(graphene.UUID),
        description=(
            "What the logged-in customer's points can do for their checkout (by ID or "
            "token): how many can be used and the discount."
        ),
    )
    loyalty_points_preview = graphene.Field(
        LoyaltyPointsPreview,
        customer_id=graphene.Argument(graphene.ID, required=True),
        points=graphene.Argument(
            graphene.Int, required=True, description="Signed: positive adds, negative subtracts."
        ),
        description="The balance a points booking would leave, before it is made (staff).",
    )

    points_conversion_preview = graphene.Field(
        PointsConversionPreview,
        required=True,
        points=graphene.Argument(Decimal, required=True, **POINTS_INPUT),
        description="What converting points into wallet money would give the logged-in customer; books nothing.",
    )

    @login_required
    def resolve_points_conversion_preview(self, info, points):
        from prices import Money as PricesMoney

        from ...loyalty import conversion
        from ..core import CustomerValueError

        customer = Customer.objects.filter(user=info.context.user).first()
        try:
            if customer is None:
                conversion.preview_without_account(points)
            preview = conversion.preview(customer, points)
        except LedgerError as exc:
            return PointsConversionPreview(
                allowed=False,
                problem=CustomerValueError(field=exc.field or "points", message=exc.message, code=exc.code.lower()),
            )
        return PointsConversionPreview(
            allowed=True,
            points=preview.points,
            amount=PricesMoney(preview.amount, preview.currency),
            points_left=preview.available - preview.points,
        )

    def resolve_loyalty_program(self, _info):
        return programs.get_program()

    @login_required
    def resolve_my_points(self, info):
        return queries.points_of(info.context.user)

    @one_of_permissions_required(
        [CustomerValuePermissions.MANAGE_LOYALTY, CustomerValuePermissions.VIEW_LEDGER]
    )
    def resolve_customer_points(self, info, customer_id):
        user = _user(info, customer_id)
        return queries.points_of(user) if user else None

    @login_required
    def resolve_checkout_points_quote(self, info, checkout_id=None, token=None):
        from saleor.checkout.models import Checkout
        from saleor.graphql.checkout.types import Checkout as CheckoutType

        if checkout_id:
            checkout = node_or_none(info, checkout_id, CheckoutType)
        elif token:
            checkout = Checkout.objects.filter(token=token).first()
        else:
            return None
        if checkout is None or checkout.user_id != info.context.user.pk:
            return None
        return checkout_quote(info, checkout)

    @permission_required(CustomerValuePermissions.MANAGE_LOYALTY)
    def resolve_loyalty_points_preview(self, info, customer_id, points):
        user = _user(info, customer_id)
        if user is None:
            return None
        customer = Customer.objects.filter(user=user).first() or accounts.customer_for_user(user)
        try:
            preview = bookings.preview(customer, points)
        except LedgerError as exc:
            from graphql.error import GraphQLError

            raise GraphQLError(f"{exc.code}: {exc.message}")
        return LoyaltyPointsPreview(
            balance=_balance(preview.posted, preview.held, preview.pending),
            resulting_balance=_balance(preview.resulting_posted, preview.held, preview.pending),
            allowed=preview.allowed,
        )


class LoyaltyMutations(graphene.ObjectType):
    loyalty_program_update = LoyaltyProgramUpdate.Field()
    loyalty_earn_rule_set = LoyaltyEarnRuleSet.Field()
    loyalty_earn_rule_delete = LoyaltyEarnRuleDelete.Field()
    loyalty_action_record = LoyaltyActionRecord.Field()
    loyalty_points_add = LoyaltyPointsAdd.Field()
    loyalty_points_subtract = LoyaltyPointsSubtract.Field()
    checkout_points_apply = CheckoutPointsApply.Field()
    checkout_points_remove = CheckoutPointsRemove.Field()
    points_convert_to_wallet = PointsConvertToWallet.Field()
