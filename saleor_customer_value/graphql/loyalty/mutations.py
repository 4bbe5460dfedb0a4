"""Loyalty mutations: thin adapters from GraphQL to ``loyalty`` services.

Every one answers with ``customerValueErrors`` and runs in one DB transaction
(``CustomerValueMutation``), so a refused request changes nothing.
"""
import graphene
from saleor.graphql.checkout.types import Checkout
from saleor.graphql.core.scalars import Decimal

from ...error_codes import CustomerValueErrorCode as Code
from ...ledger import accounts
from ...loyalty import actions, bookings, conversion
from ...loyalty import checkout as points_checkout
from ...loyalty import earning as earning_rules
from ...loyalty import program as programs
from ...loyalty import queries
from ...permissions import CustomerValuePermissions
from ..core import (
    IDEMPOTENCY_KEY_ARGUMENT,
    CustomerValueMutation,
    error,
    idempotency_key as make_key,
    owned_checkout,
    permission_denied,
    request_actor,
)
from .types import (
    CheckoutPointsQuote,
    LoyaltyEarnBaseEnum,
    LoyaltyEarnModeEnum,
    LoyaltyEarnMomentEnum,
    LoyaltyEarnRoundingEnum,
    LoyaltyEarnRule,
    LoyaltyEarnRuleModeEnum,
    LoyaltyMaxDiscountTypeEnum,
    LoyaltyPoints,
    LoyaltyProgram,
    LoyaltyReviewPolicyEnum,
)
from ..ledger.types import LedgerTransaction
from ..wallet.types import Wallet, WalletView
from django.utils.translation import gettext as _

POINTS_INPUT = dict(
    description=(
        "Whole number of points. Sent as a Decimal so that a fraction is refused with "
        "a typed INVALID_AMOUNT error instead of a GraphQL error."
    )
)


def _login(info, what=None):
    user = info.context.user
    if not user or not user.is_authenticated:
        what = what or _("use loyalty points")
        raise permission_denied(_("Log in to %(what)s.") % {"what": what})
    return user


def checkout_quote(info, checkout):
    quote = points_checkout.quote(
        checkout, list(checkout), info.context.discounts, info.context.plugins
    )
    return CheckoutPointsQuote.of(quote)


def _customer(mutation, info, customer_id):
    from saleor.graphql.account.types import User

    user = mutation.get_node_or_error(info, customer_id, only_type=User, field="customer_id")
    return accounts.customer_for_user(user)


# --- the program ---------------------------------------------------------------------


class LoyaltyCustomActionInput(graphene.InputObjectType):
    code = graphene.String(required=True, description="Lowercase letters, digits, '_', '-', '.'.")
    points = graphene.Int(required=True)
    once_per_customer = graphene.Boolean(default_value=False)


class LoyaltyProgramInput(graphene.InputObjectType):
    enabled = graphene.Boolean()
    earn_points = graphene.Int(description="Points per earnAmount spent (0: purchases earn nothing).")
    earn_amount = Decimal(description="Currency amount that earns earnPoints.")
    earn_base = LoyaltyEarnBaseEnum()
    earn_rounding = LoyaltyEarnRoundingEnum()
    earn_moment = LoyaltyEarnMomentEnum()
    earn_mode = LoyaltyEarnModeEnum(description="Count parts of earnAmount (PROPORTIONAL) or only full ones.")
    pending_days = graphene.Int(description="0 to 365 days purchase points stay pending.")
    registration_points = graphene.Int()
    newsletter_points = graphene.Int()
    review_points = graphene.Int()
    review_policy = LoyaltyReviewPolicyEnum()
    custom_actions = graphene.List(
        graphene.NonNull(LoyaltyCustomActionInput), description="Replaces the list."
    )
    redeem_points = graphene.Int(description="redeemPoints points are worth redeemAmount.")
    redeem_amount = Decimal()
    redeem_min_balance = graphene.Int()
    redeem_min_cart = Decimal()
    redeem_max_type = LoyaltyMaxDiscountTypeEnum()
    redeem_max_value = Decimal(description="An amount, or a percent (0-100] of the eligible lines.")
    redeem_exclude_discounted = graphene.Boolean()
    redeem_include_products = graphene.List(graphene.NonNull(graphene.ID))
    redeem_include_categories = graphene.List(graphene.NonNull(graphene.ID))
    redeem_exclude_products = graphene.List(graphene.NonNull(graphene.ID))
    redeem_exclude_categories = graphene.List(graphene.NonNull(graphene.ID))
    convert_points = graphene.Int(description="0 turns conversion into wallet money off.")
    convert_amount = Decimal()
    convert_min_points = graphene.Int()
    expiry_days = graphene.Int(description="Days until points expire; null or 0: never.")
    expiring_soon_days = graphene.Int()
    intro_text = graphene.String()


