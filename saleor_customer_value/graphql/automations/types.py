"""GraphQL types of segments, automation runs and periodic gifts."""
import graphene
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.core.scalars import Decimal
from saleor.graphql.core.types.common import Error  # noqa: F401

from ... import models
from ...graphql.enums import LedgerReasonEnum
from ...models.automations import AutomationAction, GiftFrequency, MemberStatus, RunStatus
from saleor.graphql.core.enums import to_enum

AutomationActionEnum = to_enum(AutomationAction, type_name="AutomationActionEnum")
AutomationRunStatusEnum = to_enum(RunStatus, type_name="AutomationRunStatusEnum")
AutomationMemberStatusEnum = to_enum(MemberStatus, type_name="AutomationMemberStatusEnum")
GiftFrequencyEnum = to_enum(GiftFrequency, type_name="PeriodicGiftFrequencyEnum")


class AutomationSegmentInput(graphene.InputObjectType):
    points_min = graphene.Int(description="Points balance at least.")
    points_max = graphene.Int(description="Points balance at most.")
    badges = graphene.List(graphene.NonNull(graphene.ID), description="Holds any of these badges or tiers.")
    last_order_from = graphene.Date()
    last_order_to = graphene.Date()
    no_orders = graphene.Boolean(description="Only customers who never ordered.")
    total_spent_min = Decimal(description="Sum of order totals (not cancelled) at least.")
    total_spent_max = Decimal()
    joined_from = graphene.Date(description="Registered on or after.")
    joined_to = graphene.Date()
    email_contains = graphene.String()
    is_active = graphene.Boolean()
    country = graphene.String(description="Country code of the default billing address.")


class AutomationSegmentFilter(graphene.ObjectType):
    points_min = graphene.Int()
    points_max = graphene.Int()
    badges = graphene.List(graphene.NonNull(graphene.ID))
    last_order_from = graphene.Date()
    last_order_to = graphene.Date()
    no_orders = graphene.Boolean()
    total_spent_min = Decimal()
    total_spent_max = Decimal()
    joined_from = graphene.Date()
    joined_to = graphene.Date()
    email_contains = graphene.String()
    is_active = graphene.Boolean()
    country = graphene.String()
    birthday = graphene.String(description="MM-DD (birthday gifts).")

    @staticmethod
    def of(definition):
        from datetime import date

        d = dict(definition or {})
        d.pop("year", None)
        if "badge_ids" in d:
            d["badges"] = [graphene.Node.to_global_id("Badge", pk) for pk in d.pop("badge_ids")]
        for key in ("last_order_from", "last_order_to", "joined_from", "joined_to"):
            if key in d:
                d[key] = date.fromisoformat(d[key])
        return AutomationSegmentFilter(**d)


class AutomationSegmentPreview(graphene.ObjectType):
    count = graphene.Int(required=True, description="Customers in the segment now.")
    sample = graphene.List(
        graphene.NonNull("saleor_customer_value.graphql.reports.types.CustomerValueCustomer"),
        required=True, description="The first ten.",
    )


class AutomationSegment(CountableDjangoObjectType):
    name = graphene.String(required=True)
    filter = graphene.Field(AutomationSegmentFilter, required=True)
    count = graphene.Int(required=True, description="Customers in the segment now.")

    class Meta:
        description = "A saved segment of customers."
        model = models.Segment
        interfaces = [relay.Node]
        only_fields = ["id", "created_at", "updated_at"]

    @staticmethod
    def resolve_filter(root, _info):
        return AutomationSegmentFilter.of(root.definition)

    @staticmethod
    def resolve_count(root, _info):
        from ...automations import segments

        return segments.users(root.definition).count()


def _action_fields():
    return dict(
        action=AutomationActionEnum(required=True),
        points=graphene.Int(),
        amount=Decimal(),
        currency=graphene.String(required=True),
        badge=graphene.Field("saleor_customer_value.graphql.badges.types.Badge"),
        reason=LedgerReasonEnum(),
        note=graphene.String(required=True, description="Internal note on every booking."),
        customer_note=graphene.String(required=True),
    )


