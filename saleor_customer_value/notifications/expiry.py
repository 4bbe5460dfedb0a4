"""Reminders before points expire: one per customer and batch of lots expiring on the
same day, ``NotificationSettings.expiry_reminder_days`` ahead (key ``lots:<date>``, so
a second run of the task, or a second lot of that day, reminds nobody twice)."""
from collections import defaultdict
from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone

from ..models import Notification, NotificationEvent as E, PointsLot
from . import settings as notification_settings
from .outbox import category


def remind(now=None) -> int:
    config = notification_settings.load()
    if not config.enabled:
        return 0
    now = now or timezone.now()
    days = config.expiry_reminder_days
    lots = (
        PointsLot.objects.filter(
            status="active", remaining__gt=0, expires_at__gt=now,
            expires_at__lte=now + timedelta(days=days), account__customer__isnull=False,
        )
        .values("account__customer_id", "expires_at")
        .annotate(points=Sum("remaining"))
    )
    batches = defaultdict(lambda: [0, None])
    for lot in lots:
        day = timezone.localdate(lot["expires_at"])
        batch = batches[(lot["account__customer_id"], day)]
        batch[0] += lot["points"]
        batch[1] = min(filter(None, [batch[1], lot["expires_at"]]))
    rows = [
        Notification(
            event=E.POINTS_EXPIRING, customer_id=customer_id, key=f"lots:{day.isoformat()}",
            category=category(E.POINTS_EXPIRING), send_after=now,
            data={"points": points, "expires_at": first.isoformat(),
                  "days": max((day - timezone.localdate(now)).days, 0)},
        )
        for (customer_id, day), (points, first) in batches.items()
    ]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))
