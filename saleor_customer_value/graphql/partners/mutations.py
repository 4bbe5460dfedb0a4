"""Partner network mutations. Managing merchants, settling and recording payouts need
MANAGE_PARTNERS (the operator); a merchant's staff and tills book through the POS API,
whose bookings carry their merchant (``pos.bookings``)."""
from django.utils.translation import gettext as _
import graphene
from saleor.graphql.core.scalars import Decimal

from ...error_codes import CustomerValueErrorCode as Code
from ...ledger.amounts import check_number, validate_currency
from ...models import Merchant as MerchantModel, MerchantStaff, MerchantStatus, MerchantTill, Statement
from ...partners import settlement
from ...partners.errors import StatementNotFound
from ...permissions import CustomerValuePermissions
from ..core import CustomerValueMutation, error, has_permissions, request_actor
from ..pos.mutations import PosCustomerInput
from ..pos.types import PosBooking, PosCustomer
from .types import EarnRoundingEnum, Merchant, MerchantReward, MerchantStatement, MerchantStatusEnum

MANAGE_PARTNERS = CustomerValuePermissions.MANAGE_PARTNERS


class OperatorMutation(CustomerValueMutation):
    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return has_permissions(context, (MANAGE_PARTNERS,))


class MerchantInput(graphene.InputObjectType):
    name = graphene.String()
    contact_name = graphene.String()
    contact_email = graphene.String()
    payout_details = graphene.String(description="IBAN or other payout instructions.")
    status = MerchantStatusEnum()
    commission_percent = Decimal(description="0 to 100: the operator's share of each wallet payment.")
    point_value = Decimal(description="Money per point for funding and clearing points (e.g. 0.01).")
    currency = graphene.String()
    plan_enabled = graphene.Boolean(description="The merchant's own card plan on/off.")
    plan_earn_points = graphene.Int(description="Points per plan_earn_amount.")
    plan_earn_amount = Decimal()
    plan_earn_rounding = EarnRoundingEnum()
    plan_description = graphene.String()


def _apply_plan(merchant, data):
    if data.get("plan_enabled") is not None:
        merchant.plan_enabled = data["plan_enabled"]
    if data.get("plan_earn_points") is not None:
        if not 0 < data["plan_earn_points"] <= 100000:
            raise error("planEarnPoints", _("Between 1 and 100000 points."), Code.INVALID)
        merchant.plan_earn_points = data["plan_earn_points"]
    if data.get("plan_earn_amount") is not None:
        value = check_number(data["plan_earn_amount"], field="planEarnAmount")
        if value <= 0 or value != value.quantize(value.__class__("0.01")) or value >= 10**8:
            raise error("planEarnAmount", _("A positive amount with at most 2 decimals."), Code.INVALID)
        merchant.plan_earn_amount = value
    if data.get("plan_earn_rounding") is not None:
        merchant.plan_earn_rounding = data["plan_earn_rounding"]
    if "plan_description" in data:
        merchant.plan_description = (data["plan_description"] or "").strip()


def _apply(merchant, data):
    _apply_plan(merchant, data)
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name:
            raise error("name", _("A merchant needs a name."), Code.REQUIRED)
        merchant.name = name[:128]
    for field in ("contact_name", "contact_email", "payout_details"):
        if field in data:
            setattr(merchant, field, (data[field] or "").strip())
    if data.get("status") is not None:
        merchant.status = data["status"]
    if data.get("commission_percent") is not None:
        value = check_number(data["commission_percent"], field="commissionPercent")
        if value < 0 or value > 100 or value != value.quantize(value.__class__("0.01")):
            raise error("commissionPercent", _("A commission is 0 to 100 percent, at most 2 decimals."), Code.INVALID)
        merchant.commission_percent = value
    if data.get("point_value") is not None:
        value = check_number(data["point_value"], field="pointValue")
        if value < 0 or value != value.quantize(value.__class__("0.0001")) or value >= 10**8:
            raise error("pointValue", _("A point value is at least 0, at most 4 decimals."), Code.INVALID)
        merchant.point_value = value
    if data.get("currency"):
        merchant.currency = validate_currency(data["currency"])
    if merchant.contact_email:
        from django.core.exceptions import ValidationError as DjangoValidationError
        from django.core.validators import validate_email

        try:
            validate_email(merchant.contact_email)
        except DjangoValidationError:
            raise error("contactEmail", _("This is not an e-mail address."), Code.INVALID)


class MerchantCreate(OperatorMutation):
    merchant = graphene.Field(Merchant)

    class Arguments:
        input = MerchantInput(required=True)

    class Meta:
        description = "Add a partner merchant to the network. Requires MANAGE_PARTNERS."

    @classmethod
    def perform_mutation(cls, _root, info, input):
        merchant = MerchantModel()
        if not (input.get("name") or "").strip():
            raise error("name", _("A merchant needs a name."), Code.REQUIRED)
        _apply(merchant, input)
        merchant.save()
        return cls(merchant=merchant)


