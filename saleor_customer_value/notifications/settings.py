"""The shop's notification settings (one row; created with defaults when missing)."""
from django.db import transaction

from ..models import NotificationSettings


def load() -> NotificationSettings:
    row = NotificationSettings.objects.filter(pk=1).first()
    return row if row is not None else NotificationSettings(pk=1)


@transaction.atomic
def update(**changes) -> NotificationSettings:
    row, _created = NotificationSettings.objects.select_for_update().get_or_create(pk=1)
    for name, value in changes.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row