class AutomationFailure(graphene.ObjectType):
    customer_email = graphene.String(required=True)
    status = AutomationMemberStatusEnum(required=True)
    message = graphene.String(required=True)


class AutomationRun(CountableDjangoObjectType):
    locals().update(_action_fields())
    status = AutomationRunStatusEnum(required=True)
    filter = graphene.Field(AutomationSegmentFilter, required=True, description="The segment as it was when the run was made.")
    cancel_requested = graphene.Boolean(required=True)
    total = graphene.Int(required=True, description="Customers in the run (fixed when it starts).")
    processed = graphene.Int(required=True)
    booked = graphene.Int(required=True)
    skipped = graphene.Int(required=True, description="Nothing to do (same balance, badge already held).")
    failed = graphene.Int(required=True, description="Refused for that customer (e.g. not enough points).")
    progress = graphene.Float(required=True, description="processed / total, 0 to 1.")
    error = graphene.String(required=True)
    problems = graphene.List(
        graphene.NonNull(AutomationFailure), required=True,
        description="The first 50 customers that failed or were skipped, with why.",
    )
    periodic_gift = graphene.Field(lambda: PeriodicGift)

    class Meta:
        description = "One action applied to every customer of a segment, as a background job."
        model = models.AutomationRun
        interfaces = [relay.Node]
        only_fields = ["id", "created_at", "started_at", "finished_at"]

    @staticmethod
    def resolve_filter(root, _info):
        return AutomationSegmentFilter.of(root.definition)

    @staticmethod
    def resolve_reason(root, _info):
        return root.reason or None

    @staticmethod
    def resolve_progress(root, _info):
        return root.processed / root.total if root.total else (1.0 if root.status == RunStatus.DONE else 0.0)

    @staticmethod
    def resolve_problems(root, _info):
        rows = (
            root.members.exclude(status__in=[MemberStatus.PENDING, MemberStatus.BOOKED])
            .select_related("customer").order_by("pk")[:50]
        )
        return [AutomationFailure(customer_email=m.customer.email, status=m.status, message=m.message) for m in rows]

    @staticmethod
    def resolve_periodic_gift(root, _info):
        occurrence = models.PeriodicGiftOccurrence.objects.filter(run=root).select_related("gift").first()
        return occurrence.gift if occurrence else None


class PeriodicGiftOccurrence(graphene.ObjectType):
    period_key = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    run = graphene.Field(AutomationRun)


class PeriodicGift(CountableDjangoObjectType):
    locals().update(_action_fields())
    name = graphene.String(required=True)
    frequency = GiftFrequencyEnum(required=True)
    day = graphene.Int(required=True, description="MONTHLY/YEARLY: day of the month; WEEKLY: 1 (Monday) to 7.")
    month = graphene.Int(required=True, description="YEARLY: the month.")
    is_active = graphene.Boolean(required=True)
    starts_on = graphene.Date()
    segment = graphene.Field(AutomationSegment)
    filter = graphene.Field(AutomationSegmentFilter, required=True)
    occurrences = graphene.List(graphene.NonNull(PeriodicGiftOccurrence), required=True, description="The last 24.")

    class Meta:
        description = "A scheduled action: booked once per period (or on each customer's birthday)."
        model = models.PeriodicGift
        interfaces = [relay.Node]
        only_fields = ["id", "created_at"]

    @staticmethod
    def resolve_filter(root, _info):
        return AutomationSegmentFilter.of(root.segment.definition if root.segment_id else root.definition)

    @staticmethod
    def resolve_reason(root, _info):
        return root.reason or None

    @staticmethod
    def resolve_occurrences(root, _info):
        return [
            PeriodicGiftOccurrence(period_key=o.period_key, created_at=o.created_at, run=o.run)
            for o in root.occurrences.select_related("run").order_by("-pk")[:24]
        ]
