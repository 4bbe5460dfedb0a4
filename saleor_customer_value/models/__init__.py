from .accounts import Account, AccountKind
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
from .partners import (  # noqa: E402
    ClearingKind,
    Merchant,
    MerchantStaff,
    MerchantStatus,
    MerchantReward,
    MerchantTill,
    PartnerBooking,
    PlanMember,
    Statement,
    StatementLine,
)

__all__ += [
    "ClearingKind",
    "Merchant",
    "MerchantStaff",
    "MerchantStatus",
    "MerchantReward",
    "MerchantTill",
    "PartnerBooking",
    "PlanMember",
    "Statement",
    "StatementLine",
]