class LoyaltyProgramUpdate(CustomerValueMutation):
    loyalty_program = graphene.Field(LoyaltyProgram)

    class Arguments:
        input = LoyaltyProgramInput(required=True)

    class Meta:
        description = "Change the loyalty program's settings; only the fields sent change."
        permissions = (CustomerValuePermissions.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        from saleor.graphql.product.types import Category, Product

        data = dict(input)
        for field in programs.RELATIONS:
            if field in data:
                # Saleor's get_nodes_or_error refuses an empty list; [] or null empties it.
                only_type = Product if field.endswith("products") else Category
                ids = data[field] or []
                data[field] = cls.get_nodes_or_error(ids, field, only_type=only_type) if ids else []
        return cls(loyalty_program=programs.update_program(data))


class LoyaltyEarnRuleInput(graphene.InputObjectType):
    product_id = graphene.ID(description="The product (or give categoryId).")
    category_id = graphene.ID(description="The category, with its subcategories.")
    mode = LoyaltyEarnRuleModeEnum(required=True)
    value = Decimal(description="FIXED: whole points per unit; PERCENT: percent of the price.")


def _target(mutation, info, data):
    from saleor.graphql.product.types import Category, Product

    product_id, category_id = data.get("product_id"), data.get("category_id")
    if bool(product_id) == bool(category_id):
        raise error("productId", _("Give either a productId or a categoryId."), Code.INVALID)
    if product_id:
        return mutation.get_node_or_error(info, product_id, only_type=Product, field="product_id"), None
    return None, mutation.get_node_or_error(info, category_id, only_type=Category, field="category_id")


class LoyaltyEarnRuleSet(CustomerValueMutation):
    earn_rule = graphene.Field(LoyaltyEarnRule)

    class Arguments:
        input = LoyaltyEarnRuleInput(required=True)

    class Meta:
        description = "Override how a product or a category earns points (replaces its rule)."
        permissions = (CustomerValuePermissions.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        product, category = _target(cls, info, input)
        rule = earning_rules.set_rule(product, category, input["mode"], input.get("value"))
        return cls(earn_rule=rule)


class LoyaltyEarnRuleDelete(CustomerValueMutation):
    deleted = graphene.Boolean()

    class Arguments:
        product_id = graphene.ID()
        category_id = graphene.ID()

    class Meta:
        description = "Remove a product's or category's earn rule (the program's ratio applies again)."
        permissions = (CustomerValuePermissions.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, **data):
        product, category = _target(cls, info, data)
        return cls(deleted=earning_rules.delete_rule(product, category))


# --- actions -------------------------------------------------------------------------


class LoyaltyActionRecord(CustomerValueMutation):
    transaction = graphene.Field(LedgerTransaction)
    points = graphene.Field(LoyaltyPoints)

    class Arguments:
        customer_id = graphene.ID(required=True, description="ID of the customer (User).")
        action = graphene.String(
            required=True,
            description="registration, newsletter, review, or one of the program's custom codes.",
        )
        reference = graphene.String(
            description="What the action was about (e.g. the review's ID); required for per-reference actions."
        )
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = "Reward a customer's action with the program's fixed points (once per rule)."
        permissions = (CustomerValuePermissions.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, action, reference=None, idempotency_key=None):
        customer = _customer(cls, info, customer_id)
        txn = actions.record_action(
            customer, action, reference, request_actor(info), make_key(info, idempotency_key)
        )
        return cls(transaction=txn, points=queries.view(customer))


# --- checkout ------------------------------------------------------------------------


class CheckoutPointsApply(CustomerValueMutation):
    checkout = graphene.Field(Checkout)
    points_quote = graphene.Field(CheckoutPointsQuote)

    class Arguments:
        checkout_id = graphene.ID(required=True)
        points = Decimal(**POINTS_INPUT)
        max = graphene.Boolean(description="Use as many points as the rules allow.")
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Use loyalty points as a discount on the caller's checkout. The points are "
            "reserved now and lower the total; applying again replaces them."
        )

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, points=None, max=False, idempotency_key=None):
        checkout = owned_checkout(cls, info, checkout_id)
        points_checkout.apply(
            checkout,
            list(checkout),
            info.context.discounts,
            info.context.plugins,
            points=points,
            use_max=bool(max),
            idem=make_key(info, idempotency_key),
        )
        return cls(checkout=checkout, points_quote=checkout_quote(info, checkout))


