"""GraphQL types of the loyalty program (views over ``loyalty`` services and models)."""
import graphene
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.core.fields import PrefetchingConnectionField
from saleor.graphql.core.types import Money, TaxedMoney

from ... import models
from ...ledger import queries as ledger_queries
from ...loyalty import program as programs
from ...models.loyalty import (
    EarnBase,
    EarnMode,
    EarnMoment,
    EarnRounding,
    EarnRuleMode,
    LotStatus,
    MaxDiscountType,
    ReviewPolicy,
)
from ..core import CustomerValueError
from ..enums import CustomerValueErrorCode, LedgerReasonEnum
from ..wallet.types import money


def _enum(name, choices, description):
    return graphene.Enum(
        name, [(code.upper(), code) for code, _ in choices], description=description
    )


LoyaltyEarnBaseEnum = _enum("LoyaltyEarnBaseEnum", EarnBase.CHOICES, "What purchase points are computed on.")
LoyaltyEarnRoundingEnum = _enum("LoyaltyEarnRoundingEnum", EarnRounding.CHOICES, "How an order's points are rounded.")
LoyaltyEarnModeEnum = _enum(
    "LoyaltyEarnModeEnum", EarnMode.CHOICES, "Whether parts of the earn amount earn points."
)
LoyaltyEarnMomentEnum = _enum("LoyaltyEarnMomentEnum", EarnMoment.CHOICES, "When an order earns its points.")
LoyaltyReviewPolicyEnum = _enum("LoyaltyReviewPolicyEnum", ReviewPolicy.CHOICES, "How often reviews earn points.")
LoyaltyMaxDiscountTypeEnum = _enum(
    "LoyaltyMaxDiscountTypeEnum", MaxDiscountType.CHOICES, "How the points discount per order is capped."
)
LoyaltyEarnRuleModeEnum = _enum(
    "LoyaltyEarnRuleModeEnum", EarnRuleMode.CHOICES, "How a product or category earns points."
)
LoyaltyLotStatusEnum = _enum("LoyaltyLotStatusEnum", LotStatus.CHOICES, "Where a lot of points stands.")


class LoyaltyCustomAction(graphene.ObjectType):
    code = graphene.String(required=True)
    points = graphene.Int(required=True)
    once_per_customer = graphene.Boolean(required=True)

    class Meta:
        description = "A shop-defined action worth fixed points (recorded by an App or staff)."


class LoyaltyEarnRule(graphene.ObjectType):
    product = graphene.Field("saleor.graphql.product.types.Product")
    category = graphene.Field("saleor.graphql.product.types.Category")
    mode = LoyaltyEarnRuleModeEnum(required=True)
    points_per_unit = graphene.Int(description="For FIXED: points per unit bought.")
    percent = graphene.Float(description="For PERCENT: percent of the price given as points.")

    class Meta:
        description = "Overrides the earn ratio for a product or a category (and its subcategories)."

    @staticmethod
    def resolve_points_per_unit(root: models.LoyaltyEarnRule, _info):
        return int(root.value) if root.mode == EarnRuleMode.FIXED else None

    @staticmethod
    def resolve_percent(root: models.LoyaltyEarnRule, _info):
        return float(root.value) if root.mode == EarnRuleMode.PERCENT else None


