"""Idempotent writes (Stripe's model, enforced by a unique index).

A write that carries a key first claims ``(scope, key)`` with ``INSERT ... ON CONFLICT
DO NOTHING`` inside its own DB transaction. A concurrent duplicate waits on the unique
index until the first commits; it then finds the record and replays the first result, or
raises ``IdempotencyConflict`` when the request differs. If the first write fails it
rolls back with its claim, and the duplicate goes ahead as if it were first.
"""
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional

from django.db import connection, transaction
from django.utils import timezone

from ..models import Hold, IdempotencyRecord, LedgerTransaction
from .errors import IdempotencyConflict, InvalidReference
from django.utils.translation import gettext as _

MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotencyKey:
    scope: str
    key: str

    def __post_init__(self):
        if not self.key or len(self.key) > MAX_KEY_LENGTH or not self.key.isprintable():
            raise InvalidReference(
                _("An idempotency key is 1 to %(MAX_KEY_LENGTH)s printable characters.") % {"MAX_KEY_LENGTH": MAX_KEY_LENGTH},
                field="idempotencyKey",
            )


def fingerprint(operation: str, request: dict) -> str:
    def default(value):
        if isinstance(value, Decimal):
            return str(value)
        return str(value)

    payload = json.dumps([operation, request], sort_keys=True, default=default)
    return hashlib.sha256(payload.encode()).hexdigest()


def _claim(idem: IdempotencyKey, operation: str, request_hash: str) -> Optional[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IdempotencyRecord._meta.db_table} "
            "(scope, key, operation, request_hash, created_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (scope, key) DO NOTHING "
            "RETURNING id",
            [idem.scope, idem.key, operation, request_hash, timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def replay(idem: IdempotencyKey, operation: str, request_hash: str):
    """The first result of ``idem`` (its claim failed), or ``IdempotencyConflict``."""
    record = IdempotencyRecord.objects.get(scope=idem.scope, key=idem.key)
    if record.operation != operation or record.request_hash != request_hash:
        raise IdempotencyConflict(
            _("This idempotency key was already used for a different request; send a new key for a new request.")
        )
    if record.transaction_id:
        result = LedgerTransaction.objects.get(pk=record.transaction_id)
    else:
        result = Hold.objects.get(pk=record.hold_id)
    result.replayed = True
    return result


def run(
    idem: Optional[IdempotencyKey],
    operation: str,
    request: dict,
    write: Callable[[], object],
):
    """Run ``write`` once per key; return its result (a transaction or a hold)."""
    with transaction.atomic():
        if idem is None:
            return write()
        request_hash = fingerprint(operation, request)
        record_id = _claim(idem, operation, request_hash)
        if record_id is None:
            return replay(idem, operation, request_hash)
        result = write()
        field = "transaction_id" if isinstance(result, LedgerTransaction) else "hold_id"
        IdempotencyRecord.objects.filter(pk=record_id).update(**{field: result.pk})
        result.replayed = False
        return result
