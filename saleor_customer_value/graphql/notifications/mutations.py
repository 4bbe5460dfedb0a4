import graphene
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from saleor.graphql.core.utils import snake_to_camel_case

from ...error_codes import CustomerValueErrorCode as Code
from ...ledger import accounts
from ...models import NotificationTemplate, NotificationEvent
from ...notifications import settings as notification_settings
from ...notifications import service, templates
from ...notifications.language import normalize
from ...permissions import CustomerValuePermissions
from ..core import CustomerValueMutation, error, permission_denied
from .types import (
    CustomerValueNotificationPreferences,
    CustomerValueNotificationSettings,
    CustomerValueNotificationTemplate,
    CustomerValueNotificationTemplateError,
    NotificationEventEnum,
    PointsCreditedModeEnum,
)

MANAGE = (CustomerValuePermissions.MANAGE_NOTIFICATIONS,)


def language_argument(field, value, allow_empty=False):
    if allow_empty and value == "":
        return ""
    code = normalize(value)
    if not code:
        raise error(field, _("%(language)s is not a language of the shop.") % {"language": repr(value)[:40]}, Code.INVALID)
    return code


def template_payload(template):
    from .schema import template_type

    return template_type(template)


def preferences_payload(customer, preference):
    from ...notifications.language import customer_language

    return CustomerValueNotificationPreferences(
        language=preference.language,
        effective_language=customer_language(customer),
        marketing_opt_out=preference.marketing_opt_out,
        transactional_opt_out=preference.transactional_opt_out,
    )


def template_errors(error: ValidationError):
    """Typed errors with the template line (``params['line']``) where there is one."""
    own_codes = {code.value for code in Code}
    typed = []
    for field, field_errors in error.error_dict.items():
        name = None if field in (NON_FIELD_ERRORS, None) else snake_to_camel_case(field)
        for err in field_errors:
            code = err.code if err.code in own_codes else Code.INVALID.value
            line = (err.params or {}).get("line") if isinstance(err.params, dict) else None
            typed.append(CustomerValueNotificationTemplateError(
                field=name, message=err.messages[0], code=code, line=line))
    return typed


class NotificationTemplateInput(graphene.InputObjectType):
    subject = graphene.String(required=True, description="Subject (Django template syntax).")
    body_text = graphene.String(required=True, description="Plain-text body (Django template syntax).")
    body_html = graphene.String(description="HTML body; empty or omitted: plain text only.")
    is_active = graphene.Boolean(description="False: do not e-mail this event in this language (default true).")


class CustomerValueNotificationTemplateUpdate(CustomerValueMutation):
    template = graphene.Field(CustomerValueNotificationTemplate)

    class Arguments:
        event = NotificationEventEnum(required=True)
        language = graphene.String(required=True, description="Language code, e.g. de or en.")
        input = NotificationTemplateInput(required=True)

    class Meta:
        description = (
            "Store the e-mail template of an event in one language [MANAGE_NOTIFICATIONS]. "
            "A template that does not compile is refused with INVALID_TEMPLATE and the "
            "line of the error."
        )
        permissions = MANAGE
        error_type_class = CustomerValueNotificationTemplateError

    @classmethod
    def handle_errors(cls, error: ValidationError, **extra):
        typed = template_errors(error)
        return cls(errors=typed, customer_value_errors=typed, **extra)

    @classmethod
    def perform_mutation(cls, _root, info, event, language, input):
        language = language_argument("language", language)
        subject, body_text = input["subject"], input["body_text"]
        body_html = input.get("body_html") or ""
        templates.validate(subject, body_text, body_html)
        user = info.context.user if getattr(info.context.user, "is_authenticated", False) else None
        NotificationTemplate.objects.update_or_create(
            event=event, language=language,
            defaults={
                "subject": subject, "body_text": body_text, "body_html": body_html,
                "is_active": input.get("is_active", True) is not False,
                "updated_by": user,
            },
        )
        return cls(template=template_payload(templates.effective(event, language)))


class CustomerValueNotificationTemplateReset(CustomerValueMutation):
    template = graphene.Field(CustomerValueNotificationTemplate)

    class Arguments:
        event = NotificationEventEnum(required=True)
        language = graphene.String(required=True)

    class Meta:
        description = "Go back to the shipped default template of an event and language [MANAGE_NOTIFICATIONS]."
        permissions = MANAGE

    @classmethod
    def perform_mutation(cls, _root, info, event, language):
        language = language_argument("language", language)
        NotificationTemplate.objects.filter(event=event, language=language).delete()
        return cls(template=template_payload(templates.effective(event, language)))


class NotificationSettingsInput(graphene.InputObjectType):
    enabled = graphene.Boolean()
    points_credited_mode = PointsCreditedModeEnum()
    expiry_reminder_days = graphene.Int(description="1 to 365.")


class CustomerValueNotificationSettingsUpdate(CustomerValueMutation):
    settings = graphene.Field(CustomerValueNotificationSettings)

    class Arguments:
        input = NotificationSettingsInput(required=True)

    class Meta:
        description = "Change the shop's notification settings [MANAGE_NOTIFICATIONS]."
        permissions = MANAGE

    @classmethod
    def perform_mutation(cls, _root, info, input):
        changes = {k: v for k, v in input.items() if v is not None}
        days = changes.get("expiry_reminder_days")
        if days is not None and not 1 <= days <= 365:
            raise error("expiryReminderDays", _("Give 1 to 365 days."), Code.INVALID)
        row = notification_settings.update(**changes)
        return cls(settings=row)


class MyNotificationPreferencesUpdate(CustomerValueMutation):
    preferences = graphene.Field(CustomerValueNotificationPreferences)

    class Arguments:
        language = graphene.String(description="de, en, ...; empty string: the shop's language.")
        marketing_opt_out = graphene.Boolean(description="True: no marketing e-mails (reminders, badges, rewards).")
        transactional_opt_out = graphene.Boolean(description="True: no e-mails about bookings and cards either.")

    class Meta:
        description = "The logged-in customer sets their language and e-mail opt-outs."

    @classmethod
    def perform_mutation(cls, _root, info, language=None, marketing_opt_out=None, transactional_opt_out=None):
        user = info.context.user
        if not user or not user.is_authenticated:
            raise permission_denied(_("Log in to %(what)s.") % {"what": _("change your e-mail settings")})
        if language is not None:
            language = language_argument("language", language, allow_empty=True)
        customer = accounts.customer_for_user(user)
        preference = service.set_preferences(
            customer, language=language, marketing_opt_out=marketing_opt_out,
            transactional_opt_out=transactional_opt_out,
        )
        return cls(preferences=preferences_payload(customer, preference))