class CheckoutPointsRemove(CustomerValueMutation):
    checkout = graphene.Field(Checkout)
    points_quote = graphene.Field(CheckoutPointsQuote)

    class Arguments:
        checkout_id = graphene.ID(required=True)

    class Meta:
        description = "Stop using points on the caller's checkout (releases the reservation)."

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id):
        checkout = owned_checkout(cls, info, checkout_id)
        points_checkout.remove(checkout)
        return cls(checkout=checkout, points_quote=checkout_quote(info, checkout))


# --- conversion ----------------------------------------------------------------------


class PointsConvertToWallet(CustomerValueMutation):
    points = graphene.Field(LoyaltyPoints)
    wallet = graphene.Field(Wallet)
    transaction = graphene.Field(LedgerTransaction)

    class Arguments:
        points = Decimal(required=True, **POINTS_INPUT)
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = "Convert the caller's points into wallet money at the program's rate."

    @classmethod
    def perform_mutation(cls, _root, info, points, idempotency_key=None):
        user = _login(info, _("convert points"))
        customer = accounts.customer_for_user(user)
        txn = conversion.convert_to_wallet(
            customer, points, request_actor(info), make_key(info, idempotency_key)
        )
        currency = programs.currency()
        wallet = accounts.find_wallet(customer, currency)
        return cls(
            points=queries.view(customer),
            wallet=WalletView(customer, currency, wallet),
            transaction=txn,
        )


# --- staff bookings ------------------------------------------------------------------


class LoyaltyPointsBookingInput(graphene.InputObjectType):
    customer_id = graphene.ID(required=True, description="ID of the customer (User).")
    points = Decimal(required=True, **POINTS_INPUT)
    note = graphene.String(required=True, description="Internal note (required).")
    customer_note = graphene.String(description="Shown in the customer's history.")
    idempotency_key = IDEMPOTENCY_KEY_ARGUMENT


class _PointsBooking(CustomerValueMutation):
    points = graphene.Field(LoyaltyPoints)
    transaction = graphene.Field(LedgerTransaction)
    credit = True

    class Arguments:
        input = LoyaltyPointsBookingInput(required=True)

    class Meta:
        abstract = True

    @classmethod
    def perform_mutation(cls, _root, info, input):
        customer = _customer(cls, info, input["customer_id"])
        txn = bookings.book(
            customer,
            input["points"],
            request_actor(info),
            input.get("note"),
            customer_note=input.get("customer_note"),
            credit=cls.credit,
            idem=make_key(info, input.get("idempotency_key")),
        )
        return cls(points=queries.view(customer), transaction=txn)


class LoyaltyPointsAdd(_PointsBooking):
    class Meta:
        description = "Add points to a customer (POINTS_ADJUSTMENT, with an internal note)."
        permissions = (CustomerValuePermissions.MANAGE_LOYALTY,)


class LoyaltyPointsSubtract(_PointsBooking):
    credit = False

    class Meta:
        description = "Subtract points from a customer; never below zero."
        permissions = (CustomerValuePermissions.MANAGE_LOYALTY,)
