from .accounts import Account, AccountKind
from .customers import Customer
from .holds import Hold, HoldStatus
from .idempotency import IdempotencyRecord
from .journal import Entry, LedgerTransaction
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
]
