"""GraphQL types of badges, tiers and rewards (views over ``badges`` services)."""
import graphene
from django.utils import timezone, translation
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.core.types import Money
from saleor.graphql.core.types.common import Image

from ... import models
from ...badges import images, measure
from ...badges.perks import held_filter
from ...models.badges import (
    BadgeEventKind,
    BadgeMeasure,
    CustomerBadgeStatus,
    DiscountKind,
    DiscountScope,
    LossRule,
    RewardKind,
)
from ..wallet.types import money


def _enum(name, choices, description):
    return graphene.Enum(name, [(code.upper(), code) for code, _ in choices], description=description)


BadgeMeasureEnum = _enum("BadgeMeasureEnum", BadgeMeasure.CHOICES, "What badge ranges are measured on.")
BadgeLossRuleEnum = _enum("BadgeLossRuleEnum", LossRule.CHOICES, "When a badge is lost below its range.")
BadgeDiscountKindEnum = _enum("BadgeDiscountKindEnum", DiscountKind.CHOICES, "Percent or fixed amount.")
BadgeDiscountScopeEnum = _enum("BadgeDiscountScopeEnum", DiscountScope.CHOICES, "What a badge discount covers.")
CustomerBadgeStatusEnum = _enum(
    "CustomerBadgeStatusEnum", CustomerBadgeStatus.CHOICES, "Where a customer's badge stands."
)
BadgeEventKindEnum = _enum("BadgeEventKindEnum", BadgeEventKind.CHOICES, "What happened to a badge.")
RewardKindEnum = _enum("RewardKindEnum", RewardKind.CHOICES, "What a reward gives.")


def _german():
    return (translation.get_language() or "").lower().startswith("de")


class BadgeProgram(graphene.ObjectType):
    measure = BadgeMeasureEnum(required=True)
    window_days = graphene.Int(required=True, description="For WINDOW: the rolling window in days.")
    loss_rule = BadgeLossRuleEnum(required=True)
    grace_days = graphene.Int(required=True, description="For GRACE: days perks stay below the range.")

    class Meta:
        description = "How badges are measured and lost."


class BadgeDiscount(graphene.ObjectType):
    kind = BadgeDiscountKindEnum(required=True)
    value = graphene.Float(required=True, description="Percent, or an amount in the shop's currency.")
    scope = BadgeDiscountScopeEnum(required=True)
    products = graphene.List(graphene.NonNull("saleor.graphql.product.types.Product"), required=True)
    categories = graphene.List(graphene.NonNull("saleor.graphql.product.types.Category"), required=True)

    class Meta:
        description = "A discount applied in the checkout while the badge is held."


class BadgeVoucherPerk(graphene.ObjectType):
    kind = BadgeDiscountKindEnum(required=True)
    value = graphene.Float(required=True)
    valid_days = graphene.Int(description="Days the code is valid; null: no expiry.")

    class Meta:
        description = "The personal voucher issued when the badge is unlocked."


