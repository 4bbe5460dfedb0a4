from .accounts import Account, AccountKind
from .automations import (
    AutomationRun,
    AutomationRunMember,
    PeriodicGift,
    PeriodicGiftOccurrence,
    Segment,
)
from .badges import (
    Badge,
    BadgeEvent,
    BadgeProgram,
    CustomerBadge,
    Reward,
    RewardRedemption,
)
from .cards import Card, CardBatch, CardBatchStatus, CardKind, CardState
from .customers import Customer
from .holds import Hold, HoldStatus
from .idempotency import IdempotencyRecord
from .journal import Entry, LedgerTransaction
from .ratelimits import RateLimitCounter
from .reports import ReportRollup, ReportRollupDelta
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
    "AutomationRun",
    "AutomationRunMember",
    "PeriodicGift",
    "PeriodicGiftOccurrence",
    "Segment",
    "ReportRollup",
    "ReportRollupDelta",
    "Account",
    "AccountKind",
    "Badge",
    "BadgeEvent",
    "BadgeProgram",
    "CustomerBadge",
    "Reward",
    "RewardRedemption",
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
    "RateLimitCounter",
    "DeliveryAttempt",
    "DeliveryStatus",
    "EventSequence",
    "OutboxEvent",
    "PosSyncItem",
    "WebhookDelivery",
]
