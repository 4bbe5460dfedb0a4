import graphene
from saleor.core.permissions import WebhookPermissions

from ...error_codes import CustomerValueErrorCode as Code
from ...models import WebhookDelivery
from ...webhooks import dispatch
from ..core import CustomerValueMutation, error, has_permissions, permission_denied
from .types import CustomerValueWebhookDelivery
from django.utils.translation import gettext as _


class CustomerValueWebhookRedeliver(CustomerValueMutation):
    delivery = graphene.Field(CustomerValueWebhookDelivery)

    class Arguments:
        id = graphene.ID(required=True, description="ID of the delivery to send again.")

    class Meta:
        description = (
            "Send a webhook delivery again (a failed one, or a delivered one the receiver "
            "lost) with the next dispatcher run. Staff with MANAGE_WEBHOOKS, or the App "
            "that owns the webhook."
        )

    @classmethod
    def check_permissions(cls, context, permissions=None):
        return bool(getattr(context, "app", None)) or has_permissions(
            context, (WebhookPermissions.MANAGE_WEBHOOKS,)
        )

    @classmethod
    def perform_mutation(cls, _root, info, id):
        try:
            kind, pk = graphene.Node.from_global_id(id)
        except Exception:  # noqa: BLE001 - any malformed ID
            kind, pk = None, None
        delivery = None
        if kind == "CustomerValueWebhookDelivery" and str(pk).isdigit():
            delivery = WebhookDelivery.objects.filter(pk=int(pk)).select_related("webhook").first()
        if delivery is None:
            raise error("id", _("Couldn't resolve to a node: %(id)s") % {"id": id}, Code.NOT_FOUND)
        app = getattr(info.context, "app", None)
        if app and delivery.webhook.app_id != app.pk:
            raise error("id", _("Couldn't resolve to a node: %(id)s") % {"id": id}, Code.NOT_FOUND)
        if not app and not has_permissions(info.context, (WebhookPermissions.MANAGE_WEBHOOKS,)):
            raise permission_denied()
        return cls(delivery=dispatch.redeliver(delivery))
