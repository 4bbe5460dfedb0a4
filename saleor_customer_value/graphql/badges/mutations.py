"""Badge and reward mutations: thin adapters over ``badges`` services.

Staff CRUD needs MANAGE_LOYALTY; ``rewardRedeem`` is the logged-in shopper's;
``posRewardRedeem`` a till's (USE_POS). Every one answers with ``customerValueErrors``
and runs in one DB transaction, so a refused request changes nothing.
"""
import graphene
from django.utils.translation import gettext as _
from saleor.graphql.core.types import Upload
from saleor.graphql.core.scalars import Decimal

from ...badges import catalogue, evaluate, images, rewards
from ...error_codes import CustomerValueErrorCode as Code
from ...ledger import accounts
from ...ledger.actors import Actor
from ...models import Badge as BadgeModel
from ...models import Reward as RewardModel
from ...permissions import CustomerValuePermissions
from ...pos import bookings as pos_bookings
from ..core import (
    IDEMPOTENCY_KEY_ARGUMENT,
    CustomerValueMutation,
    error,
    has_permissions,
    idempotency_key,
    permission_denied,
    request_actor,
)
from .types import (
    Badge,
    BadgeDiscountKindEnum,
    BadgeDiscountScopeEnum,
    BadgeLossRuleEnum,
    BadgeMeasureEnum,
    BadgeProgram,
    CustomerBadge,
    Reward,
    RewardKindEnum,
    RewardRedemption,
)

MANAGE_LOYALTY = CustomerValuePermissions.MANAGE_LOYALTY


def node(mutation, info, raw, only_type, field):
    """The node ``raw`` names, or a typed error: empty, malformed (not base64, NUL
    bytes) and unknown IDs never reach a query."""
    if not raw or not str(raw).strip():
        raise error(field, _("An ID is required."), Code.REQUIRED)
    try:
        found = mutation.get_node_or_error(info, raw, only_type=only_type, field=field)
    except (ValueError, TypeError, UnicodeDecodeError):
        found = None
    if found is None:
        raise error(field, _("Couldn't resolve to a node: %(id)r") % {"id": str(raw)[:40]}, Code.NOT_FOUND)
    return found


def _files(info, data, field):
    """The uploaded file a multipart request maps to ``field`` (Saleor's convention)."""
    if not data.get(field):
        data.pop(field, None)
        return
    upload = info.context.FILES.get(data[field]) if hasattr(info.context, "FILES") else None
    data[field] = images.clean_upload(upload, field)


def _user(mutation, info, customer_id):
    from saleor.graphql.account.types import User

    return node(mutation, info, customer_id, User, "customer_id")


# --- settings ------------------------------------------------------------------------


class BadgeProgramInput(graphene.InputObjectType):
    measure = BadgeMeasureEnum()
    window_days = graphene.Int(description="For WINDOW: 1 to 3650 days.")
    loss_rule = BadgeLossRuleEnum()
    grace_days = graphene.Int(description="For GRACE: 0 to 3650 days (0: lose at once).")


class BadgeProgramUpdate(CustomerValueMutation):
    badge_program = graphene.Field(BadgeProgram)

    class Arguments:
        input = BadgeProgramInput(required=True)

    class Meta:
        description = "Change how badges are measured and lost [MANAGE_LOYALTY]."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        return cls(badge_program=catalogue.update_program(dict(input)))


# --- badges --------------------------------------------------------------------------


class BadgeInput(graphene.InputObjectType):
    title = graphene.String(description="English title (required on create).")
    title_de = graphene.String(description="German title.")
    description = graphene.String()
    description_de = graphene.String()
    icon = Upload(description="An image file in a multipart request.")
    min_points = graphene.Int(description="From this measured value (null: by hand only).")
    max_points = graphene.Int(description="Up to below this value (null: open-ended).")
    sort_order = graphene.Int()
    is_active = graphene.Boolean()
    is_tier = graphene.Boolean(description="A rung of the tier ladder (ranges must not overlap).")
    earn_multiplier = Decimal(description="1 to 10, two decimals: points earned are multiplied.")
    top_up_bonus_tiers = graphene.String(description="'from:percent' pairs, e.g. '50:10,100:12'.")
    discount_kind = BadgeDiscountKindEnum()
    discount_value = Decimal(description="Percent (0-100) or an amount.")
    discount_scope = BadgeDiscountScopeEnum()
    discount_products = graphene.List(graphene.NonNull(graphene.ID))
    discount_categories = graphene.List(graphene.NonNull(graphene.ID))
    voucher_kind = BadgeDiscountKindEnum(description="The voucher issued on unlock (NONE: none).")
    voucher_value = Decimal()
    voucher_valid_days = graphene.Int()


