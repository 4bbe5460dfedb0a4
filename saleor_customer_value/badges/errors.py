"""Badge and reward rule violations, as ledger errors (typed GraphQL errors)."""
from ..ledger.errors import LedgerError


class RewardNotAvailable(LedgerError):
    code = "REWARD_NOT_AVAILABLE"
    field = "rewardId"


class RewardOutOfStock(LedgerError):
    code = "REWARD_OUT_OF_STOCK"
    field = "rewardId"


class RewardLimitReached(LedgerError):
    code = "REWARD_LIMIT_REACHED"
    field = "rewardId"


class NotEnoughPoints(LedgerError):
    code = "NOT_ENOUGH_POINTS"
    field = "rewardId"


class BadgeRequired(LedgerError):
    code = "BADGE_REQUIRED"
    field = "rewardId"
