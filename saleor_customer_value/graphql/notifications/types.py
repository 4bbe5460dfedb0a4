"""GraphQL types of notifications (views over ``notifications`` services)."""
import graphene

from ...models import (
    NotificationCategory,
    NotificationEvent,
    NotificationStatus,
    PointsCreditedMode,
)
from ..core import CustomerValueError


def _enum(name, choices, description):
    return graphene.Enum(name, [(code.upper(), code) for code, _label in choices], description=description)


NotificationEventEnum = _enum(
    "CustomerValueNotificationEventEnum", NotificationEvent.CHOICES, "What a customer e-mail is about."
)
NotificationCategoryEnum = _enum(
    "CustomerValueNotificationCategoryEnum", NotificationCategory.CHOICES,
    "Marketing e-mails stop with a marketing opt-out, transactional ones with a transactional opt-out.",
)
NotificationStatusEnum = _enum(
    "CustomerValueNotificationStatusEnum", NotificationStatus.CHOICES, "Where a notification stands."
)
PointsCreditedModeEnum = _enum(
    "CustomerValuePointsCreditedModeEnum", PointsCreditedMode.CHOICES,
    "One e-mail per points posting, or one digest per customer and day.",
)


class CustomerValueNotificationTemplate(graphene.ObjectType):
    event = graphene.Field(NotificationEventEnum, required=True)
    event_label = graphene.String(required=True, description="The event, in the request's language.")
    language = graphene.String(required=True)
    category = graphene.Field(NotificationCategoryEnum, required=True)
    subject = graphene.String(required=True, description="Django template syntax, one line.")
    body_text = graphene.String(required=True, description="Plain-text body (Django template syntax).")
    body_html = graphene.String(required=True, description="HTML body (autoescaped); empty: text only.")
    is_active = graphene.Boolean(required=True, description="False: this event is not e-mailed in this language.")
    is_default = graphene.Boolean(required=True, description="True: the shipped default (no staff edit stored).")
    updated_at = graphene.DateTime()


class CustomerValueNotificationVariable(graphene.ObjectType):
    name = graphene.String(required=True)
    description = graphene.String(required=True)


class CustomerValueNotificationSettings(graphene.ObjectType):
    enabled = graphene.Boolean(required=True, description="False: no customer e-mails at all.")
    points_credited_mode = graphene.Field(PointsCreditedModeEnum, required=True)
    expiry_reminder_days = graphene.Int(required=True, description="Days before points expire that the reminder goes out.")


class CustomerValueNotificationPreferences(graphene.ObjectType):
    language = graphene.String(required=True, description="Stored language (empty: the shop's).")
    effective_language = graphene.String(required=True, description="The language e-mails are written in.")
    marketing_opt_out = graphene.Boolean(required=True)
    transactional_opt_out = graphene.Boolean(required=True)


class CustomerValueNotification(graphene.ObjectType):
    id = graphene.ID(required=True)
    event = graphene.Field(NotificationEventEnum, required=True)
    category = graphene.Field(NotificationCategoryEnum, required=True)
    status = graphene.Field(NotificationStatusEnum, required=True)
    language = graphene.String(required=True)
    to_email = graphene.String(required=True)
    subject = graphene.String(required=True)
    detail = graphene.String(required=True, description="Why it was skipped or failed.")
    created_at = graphene.DateTime(required=True)
    send_after = graphene.DateTime(required=True)
    sent_at = graphene.DateTime()

    def resolve_id(root, _info):
        return graphene.Node.to_global_id("CustomerValueNotification", root.pk)


class CustomerValueNotificationTemplateError(CustomerValueError):
    line = graphene.Int(description="Line of the template error (1-based), when a template does not compile.")


class CustomerValueNotificationPreview(graphene.ObjectType):
    subject = graphene.String()
    body_text = graphene.String()
    body_html = graphene.String()
    language = graphene.String()
    customer_value_errors = graphene.List(
        graphene.NonNull(CustomerValueNotificationTemplateError), required=True
    )