class LoyaltyProgram(graphene.ObjectType):
    enabled = graphene.Boolean(required=True)
    earn_points = graphene.Int(required=True, description="Points earned per earnAmount spent.")
    earn_amount = graphene.Field(Money, required=True)
    earn_base = LoyaltyEarnBaseEnum(required=True)
    earn_rounding = LoyaltyEarnRoundingEnum(required=True)
    earn_moment = LoyaltyEarnMomentEnum(required=True)
    earn_mode = LoyaltyEarnModeEnum(
        required=True, description="PROPORTIONAL (36.00 at 10 per 5.00 earn 72) or FULL_STEPS (70)."
    )
    description = graphene.String(
        required=True, description="The program's rules in words, for shoppers (translated)."
    )
    pending_days = graphene.Int(
        required=True, description="Days purchase points stay pending (returns window)."
    )
    registration_points = graphene.Int(required=True)
    newsletter_points = graphene.Int(required=True)
    review_points = graphene.Int(required=True)
    review_policy = LoyaltyReviewPolicyEnum(required=True)
    custom_actions = graphene.List(graphene.NonNull(LoyaltyCustomAction), required=True)
    earn_rules = graphene.List(graphene.NonNull(LoyaltyEarnRule), required=True)
    redeem_points = graphene.Int(required=True, description="redeemPoints points are worth redeemAmount.")
    redeem_amount = graphene.Field(Money, required=True)
    redeem_step = graphene.Int(
        required=True, description="Points are redeemed in multiples of this (whole cents)."
    )
    redeem_min_balance = graphene.Int(required=True)
    redeem_min_cart = graphene.Field(Money, required=True)
    redeem_max_type = LoyaltyMaxDiscountTypeEnum(required=True)
    redeem_max_value = graphene.Float(
        required=True, description="The maximum discount: an amount, or a percent of the eligible lines."
    )
    redeem_exclude_discounted = graphene.Boolean(required=True)
    redeem_include_products = graphene.List(graphene.NonNull("saleor.graphql.product.types.Product"), required=True)
    redeem_include_categories = graphene.List(graphene.NonNull("saleor.graphql.product.types.Category"), required=True)
    redeem_exclude_products = graphene.List(graphene.NonNull("saleor.graphql.product.types.Product"), required=True)
    redeem_exclude_categories = graphene.List(graphene.NonNull("saleor.graphql.product.types.Category"), required=True)
    convert_points = graphene.Int(required=True, description="0: conversion is off.")
    convert_amount = graphene.Field(Money, required=True)
    convert_min_points = graphene.Int(required=True)
    expiry_days = graphene.Int(description="Days until points expire; null: never.")
    expiring_soon_days = graphene.Int(required=True)
    intro_text = graphene.String(required=True)
    updated_at = graphene.DateTime(required=True)

    class Meta:
        description = "The shop's loyalty program: earning, redemption, conversion and expiry."

    @staticmethod
    def resolve_description(root, _info):
        return programs.describe(root)

    @staticmethod
    def resolve_earn_amount(root, _info):
        return money(root.earn_amount, programs.currency())

    @staticmethod
    def resolve_redeem_amount(root, _info):
        return money(root.redeem_amount, programs.currency())

    @staticmethod
    def resolve_redeem_step(root, _info):
        return programs.redeem_rate(root).step

    @staticmethod
    def resolve_redeem_min_cart(root, _info):
        return money(root.redeem_min_cart, programs.currency())

    @staticmethod
    def resolve_redeem_max_value(root, _info):
        return float(root.redeem_max_value)

    @staticmethod
    def resolve_convert_amount(root, _info):
        return money(root.convert_amount, programs.currency())

    @staticmethod
    def resolve_custom_actions(root, _info):
        return [LoyaltyCustomAction(**item) for item in root.custom_actions or []]

    @staticmethod
    def resolve_earn_rules(root, _info):
        return models.LoyaltyEarnRule.objects.select_related("product", "category").order_by("pk")

    @staticmethod
    def resolve_redeem_include_products(root, _info):
        return root.redeem_include_products.all()

    @staticmethod
    def resolve_redeem_include_categories(root, _info):
        return root.redeem_include_categories.all()

    @staticmethod
    def resolve_redeem_exclude_products(root, _info):
        return root.redeem_exclude_products.all()

    @staticmethod
    def resolve_redeem_exclude_categories(root, _info):
        return root.redeem_exclude_categories.all()


class LoyaltyPointsBalance(graphene.ObjectType):
    posted = graphene.Int(required=True, description="Booked points (below zero after a clawback).")
    held = graphene.Int(required=True, description="Reserved for checkouts not yet completed.")
    available = graphene.Int(required=True, description="What can be spent now.")
    pending = graphene.Int(
        required=True, description="Earned but locked until the returns window has passed."
    )

    class Meta:
        description = "A points balance."