class MerchantUpdate(OperatorMutation):
    merchant = graphene.Field(Merchant)

    class Arguments:
        id = graphene.ID(required=True)
        input = MerchantInput(required=True)

    class Meta:
        description = (
            "Change a merchant's details, commission, point value or status (SUSPENDED: its "
            "tills and staff can no longer book). Requires MANAGE_PARTNERS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, id, input):
        merchant = cls.get_node_or_error(info, id, only_type=Merchant, field="id")
        merchant = MerchantModel.objects.select_for_update().get(pk=merchant.pk)
        _apply(merchant, input)
        merchant.save()
        return cls(merchant=merchant)


class MerchantTillAssign(OperatorMutation):
    merchant = graphene.Field(Merchant)

    class Arguments:
        merchant_id = graphene.ID(required=True)
        app_id = graphene.ID(required=True, description="A Saleor App (a till with USE_POS).")

    class Meta:
        description = "Let a till (Saleor App) book for a merchant (moves it from another). Requires MANAGE_PARTNERS."

    @classmethod
    def perform_mutation(cls, _root, info, merchant_id, app_id):
        from saleor.graphql.app.types import App

        merchant = cls.get_node_or_error(info, merchant_id, only_type=Merchant, field="merchant_id")
        app = cls.get_node_or_error(info, app_id, only_type=App, field="app_id")
        MerchantTill.objects.update_or_create(app=app, defaults={"merchant": merchant})
        return cls(merchant=merchant)


class MerchantStaffAssign(OperatorMutation):
    merchant = graphene.Field(Merchant)

    class Arguments:
        merchant_id = graphene.ID(required=True)
        user_id = graphene.ID(required=True, description="A staff user.")

    class Meta:
        description = "Let a staff user act for a merchant (moves them from another). Requires MANAGE_PARTNERS."

    @classmethod
    def perform_mutation(cls, _root, info, merchant_id, user_id):
        from saleor.graphql.account.types import User

        merchant = cls.get_node_or_error(info, merchant_id, only_type=Merchant, field="merchant_id")
        user = cls.get_node_or_error(info, user_id, only_type=User, field="user_id")
        if not user.is_staff:
            raise error("userId", _("Only staff users act for a merchant."), Code.INVALID)
        MerchantStaff.objects.update_or_create(user=user, defaults={"merchant": merchant})
        return cls(merchant=merchant)


class MerchantMemberRemove(OperatorMutation):
    merchant = graphene.Field(Merchant)

    class Arguments:
        app_id = graphene.ID(description="A till to detach.")
        user_id = graphene.ID(description="A staff user to detach.")

    class Meta:
        description = "Stop a till or staff user acting for its merchant. Requires MANAGE_PARTNERS."

    @classmethod
    def perform_mutation(cls, _root, info, app_id=None, user_id=None):
        from saleor.graphql.account.types import User
        from saleor.graphql.app.types import App

        if bool(app_id) == bool(user_id):
            raise error(None, _("Give exactly one of appId or userId."), Code.INVALID)
        if app_id:
            app = cls.get_node_or_error(info, app_id, only_type=App, field="app_id")
            link = MerchantTill.objects.select_related("merchant").filter(app=app).first()
        else:
            user = cls.get_node_or_error(info, user_id, only_type=User, field="user_id")
            link = MerchantStaff.objects.select_related("merchant").filter(user=user).first()
        if link is None:
            raise error("appId" if app_id else "userId", _("It does not act for any merchant."), Code.NOT_FOUND)
        merchant = link.merchant
        link.delete()
        return cls(merchant=merchant)


class MerchantSettle(OperatorMutation):
    statements = graphene.List(graphene.NonNull(MerchantStatement), required=True, default_value=[])

    class Arguments:
        merchant_id = graphene.ID(required=True)

    class Meta:
        description = (
            "Close the merchant's period now: one statement per currency with every booking "
            "since its last statement (NOTHING_TO_SETTLE if none). Requires MANAGE_PARTNERS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, merchant_id):
        merchant = cls.get_node_or_error(info, merchant_id, only_type=Merchant, field="merchant_id")
        return cls(statements=settlement.settle(merchant, require=True))


class MerchantStatementPayoutRecord(OperatorMutation):
    statement = graphene.Field(MerchantStatement)

    class Arguments:
        statement_id = graphene.ID(required=True)
        reference = graphene.String(description="The bank transfer's reference.")

    class Meta:
        description = (
            "Record that a statement's net was paid (to or by the merchant): books it against "
            "the merchant's clearing account, once (ALREADY_PAID). Requires MANAGE_PARTNERS."
        )

    @classmethod
    def perform_mutation(cls, _root, info, statement_id, reference=None):
        statement = cls.get_node_or_error(info, statement_id, only_type=MerchantStatement, field="statement_id")
        if not isinstance(statement, Statement):
            raise StatementNotFound(_("No statement has this ID."))
        reference = (reference or "").strip()[:128]
        return cls(statement=settlement.record_payout(statement, request_actor(info), reference))


class MerchantScopedMutation(CustomerValueMutation):
    """For the operator (MANAGE_PARTNERS) or a till/staff member acting for a merchant
    (USE_POS); another merchant is NOT_FOUND."""

    class Meta:
        abstract = True

    @classmethod
    def check_permissions(cls, context, permissions=None):
        if has_permissions(context, (MANAGE_PARTNERS,)):
            return True
        from ...partners import merchants

        return has_permissions(context, (CustomerValuePermissions.USE_POS,)) and (
            merchants.for_request(context.user, getattr(context, "app", None)) is not None
        )

    @classmethod
    def merchant(cls, info, merchant_id):
        from .schema import _merchant

        return _merchant(info, merchant_id)


class MerchantRewardInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    description = graphene.String()
    points = graphene.Int(required=True, description="Points required (> 0).")


class MerchantRewardCreate(MerchantScopedMutation):
    reward = graphene.Field(MerchantReward)

    class Arguments:
        merchant_id = graphene.ID(description="Omit for the caller's own merchant.")
        input = MerchantRewardInput(required=True)

    class Meta:
        description = "Add a reward to a merchant's catalogue (the operator or the merchant's own staff)."

    @classmethod
    def perform_mutation(cls, _root, info, input, merchant_id=None):
        from ...models import MerchantReward as RewardModel

        merchant = cls.merchant(info, merchant_id)
        name = (input.get("name") or "").strip()
        if not name:
            raise error("name", _("A reward needs a name."), Code.REQUIRED)
        if not 0 < input["points"] <= 10**9:
            raise error("points", _("A reward needs a positive number of points."), Code.INVALID)
        reward = RewardModel.objects.create(
            merchant=merchant, name=name[:128], description=(input.get("description") or "").strip(), points=input["points"]
        )
        return cls(reward=MerchantReward.of(reward))


class MerchantRewardDeactivate(MerchantScopedMutation):
    reward = graphene.Field(MerchantReward)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Take a reward out of the merchant's catalogue."

    @classmethod
    def perform_mutation(cls, _root, info, id):
        from ...models import MerchantReward as RewardModel
        from ...partners import merchants
        from ..inputs import decode_id

        pk = decode_id(id, "MerchantReward", field="id")
        visible = merchants.visible(info.context.user, getattr(info.context, "app", None))
        reward = (
            RewardModel.objects.filter(pk=int(pk), merchant__in=visible).first()
            if str(pk).isdigit() and len(str(pk)) < 12
            else None
        )
        if reward is None:
            raise error("id", f"Couldn't resolve to a node: {id}", Code.NOT_FOUND)
        reward.is_active = False
        reward.save(update_fields=["is_active"])
        return cls(reward=MerchantReward.of(reward))


class MerchantPointsAdjust(MerchantScopedMutation):
    customer = graphene.Field(PosCustomer)
    bookings = graphene.List(graphene.NonNull(PosBooking), required=True, default_value=[])

    class Arguments:
        customer = PosCustomerInput(required=True)
        points = graphene.Int(required=True, description="Positive: add (the merchant funds them); negative: remove.")
        note = graphene.String(required=True, description="Why (required).")
        idempotency_key = graphene.String(required=True)

    class Meta:
        description = (
            "A merchant's staff or till adds or removes points with a note; booked for the "
            "caller's merchant with its clearing. Requires USE_POS and acting for a merchant."
        )

    @classmethod
    def perform_mutation(cls, _root, info, customer, points, note, idempotency_key):
        from ...partners import merchants, plans
        from ...pos import bookings as pos_bookings, lookup
        from ..pos.mutations import identify

        actor = request_actor(info)
        merchant = merchants.for_booking(actor)
        if merchant is None:
            raise error(None, _("Only a merchant's staff or tills book a merchant's points."), Code.PERMISSION_DENIED)
        note, _receipt, idem = pos_bookings.clean_request(note, "merchant", idempotency_key, actor.idempotency_scope)
        who = identify(customer)
        txn = plans.adjust_points(merchant, who, points, note, actor, idem)
        return cls(customer=PosCustomer.of(lookup.view(who.customer, who.card)), bookings=[PosBooking.of(txn)])


class PartnerPlanJoin(CustomerValueMutation):
    merchant_name = graphene.String()

    class Arguments:
        token = graphene.String(required=True, description="From the merchant's share link.")

    class Meta:
        description = "The logged-in customer joins a merchant's card plan through its share link."

    @classmethod
    def check_permissions(cls, context, permissions=None):
        user = context.user
        return bool(user and user.is_authenticated and getattr(context, "app", None) is None)

    @classmethod
    def perform_mutation(cls, _root, info, token):
        from ...ledger import accounts
        from ...partners import plans

        merchant = plans.merchant_for_token(token)
        plans.join(merchant, accounts.customer_for_user(info.context.user))
        return cls(merchant_name=merchant.name)
