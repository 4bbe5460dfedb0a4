from django.utils.translation import gettext as _
import graphene

from ...models import PartnerBooking
from ...partners import clearing, merchants
from ...partners.errors import MerchantNotFound
from ...permissions import CustomerValuePermissions
from ..core import has_permissions
from ..inputs import decode_id
from .mutations import (
    MerchantCreate,
    MerchantMemberRemove,
    MerchantPointsAdjust,
    MerchantRewardCreate,
    MerchantRewardDeactivate,
    MerchantSettle,
    PartnerPlanJoin,
    MerchantStaffAssign,
    MerchantStatementPayoutRecord,
    MerchantTillAssign,
    MerchantUpdate,
)
from .types import Merchant, MerchantReward, MerchantStatement, PartnerNetworkPosition, PartnerPlan, bookings_of

MAX_ROWS = 200


def _caller(info):
    return info.context.user, getattr(info.context, "app", None)


def _merchant(info, merchant_id):
    """The merchant behind ``merchant_id`` if the caller may see it; otherwise
    NOT_FOUND, whether it exists or not. Without an ID: the caller's own merchant."""
    if merchant_id is None:
        own = merchants.for_request(*_caller(info))
        if own is None:
            raise MerchantNotFound(_("You do not act for a merchant."))
        return own
    try:
        pk = decode_id(merchant_id, Merchant, field="merchantId")
    except Exception:  # noqa: BLE001 - malformed: same answer as unknown
        raise MerchantNotFound(_("No merchant has the ID %(id)s.") % {"id": merchant_id})
    return merchants.get_visible(pk, *_caller(info))


class MerchantCustomer(graphene.ObjectType):
    customer_id = graphene.ID(description="The Saleor user (null for an anonymous card).")
    name = graphene.String()
    email = graphene.String()
    bookings = graphene.Int(required=True, description="Bookings made for this merchant.")
    points = graphene.Int(required=True, description="The customer's points balance (shared points).")
    plan_points = graphene.Int(
        required=True,
        description="Net points booked at this merchant (earned there, less redeemed or removed there).",
    )


