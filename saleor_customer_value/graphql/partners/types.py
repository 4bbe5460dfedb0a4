"""GraphQL types of the partner network. Every resolver that reaches a merchant's data
goes through ``partners.merchants.visible``: the operator (MANAGE_PARTNERS) sees every
merchant, a merchant's staff and tills only their own."""
import graphene
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.core.types import Money

from ... import models
from ...models.partners import ClearingKind, MerchantStatus
from ...partners import clearing, exports, merchants
from ...ledger.reasons import SystemAccountCode
from ..wallet.types import money


class MerchantStatusEnum(graphene.Enum):
    ACTIVE = MerchantStatus.ACTIVE
    SUSPENDED = MerchantStatus.SUSPENDED


class ClearingKindEnum(graphene.Enum):
    TOPUP = ClearingKind.TOPUP
    PAYMENT = ClearingKind.PAYMENT
    POINTS_EARNED = ClearingKind.POINTS_EARNED
    POINTS_REDEEMED = ClearingKind.POINTS_REDEEMED
    REVERSAL = ClearingKind.REVERSAL


def _caller(info):
    return info.context.user, getattr(info.context, "app", None)


class _Scoped:
    """``node(id:)`` and every lookup answer only what the caller may see."""

    @classmethod
    def visible_queryset(cls, info):
        raise NotImplementedError

    @classmethod
    def get_node(cls, info, pk):
        return cls.visible_queryset(info).filter(pk=pk).first()


class MerchantTillInfo(graphene.ObjectType):
    app_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)


class MerchantStaffInfo(graphene.ObjectType):
    user_id = graphene.ID(required=True)
    email = graphene.String(required=True)


class EarnRoundingEnum(graphene.Enum):
    DOWN = "down"
    NEAREST = "nearest"


