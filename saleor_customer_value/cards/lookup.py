"""Finding the card behind a scan or typed input: one unique-index lookup each.

For the POS API (issue 6, second half): a QR payload (``CV1:<code>``), a printed or typed
code, or a chip UID as NFC readers print it.
"""
from typing import Optional

from django.utils import timezone

from ..models import Card, CardState
from . import codes


def find(raw: str) -> Optional[Card]:
    """The card for ``raw`` (code, QR payload or chip UID), whatever its state."""
    code = codes.try_parse(raw)
    if code is not None:
        return Card.objects.select_related("customer__user").filter(code=code).first()
    try:
        uid = codes.normalise_chip_uid(raw)
    except codes.MalformedCode:
        return None
    return Card.objects.select_related("customer__user").filter(chip_uid=uid).first()


def is_usable(card: Card, today=None) -> bool:
    today = today or timezone.localdate()
    return card.state == CardState.ACTIVE and not (card.expires_at and card.expires_at < today)


def expire_due(today=None) -> int:
    """Mark generated and active cards past their expiry date as expired."""
    today = today or timezone.localdate()
    return Card.objects.filter(
        state__in=[CardState.GENERATED, CardState.ACTIVE], expires_at__lt=today
    ).update(state=CardState.EXPIRED)
