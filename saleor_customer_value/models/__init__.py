from .accounts import Account, AccountKind
from .cards import Card, CardBatch, CardBatchStatus, CardKind, CardState
from .customers import Customer
from .holds import Hold, HoldStatus
from .idempotency import IdempotencyRecord
from .journal import Entry, LedgerTransaction
from .webhooks import (
    DeliveryAttempt,
    DeliveryStatus,
    EventSequence,
    OutboxEvent,
    PosSyncItem,
    WebhookDelivery,
)
from .loyalty import (
    CheckoutPointsReservation,
    LoyaltyActionRecord,
    LoyaltyEarnRule,
    LoyaltyProgram,
    PointsAccountState,
    PointsLot,
    PointsLotConsumption,
)

__all__ = [
    "Account",
    "AccountKind",
    "Card",
    "CardBatch",
    "CardBatchStatus",
    "CardKind",
    "CardState",
    "Customer",
    "Entry",
    "Hold",
    "HoldStatus",
    "IdempotencyRecord",
    "LedgerTransaction",
    "CheckoutPointsReservation",
    "LoyaltyActionRecord",
    "LoyaltyEarnRule",
    "LoyaltyProgram",
    "PointsAccountState",
    "PointsLot",
    "PointsLotConsumption",
    "DeliveryAttempt",
    "DeliveryStatus",
    "EventSequence",
    "OutboxEvent",
    "PosSyncItem",
    "WebhookDelivery",
]