class MerchantReward(graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String(required=True)
    points = graphene.Int(required=True, description="Points required.")
    points_missing = graphene.Int(description="Points the customer still needs (customer views only).")
    is_active = graphene.Boolean(required=True)

    @staticmethod
    def of(reward, balance=None):
        return MerchantReward(
            id=graphene.Node.to_global_id("MerchantReward", reward.pk),
            name=reward.name,
            description=reward.description,
            points=reward.points,
            points_missing=None if balance is None else max(reward.points - balance, 0),
            is_active=reward.is_active,
        )


class Merchant(_Scoped, CountableDjangoObjectType):
    plan_earn_rounding = EarnRoundingEnum(required=True)
    plan_earn_amount = graphene.String(required=True, description="Amount (decimal text) per plan_earn_points.")
    plan_signup_token = graphene.String(
        description="Signed token of the plan's share link (partnerPlanJoin); for the operator and the merchant."
    )
    rewards = graphene.List(graphene.NonNull(MerchantReward), required=True)
    status = MerchantStatusEnum(required=True)
    commission_percent = graphene.Float(required=True, description="Percent of each wallet payment kept by the operator.")
    point_value = graphene.String(required=True, description="Money per point (decimal text) for funding and clearing points.")
    tills = graphene.List(graphene.NonNull(MerchantTillInfo), required=True)
    staff = graphene.List(graphene.NonNull(MerchantStaffInfo), required=True)
    clearing_balance = graphene.Field(
        Money,
        currency=graphene.String(),
        required=True,
        description="What the operator owes the merchant now (negative: what it owes the operator).",
    )
    open_bookings = graphene.Int(required=True, description="Bookings no statement covers yet.")

    class Meta:
        description = "A partner merchant of the network."
        model = models.Merchant
        interfaces = [relay.Node]
        only_fields = [
            "id", "name", "contact_name", "contact_email", "payout_details", "currency", "created_at",
            "plan_enabled", "plan_earn_points", "plan_description",
        ]

    @classmethod
    def visible_queryset(cls, info):
        return merchants.visible(*_caller(info))

    @staticmethod
    def resolve_plan_earn_amount(root, _info):
        return format(root.plan_earn_amount, "f")

    @staticmethod
    def resolve_plan_signup_token(root, _info):
        from ...partners import plans

        return plans.signup_token(root)

    @staticmethod
    def resolve_rewards(root, _info):
        return [MerchantReward.of(r) for r in root.rewards.filter(is_active=True)]

    @staticmethod
    def resolve_commission_percent(root, _info):
        return float(root.commission_percent)

    @staticmethod
    def resolve_point_value(root, _info):
        return format(root.point_value.normalize(), "f")

    @staticmethod
    def resolve_tills(root, _info):
        return [
            MerchantTillInfo(app_id=graphene.Node.to_global_id("App", t.app_id), name=t.app.name, is_active=t.app.is_active)
            for t in root.tills.select_related("app").order_by("pk")
        ]

    @staticmethod
    def resolve_staff(root, _info):
        return [
            MerchantStaffInfo(user_id=graphene.Node.to_global_id("User", s.user_id), email=s.user.email)
            for s in root.staff.select_related("user").order_by("pk")
        ]

    @staticmethod
    def resolve_clearing_balance(root, _info, currency=None):
        currency = currency or root.currency
        return money(clearing.merchant_balance(root, currency), currency)

    @staticmethod
    def resolve_open_bookings(root, _info):
        return root.bookings.filter(line__isnull=True).count()


class MerchantBooking(graphene.ObjectType):
    transaction_id = graphene.ID(required=True, description="The ledger transaction of the booking.")
    kind = ClearingKindEnum(required=True)
    reason = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    receipt = graphene.String(required=True)
    customer_name = graphene.String(description="Who (as far as the merchant may know: name or e-mail).")
    gross = graphene.Field(Money, required=True, description="Value of the booking (signed: + owed to the merchant).")
    commission = graphene.Field(Money, required=True)
    net = graphene.Field(Money, required=True, description="What it adds to the merchant's clearing balance.")
    statement_number = graphene.Int(description="The statement that covers it (null: not settled yet).")

    class Meta:
        description = "A till booking made for a merchant, with its clearing."

    @staticmethod
    def of(booking: models.PartnerBooking):
        txn = booking.transaction
        customer = booking.customer
        name = None
        if customer is not None:
            user = customer.user if customer.user_id else None
            name = (user.get_full_name() or user.email) if user else (customer.email or None)
        line = getattr(booking, "line", None) if hasattr(booking, "line") else None
        currency = booking.currency
        return MerchantBooking(
            transaction_id=graphene.Node.to_global_id("LedgerTransaction", txn.pk),
            kind=booking.kind,
            reason=txn.reason,
            created_at=txn.created_at,
            receipt=txn.external_reference,
            customer_name=name,
            gross=money(booking.amount + booking.commission, currency),
            commission=money(booking.commission, currency),
            net=money(booking.amount, currency),
            statement_number=line.statement.number if line else None,
        )


def bookings_of(merchant, limit=100):
    rows = (
        models.PartnerBooking.objects.filter(merchant=merchant)
        .select_related("transaction", "customer__user", "line__statement")
        .order_by("-transaction_id")[:limit]
    )
    return [MerchantBooking.of(b) for b in rows]


class MerchantStatement(_Scoped, CountableDjangoObjectType):
    merchant = graphene.Field(Merchant, required=True)
    topups = graphene.Field(Money, required=True, description="Cash top-ups taken (negative: owed to the operator).")
    payments = graphene.Field(Money, required=True, description="Wallet payments accepted (gross).")
    points_earned = graphene.Field(Money, required=True, description="Points issued, at the point value (negative).")
    points_redeemed = graphene.Field(Money, required=True, description="Points redeemed, at the point value.")
    reversals = graphene.Field(Money, required=True)
    commission = graphene.Field(Money, required=True)
    net = graphene.Field(
        Money, required=True, description="Positive: the operator pays the merchant; negative: the merchant pays."
    )
    bookings = graphene.List(graphene.NonNull(MerchantBooking), required=True)
    csv_url = graphene.String(required=True, description="CSV download, valid for 10 minutes.")
    pdf_url = graphene.String(required=True, description="PDF download, valid for 10 minutes.")

    class Meta:
        description = "A settled period of one merchant in one currency."
        model = models.Statement
        interfaces = [relay.Node]
        only_fields = ["id", "number", "currency", "period_start", "period_end", "paid_at", "payout_reference", "created_at"]

    @classmethod
    def visible_queryset(cls, info):
        return models.Statement.objects.filter(merchant__in=merchants.visible(*_caller(info)))

    @staticmethod
    def resolve_bookings(root, _info):
        rows = (
            models.PartnerBooking.objects.filter(line__statement=root)
            .select_related("transaction", "customer__user", "line__statement")
            .order_by("transaction_id")
        )
        return [MerchantBooking.of(b) for b in rows]

    @staticmethod
    def resolve_csv_url(root, info):
        return info.context.build_absolute_uri(exports.url_for(root, "csv", *_caller(info)))

    @staticmethod
    def resolve_pdf_url(root, info):
        return info.context.build_absolute_uri(exports.url_for(root, "pdf", *_caller(info)))


def _money_resolver(name):
    def resolve(root, _info):
        return money(getattr(root, name), root.currency)

    return staticmethod(resolve)


for _name in ("topups", "payments", "points_earned", "points_redeemed", "reversals", "commission", "net"):
    setattr(MerchantStatement, f"resolve_{_name}", _money_resolver(_name))


class PartnerPlan(graphene.ObjectType):
    merchant_name = graphene.String(required=True)
    description = graphene.String(required=True)
    earning_rule = graphene.String(required=True, description="e.g. '1 point per 10.00 EUR'.")
    joined_at = graphene.DateTime(required=True)
    points = graphene.Int(required=True, description="Net points booked at this merchant (shared points).")
    rewards = graphene.List(graphene.NonNull(MerchantReward), required=True)

    class Meta:
        description = "A merchant card plan the customer joined, with the balance per plan."


class MerchantClearingBalance(graphene.ObjectType):
    merchant = graphene.Field(Merchant, required=True)
    balance = graphene.Field(Money, required=True)


class PartnerNetworkPosition(graphene.ObjectType):
    currency = graphene.String(required=True)
    merchants = graphene.List(graphene.NonNull(MerchantClearingBalance), required=True)
    merchant_total = graphene.Field(Money, required=True, description="Sum of the merchants' clearing balances.")
    commission = graphene.Field(Money, required=True, description="Commission earned by the operator.")
    operator = graphene.Field(
        Money, required=True, description="The operator's clearing account: always -(merchant total + commission)."
    )
    balanced = graphene.Boolean(required=True)

    class Meta:
        description = "The operator's view of the clearing with all partners (MANAGE_PARTNERS)."

    @staticmethod
    def of(position):
        currency = position["currency"]
        return PartnerNetworkPosition(
            currency=currency,
            merchants=[
                MerchantClearingBalance(merchant=m, balance=money(b, currency))
                for m, b in sorted(position["merchants"].items(), key=lambda item: item[0].pk)
            ],
            merchant_total=money(position["merchant_total"], currency),
            commission=money(position["commission"], currency),
            operator=money(position["operator"], currency),
            balanced=position["merchant_total"] + position["commission"] + position["operator"] == 0,
        )


__all__ = ["SystemAccountCode"]