class PartnerQueries(graphene.ObjectType):
    merchants = graphene.List(
        graphene.NonNull(Merchant),
        required=True,
        description="Merchants the caller may see: all (MANAGE_PARTNERS) or the caller's own.",
    )
    merchant = graphene.Field(
        Merchant,
        id=graphene.Argument(graphene.ID, description="Omit for the caller's own merchant."),
        description="One merchant; another merchant's is NOT_FOUND to its staff and tills.",
    )
    merchant_bookings = graphene.List(
        graphene.NonNull("saleor_customer_value.graphql.partners.types.MerchantBooking"),
        required=True,
        merchant_id=graphene.Argument(graphene.ID, description="Omit for the caller's own merchant."),
        first=graphene.Int(default_value=100),
        description="The latest till bookings made for a merchant, with their clearing (newest first).",
    )
    merchant_statements = graphene.List(
        graphene.NonNull(MerchantStatement),
        required=True,
        merchant_id=graphene.Argument(graphene.ID, description="Omit for the caller's own merchant."),
        description="A merchant's statements, newest first.",
    )
    merchant_customers = graphene.List(
        graphene.NonNull(MerchantCustomer),
        required=True,
        merchant_id=graphene.Argument(graphene.ID, description="Omit for the caller's own merchant."),
        description="Customers who transacted with the merchant, with their points.",
    )
    my_partner_plans = graphene.List(
        graphene.NonNull(PartnerPlan),
        required=True,
        description="The merchant card plans the logged-in customer joined, with the points per plan.",
    )
    partner_network_position = graphene.Field(
        PartnerNetworkPosition,
        currency=graphene.String(required=True),
        description="The operator's view of the clearing with every partner (MANAGE_PARTNERS).",
    )

    def resolve_merchants(self, info):
        return list(merchants.visible(*_caller(info)).order_by("name", "pk"))

    def resolve_merchant(self, info, id=None):
        return _merchant(info, id)

    def resolve_merchant_bookings(self, info, merchant_id=None, first=100):
        merchant = _merchant(info, merchant_id)
        return bookings_of(merchant, limit=max(1, min(first or 100, MAX_ROWS)))

    def resolve_merchant_statements(self, info, merchant_id=None):
        merchant = _merchant(info, merchant_id)
        return list(merchant.statements.order_by("-number")[:MAX_ROWS])

    def resolve_merchant_customers(self, info, merchant_id=None):
        from django.db.models import Count

        from ...loyalty import queries as points_queries

        from ...models import Customer, PlanMember

        merchant = _merchant(info, merchant_id)
        rows = list(
            PartnerBooking.objects.filter(merchant=merchant, customer__isnull=False)
            .values("customer_id")
            .annotate(n=Count("transaction_id"))
            .order_by("-n", "customer_id")[:MAX_ROWS]
        )
        seen = {r["customer_id"] for r in rows}
        for member_id in PlanMember.objects.filter(merchant=merchant).values_list("customer_id", flat=True)[:MAX_ROWS]:
            if member_id not in seen:
                rows.append({"customer_id": member_id, "n": 0})
        customers = Customer.objects.select_related("user").in_bulk([r["customer_id"] for r in rows])
        from ...partners import plans

        result = []
        for row in rows:
            customer = customers[row["customer_id"]]
            user = customer.user if customer.user_id else None
            result.append(
                MerchantCustomer(
                    customer_id=graphene.Node.to_global_id("User", user.pk) if user else None,
                    name=(user.get_full_name() if user else "") or None,
                    email=(user.email if user else customer.email) or None,
                    bookings=row["n"],
                    points=int(points_queries.balance(customer).available),
                    plan_points=plans.balances(customer, [merchant.pk]).get(merchant.pk, 0),
                )
            )
        return result

    def resolve_my_partner_plans(self, info):
        from ...ledger import accounts
        from ...models import PlanMember
        from ...partners import plans

        user = info.context.user
        if not user or not user.is_authenticated:
            return []
        customer = accounts.customer_for_user(user)
        members = list(
            PlanMember.objects.filter(customer=customer, merchant__plan_enabled=True)
            .select_related("merchant")
            .order_by("merchant__name")
        )
        balances = plans.balances(customer, [m.merchant_id for m in members])
        result = []
        for member in members:
            merchant = member.merchant
            points = balances.get(merchant.pk, 0)
            result.append(
                PartnerPlan(
                    merchant_name=merchant.name,
                    description=merchant.plan_description,
                    earning_rule=f"{merchant.plan_earn_points} per {merchant.plan_earn_amount:f} {merchant.currency}",
                    joined_at=member.joined_at,
                    points=points,
                    rewards=[MerchantReward.of(r, points) for r in merchant.rewards.filter(is_active=True)],
                )
            )
        return result

    def resolve_partner_network_position(self, info, currency):
        if not has_permissions(info.context, (CustomerValuePermissions.MANAGE_PARTNERS,)):
            from graphql import GraphQLError

            raise GraphQLError(_("PERMISSION_DENIED: You do not have permission to perform this action."))
        from ...ledger.amounts import validate_currency

        return PartnerNetworkPosition.of(clearing.network_position(validate_currency(currency)))


class PartnerMutations(graphene.ObjectType):
    merchant_create = MerchantCreate.Field()
    merchant_update = MerchantUpdate.Field()
    merchant_till_assign = MerchantTillAssign.Field()
    merchant_staff_assign = MerchantStaffAssign.Field()
    merchant_member_remove = MerchantMemberRemove.Field()
    merchant_settle = MerchantSettle.Field()
    merchant_statement_payout_record = MerchantStatementPayoutRecord.Field()
    merchant_reward_create = MerchantRewardCreate.Field()
    merchant_reward_deactivate = MerchantRewardDeactivate.Field()
    merchant_points_adjust = MerchantPointsAdjust.Field()
    partner_plan_join = PartnerPlanJoin.Field()
