"""Finding the card behind a scan or typed input: one unique-index lookup each.

For the POS API (issue 6, second half): a QR payload (``CV1:<code>``), a printed or typed
code, or a chip UID as NFC readers print it.
"""
from functools import lru_cache
from typing import Optional

from django.db import connection
from django.utils import timezone

from .. import db_rows
from ..models import Card, CardState, Customer
from . import codes


def _models():
    from saleor.account.models import User

    return (Card, Customer, User)


@lru_cache(maxsize=None)
def _find_sql(column: str) -> str:
    # Card.objects.select_related("customer__user").filter(<column>=...).first(), written
    # out: a till sends this on every request and building it with the ORM cost more
    # than running it.
    qn = connection.ops.quote_name
    parts = []
    for alias, model in zip(("c", "cu", "u"), _models()):
        parts += [f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields]
    card, customer, user = (m._meta.db_table for m in _models())
    return (
        f"SELECT {', '.join(parts)} FROM {card} c "
        f"LEFT JOIN {customer} cu ON cu.id = c.customer_id "
        f"LEFT JOIN {user} u ON u.id = cu.user_id "
        f"WHERE c.{qn(column)} = %s ORDER BY c.id LIMIT 1"
    )


def _by(column: str, value) -> Optional[Card]:
    with connection.cursor() as cursor:
        cursor.execute(_find_sql(column), [value])
        row = cursor.fetchone()
    if row is None:
        return None
    instances, start = [], 0
    for model in _models():
        end = start + len(model._meta.concrete_fields)
        instances.append(db_rows.instance(model, row[start:end], connection))  # None: LEFT JOIN
        start = end
    card, customer, user = instances
    # As select_related leaves them: the relations read, None when absent.
    Card.customer.field.set_cached_value(card, customer)
    if customer is not None:
        Customer.user.field.set_cached_value(customer, user)
    return card


def find(raw: str) -> Optional[Card]:
    """The card for ``raw`` (code, QR payload or chip UID), whatever its state, with
    its customer and the customer's user."""
    code = codes.try_parse(raw)
    if code is not None:
        return _by("code", code)
    try:
        uid = codes.normalise_chip_uid(raw)
    except codes.MalformedCode:
        return None
    return _by("chip_uid", uid)


def find_by_chip(uid: str) -> Optional[Card]:
    """The card with this normalised chip UID (never read as a code)."""
    return _by("chip_uid", uid)


def is_usable(card: Card, today=None) -> bool:
    today = today or timezone.localdate()
    return card.state == CardState.ACTIVE and not (card.expires_at and card.expires_at < today)


def expire_due(today=None) -> int:
    """Mark generated and active cards past their expiry date as expired."""
    today = today or timezone.localdate()
    return Card.objects.filter(
        state__in=[CardState.GENERATED, CardState.ACTIVE], expires_at__lt=today
    ).update(state=CardState.EXPIRED)