class Badge(CountableDjangoObjectType):
    title = graphene.String(required=True, description="English title.")
    title_de = graphene.String(required=True, description="German title (empty: the English one).")
    description = graphene.String(required=True)
    description_de = graphene.String(required=True)
    localized_title = graphene.String(required=True, description="In the request's language.")
    localized_description = graphene.String(required=True)
    icon = graphene.Field(Image, size=graphene.Int(description="128 or less: the thumbnail."))
    min_points = graphene.Int(description="Held from this measured value (null: by hand only).")
    max_points = graphene.Int(description="Up to below this value; null: open-ended.")
    sort_order = graphene.Int(required=True)
    is_active = graphene.Boolean(required=True)
    is_tier = graphene.Boolean(required=True, description="A rung of the tier ladder.")
    earn_multiplier = graphene.Float(required=True, description="Points earned are multiplied by this.")
    top_up_bonus_tiers = graphene.String(required=True, description="'from:percent' pairs, e.g. '50:10'.")
    discount = graphene.Field(BadgeDiscount)
    unlock_voucher = graphene.Field(BadgeVoucherPerk)

    class Meta:
        description = "A badge: held while a customer's measured points are in its range."
        model = models.Badge
        interfaces = [relay.Node]
        only_fields = ["id"]

    @staticmethod
    def resolve_localized_title(root, _info):
        return (root.title_de if _german() and root.title_de else root.title)

    @staticmethod
    def resolve_localized_description(root, _info):
        return (root.description_de if _german() and root.description_de else root.description)

    @staticmethod
    def resolve_icon(root, info, size=None):
        found = images.url(root.icon, size)
        return Image(info.context.build_absolute_uri(found), root.title) if found else None

    @staticmethod
    def resolve_earn_multiplier(root, _info):
        return float(root.earn_multiplier)

    @staticmethod
    def resolve_top_up_bonus_tiers(root, _info):
        return root.topup_bonus_tiers

    @staticmethod
    def resolve_discount(root, _info):
        if root.discount_kind == DiscountKind.NONE:
            return None
        return BadgeDiscount(
            kind=root.discount_kind,
            value=float(root.discount_value),
            scope=root.discount_scope,
            products=list(root.discount_products.all()),
            categories=list(root.discount_categories.all()),
        )

    @staticmethod
    def resolve_unlock_voucher(root, _info):
        if root.voucher_kind == DiscountKind.NONE:
            return None
        return BadgeVoucherPerk(
            kind=root.voucher_kind, value=float(root.voucher_value), valid_days=root.voucher_valid_days
        )


class CustomerBadge(graphene.ObjectType):
    badge = graphene.Field(Badge, required=True)
    status = CustomerBadgeStatusEnum(required=True)
    is_held = graphene.Boolean(required=True, description="Perks apply (held, or within grace).")
    manual = graphene.Boolean(required=True, description="Granted by staff (never lost automatically).")
    unlocked_at = graphene.DateTime(required=True)
    grace_until = graphene.DateTime(description="When a badge in its grace period is lost.")
    lost_at = graphene.DateTime()
    voucher_code = graphene.String(description="The exclusive voucher issued on unlock.")
    voucher_used = graphene.Boolean()

    class Meta:
        description = "A badge of one customer, with when it was unlocked."

    @staticmethod
    def of(row: models.CustomerBadge, now=None):
        now = now or timezone.now()
        held = row.status == CustomerBadgeStatus.ACTIVE or (
            row.status == CustomerBadgeStatus.GRACE and row.grace_until and row.grace_until > now
        )
        return CustomerBadge(
            badge=row.badge,
            status=row.status,
            is_held=bool(held),
            manual=row.manual,
            unlocked_at=row.unlocked_at,
            grace_until=row.grace_until,
            lost_at=row.lost_at,
            voucher_code=row.voucher.code if row.voucher_id else None,
            voucher_used=bool(row.voucher.used) if row.voucher_id else None,
        )


class BadgeEvent(graphene.ObjectType):
    badge = graphene.Field(Badge, required=True)
    kind = BadgeEventKindEnum(required=True)
    created_at = graphene.DateTime(required=True)
    measured_value = graphene.Int(description="The measured points at that moment.")
    cause = graphene.String(required=True, description="posting, manual, periodic.")
    transaction_id = graphene.ID(description="The ledger transaction that caused it.")
    note = graphene.String(required=True)
    voucher_code = graphene.String(description="The voucher issued with it.")

    class Meta:
        description = "One unlock, loss, grace period, grant or revocation."

    @staticmethod
    def of(event: models.BadgeEvent):
        return BadgeEvent(
            badge=event.badge,
            kind=event.kind,
            created_at=event.created_at,
            measured_value=event.measured_value,
            cause=event.cause,
            transaction_id=graphene.Node.to_global_id("LedgerTransaction", event.transaction_id)
            if event.transaction_id
            else None,
            note=event.note,
            voucher_code=event.voucher.code if event.voucher_id else None,
        )


