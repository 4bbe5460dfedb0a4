"""Discount group, membership, employee consumption and wallet-promotion mutations:
thin adapters over ``cardkinds`` services [MANAGE_DISCOUNT_GROUPS]. Every one answers
with ``customerValueErrors`` and runs in one DB transaction."""
import graphene
from saleor.graphql.core.scalars import Decimal

from ...cardkinds import catalogue, consumption
from ...ledger import accounts
from ...ledger.amounts import to_amount, validate_currency
from ...models import DiscountGroup as DiscountGroupModel
from ...permissions import CustomerValuePermissions
from ..badges.mutations import node
from ..core import IDEMPOTENCY_KEY_ARGUMENT, CustomerValueMutation
from ..core import idempotency_key as idem_key
from .types import (
    DiscountGroup,
    DiscountGroupKindEnum,
    DiscountGroupMember,
    EmployeeConsumption,
    WalletPromotion,
    WalletPromotionModeEnum,
)

MANAGE = CustomerValuePermissions.MANAGE_DISCOUNT_GROUPS


class CategoryRateInput(graphene.InputObjectType):
    category = graphene.ID(required=True, description="The category (its subcategories included).")
    percent = Decimal(required=True, description="0-100.")


class ProductRateInput(graphene.InputObjectType):
    product = graphene.ID(required=True)
    percent = Decimal(required=True, description="0-100 (wins over the category's and the general one).")


class DiscountGroupInput(graphene.InputObjectType):
    name = graphene.String(description="Required on create.")
    kind = DiscountGroupKindEnum()
    percent = Decimal(description="On every product, 0-100.")
    category_rates = graphene.List(graphene.NonNull(CategoryRateInput), description="Replaces the list.")
    product_rates = graphene.List(graphene.NonNull(ProductRateInput), description="Replaces the list.")
    is_active = graphene.Boolean()
    allowance_amount = Decimal(description="Employee groups: discount per member and month (null: no limit).")
    allowance_count = graphene.Int(description="Employee groups: discounted items per member and month.")
    currency = graphene.String(description="Of the allowance amount (default EUR).")


def _group_data(mutation, info, input):
    from saleor.graphql.product.types import Category, Product

    data = dict(input)
    if data.get("category_rates") is not None:
        data["category_rates"] = [
            (node(mutation, info, r["category"], Category, "category_rates"), r["percent"]) for r in data["category_rates"]
        ]
    if data.get("product_rates") is not None:
        data["product_rates"] = [
            (node(mutation, info, r["product"], Product, "product_rates"), r["percent"]) for r in data["product_rates"]
        ]
    return data


class DiscountGroupCreate(CustomerValueMutation):
    discount_group = graphene.Field(DiscountGroup)

    class Arguments:
        input = DiscountGroupInput(required=True)

    class Meta:
        description = "Define a discount group [MANAGE_DISCOUNT_GROUPS]."
        permissions = (MANAGE,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        return cls(discount_group=catalogue.save_group(DiscountGroupModel(), _group_data(cls, info, input)))


class DiscountGroupUpdate(CustomerValueMutation):
    discount_group = graphene.Field(DiscountGroup)

    class Arguments:
        id = graphene.ID(required=True)
        input = DiscountGroupInput(required=True)

    class Meta:
        description = "Change a discount group; only the fields sent change [MANAGE_DISCOUNT_GROUPS]."
        permissions = (MANAGE,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        group = node(cls, info, id, DiscountGroup, "id")
        return cls(discount_group=catalogue.save_group(group, _group_data(cls, info, input)))


def _customer(mutation, info, customer_id):
    from saleor.graphql.account.types import User

    user = node(mutation, info, customer_id, User, "customer_id")
    return accounts.customer_for_user(user)


class DiscountGroupMemberSet(CustomerValueMutation):
    member = graphene.Field(DiscountGroupMember)

    class Arguments:
        customer_id = graphene.ID(required=True, description="A Saleor user (the card's owner).")
        group_id = graphene.ID(required=True)
        valid_from = graphene.Date()
        valid_until = graphene.Date()
        note = graphene.String()

    class Meta:
        description = (
            "Put a customer into a discount group (a customer is in at most one: this "
            "moves them) [MANAGE_DISCOUNT_GROUPS]."
        )
        permissions = (MANAGE,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, group_id, valid_from=None, valid_until=None, note=None):
        customer = _customer(cls, info, customer_id)
        group = node(cls, info, group_id, DiscountGroup, "group_id")
        return cls(member=catalogue.set_member(customer, group, valid_from, valid_until, note))


class DiscountGroupMemberRemove(CustomerValueMutation):
    removed = graphene.Boolean(required=True, default_value=False)

    class Arguments:
        customer_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Take a customer out of their discount group (a membership with booked "
            "employee consumption ends yesterday instead) [MANAGE_DISCOUNT_GROUPS]."
        )
        permissions = (MANAGE,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id):
        return cls(removed=catalogue.remove_member(_customer(cls, info, customer_id)))


class EmployeeConsumptionRecord(CustomerValueMutation):
    consumption = graphene.Field(EmployeeConsumption)

    class Arguments:
        customer_id = graphene.ID(required=True, description="The employee (a Saleor user).")
        items_value = Decimal(required=True, description="Gross value of the items taken.")
        discount = Decimal(description="What the discount took off (default: the items' value, 100 %).")
        item_count = graphene.Int(default_value=0)
        currency = graphene.String(required=True)
        note = graphene.String(required=True)
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Book an employee's use by hand (e.g. the canteen), against the monthly "
            "allowance; over the allowance is ALLOWANCE_EXCEEDED and nothing is booked "
            "[MANAGE_DISCOUNT_GROUPS]."
        )
        permissions = (MANAGE,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, items_value, currency, note, item_count=0, discount=None, idempotency_key=None):
        currency = validate_currency(currency)
        value = to_amount(items_value, currency, field="itemsValue")
        off = value if discount is None else to_amount(discount, currency, field="discount")
        row = consumption.book(
            _customer(cls, info, customer_id), value, off, item_count, currency, note,
            idem=idem_key(info, idempotency_key),
        )
        return cls(consumption=row)


class WalletPromotionInput(graphene.InputObjectType):
    enabled = graphene.Boolean()
    percent = Decimal(description="0-100, off the goods.")
    mode = WalletPromotionModeEnum()
    max_discount = Decimal(description="Per order (null: no maximum).")
    min_order = Decimal(description="Goods after discounts, gross.")
    name = graphene.String(description="Shown on the checkout and the order.")


class WalletPromotionUpdate(CustomerValueMutation):
    wallet_promotion = graphene.Field(WalletPromotion)

    class Arguments:
        input = WalletPromotionInput(required=True)

    class Meta:
        description = "Switch and set the wallet-payment promotion [MANAGE_DISCOUNT_GROUPS]."
        permissions = (MANAGE,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        return cls(wallet_promotion=catalogue.update_promotion(dict(input)))
