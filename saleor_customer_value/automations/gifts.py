"""Periodic gifts: scheduled actions on a segment (50 points every month to Gold
members, points on the customer's birthday), run by the beat task ``fire_due``.

Each gift has one occurrence per period (``period_key``: ``2026-11`` monthly,
``2026-W48`` weekly, ``2026-11-28`` daily and birthday, ``2026`` yearly). ``fire_due``
inserts the occurrence with ``INSERT ... ON CONFLICT DO NOTHING`` on the unique (gift,
period key) and creates its run only when the insert happened, in the same DB
transaction: a beat that fires twice, or two beats, create one run per period, and the
run books each customer once (``runs``). A period whose day has not come yet (monthly
on the 15th) is not due; a period that was missed (the beat was down) is caught up
while it lasts (the same month), except birthdays, which are due on their day only.

Birthdays: Saleor 2.10's ``User`` has no birthday, so it is a field of the plugin's
``Customer`` (``customerBirthdaySet``). A birthday gift's run on day D is for the
customers whose birthday is D's month and day (29 February counts on 28 February in
other years).
"""
import logging
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from ..models import AutomationRun, PeriodicGift, PeriodicGiftOccurrence
from ..models.automations import GiftFrequency as F
from . import runs, segments

logger = logging.getLogger(__name__)


def _last_day(day: date) -> int:
    import calendar

    return calendar.monthrange(day.year, day.month)[1]


def period_key(gift: PeriodicGift, today: date):
    """The key of the period ``today`` is in, or None when the gift is not due yet."""
    if gift.starts_on and today < gift.starts_on:
        return None
    if gift.frequency == F.DAILY or gift.frequency == F.BIRTHDAY:
        return today.isoformat()
    if gift.frequency == F.WEEKLY:
        if today.isoweekday() < max(1, min(gift.day, 7)):
            return None
        year, week, _ = today.isocalendar()
        return f"{year}-W{week:02d}"
    if gift.frequency == F.MONTHLY:
        if today.day < min(max(gift.day, 1), _last_day(today)):
            return None
        return f"{today.year}-{today.month:02d}"
    if gift.frequency == F.YEARLY:
        due = (gift.month, min(max(gift.day, 1), 28 if gift.month == 2 else 31))
        if (today.month, today.day) < due:
            return None
        return str(today.year)
    return None


def definition_for(gift: PeriodicGift, today: date) -> dict:
    definition = dict(gift.segment.definition if gift.segment_id else gift.definition)
    if gift.frequency == F.BIRTHDAY:
        definition["birthday"] = f"{today.month:02d}-{today.day:02d}"
        clean = segments.parse(definition)
        clean["year"] = today.year  # 29 February falls on the 28th in other years
        return clean
    return segments.parse(definition)


def fire(gift: PeriodicGift, today=None):
    """Create this period's run of ``gift`` if it has none yet; returns the new run or
    None (not due, or already created)."""
    today = today or timezone.localdate()
    key = period_key(gift, today)
    if key is None:
        return None
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {PeriodicGiftOccurrence._meta.db_table} (gift_id, period_key, created_at) "
                "VALUES (%s, %s, now()) ON CONFLICT (gift_id, period_key) DO NOTHING RETURNING id",
                [gift.pk, key],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        run = AutomationRun.objects.create(
            definition=definition_for(gift, today),
            note=gift.note,
            customer_note=gift.customer_note,
            **runs.check_action(
                gift.action, points=gift.points, amount=gift.amount, currency=gift.currency,
                badge=gift.badge, reason=gift.reason, note=gift.note,
            ),
        )
        PeriodicGiftOccurrence.objects.filter(pk=row[0]).update(run=run)
        runs.schedule(run)
    return run


def fire_due(today=None) -> int:
    """The beat task: every active gift's due occurrence, once."""
    created = 0
    for gift in PeriodicGift.objects.filter(is_active=True).select_related("segment"):
        try:
            if fire(gift, today) is not None:
                created += 1
        except Exception:  # one broken gift (say a deleted badge) must not stop the others
            logger.exception("periodic gift %s could not be fired", gift.pk)
    return created
