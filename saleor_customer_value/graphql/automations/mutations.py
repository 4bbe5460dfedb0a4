"""Mutations of segments, automation runs, periodic gifts and birthdays."""
import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from saleor.graphql.core.scalars import Decimal

from ...automations import runs, segments
from ...error_codes import CustomerValueErrorCode as Code
from ...ledger import accounts
from ...models import AutomationRun as RunModel
from ...models import PeriodicGift as GiftModel
from ...models import Segment as SegmentModel
from ...models.automations import GiftFrequency
from ...permissions import CustomerValuePermissions as Perm
from ..badges.mutations import node
from ..badges.types import Badge
from ..core import CustomerValueMutation, error, has_permissions, permission_denied
from ..enums import LedgerReasonEnum
from .types import (
    AutomationActionEnum,
    AutomationRun,
    AutomationSegment,
    AutomationSegmentInput,
    GiftFrequencyEnum,
    PeriodicGift,
)

MAX_TEXT = 2000


def definition_of(mutation, info, data) -> dict:
    """The API's segment input as the plain definition ``automations.segments`` reads."""
    data = dict(data or {})
    if data.get("badges"):
        data["badge_ids"] = [node(mutation, info, raw, Badge, "badges").pk for raw in data.pop("badges")]
    else:
        data.pop("badges", None)
    return segments.parse(data)


def _text(field, value, required=False, limit=MAX_TEXT):
    value = (value or "").strip()
    if required and not value:
        raise error(field, _("This field is required."), Code.REQUIRED)
    if len(value) > limit:
        raise error(field, _("At most %(limit)s characters.") % {"limit": limit}, Code.INVALID)
    return value


class AutomationActionInput(graphene.InputObjectType):
    action = AutomationActionEnum(required=True)
    points = graphene.Int(description="ADD/SUBTRACT: how many; SET_POINTS: the new balance.")
    amount = Decimal(description="CREDIT_WALLET: how much.")
    currency = graphene.String(description="CREDIT_WALLET: default the shop's currency.")
    badge_id = graphene.ID(description="GRANT_BADGE: the badge or tier.")
    reason = LedgerReasonEnum(description="Points: POINTS_ADJUSTMENT (default) or POINTS_ACTION; wallet: GOODWILL (default), CASHBACK, B2B_BONUS, CORRECTION.")
    note = graphene.String(required=True, description="Internal note on every booking (mandatory).")
    customer_note = graphene.String(description="What customers see in their history.")


def action_of(mutation, info, data) -> dict:
    badge = node(mutation, info, data["badge_id"], Badge, "badge_id") if data.get("badge_id") else None
    return dict(
        action=getattr(data["action"], "value", data["action"]),
        points=data.get("points"),
        amount=data.get("amount"),
        currency=(data.get("currency") or "").strip().upper(),
        badge=badge,
        reason=getattr(data.get("reason"), "value", data.get("reason")) or "",
        note=_text("note", data.get("note"), required=True),
        customer_note=_text("customer_note", data.get("customer_note"), limit=255),
    )


class AutomationSegmentSave(CustomerValueMutation):
    segment = graphene.Field(AutomationSegment)

    class Arguments:
        id = graphene.ID(description="Update this segment; create one without.")
        name = graphene.String(required=True)
        filter = AutomationSegmentInput(required=True)

    class Meta:
        description = "Save a segment of customers [MANAGE_LOYALTY]."
        permissions = (Perm.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, name, filter, id=None):
        segment = node(cls, info, id, AutomationSegment, "id") if id else SegmentModel()
        segment.name = _text("name", name, required=True, limit=128)
        segment.definition = definition_of(cls, info, filter)
        segment.save()
        return cls(segment=segment)


class AutomationRunCreate(CustomerValueMutation):
    run = graphene.Field(AutomationRun)

    class Arguments:
        segment_id = graphene.ID(description="A saved segment, or give filter.")
        filter = AutomationSegmentInput(description="The segment, when no segmentId is given.")
        input = AutomationActionInput(required=True)

    class Meta:
        description = (
            "Apply an action to every customer of a segment as a background job: poll "
            "automationRun for progress; each customer is booked at most once per run, "
            "even when the job is restarted [MANAGE_LOYALTY]."
        )
        permissions = (Perm.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input, segment_id=None, filter=None):
        segment = node(cls, info, segment_id, AutomationSegment, "segment_id") if segment_id else None
        if segment is None and filter is None:
            raise error("filter", _("Give a segment or a filter."), Code.REQUIRED)
        definition = segment.definition if segment else definition_of(cls, info, filter)
        action = action_of(cls, info, input)
        if action["action"] == "credit_wallet" and not has_permissions(info.context, (Perm.MANAGE_WALLETS,)):
            raise permission_denied(_("Crediting wallets needs MANAGE_WALLETS."))
        run = runs.create(
            definition, segment=segment, user=info.context.user, app=getattr(info.context, "app", None), **action
        )
        runs.schedule(run)
        return cls(run=run)