def _badge_data(mutation, info, input):
    from saleor.graphql.product.types import Category, Product

    data = dict(input)
    if "top_up_bonus_tiers" in data:
        data["topup_bonus_tiers"] = data.pop("top_up_bonus_tiers")
    for field, only_type in (("discount_products", Product), ("discount_categories", Category)):
        if field in data:
            data[field] = mutation.get_nodes_or_error(data[field] or [], field, only_type=only_type)
    _files(info, data, "icon")
    return data


def _save_badge(badge, data):
    badge = catalogue.save_badge(badge, data)
    if data.get("icon") is not None:
        images.write_thumbnail(badge.icon)
    return badge


class BadgeCreate(CustomerValueMutation):
    badge = graphene.Field(Badge)

    class Arguments:
        input = BadgeInput(required=True)

    class Meta:
        description = "Define a badge or tier with its perks [MANAGE_LOYALTY]."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        return cls(badge=_save_badge(BadgeModel(), _badge_data(cls, info, input)))


class BadgeUpdate(CustomerValueMutation):
    badge = graphene.Field(Badge)

    class Arguments:
        id = graphene.ID(required=True)
        input = BadgeInput(required=True)

    class Meta:
        description = "Change a badge; only the fields sent change [MANAGE_LOYALTY]."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        badge = node(cls, info, id, Badge, "id")
        return cls(badge=_save_badge(badge, _badge_data(cls, info, input)))


class BadgeDelete(CustomerValueMutation):
    badge = graphene.Field(Badge, description="The badge, now inactive.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = (
            "Retire a badge [MANAGE_LOYALTY]: it becomes inactive (perks stop, nobody "
            "unlocks it); its history is kept."
        )
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        badge = node(cls, info, id, Badge, "id")
        badge.is_active = False
        badge.save(update_fields=["is_active"])
        return cls(badge=badge)


class BadgeGrant(CustomerValueMutation):
    customer_badge = graphene.Field(CustomerBadge)

    class Arguments:
        customer_id = graphene.ID(required=True)
        badge_id = graphene.ID(required=True)
        note = graphene.String(required=True, description="Why (mandatory, kept in the history).")

    class Meta:
        description = "Award a badge by hand; it is never lost automatically [MANAGE_LOYALTY]."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, badge_id, note):
        user = _user(cls, info, customer_id)
        badge = node(cls, info, badge_id, Badge, "badge_id")
        note = catalogue.clean_text("note", note, required=True)
        if not badge.is_active:
            raise error("badgeId", _("This badge is retired."), Code.INVALID)
        row = evaluate.grant(accounts.customer_for_user(user), badge, request_actor(info), note)
        return cls(customer_badge=CustomerBadge.of(row))


class BadgeRevoke(CustomerValueMutation):
    customer_badge = graphene.Field(CustomerBadge)

    class Arguments:
        customer_id = graphene.ID(required=True)
        badge_id = graphene.ID(required=True)
        note = graphene.String(required=True, description="Why (mandatory, kept in the history).")

    class Meta:
        description = (
            "Take a badge away; it is not unlocked automatically again until granted "
            "[MANAGE_LOYALTY]."
        )
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, customer_id, badge_id, note):
        user = _user(cls, info, customer_id)
        badge = node(cls, info, badge_id, Badge, "badge_id")
        note = catalogue.clean_text("note", note, required=True)
        row = evaluate.revoke(accounts.customer_for_user(user), badge, request_actor(info), note)
        if row is None:
            raise error("badgeId", _("The customer does not hold this badge."), Code.NOT_FOUND)
        return cls(customer_badge=CustomerBadge.of(row))


# --- rewards -------------------------------------------------------------------------


class RewardInput(graphene.InputObjectType):
    name = graphene.String(description="Required on create.")
    description = graphene.String()
    image = Upload(description="An image file in a multipart request.")
    points = graphene.Int(description="Points the reward costs (required on create).")
    kind = RewardKindEnum(description="Required on create.")
    amount = Decimal(description="WALLET_CREDIT: the credit; VOUCHER: the amount or percent.")
    currency = graphene.String(description="WALLET_CREDIT: the wallet's currency.")
    voucher_kind = BadgeDiscountKindEnum(description="VOUCHER: PERCENT or FIXED.")
    voucher_valid_days = graphene.Int(description="VOUCHER, FREE_PRODUCT: days the code is valid.")
    variant_id = graphene.ID(description="FREE_PRODUCT: the product variant given away.")
    stock = graphene.Int(description="How many can be redeemed in all (null: unlimited).")
    per_customer_limit = graphene.Int(description="How often one customer may redeem it.")
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    required_badge_id = graphene.ID(description="Only customers holding this badge.")
    is_active = graphene.Boolean()
    sort_order = graphene.Int()


