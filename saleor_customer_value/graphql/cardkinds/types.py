"""GraphQL types of discount groups, employee consumption and the wallet-payment
promotion (issue 13)."""
import graphene
from graphene_django import DjangoObjectType
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.core.types import Money

from ...models import DiscountGroup as DiscountGroupModel
from ...models import DiscountGroupMember as DiscountGroupMemberModel
from ...models import EmployeeConsumption as EmployeeConsumptionModel
from ...models import WalletPromotion as WalletPromotionModel
from ...models.cardkinds import DiscountGroupKind, PromotionMode
from ..wallet.types import money

DiscountGroupKindEnum = graphene.Enum(
    "DiscountGroupKindEnum", [(value.upper(), value) for value, _label in DiscountGroupKind.CHOICES]
)
WalletPromotionModeEnum = graphene.Enum(
    "WalletPromotionModeEnum", [(value.upper(), value) for value, _label in PromotionMode.CHOICES]
)


class DiscountGroupCategoryRate(graphene.ObjectType):
    category = graphene.Field("saleor.graphql.product.types.Category", required=True)
    percent = Decimal(required=True)

    class Meta:
        description = "A percentage on a category and its subcategories."


class DiscountGroupProductRate(graphene.ObjectType):
    product = graphene.Field("saleor.graphql.product.types.Product", required=True)
    percent = Decimal(required=True)

    class Meta:
        description = "A percentage on one product (wins over its category's)."


class DiscountGroup(CountableDjangoObjectType):
    kind = DiscountGroupKindEnum(required=True)
    percent = Decimal(required=True, description="On every product (0-100).")
    category_rates = graphene.List(graphene.NonNull(DiscountGroupCategoryRate), required=True)
    product_rates = graphene.List(graphene.NonNull(DiscountGroupProductRate), required=True)
    allowance_amount = graphene.Field(Money, description="Employee groups: discount per member and month.")
    allowance_count = graphene.Int(description="Employee groups: discounted items per member and month.")
    member_count = graphene.Int(required=True)

    class Meta:
        model = DiscountGroupModel
        interfaces = [graphene.relay.Node]
        only_fields = ["id", "name", "is_active", "currency", "created_at"]
        description = "A card discount group (customer, employee, management)."

    @staticmethod
    def resolve_category_rates(root, _info):
        return [
            DiscountGroupCategoryRate(category=r.category, percent=r.percent)
            for r in root.category_rates.select_related("category").order_by("category__name")
        ]

    @staticmethod
    def resolve_product_rates(root, _info):
        return [
            DiscountGroupProductRate(product=r.product, percent=r.percent)
            for r in root.product_rates.select_related("product").order_by("product__name")
        ]

    @staticmethod
    def resolve_allowance_amount(root, _info):
        return money(root.allowance_amount, root.currency) if root.allowance_amount is not None else None

    @staticmethod
    def resolve_member_count(root, _info):
        return root.members.count()


class AllowanceUsage(graphene.ObjectType):
    month = graphene.Date(required=True)
    used_amount = graphene.Field(Money, required=True)
    used_count = graphene.Int(required=True)
    remaining_amount = graphene.Field(Money, description="Null: no amount limit.")
    remaining_count = graphene.Int(description="Null: no count limit.")

    class Meta:
        description = "An employee's use of the monthly allowance (booked and reserved uses)."


class DiscountGroupMember(DjangoObjectType):
    group = graphene.Field(DiscountGroup, required=True)
    customer_id = graphene.ID(description="The Saleor user's ID (null for an anonymous card).")
    email = graphene.String()
    is_valid_today = graphene.Boolean(required=True)
    allowance = graphene.Field(AllowanceUsage, description="This month's use (employee groups).")

    class Meta:
        model = DiscountGroupMemberModel
        only_fields = ["valid_from", "valid_until", "note", "created_at"]
        description = "A customer's membership in a discount group."

    @staticmethod
    def resolve_customer_id(root, _info):
        user_id = root.customer.user_id
        return graphene.Node.to_global_id("User", user_id) if user_id else None

    @staticmethod
    def resolve_email(root, _info):
        user = root.customer.user
        return (user.email if user else root.customer.email) or None

    @staticmethod
    def resolve_is_valid_today(root, _info):
        from django.utils import timezone

        today = timezone.localdate()
        return (root.valid_from is None or root.valid_from <= today) and (
            root.valid_until is None or root.valid_until >= today
        )

    @staticmethod
    def resolve_allowance(root, _info):
        return allowance_of(root)