class AutomationRunCancel(CustomerValueMutation):
    run = graphene.Field(AutomationRun)

    class Arguments:
        id = graphene.ID(required=True)

    class Meta:
        description = "Stop a run before its next customer; what is booked stays booked [MANAGE_LOYALTY]."
        permissions = (Perm.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, id):
        run = node(cls, info, id, AutomationRun, "id")
        return cls(run=runs.cancel(run))


class PeriodicGiftInput(graphene.InputObjectType):
    name = graphene.String(required=True)
    frequency = GiftFrequencyEnum(required=True)
    day = graphene.Int(description="MONTHLY/YEARLY: day of the month (default 1); WEEKLY: 1 (Monday) to 7.")
    month = graphene.Int(description="YEARLY: 1 to 12.")
    is_active = graphene.Boolean()
    starts_on = graphene.Date()
    segment_id = graphene.ID()
    filter = AutomationSegmentInput()
    action = AutomationActionInput(required=True)


class PeriodicGiftSave(CustomerValueMutation):
    gift = graphene.Field(PeriodicGift)

    class Arguments:
        id = graphene.ID(description="Update this gift; create one without.")
        input = PeriodicGiftInput(required=True)

    class Meta:
        description = "Create or change a periodic gift (booked once per period by the beat task) [MANAGE_LOYALTY]."
        permissions = (Perm.MANAGE_LOYALTY,)

    @classmethod
    def perform_mutation(cls, _root, info, input, id=None):
        gift = node(cls, info, id, PeriodicGift, "id") if id else GiftModel()
        action = action_of(cls, info, input["action"])
        fields = runs.check_action(**{k: v for k, v in action.items() if k != "customer_note"})
        if fields["action"] == "credit_wallet" and not has_permissions(info.context, (Perm.MANAGE_WALLETS,)):
            raise permission_denied(_("Crediting wallets needs MANAGE_WALLETS."))
        frequency = getattr(input["frequency"], "value", input["frequency"])
        day = input.get("day") or 1
        month = input.get("month") or 1
        if frequency == GiftFrequency.WEEKLY and not 1 <= day <= 7:
            raise error("day", _("A weekday is 1 (Monday) to 7 (Sunday)."), Code.INVALID)
        if not 1 <= day <= 31 or not 1 <= month <= 12:
            raise error("day", _("Not a day of the month."), Code.INVALID)
        segment = node(cls, info, input["segment_id"], AutomationSegment, "segment_id") if input.get("segment_id") else None
        gift.name = _text("name", input["name"], required=True, limit=128)
        gift.frequency, gift.day, gift.month = frequency, day, month
        gift.is_active = True if input.get("is_active") is None else input["is_active"]
        gift.starts_on = input.get("starts_on")
        gift.segment = segment
        gift.definition = {} if segment else definition_of(cls, info, input.get("filter"))
        gift.note, gift.customer_note = action["note"], action["customer_note"]
        for name in ("action", "points", "amount", "currency", "badge", "reason"):
            setattr(gift, name, fields[name] if fields[name] is not None or name in ("points", "amount", "badge") else "")
        gift.save()
        return cls(gift=gift)


class CustomerBirthdaySet(CustomerValueMutation):
    birthday = graphene.Date()

    class Arguments:
        customer_id = graphene.ID(description="Staff (MANAGE_LOYALTY): whose; a shopper omits it (their own).")
        birthday = graphene.Date(description="Null removes it.")

    class Meta:
        description = "Store a customer's birthday for birthday gifts (Saleor 2.10 keeps none)."

    @classmethod
    def check_permissions(cls, context):
        user = getattr(context, "user", None)
        return bool(user and user.is_authenticated) or getattr(context, "app", None) is not None

    @classmethod
    def perform_mutation(cls, _root, info, customer_id=None, birthday=None):
        from datetime import date

        from saleor.graphql.account.types import User

        if customer_id:
            if not has_permissions(info.context, (Perm.MANAGE_LOYALTY,)):
                raise permission_denied()
            user = node(cls, info, customer_id, User, "customer_id")
        else:
            user = info.context.user
            if not user or not user.is_authenticated:
                raise permission_denied()
        if birthday is not None and not (date(1900, 1, 1) <= birthday <= date.today()):
            raise error("birthday", _("Not a plausible birthday."), Code.INVALID)
        customer = accounts.customer_for_user(user)
        customer.birthday = birthday
        customer.save(update_fields=["birthday"])
        return cls(birthday=birthday)