def _reward_data(mutation, info, input):
    from saleor.graphql.product.types import ProductVariant

    data = dict(input)
    if "variant_id" in data:
        raw = data.pop("variant_id")
        data["variant"] = (
            node(mutation, info, raw, ProductVariant, "variant_id") if raw else None
        )
    if "required_badge_id" in data:
        raw = data.pop("required_badge_id")
        data["required_badge"] = (
            node(mutation, info, raw, Badge, "required_badge_id") if raw else None
        )
    _files(info, data, "image")
    return data


def _save_reward(reward, data):
    reward = catalogue.save_reward(reward, data)
    if data.get("image") is not None:
        images.write_thumbnail(reward.image)
    return reward


class RewardCreate(CustomerValueMutation):
    reward = graphene.Field(Reward)

    class Arguments:
        input = RewardInput(required=True)

    class Meta:
        description = "Add a reward to the catalogue [MANAGE_LOYALTY]."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input):
        return cls(reward=_save_reward(RewardModel(), _reward_data(cls, info, input)))


class RewardUpdate(CustomerValueMutation):
    reward = graphene.Field(Reward)

    class Arguments:
        id = graphene.ID(required=True)
        input = RewardInput(required=True)

    class Meta:
        description = "Change a reward; only the fields sent change [MANAGE_LOYALTY]."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        reward = node(cls, info, id, Reward, "id")
        return cls(reward=_save_reward(reward, _reward_data(cls, info, input)))


class RewardDelete(CustomerValueMutation):
    reward = graphene.Field(Reward, description="The reward, now inactive.")

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Withdraw a reward [MANAGE_LOYALTY]; past redemptions are kept."
        permissions = (MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        reward = node(cls, info, id, Reward, "id")
        reward.is_active = False
        reward.save(update_fields=["is_active"])
        return cls(reward=reward)


class RewardRedeem(CustomerValueMutation):
    redemption = graphene.Field(RewardRedemption)

    class Arguments:
        reward_id = graphene.ID(required=True)
        idempotency_key = IDEMPOTENCY_KEY_ARGUMENT

    class Meta:
        description = (
            "Buy a reward with the logged-in customer's points: the points are debited "
            "and the reward issued in one DB transaction."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return True  # the login is checked below, answered as a typed error

    @classmethod
    def perform_mutation(cls, _root, info, reward_id, idempotency_key=None):
        user = info.context.user
        if not user or not user.is_authenticated:
            raise permission_denied(_("Log in to redeem rewards."))
        reward = node(cls, info, reward_id, Reward, "reward_id")
        redemption = rewards.redeem(
            accounts.customer_for_user(user),
            reward,
            Actor.customer(user),
            idem=_key(info, idempotency_key),
            user=user,
        )
        return cls(redemption=redemption)


def _key(info, key):
    if key is not None and "\x00" in key:
        raise error("idempotencyKey", _("The key must not contain NUL characters."), Code.INVALID)
    return idempotency_key(info, key)


class PosRewardRedeemInput(graphene.InputObjectType):
    customer = graphene.Field("saleor_customer_value.graphql.pos.mutations.PosCustomerInput", required=True)
    reward_id = graphene.ID(required=True)
    receipt = graphene.String(description="The till's receipt reference (required).")
    note = graphene.String(description="Internal note (required).")
    idempotency_key = graphene.String(description="Required: a retry returns the first result.")


class PosRewardRedeem(CustomerValueMutation):
    redemption = graphene.Field(RewardRedemption)

    class Arguments:
        input = PosRewardRedeemInput(required=True)

    class Meta:
        description = (
            "Redeem a reward for a customer at a till [USE_POS]: the points are debited "
            "and the reward issued (a free product is handed over at the till)."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return has_permissions(context, (CustomerValuePermissions.USE_POS,))

    @classmethod
    def perform_mutation(cls, _root, info, input):
        from ...ledger import service
        from ..pos.mutations import identify

        note, receipt, idem = pos_bookings.clean_request(
            input.get("note"), input.get("receipt"), input.get("idempotency_key"),
            request_actor(info).idempotency_scope,
        )
        who = identify(input["customer"])
        reward = node(cls, info, input["reward_id"], Reward, "reward_id")
        redemption = rewards.redeem(
            who.customer,
            reward,
            request_actor(info),
            idem=idem,
            channel="pos",
            note=note,
            refs=service.References(external_reference=receipt, card_id=who.card.pk if who.card else None),
        )
        return cls(redemption=redemption)
