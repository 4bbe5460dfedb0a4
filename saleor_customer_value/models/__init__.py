from .accounts import Account, AccountKind
from .badges import (
    Badge,
    BadgeEvent,
    BadgeProgram,
    CustomerBadge,
    Reward,
    RewardRedemption,
)
from .cardkinds import (
    DiscountGroup,
    DiscountGroupCategory,
    DiscountGroupMember,
    DiscountGroupProduct,
    EmployeeConsumption,
    WalletPromotion,
)
from .cards import Card, CardBatch, CardBatchFile, CardBatchStatus, CardKind, CardState
from .credit import (
    BillingCycle,
    CreditLimitChange,
    CreditLine,
    CreditLineStatus,
    CreditStatement,
    StatementStatus,
)
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
    "DiscountGroup",
    "DiscountGroupCategory",
    "DiscountGroupMember",
    "DiscountGroupProduct",
    "EmployeeConsumption",
    "WalletPromotion",
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
    "CardBatchFile",
    "CardBatchStatus",
    "CardKind",
    "CardState",
    "Customer",
    "BillingCycle",
    "CreditLimitChange",
    "CreditLine",
    "CreditLineStatus",
    "CreditStatement",
    "StatementStatus",
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
