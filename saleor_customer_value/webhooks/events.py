"""Customer-value event types, registered as Saleor webhook event types.

Saleor 2.10 subscribes Apps to events with ``webhookCreate(input: {events: [...]})``,
whose GraphQL enum is built from ``WebhookEventType.CHOICES`` when
``saleor.graphql.webhook.enums`` is first imported. Like the plugin's permissions
(``permissions.py``), the plugin's event types are appended to that class from the
app's ``ready()``, before any schema is built, so Apps subscribe with Saleor's own
mutations and see the events in ``webhookEvents``. Saleor stores event types as plain
strings (``WebhookEvent.event_type``), so no Saleor table changes.

Saleor maps each event type to one permission; an event here may be received by an
App holding any one of ``EventType.permissions`` (``allowed``). Saleor's
``PERMISSIONS`` entry gets the first of them.
"""
import json
import sys
import uuid
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from ..permissions import CustomerValuePermissions as P

PREFIX = "customer_value_"


@dataclass(frozen=True)
class EventType:
    value: str
    label: str
    permissions: Tuple


REGISTRY: Dict[str, EventType] = {}


def register(value: str, label: str, *permissions):
    """Declare an event type (other domains may add theirs, e.g. tier changes)."""
    if not value.startswith(PREFIX):
        raise ValueError(f"customer-value event types start with {PREFIX!r}")
    REGISTRY[value] = EventType(value, label, tuple(permissions))
    _add_to_saleor(REGISTRY[value])
    return value


WALLET = (P.MANAGE_WALLETS, P.USE_POS, P.VIEW_LEDGER)
POINTS = (P.MANAGE_LOYALTY, P.USE_POS, P.VIEW_LEDGER)
LEDGER = (P.VIEW_LEDGER,)
HOLDS = (P.VIEW_LEDGER, P.USE_POS)
CARDS = (P.MANAGE_CARDS, P.USE_POS)
VOUCHERS = (P.MANAGE_WALLETS, P.VIEW_LEDGER)
POS = (P.USE_POS, P.MANAGE_WALLETS)
BADGES = (P.MANAGE_LOYALTY, P.USE_POS, P.VIEW_LEDGER)

WALLET_BALANCE_CHANGED = "customer_value_wallet_balance_changed"
POINTS_BALANCE_CHANGED = "customer_value_points_balance_changed"
TRANSACTION_POSTED = "customer_value_transaction_posted"
TRANSACTION_REVERSED = "customer_value_transaction_reversed"
HOLD_PLACED = "customer_value_hold_placed"
HOLD_POSTED = "customer_value_hold_posted"
HOLD_VOIDED = "customer_value_hold_voided"
HOLD_EXPIRED = "customer_value_hold_expired"
CARD_REGISTERED = "customer_value_card_registered"
CARD_LINKED = "customer_value_card_linked"
CARD_BLOCKED = "customer_value_card_blocked"
CARD_REPLACED = "customer_value_card_replaced"
CARD_EXPIRED = "customer_value_card_expired"
GIFT_VOUCHER_ISSUED = "customer_value_gift_voucher_issued"
POS_BOOKING_REFUSED = "customer_value_pos_booking_refused"
BADGE_CHANGED = "customer_value_badge_changed"

_BUILT_IN = [
    (WALLET_BALANCE_CHANGED, "Wallet balance changed", WALLET),
    (POINTS_BALANCE_CHANGED, "Points balance changed", POINTS),
    (TRANSACTION_POSTED, "Ledger transaction posted", LEDGER),
    (TRANSACTION_REVERSED, "Ledger transaction reversed", LEDGER),
    (HOLD_PLACED, "Value reserved (hold placed)", HOLDS),
    (HOLD_POSTED, "Hold posted", HOLDS),
    (HOLD_VOIDED, "Hold voided", HOLDS),
    (HOLD_EXPIRED, "Hold expired", HOLDS),
    (CARD_REGISTERED, "Card registered", CARDS),
    (CARD_LINKED, "Card linked to another customer", CARDS),
    (CARD_BLOCKED, "Card blocked", CARDS),
    (CARD_REPLACED, "Card replaced", CARDS),
    (CARD_EXPIRED, "Card expired", CARDS),
    (GIFT_VOUCHER_ISSUED, "Gift voucher issued", VOUCHERS),
    (POS_BOOKING_REFUSED, "Offline POS booking refused", POS),
    (BADGE_CHANGED, "Badge or tier changed (unlocked, grace, kept, lost, granted, revoked)", BADGES),
]


def _add_to_saleor(event: EventType):
    from saleor.webhook.event_types import WebhookEventType

    if event.value in WebhookEventType.DISPLAY_LABELS:
        return
    if "saleor.graphql.webhook.enums" in sys.modules:
        raise RuntimeError(
            "saleor_customer_value must be in INSTALLED_APPS before Saleor's GraphQL "
            "schema is imported, otherwise Apps cannot subscribe to its events."
        )
    WebhookEventType.DISPLAY_LABELS[event.value] = event.label
    WebhookEventType.CHOICES.append((event.value, event.label))
    WebhookEventType.PERMISSIONS[event.value] = event.permissions[0]


def register_event_types():
    for value, label, permissions in _BUILT_IN:
        if value not in REGISTRY:
            register(value, label, *permissions)


def allowed(event_type: str, granted) -> bool:
    """Whether an App (or staff user) with the permission strings ``granted`` may
    receive ``event_type``."""
    event = REGISTRY.get(event_type)
    return event is not None and any(p.value in granted for p in event.permissions)


def emit(event_type: str, customer_id: Optional[int], payload: dict) -> uuid.UUID:
    """Write an event into the outbox, in the caller's DB transaction.

    Call it inside the transaction of the change: it commits or rolls back with it.
    The customer's sequence number is assigned at commit (a deferred trigger), after
    the accounts the transaction locked, so it can be called anywhere in it.
    """
    if event_type not in REGISTRY:
        raise ValueError(f"unknown event type {event_type!r}")
    event_id = uuid.uuid4()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO customer_value_outboxevent "
            "(event_id, event_type, customer_id, payload, created_at) "
            "VALUES (%s, %s, %s, %s::jsonb, now())",
            [event_id, event_type, customer_id, json.dumps(payload, cls=DjangoJSONEncoder)],
        )
    return event_id