def allowance_of(member):
    from ...cardkinds import consumption

    group = member.group
    if group.kind != DiscountGroupKind.EMPLOYEE:
        return None
    use = consumption.usage(member.pk, group)
    return AllowanceUsage(
        month=consumption.month_of(),
        used_amount=money(use.amount, group.currency),
        used_count=use.count,
        remaining_amount=money(use.remaining_amount, group.currency) if use.remaining_amount is not None else None,
        remaining_count=use.remaining_count,
    )


class EmployeeConsumption(DjangoObjectType):
    items_value = graphene.Field(Money, required=True)
    discount = graphene.Field(Money, required=True)
    order_id = graphene.ID()
    employee_email = graphene.String()

    class Meta:
        model = EmployeeConsumptionModel
        only_fields = ["id", "month", "status", "item_count", "note", "receipt", "created_at"]
        description = "One use of an employee allowance."

    @staticmethod
    def resolve_items_value(root, _info):
        return money(root.items_value, root.currency)

    @staticmethod
    def resolve_discount(root, _info):
        return money(root.discount, root.currency)

    @staticmethod
    def resolve_order_id(root, _info):
        return graphene.Node.to_global_id("Order", root.order_id) if root.order_id else None

    @staticmethod
    def resolve_employee_email(root, _info):
        user = root.customer.user
        return (user.email if user else root.customer.email) or None


class EmployeeConsumptionReportRow(graphene.ObjectType):
    customer_id = graphene.ID()
    email = graphene.String(required=True)
    name = graphene.String(required=True)
    group = graphene.String(required=True)
    uses = graphene.Int(required=True)
    item_count = graphene.Int(required=True)
    items_value = graphene.Field(Money, required=True)
    discount = graphene.Field(Money, required=True)

    class Meta:
        description = "One employee's month (booked uses only), for payroll."


class EmployeeConsumptionReport(graphene.ObjectType):
    month = graphene.Date(required=True)
    rows = graphene.List(graphene.NonNull(EmployeeConsumptionReportRow), required=True)
    csv = graphene.String(required=True, description="The same rows as CSV (UTF-8, comma separated).")


class WalletPromotion(DjangoObjectType):
    mode = WalletPromotionModeEnum(required=True)
    percent = Decimal(required=True)
    max_discount = Decimal(description="Per order, in the order's currency (null: none).")
    min_order = Decimal(required=True, description="Goods after discounts, gross.")

    class Meta:
        model = WalletPromotionModel
        only_fields = ["enabled", "name"]
        description = "A discount for paying with the wallet."


class PosDiscountGroup(graphene.ObjectType):
    name = graphene.String(required=True)
    kind = DiscountGroupKindEnum(required=True)
    percent = Decimal(required=True, description="On every product.")
    category_rates = graphene.List(graphene.NonNull(DiscountGroupCategoryRate), required=True)
    product_rates = graphene.List(graphene.NonNull(DiscountGroupProductRate), required=True)
    allowance = graphene.Field(AllowanceUsage, description="Employee groups: what is left this month.")

    class Meta:
        description = "The discount group a till applies (the most specific rate wins: product, category, general)."


def pos_group_of(customer):
    """The customer's group as a till sees it (only a membership valid today)."""
    from ...cardkinds import groups

    rates = groups.load_rates(customer_id=customer.pk)
    if rates is None:
        return None
    from saleor.product.models import Category as CategoryModel
    from saleor.product.models import Product as ProductModel

    listed = rates.listed_categories
    categories = CategoryModel.objects.in_bulk(list(listed))
    products = ProductModel.objects.in_bulk(list(rates.products))
    member = DiscountGroupMemberModel.objects.select_related("group").get(pk=rates.member_id)
    return PosDiscountGroup(
        name=rates.name,
        kind=rates.kind,
        percent=rates.percent,
        category_rates=[
            DiscountGroupCategoryRate(category=categories[pk], percent=percent)
            for pk, percent in sorted(listed.items()) if pk in categories
        ],
        product_rates=[
            DiscountGroupProductRate(product=products[pk], percent=percent)
            for pk, percent in sorted(rates.products.items()) if pk in products
        ],
        allowance=allowance_of(member),
    )