class LoyaltyExpiringPoints(graphene.ObjectType):
    points = graphene.Int(required=True)
    expires_at = graphene.DateTime(required=True)

    class Meta:
        description = "Points that expire at one instant."


class LoyaltyPointsLot(CountableDjangoObjectType):
    status = LoyaltyLotStatusEnum(required=True)
    source = LedgerReasonEnum(required=True, description="Why the points were credited.")
    points = graphene.Int(required=True)
    remaining = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)
    available_at = graphene.DateTime(description="Pending lots: when they become available.")
    expires_at = graphene.DateTime(description="Null: never expires.")
    order = graphene.Field("saleor.graphql.order.types.Order")

    class Meta:
        description = "Points from one credit, with what is left of them and their expiry."
        model = models.PointsLot
        interfaces = [relay.Node]
        only_fields = ["id"]
        skip_registry = True

    @staticmethod
    def resolve_order(root: models.PointsLot, _info):
        from saleor.order.models import Order

        return Order.objects.filter(pk=root.order_id).first() if root.order_id else None


class LoyaltyPointsMovement(CountableDjangoObjectType):
    date = graphene.DateTime(required=True)
    points = graphene.Int(required=True, description="Signed: + credit, - debit.")
    balance_after = graphene.Int(description="Booked balance after it.")
    reason = LedgerReasonEnum(required=True)
    customer_note = graphene.String(description="Note shown to the customer.")
    reason_label = graphene.String(required=True, description="The reason in the request's language.")
    order = graphene.Field("saleor.graphql.order.types.Order")
    reversal_of = graphene.Field(
        lambda: LoyaltyPointsMovement, description="The movement this one takes back (for a REVERSAL)."
    )
    reversed_by = graphene.Field(
        lambda: LoyaltyPointsMovement, description="The movement that took this one back, if any."
    )

    class Meta:
        description = "One movement in a points history."
        model = models.Entry
        interfaces = [relay.Node]
        only_fields = ["id"]
        skip_registry = True

    @staticmethod
    def resolve_date(root: models.Entry, _info):
        return root.transaction.created_at

    @staticmethod
    def resolve_points(root: models.Entry, _info):
        return int(root.signed_amount)

    @staticmethod
    def resolve_balance_after(root: models.Entry, _info):
        return int(root.balance_after) if root.balance_after is not None else None

    @staticmethod
    def resolve_reason(root: models.Entry, _info):
        return root.transaction.reason

    @staticmethod
    def resolve_reason_label(root, _info):
        from ...ledger.reasons import reason_label

        return reason_label(root.transaction.reason)


    @staticmethod
    def resolve_customer_note(root: models.Entry, _info):
        return root.transaction.customer_note

    @staticmethod
    def resolve_order(root: models.Entry, _info):
        return root.transaction.order if root.transaction.order_id else None

    @staticmethod
    def resolve_reversal_of(root: models.Entry, _info):
        return ledger_queries.linked_entries(root)[0]

    @staticmethod
    def resolve_reversed_by(root: models.Entry, _info):
        return ledger_queries.linked_entries(root)[1]


class LoyaltyPoints(graphene.ObjectType):
    balance = graphene.Field(LoyaltyPointsBalance, required=True)
    expiring_soon = graphene.List(
        graphene.NonNull(LoyaltyExpiringPoints),
        required=True,
        description="Points that expire within the program's warning period, soonest first.",
    )
    lots = graphene.List(
        graphene.NonNull(LoyaltyPointsLot),
        required=True,
        statuses=graphene.List(graphene.NonNull(LoyaltyLotStatusEnum)),
        description="Where the points came from and when they expire, newest first.",
    )
    movements = PrefetchingConnectionField(
        LoyaltyPointsMovement,
        date_from=graphene.DateTime(),
        date_to=graphene.DateTime(),
        reasons=graphene.List(graphene.NonNull(LedgerReasonEnum)),
        description="History, newest first; a reversed movement and its reversal are linked by reversalOf/reversedBy.",
    )
    intro_text = graphene.String(required=True)

    class Meta:
        description = "A customer's loyalty points."

    @staticmethod
    def resolve_balance(root, _info):
        return LoyaltyPointsBalance(
            posted=root.posted, held=root.held, available=root.available, pending=root.pending
        )

    @staticmethod
    def resolve_expiring_soon(root, _info):
        return [LoyaltyExpiringPoints(points=lot.remaining, expires_at=lot.expires_at) for lot in root.expiring_soon]

    @staticmethod
    def resolve_lots(root, _info, statuses=None):
        from ...loyalty import lots

        return lots.lots_of(root.account, statuses)

    @staticmethod
    def resolve_movements(root, _info, date_from=None, date_to=None, reasons=None, **_kwargs):
        from ...loyalty import queries

        return queries.history(root.account, created_from=date_from, created_to=date_to, reasons=reasons)

    @staticmethod
    def resolve_intro_text(root, _info):
        return programs.get_program().intro_text


