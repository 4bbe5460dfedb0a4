"""Sending recorded notifications: claim, check opt-outs, render in the customer's
language, send through Django's e-mail backend.

At most once: a worker claims due rows (``pending`` → ``sending``) and commits before
it sends, so a second worker, a retried task or a crash never sends a row twice (a
crash mid-send leaves it ``sending``: lost rather than doubled).
"""
import logging
from datetime import timedelta
from typing import Optional

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django.utils import translation
from saleor.core.emails import get_email_context

from ..ledger.reasons import POINTS_UNIT, Reason
from ..models import (
    CustomerPreference,
    Entry,
    Notification,
    NotificationCategory,
    NotificationEvent as E,
    NotificationStatus as S,
)
from . import context as variables
from . import settings as notification_settings
from . import templates
from .language import customer_language

logger = logging.getLogger(__name__)


def build_context(customer, event: str, data: dict, language: str, site: Optional[dict] = None) -> dict:
    if site is None:
        _kwargs, site = get_email_context()
    with translation.override(language):
        values = variables.base(customer, language, site)
        values.update(variables.event_values(event, data, language))
    return values


def render_for(customer, event: str, data: dict, language: str, template=None):
    template = template or templates.effective(event, language)
    values = build_context(customer, event, data, language)
    with translation.override(language):
        return templates.render(template, values)


def _digest_points(notification) -> int:
    """Points credited to the customer on the digest's day (from the ledger)."""
    day = timezone.datetime.fromisoformat(notification.data["date"]).date()
    start = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
    entries = Entry.objects.filter(
        account__customer_id=notification.customer_id, unit=POINTS_UNIT, direction=1,
        transaction__created_at__gte=start, transaction__created_at__lt=start + timedelta(days=1),
        transaction__reason__in=[Reason.POINTS_EARNED, Reason.POINTS_ACTION, Reason.POINTS_ADJUSTMENT],
        transaction__reversal_of__isnull=True,
    )
    return int(sum(e.amount for e in entries))


def _skip_reason(notification, preference, email, template) -> str:
    if not notification_settings.load().enabled:
        return "notifications are switched off"
    if not email:
        return "the customer has no e-mail address"
    user = notification.customer.user
    if user is not None and not user.is_active:
        return "the customer's account is inactive"
    if preference is not None:
        if notification.category == NotificationCategory.MARKETING and preference.marketing_opt_out:
            return "the customer opted out of marketing e-mails"
        if notification.category == NotificationCategory.TRANSACTIONAL and preference.transactional_opt_out:
            return "the customer opted out of transactional e-mails"
    if not template.is_active:
        return "the template is switched off"
    return ""


def send_one(notification: Notification):
    customer = notification.customer
    user = customer.user
    email = (user.email if user else "") or customer.email
    preference = CustomerPreference.objects.filter(customer=customer).first()
    language = customer_language(customer)
    template = templates.effective(notification.event, language)
    notification.language, notification.to_email = language, email
    skip = _skip_reason(notification, preference, email, template)
    if skip:
        notification.status, notification.detail = S.SKIPPED, skip
        notification.save(update_fields=["status", "detail", "language", "to_email"])
        return notification
    data = dict(notification.data)
    if notification.event == E.POINTS_DIGEST:
        data["points"] = _digest_points(notification)
    send_kwargs, site = get_email_context()
    try:
        values = build_context(customer, notification.event, data, language, site)
        with translation.override(language):
            subject, text, html = templates.render(template, values)
        message = EmailMultiAlternatives(
            subject=subject, body=text, from_email=send_kwargs["from_email"], to=[email],
            headers={"X-Customer-Value-Notification": notification.event},
        )
        if html:
            message.attach_alternative(html, "text/html")
        message.send()
    except Exception as exc:  # noqa: BLE001 - recorded on the row, never retried
        logger.warning("Notification %s (%s) failed: %s", notification.pk, notification.event, exc)
        notification.status, notification.detail = S.FAILED, str(exc)[:1000]
        notification.save(update_fields=["status", "detail", "language", "to_email"])
        return notification
    notification.status, notification.subject = S.SENT, subject[:255]
    notification.sent_at = timezone.now()
    notification.save(update_fields=["status", "subject", "sent_at", "language", "to_email"])
    return notification


def claim_due(limit: int = 200, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=S.PENDING, send_after__lte=now)
            .order_by("send_after", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(status=S.SENDING)
    return ids


def send_due(limit: int = 200, now=None) -> int:
    """Send what is due; return how many notifications were handled."""
    ids = claim_due(limit, now)
    for notification in Notification.objects.filter(pk__in=ids).select_related("customer__user").order_by("pk"):
        send_one(notification)
    return len(ids)


@transaction.atomic
def set_preferences(customer, **changes) -> CustomerPreference:
    preference, _created = CustomerPreference.objects.select_for_update().get_or_create(customer=customer)
    for name, value in changes.items():
        if value is not None:
            setattr(preference, name, value)
    preference.save()
    return preference
