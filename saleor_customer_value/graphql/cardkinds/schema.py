"""Discount group, employee consumption and wallet-promotion queries and mutations,
mixed into ``CustomerValueQueries``/``Mutations``.

Staff read with MANAGE_DISCOUNT_GROUPS (the payroll report also with VIEW_LEDGER); a
logged-in shopper reads their own group and allowance (``myDiscountGroup``) and the
card discounts on their own checkout (``checkoutCardDiscounts``).
"""
import graphene
from graphql_jwt.decorators import login_required
from saleor.graphql.core.types import Money
from saleor.graphql.decorators import one_of_permissions_required, permission_required

from ...cardkinds import consumption
from ...models import DiscountGroup as DiscountGroupModel
from ...models import DiscountGroupMember as DiscountGroupMemberModel
from ...models import EmployeeConsumption as EmployeeConsumptionModel
from ...permissions import CustomerValuePermissions
from ..inputs import node_or_none
from ..wallet.types import money
from .mutations import (
    DiscountGroupCreate,
    DiscountGroupMemberRemove,
    DiscountGroupMemberSet,
    DiscountGroupUpdate,
    EmployeeConsumptionRecord,
    WalletPromotionUpdate,
)
from .types import (
    DiscountGroup,
    DiscountGroupMember,
    EmployeeConsumption,
    EmployeeConsumptionReport,
    EmployeeConsumptionReportRow,
    WalletPromotion,
)

MANAGE = CustomerValuePermissions.MANAGE_DISCOUNT_GROUPS


class CardDiscount(graphene.ObjectType):
    name = graphene.String(required=True)
    amount = graphene.Field("saleor.graphql.core.types.TaxedMoney", required=True)

    class Meta:
        description = "A card discount in the checkout calculation (net and gross)."


class CheckoutCardDiscounts(graphene.ObjectType):
    group = graphene.Field(CardDiscount, description="Step 2: the owner's discount group.")
    wallet_promotion = graphene.Field(CardDiscount, description="Step 5: for paying with the wallet.")


def _user(info, customer_id):
    from saleor.graphql.account.types import User

    return node_or_none(info, customer_id, User)


def _month(month):
    from django.utils import timezone

    return consumption.month_of(month or timezone.localdate())