class Tier(graphene.ObjectType):
    measure = BadgeMeasureEnum(required=True)
    measured_value = graphene.Int(required=True, description="The customer's value now.")
    current = graphene.Field(CustomerBadge, description="The tier held (null: none yet).")
    next_tier = graphene.Field(Badge, description="The next rung above the current value.")
    points_to_next_tier = graphene.Int(description="Points still missing for the next tier.")
    ladder = graphene.List(graphene.NonNull(Badge), required=True, description="All active tiers, lowest first.")

    class Meta:
        description = "A customer's place on the tier ladder."


class CustomerBadges(graphene.ObjectType):
    badges = graphene.List(
        graphene.NonNull(CustomerBadge), required=True, description="Held badges (grace included)."
    )
    tier = graphene.Field(Tier, required=True)
    history = graphene.List(
        graphene.NonNull(BadgeEvent), required=True, first=graphene.Int(default_value=50)
    )

    class Meta:
        description = "A customer's badges, tier and badge history."

    @staticmethod
    def resolve_history(root, _info, first=50):
        events = models.BadgeEvent.objects.filter(customer_id=root.customer_id).select_related(
            "badge", "voucher"
        )[: max(min(first, 500), 0)]
        return [BadgeEvent.of(e) for e in events]


def tier_of(customer, now=None) -> Tier:
    now = now or timezone.now()
    program = measure.get_program()
    account = None
    if customer is not None:
        account = models.Account.objects.filter(customer=customer, kind="points").first()
        if account is not None:
            from ...loyalty import lots

            lots.catch_up(account)
    value = measure.value(account, program, now) if account else 0
    ladder = list(models.Badge.objects.filter(is_tier=True, is_active=True).order_by("min_points"))
    current = None
    if customer is not None:
        row = (
            models.CustomerBadge.objects.filter(held_filter(now), customer=customer, is_tier=True)
            .select_related("badge", "voucher")
            .first()
        )
        current = CustomerBadge.of(row, now) if row else None
    floor = current.badge.min_points if current and current.badge.min_points is not None else None
    above = [t for t in ladder if t.min_points > value and (floor is None or t.min_points > floor)]
    next_tier = above[0] if above else None
    return Tier(
        measure=program.measure,
        measured_value=value,
        current=current,
        next_tier=next_tier,
        points_to_next_tier=(next_tier.min_points - value) if next_tier else None,
        ladder=ladder,
    )


def badges_of(customer, now=None) -> CustomerBadges:
    now = now or timezone.now()
    rows = []
    if customer is not None:
        rows = list(
            models.CustomerBadge.objects.filter(held_filter(now), customer=customer)
            .select_related("badge", "voucher")
            .order_by("badge__sort_order", "badge__min_points", "pk")
        )
    view = CustomerBadges(badges=[CustomerBadge.of(r, now) for r in rows], tier=tier_of(customer, now))
    view.customer_id = customer.pk if customer is not None else None
    return view