class LoyaltyRate(graphene.ObjectType):
    points = graphene.Int(required=True)
    amount = graphene.Field(Money, required=True)
    step = graphene.Int(required=True, description="Points are used in multiples of this.")


class CheckoutPointsQuote(graphene.ObjectType):
    available = graphene.Int(required=True, description="Points the customer can use here.")
    applied_points = graphene.Int(required=True, description="Points applied to this checkout.")
    discount = graphene.Field(
        TaxedMoney, required=True, description="The points discount (net and gross)."
    )
    max_points = graphene.Int(required=True, description="The most points this checkout takes.")
    max_discount = graphene.Field(Money, required=True)
    eligible_value = graphene.Field(
        Money, required=True, description="Value of the lines points may discount."
    )
    cart_value = graphene.Field(Money, required=True)
    total_before_points = graphene.Field(Money, required=True)
    rate = graphene.Field(LoyaltyRate, required=True)
    min_balance = graphene.Int(required=True)
    min_cart_value = graphene.Field(Money, required=True)
    can_redeem = graphene.Boolean(required=True)
    blocked_by = CustomerValueErrorCode(description="Why points cannot be used, if they cannot.")
    message = graphene.String()
    reserved_until = graphene.DateTime(description="When the reservation lapses.")

    class Meta:
        description = "What loyalty points can do for a checkout."

    @staticmethod
    def of(quote):
        currency = quote.currency
        return CheckoutPointsQuote(
            available=quote.available,
            applied_points=quote.applied_points,
            discount=quote.discount,
            max_points=quote.max_points,
            max_discount=money(quote.max_discount, currency),
            eligible_value=money(quote.eligible_value, currency),
            cart_value=money(quote.cart_value, currency),
            total_before_points=money(quote.total_before_points, currency),
            rate=LoyaltyRate(
                points=quote.rate.points, amount=money(quote.rate.amount, currency), step=quote.rate.step
            ),
            min_balance=quote.min_balance,
            min_cart_value=money(quote.min_cart, currency),
            can_redeem=quote.blocked_by is None,
            blocked_by=quote.blocked_by.lower() if quote.blocked_by else None,
            message=quote.message or None,
            reserved_until=quote.reserved_until,
        )


class LoyaltyPointsPreview(graphene.ObjectType):
    balance = graphene.Field(LoyaltyPointsBalance, required=True, description="Now.")
    resulting_balance = graphene.Field(LoyaltyPointsBalance, required=True, description="After the booking.")
    allowed = graphene.Boolean(required=True, description="False when a subtraction would overdraw.")


class PointsConversionPreview(graphene.ObjectType):
    allowed = graphene.Boolean(required=True, description="False when the conversion would be refused (see `problem`).")
    points = graphene.Int(description="The points that would be converted.")
    amount = graphene.Field(Money, description="The wallet money they would become.")
    points_left = graphene.Int(description="Available points after the conversion.")
    problem = graphene.Field(
        CustomerValueError,
        description="Why the conversion would be refused: the same error the mutation would return.",
    )

    class Meta:
        description = "What `pointsConvertToWallet` would book for the logged-in customer, before it is made."
