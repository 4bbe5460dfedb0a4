"""Delivery log, event log and redelivery.

Deliveries: staff with Saleor's MANAGE_WEBHOOKS see all; an App sees the deliveries
of its own webhooks (as Saleor's ``webhooks`` query). Events: whoever may receive an
event type (``webhooks.events.allowed``) may read those events.
"""
import graphene
from graphql_jwt.exceptions import PermissionDenied
from saleor.core.permissions import WebhookPermissions
from saleor.graphql.core.fields import PrefetchingConnectionField
from saleor.graphql.webhook.enums import WebhookEventTypeEnum

from ... import models
from ...webhooks import events
from .mutations import CustomerValueWebhookRedeliver
from .types import (
    CustomerValueDeliveryStatusEnum,
    CustomerValueEvent,
    CustomerValueWebhookDelivery,
)


def deliveries_for(context):
    app = getattr(context, "app", None)
    if app:
        return models.WebhookDelivery.objects.filter(webhook__app=app)
    user = context.user
    if user and user.is_authenticated and user.has_perm(WebhookPermissions.MANAGE_WEBHOOKS):
        return models.WebhookDelivery.objects.all()
    raise PermissionDenied()


def granted(context):
    app = getattr(context, "app", None)
    if app:
        return app.get_permissions()
    user = context.user
    if not user or not user.is_authenticated:
        return set()
    perms = {p for event in events.REGISTRY.values() for p in event.permissions}
    return {p.value for p in perms if user.has_perm(p)}


def visible_event_types(context):
    have = granted(context)
    types = [t for t in events.REGISTRY if events.allowed(t, have)]
    if not types:
        raise PermissionDenied()
    return types


def _customer_number(customer):
    """A Saleor ``User`` ID, or a plugin customer number as a string."""
    if not customer:
        return None
    if str(customer).isdigit():
        return int(customer)
    try:
        kind, pk = graphene.Node.from_global_id(customer)
    except Exception:  # noqa: BLE001 - any malformed ID finds nothing
        return -1
    if kind != "User" or not str(pk).isdigit():
        return -1
    found = models.Customer.objects.filter(user_id=int(pk)).values_list("pk", flat=True).first()
    return found if found is not None else -1


class WebhookQueries(graphene.ObjectType):
    customer_value_webhook_deliveries = PrefetchingConnectionField(
        CustomerValueWebhookDelivery,
        status=graphene.List(graphene.NonNull(CustomerValueDeliveryStatusEnum)),
        webhook=graphene.ID(description="Only this webhook's deliveries."),
        failing=graphene.Boolean(description="Only deliveries whose last attempt failed."),
        description=(
            "Webhook deliveries of customer-value events, newest first [MANAGE_WEBHOOKS, "
            "or an App for its own webhooks]."
        ),
    )
    customer_value_events = PrefetchingConnectionField(
        CustomerValueEvent,
        customer=graphene.ID(description="A Saleor user ID (or the plugin's customer number)."),
        types=graphene.List(graphene.NonNull(WebhookEventTypeEnum)),
        sequence_after=graphene.Int(description="Only events after this sequence number."),
        description=(
            "The event log (outbox), newest first: only event types the caller may "
            "receive (see README, 'Webhooks')."
        ),
    )

    def resolve_customer_value_webhook_deliveries(
        self, info, status=None, webhook=None, failing=None, **_kwargs
    ):
        qs = deliveries_for(info.context).select_related("event", "webhook")
        if status:
            qs = qs.filter(status__in=status)
        if webhook:
            try:
                kind, pk = graphene.Node.from_global_id(webhook)
            except Exception:  # noqa: BLE001
                kind, pk = None, None
            qs = qs.filter(webhook_id=int(pk)) if kind == "Webhook" and str(pk).isdigit() else qs.none()
        if failing:
            qs = qs.exclude(status=models.DeliveryStatus.DELIVERED).filter(attempts__gt=0)
        return qs.order_by("-pk")

    def resolve_customer_value_events(
        self, info, customer=None, types=None, sequence_after=None, **_kwargs
    ):
        allowed = visible_event_types(info.context)
        qs = models.OutboxEvent.objects.filter(event_type__in=allowed)
        if types:
            qs = qs.filter(event_type__in=types)
        number = _customer_number(customer)
        if number is not None:
            qs = qs.filter(customer_id=number)
        if sequence_after is not None:
            qs = qs.filter(sequence__gt=sequence_after)
        return qs.order_by("-pk")


class WebhookMutations(graphene.ObjectType):
    customer_value_webhook_redeliver = CustomerValueWebhookRedeliver.Field()
