"""Offline till sync: a till uploads the bookings it queued while offline.

Items are applied in order, each in its own savepoint with the same services as the
online POS mutations (``pos.bookings``) and under the till's idempotency scope, so an
item the till had already sent online before losing the connection is replayed, not
booked again. One refused item does not undo the others. A refusal is recorded by its
key (``PosSyncItem``), so replaying the upload refuses it again instead of booking it
later; a refused item whose customer is known also produces a
``customer_value_pos_booking_refused`` event for the till to reconcile.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Callable, List, Optional

from django.db import transaction
from django.utils import timezone

from .. import config as plugin_config
from ..ledger import idempotency
from ..ledger.errors import IdempotencyConflict, InvalidReference, LedgerError
from ..models import PosSyncItem
from ..webhooks import events
from . import bookings
from django.utils.translation import gettext as _

SALE, PAYMENT, TOP_UP, REDEMPTION = "sale", "payment", "top_up", "redemption"
KINDS = (SALE, PAYMENT, TOP_UP, REDEMPTION)
BOOKED, REPLAYED, REFUSED = "booked", "replayed", "refused"
KEY_MAX_LENGTH = PosSyncItem._meta.get_field("key").max_length
CLOCK_SKEW = timedelta(minutes=5)


class TooManyItems(LedgerError):
    code = "TOO_MANY_ITEMS"
    field = "items"


class OfflineBookingTooOld(LedgerError):
    code = "OFFLINE_BOOKING_TOO_OLD"
    field = "tillTimestamp"


@dataclass
class Item:
    kind: str
    customer: dict
    receipt: str
    note: str
    key: str
    till_timestamp: Optional[datetime]
    amount: Optional[Decimal] = None
    currency: Optional[str] = None
    points: Optional[int] = None

    def request(self) -> dict:
        return {
            "kind": self.kind,
            "customer": {k: str(v) for k, v in sorted(self.customer.items()) if v},
            "receipt": self.receipt,
            "amount": str(self.amount),
            "currency": self.currency,
            "points": self.points,
            "till_timestamp": self.till_timestamp.isoformat() if self.till_timestamp else None,
        }


@dataclass
class ItemResult:
    index: int
    key: str
    status: str
    result: Optional[bookings.Result] = None
    error: Optional[LedgerError] = None
    customer: object = None
    replayed_refusal: bool = False


@dataclass
class Limits:
    max_items: int
    max_age: timedelta

    @classmethod
    def from_config(cls):
        settings = plugin_config.get_config()
        return cls(settings.pos_sync_max_items, timedelta(hours=settings.pos_offline_max_hours))


def check_size(items: List[Item], limits: Limits):
    if not items:
        raise InvalidReference(_("Upload at least one booking."), field="items")
    if len(items) > limits.max_items:
        raise TooManyItems(
            _("At most %(max_items)s bookings per posSync call; %(items)s were sent. Split the upload (each booking keeps its idempotency key).") % {"max_items": limits.max_items, "items": len(items)}
        )


def _check_age(item: Item, limits: Limits, now: datetime):
    if item.till_timestamp is None:
        raise bookings.Required("The till's timestamp of the booking is required.", field="tillTimestamp")
    if item.till_timestamp > now + CLOCK_SKEW:
        raise InvalidReference(_("The till's timestamp is in the future."), field="tillTimestamp")
    if now - item.till_timestamp > limits.max_age:
        hours = int(limits.max_age.total_seconds() // 3600)
        raise OfflineBookingTooOld(
            _("Offline bookings are accepted for %(hours)s hours; this one is from %(till_timestamp)s UTC. Book it anew or settle it with staff.") % {"hours": hours, "till_timestamp": format(item.till_timestamp, '%Y-%m-%d %H:%M')}
        )


def _book(item: Item, who, note, receipt, actor, idem) -> bookings.Result:
    if item.kind == SALE:
        return bookings.record_sale(who, item.amount, item.currency, receipt, note, actor, idem)
    if item.kind == PAYMENT:
        return bookings.wallet_pay(who, item.amount, item.currency, receipt, note, actor, idem)
    if item.kind == TOP_UP:
        return bookings.wallet_top_up(who, item.amount, item.currency, receipt, note, actor, idem)
    if item.kind == REDEMPTION:
        return bookings.redeem_points(who, item.points, receipt, note, actor, idem)
    raise InvalidReference(_("Unknown booking kind %(kind)s.") % {"kind": repr(item.kind)}, field="kind")


def _record(scope, item: Item, request_hash, status, customer, error=None, result=None):
    PosSyncItem.objects.bulk_create(
        [
            PosSyncItem(
                scope=scope,
                key=item.key,
                kind=item.kind,
                request_hash=request_hash,
                status=status,
                code=error.code if error else "",
                message=error.message if error else "",
                receipt=(item.receipt or "")[:255],
                till_timestamp=item.till_timestamp,
                customer_id=customer.pk if customer else None,
                transaction_ids=[t.pk for t in result.transactions] if result else [],
            )
        ],
        ignore_conflicts=True,
    )


def _refused_event(item: Item, customer, error: LedgerError, actor):
    events.emit(
        events.POS_BOOKING_REFUSED,
        customer.pk,
        {
            "kind": item.kind,
            "receipt": item.receipt,
            "idempotencyKey": item.key,
            "tillTimestamp": item.till_timestamp,
            "amount": str(item.amount) if item.amount is not None else None,
            "currency": item.currency,
            "points": item.points,
            "code": error.code,
            "message": error.message,
            "till": actor.idempotency_scope,
        },
    )


def apply_item(index, item: Item, actor, identify: Callable, limits: Limits, now) -> ItemResult:
    scope = actor.idempotency_scope
    if item.key and len(item.key) > KEY_MAX_LENGTH:
        # Refused before anything is looked up or recorded under the key.
        error = InvalidReference(
            _("An idempotency key has at most %(KEY_MAX_LENGTH)s characters.") % {"KEY_MAX_LENGTH": KEY_MAX_LENGTH}, field="idempotencyKey"
        )
        return ItemResult(index, item.key[:KEY_MAX_LENGTH], REFUSED, error=error)
    request_hash = idempotency.fingerprint("pos_sync", item.request())
    prior = PosSyncItem.objects.filter(scope=scope, key=item.key).first() if item.key else None
    if prior is not None and prior.status == REFUSED:
        if prior.request_hash != request_hash:
            error = IdempotencyConflict(
                _("This idempotency key was used for a different booking."), field="idempotencyKey"
            )
            return ItemResult(index, item.key, REFUSED, error=error)
        error = LedgerError(prior.message)
        error.code = prior.code
        return ItemResult(index, item.key, REFUSED, error=error, replayed_refusal=True)
    customer = None
    try:
        with transaction.atomic():  # a savepoint: a refusal undoes this item only
            note, receipt, idem = bookings.clean_request(item.note, item.receipt, item.key, scope)
            who = identify(item.customer, allow_unsold=item.kind == TOP_UP)
            customer = who.customer
            _check_age(item, limits, now)
            result = _book(item, who, note, receipt, actor, idem)
    except LedgerError as error:
        if item.key and not isinstance(error, IdempotencyConflict):
            _record(scope, item, request_hash, REFUSED, customer, error=error)
        if customer is not None:
            _refused_event(item, customer, error, actor)
        return ItemResult(index, item.key, REFUSED, error=error, customer=customer)
    status = REPLAYED if result.replayed else BOOKED
    _record(scope, item, request_hash, BOOKED, result.customer, result=result)
    return ItemResult(index, item.key, status, result=result, customer=result.customer)


def sync(items: List[Item], actor, identify: Callable, limits: Limits = None) -> List[ItemResult]:
    """Apply ``items`` in order; every item gets its own result."""
    limits = limits or Limits.from_config()
    check_size(items, limits)
    now = timezone.now()
    return [apply_item(i, item, actor, identify, limits, now) for i, item in enumerate(items)]