class Reward(CountableDjangoObjectType):
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    image = graphene.Field(Image, size=graphene.Int())
    points = graphene.Int(required=True, description="Points the reward costs.")
    kind = RewardKindEnum(required=True)
    amount = graphene.Field(Money, description="WALLET_CREDIT: the credit; VOUCHER (FIXED): the value.")
    voucher_kind = BadgeDiscountKindEnum(description="VOUCHER: PERCENT or FIXED.")
    voucher_percent = graphene.Float(description="VOUCHER (PERCENT): the percent.")
    voucher_valid_days = graphene.Int()
    variant = graphene.Field("saleor.graphql.product.types.ProductVariant", description="FREE_PRODUCT.")
    stock = graphene.Int(description="Total available; null: unlimited.")
    remaining_stock = graphene.Int(description="Still available; null: unlimited.")
    per_customer_limit = graphene.Int()
    starts_at = graphene.DateTime()
    ends_at = graphene.DateTime()
    required_badge = graphene.Field(Badge)
    is_active = graphene.Boolean(required=True)
    reachable = graphene.Boolean(
        required=True, description="Whether the logged-in customer can redeem it now."
    )
    points_missing = graphene.Int(
        required=True, description="Points the logged-in customer still lacks (0: enough)."
    )
    blocked_by = graphene.String(description="The error code redeeming would give now, if any.")

    class Meta:
        description = "A reward of the catalogue, bought with points."
        model = models.Reward
        interfaces = [relay.Node]
        only_fields = ["id", "sort_order"]

    @staticmethod
    def resolve_image(root, info, size=None):
        found = images.url(root.image, size)
        return Image(info.context.build_absolute_uri(found), root.name) if found else None

    @staticmethod
    def resolve_amount(root, _info):
        if root.kind == RewardKind.WALLET_CREDIT or (
            root.kind == RewardKind.VOUCHER and root.voucher_kind == DiscountKind.FIXED
        ):
            return money(root.amount, root.currency)
        return None

    @staticmethod
    def resolve_voucher_kind(root, _info):
        return root.voucher_kind if root.kind == RewardKind.VOUCHER else None

    @staticmethod
    def resolve_voucher_percent(root, _info):
        if root.kind == RewardKind.VOUCHER and root.voucher_kind == DiscountKind.PERCENT:
            return float(root.amount)
        return None

    @staticmethod
    def resolve_remaining_stock(root, _info):
        return None if root.stock is None else max(root.stock - root.redeemed_count, 0)

    @staticmethod
    def resolve_reachable(root, _info):
        status = getattr(root, "status", None)
        return bool(status and status.reachable)

    @staticmethod
    def resolve_points_missing(root, _info):
        status = getattr(root, "status", None)
        return status.points_missing if status else root.points

    @staticmethod
    def resolve_blocked_by(root, _info):
        status = getattr(root, "status", None)
        return status.blocked_by if status else None


def with_status(statuses):
    found = []
    for status in statuses:
        status.reward.status = status
        found.append(status.reward)
    return found


class RewardRedemption(CountableDjangoObjectType):
    reward = graphene.Field(Reward, required=True)
    points = graphene.Int(required=True)
    created_at = graphene.DateTime(required=True)
    channel = graphene.String(required=True, description="online or pos.")
    voucher_code = graphene.String(description="VOUCHER and FREE_PRODUCT: the personal code.")
    voucher_valid_until = graphene.DateTime()
    wallet_credit = graphene.Field(Money, description="WALLET_CREDIT: what the wallet received.")
    variant = graphene.Field("saleor.graphql.product.types.ProductVariant")
    checkout_token = graphene.UUID(description="FREE_PRODUCT online: the checkout it was put into.")
    transaction = graphene.Field("saleor_customer_value.graphql.ledger.types.LedgerTransaction")
    replayed = graphene.Boolean(required=True, description="True when an idempotency key replayed it.")

    class Meta:
        description = "A reward redeemed with points."
        model = models.RewardRedemption
        interfaces = [relay.Node]
        only_fields = ["id"]

    @staticmethod
    def resolve_voucher_code(root, _info):
        return root.voucher.code if root.voucher_id else None

    @staticmethod
    def resolve_voucher_valid_until(root, _info):
        return root.voucher.end_date if root.voucher_id else None

    @staticmethod
    def resolve_wallet_credit(root, _info):
        if root.reward.kind != RewardKind.WALLET_CREDIT:
            return None
        # What was booked then, not what the reward is worth today.
        return money(root.transaction.metadata["amount"], root.reward.currency)

    @staticmethod
    def resolve_replayed(root, _info):
        return bool(getattr(root, "replayed", False))

