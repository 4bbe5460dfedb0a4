"""Customer e-mails: templates per event and language (staff with MANAGE_NOTIFICATIONS),
settings, a preview for a chosen customer, the sent log, and the customer's own
language and opt-outs."""
import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from graphql_jwt.exceptions import PermissionDenied
from saleor.account.models import User as UserModel
from saleor.graphql.account.types import User

from ... import models
from ...ledger import accounts
from ...models import NotificationEvent
from ...notifications import context as variables
from ...notifications import service, templates
from ...notifications import settings as notification_settings
from ...notifications.language import SUPPORTED, normalize
from ...notifications.outbox import category
from ...permissions import CustomerValuePermissions
from ..inputs import decode_id
from .mutations import (
    CustomerValueNotificationSettingsUpdate,
    CustomerValueNotificationTemplateReset,
    CustomerValueNotificationTemplateUpdate,
    MyNotificationPreferencesUpdate,
    preferences_payload,
    template_errors,
)
from .types import (
    CustomerValueNotification,
    CustomerValueNotificationPreferences,
    CustomerValueNotificationPreview,
    CustomerValueNotificationSettings,
    CustomerValueNotificationTemplate,
    CustomerValueNotificationVariable,
    NotificationEventEnum,
)

MANAGE = CustomerValuePermissions.MANAGE_NOTIFICATIONS


def _require_manage(context):
    user = context.user
    app = getattr(context, "app", None)
    if app is not None and app.has_perm(MANAGE):
        return
    if not user or not user.is_authenticated or not user.has_perm(MANAGE):
        raise PermissionDenied()


def template_type(template):
    labels = dict(NotificationEvent.CHOICES)
    return CustomerValueNotificationTemplate(
        event=template.event,
        event_label=str(labels.get(template.event, template.event)),
        language=template.language,
        category=category(template.event),
        subject=template.subject,
        body_text=template.body_text,
        body_html=template.body_html,
        is_active=template.is_active,
        is_default=template.is_default,
        updated_at=template.stored.updated_at if template.stored else None,
    )


class NotificationQueries(graphene.ObjectType):
    customer_value_notification_templates = graphene.List(
        graphene.NonNull(CustomerValueNotificationTemplate),
        required=True,
        language=graphene.String(description="Only this language (default: German and English)."),
        event=NotificationEventEnum(description="Only this event."),
        description="The e-mail template of every event, stored or shipped default [MANAGE_NOTIFICATIONS].",
    )
    customer_value_notification_variables = graphene.List(
        graphene.NonNull(CustomerValueNotificationVariable),
        required=True,
        description="Variables templates may use ({{ name }}) [MANAGE_NOTIFICATIONS].",
    )
    customer_value_notification_settings = graphene.Field(
        CustomerValueNotificationSettings, required=True,
        description="The shop's notification settings [MANAGE_NOTIFICATIONS].",
    )
    customer_value_notification_preview = graphene.Field(
        CustomerValueNotificationPreview,
        required=True,
        event=NotificationEventEnum(required=True),
        language=graphene.String(required=True),
        customer_id=graphene.ID(required=True, description="Saleor User ID of the customer whose data is shown."),
        subject=graphene.String(description="A draft to render instead of the stored template."),
        body_text=graphene.String(),
        body_html=graphene.String(),
        description=(
            "Render the event's template (or a draft) for a customer, with the customer's "
            "balances and sample event values [MANAGE_NOTIFICATIONS]. A draft that does not "
            "compile answers INVALID_TEMPLATE with the line."
        ),
    )
    customer_value_notifications = graphene.List(
        graphene.NonNull(CustomerValueNotification),
        required=True,
        customer_id=graphene.ID(description="Saleor User ID; omitted: all customers."),
        limit=graphene.Int(description="At most this many, newest first (default 50, max 200)."),
        description="Recorded notifications and what became of them [MANAGE_NOTIFICATIONS].",
    )
    my_notification_preferences = graphene.Field(
        CustomerValueNotificationPreferences,
        description="The logged-in customer's language and e-mail opt-outs.",
    )

    def resolve_customer_value_notification_templates(self, info, language=None, event=None):
        _require_manage(info.context)
        languages = [normalize(language) or language] if language else list(SUPPORTED)
        events = [event] if event else [code for code, _label in NotificationEvent.CHOICES]
        return [template_type(templates.effective(e, lang)) for lang in languages for e in events]

    def resolve_customer_value_notification_variables(self, info):
        _require_manage(info.context)
        return [CustomerValueNotificationVariable(name=k, description=v) for k, v in variables.VARIABLES.items()]

    def resolve_customer_value_notification_settings(self, info):
        _require_manage(info.context)
        return notification_settings.load()

    def resolve_customer_value_notification_preview(
        self, info, event, language, customer_id, subject=None, body_text=None, body_html=None
    ):
        _require_manage(info.context)
        try:
            code = normalize(language)
            if not code:
                raise ValidationError({"language": ValidationError(_("Unknown language."), code="invalid")})
            pk = decode_id(customer_id, User, field="customer_id")
            user = UserModel.objects.filter(pk=pk).first()
            if user is None:
                raise ValidationError({"customer_id": ValidationError(_("No customer has this ID."), code="not_found")})
            customer = accounts.customer_for_user(user)
            template = templates.effective(event, code)
            if subject is not None or body_text is not None or body_html is not None:
                draft_subject = subject if subject is not None else template.subject
                draft_text = body_text if body_text is not None else template.body_text
                draft_html = body_html if body_html is not None else template.body_html
                templates.validate(draft_subject, draft_text, draft_html)
                template = templates.Template(event, code, draft_subject, draft_text, draft_html, is_default=False)
            rendered = service.render_for(customer, event, variables.sample_data(event, customer), code, template)
        except ValidationError as exc:
            return CustomerValueNotificationPreview(customer_value_errors=template_errors(exc))
        return CustomerValueNotificationPreview(
            subject=rendered[0], body_text=rendered[1], body_html=rendered[2], language=code,
            customer_value_errors=[],
        )

    def resolve_customer_value_notifications(self, info, customer_id=None, limit=None):
        _require_manage(info.context)
        limit = max(1, min(limit or 50, 200))
        qs = models.Notification.objects.all()
        if customer_id:
            pk = decode_id(customer_id, User, field="customer_id")
            qs = qs.filter(customer__user_id=pk)
        return list(qs.order_by("-pk")[:limit])

    def resolve_my_notification_preferences(self, info):
        user = info.context.user
        if not user or not user.is_authenticated:
            raise PermissionDenied()
        customer = accounts.customer_for_user(user)
        preference = models.CustomerPreference.objects.filter(customer=customer).first()
        return preferences_payload(customer, preference or models.CustomerPreference(customer=customer))


class NotificationMutations(graphene.ObjectType):
    customer_value_notification_template_update = CustomerValueNotificationTemplateUpdate.Field()
    customer_value_notification_template_reset = CustomerValueNotificationTemplateReset.Field()
    customer_value_notification_settings_update = CustomerValueNotificationSettingsUpdate.Field()
    my_notification_preferences_update = MyNotificationPreferencesUpdate.Field()
