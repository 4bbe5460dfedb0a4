"""The outbox event log and the webhook delivery log, as staff and Apps see them."""
import graphene
from graphene import relay
from saleor.graphql.core.connection import CountableDjangoObjectType
from saleor.graphql.webhook.enums import WebhookEventTypeEnum

from ... import models


class CustomerValueDeliveryStatusEnum(graphene.Enum):
    PENDING = models.DeliveryStatus.PENDING
    DELIVERED = models.DeliveryStatus.DELIVERED
    FAILED = models.DeliveryStatus.FAILED


class CustomerValueEvent(CountableDjangoObjectType):
    event_id = graphene.UUID(required=True, description="Unique; receivers drop duplicates by it.")
    event_type = WebhookEventTypeEnum(required=True)
    customer_number = graphene.Int(description="The plugin's customer number.")
    user = graphene.Field(
        "saleor.graphql.account.types.User", description="The customer's Saleor user, if any."
    )
    sequence = graphene.Int(description="Number of the event in its customer's sequence.")
    payload = graphene.JSONString(required=True, description="The event's data (see README).")

    class Meta:
        description = "A customer-value event of the outbox (what webhooks deliver)."
        model = models.OutboxEvent
        interfaces = [relay.Node]
        only_fields = ["id", "created_at", "dispatched_at"]

    @staticmethod
    def resolve_customer_number(root, _info):
        return root.customer_id

    @staticmethod
    def resolve_user(root, _info):
        if root.customer_id is None:
            return None
        customer = models.Customer.objects.filter(pk=root.customer_id).select_related("user").first()
        return customer.user if customer else None


class CustomerValueDeliveryAttempt(graphene.ObjectType):
    created_at = graphene.DateTime(required=True)
    status_code = graphene.Int(description="The receiver's HTTP status; null when it did not answer.")
    duration_ms = graphene.Int(required=True)
    success = graphene.Boolean(required=True)
    response_excerpt = graphene.String(required=True, description="The first 1000 characters.")
    error = graphene.String(required=True, description="Why no answer came (timeouts, refused connections).")

    class Meta:
        description = "One HTTP attempt of a webhook delivery."


class CustomerValueWebhookDelivery(CountableDjangoObjectType):
    event = graphene.Field(CustomerValueEvent, required=True)
    webhook = graphene.Field("saleor.graphql.webhook.types.Webhook", required=True)
    status = CustomerValueDeliveryStatusEnum(required=True)
    attempt_log = graphene.List(
        graphene.NonNull(CustomerValueDeliveryAttempt), required=True, description="Newest first."
    )

    class Meta:
        description = "One event sent (or to be sent) to one webhook."
        model = models.WebhookDelivery
        interfaces = [relay.Node]
        only_fields = [
            "id",
            "attempts",
            "created_at",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
        ]

    @staticmethod
    def resolve_attempt_log(root, _info):
        return root.attempt_log.order_by("-pk")