class CardKindQueries(graphene.ObjectType):
    discount_groups = graphene.List(
        graphene.NonNull(DiscountGroup), required=True, description="The shop's discount groups [MANAGE_DISCOUNT_GROUPS]."
    )
    discount_group_members = graphene.List(
        graphene.NonNull(DiscountGroupMember),
        required=True,
        group_id=graphene.Argument(graphene.ID, required=True),
        description="A group's members [MANAGE_DISCOUNT_GROUPS].",
    )
    customer_discount_group = graphene.Field(
        DiscountGroupMember,
        customer_id=graphene.Argument(graphene.ID, required=True),
        description="A customer's membership [MANAGE_DISCOUNT_GROUPS].",
    )
    my_discount_group = graphene.Field(
        DiscountGroupMember, description="The logged-in customer's discount group and allowance."
    )
    employee_consumptions = graphene.List(
        graphene.NonNull(EmployeeConsumption),
        required=True,
        customer_id=graphene.Argument(graphene.ID, required=True),
        month=graphene.Date(description="Any day of the month (default: this month)."),
        description="An employee's uses in a month [MANAGE_DISCOUNT_GROUPS].",
    )
    employee_consumption_report = graphene.Field(
        EmployeeConsumptionReport,
        required=True,
        month=graphene.Date(description="Any day of the month (default: this month)."),
        group_id=graphene.ID(),
        description="Booked uses per employee in a month, with CSV, for payroll [MANAGE_DISCOUNT_GROUPS, VIEW_LEDGER].",
    )
    wallet_promotion = graphene.Field(WalletPromotion, required=True, description="The wallet-payment promotion.")
    checkout_card_discounts = graphene.Field(
        CheckoutCardDiscounts,
        token=graphene.Argument(graphene.UUID, required=True),
        description="The card discounts on the logged-in customer's checkout.",
    )

    @permission_required(MANAGE)
    def resolve_discount_groups(self, _info):
        return list(DiscountGroupModel.objects.order_by("name", "pk"))

    @permission_required(MANAGE)
    def resolve_discount_group_members(self, info, group_id):
        group = node_or_none(info, group_id, DiscountGroup)
        if group is None:
            return []
        return list(
            DiscountGroupMemberModel.objects.filter(group=group).select_related("group", "customer__user").order_by("pk")
        )

    @permission_required(MANAGE)
    def resolve_customer_discount_group(self, info, customer_id):
        user = _user(info, customer_id)
        if user is None:
            return None
        return DiscountGroupMemberModel.objects.select_related("group", "customer__user").filter(customer__user=user).first()

    @login_required
    def resolve_my_discount_group(self, info):
        return (
            DiscountGroupMemberModel.objects.select_related("group", "customer__user")
            .filter(customer__user=info.context.user)
            .first()
        )

    @permission_required(MANAGE)
    def resolve_employee_consumptions(self, info, customer_id, month=None):
        user = _user(info, customer_id)
        if user is None:
            return []
        return list(
            EmployeeConsumptionModel.objects.filter(customer__user=user, month=_month(month))
            .select_related("customer__user")
            .order_by("created_at", "pk")
        )

    @one_of_permissions_required([MANAGE, CustomerValuePermissions.VIEW_LEDGER])
    def resolve_employee_consumption_report(self, info, month=None, group_id=None):
        month = _month(month)
        group = node_or_none(info, group_id, DiscountGroup) if group_id else None
        if group_id and group is None:
            return EmployeeConsumptionReport(month=month, rows=[], csv=consumption.report_csv(month, -1))
        group_pk = group.pk if group else None
        rows = consumption.monthly_report(month, group_pk)
        return EmployeeConsumptionReport(
            month=month,
            rows=[
                EmployeeConsumptionReportRow(
                    customer_id=graphene.Node.to_global_id("User", r.user_id) if r.user_id else None,
                    email=r.email,
                    name=r.name,
                    group=r.group,
                    uses=r.uses,
                    item_count=r.item_count,
                    items_value=money(r.items_value, r.currency),
                    discount=money(r.discount, r.currency),
                )
                for r in rows
            ],
            csv=consumption.report_csv(month, group_pk),
        )

    def resolve_wallet_promotion(self, _info):
        from ...cardkinds import promotion

        return promotion.get_settings()

    @login_required
    def resolve_checkout_card_discounts(self, info, token):
        from saleor.checkout.models import Checkout

        from ...cardkinds import chain, groups, promotion

        checkout = Checkout.objects.filter(token=token).first()
        if checkout is None or checkout.user_id != info.context.user.pk:
            return None
        lines = list(checkout)
        discounts = info.context.discounts
        manager = info.context.plugins
        steps = chain.steps(checkout, lines, discounts, chain.saleor_total(checkout, lines, discounts, manager))
        rates = groups.rates_for_checkout(checkout)
        return CheckoutCardDiscounts(
            group=CardDiscount(name=groups.discount_name(rates), amount=steps.group)
            if rates is not None and steps.group.gross.amount > 0 else None,
            wallet_promotion=CardDiscount(name=promotion.discount_name(promotion.get_settings()), amount=steps.promotion)
            if steps.promotion.gross.amount > 0 else None,
        )


class CardKindMutations(graphene.ObjectType):
    discount_group_create = DiscountGroupCreate.Field()
    discount_group_update = DiscountGroupUpdate.Field()
    discount_group_member_set = DiscountGroupMemberSet.Field()
    discount_group_member_remove = DiscountGroupMemberRemove.Field()
    employee_consumption_record = EmployeeConsumptionRecord.Field()
    wallet_promotion_update = WalletPromotionUpdate.Field()
