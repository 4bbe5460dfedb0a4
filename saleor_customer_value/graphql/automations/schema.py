"""Segments, automation runs and periodic gifts (MANAGE_LOYALTY)."""
import graphene
from saleor.graphql.decorators import permission_required

from ...automations import segments
from ...models import AutomationRun as RunModel
from ...models import PeriodicGift as GiftModel
from ...models import Segment as SegmentModel
from ...permissions import CustomerValuePermissions as Perm
from ..inputs import node_or_none
from ...reports.search import Match
from ..reports.types import CustomerValueCustomer
from .mutations import (
    AutomationRunCancel,
    AutomationRunCreate,
    AutomationSegmentSave,
    CustomerBirthdaySet,
    PeriodicGiftSave,
    definition_of,
)
from .types import AutomationRun, AutomationSegment, AutomationSegmentInput, AutomationSegmentPreview, PeriodicGift


class AutomationQueries(graphene.ObjectType):
    automation_segment_preview = graphene.Field(
        AutomationSegmentPreview,
        filter=graphene.Argument(AutomationSegmentInput, required=True),
        required=True,
        description="How many customers a segment has now, and the first ten (MANAGE_LOYALTY).",
    )
    automation_segments = graphene.List(graphene.NonNull(AutomationSegment), required=True)
    automation_runs = graphene.List(
        graphene.NonNull(AutomationRun), first=graphene.Int(default_value=50), required=True,
        description="Newest first (MANAGE_LOYALTY).",
    )
    automation_run = graphene.Field(AutomationRun, id=graphene.Argument(graphene.ID, required=True))
    periodic_gifts = graphene.List(graphene.NonNull(PeriodicGift), required=True)

    @permission_required(Perm.MANAGE_LOYALTY)
    def resolve_automation_segment_preview(self, info, filter):
        from django.core.exceptions import ValidationError
        from graphql import GraphQLError

        try:
            definition = definition_of(AutomationRunCreate, info, filter)
        except ValidationError as exc:
            first = next(iter(exc.error_dict.values()))[0]
            raise GraphQLError(f"{str(first.code).upper()}: {first.messages[0]}")
        preview = segments.preview(definition)
        return AutomationSegmentPreview(
            count=preview.count,
            sample=[CustomerValueCustomer.from_match(Match(user, "segment")) for user in preview.sample],
        )

    @permission_required(Perm.MANAGE_LOYALTY)
    def resolve_automation_segments(self, info):
        return SegmentModel.objects.all()

    @permission_required(Perm.MANAGE_LOYALTY)
    def resolve_automation_runs(self, info, first=50):
        return RunModel.objects.select_related("badge").order_by("-pk")[: max(1, min(first or 50, 200))]

    @permission_required(Perm.MANAGE_LOYALTY)
    def resolve_automation_run(self, info, id):
        return node_or_none(info, id, AutomationRun)

    @permission_required(Perm.MANAGE_LOYALTY)
    def resolve_periodic_gifts(self, info):
        return GiftModel.objects.select_related("segment", "badge")


class AutomationMutations(graphene.ObjectType):
    automation_segment_save = AutomationSegmentSave.Field()
    automation_run_create = AutomationRunCreate.Field()
    automation_run_cancel = AutomationRunCancel.Field()
    periodic_gift_save = PeriodicGiftSave.Field()
    customer_birthday_set = CustomerBirthdaySet.Field()
