from enum import Enum


class CustomerValueErrorCode(Enum):
    """Every error code the plugin's mutations return (``CustomerValueErrorCode``)."""

    GRAPHQL_ERROR = "graphql_error"
    INVALID = "invalid"
    REQUIRED = "required"
    NOT_FOUND = "not_found"
    PERMISSION_DENIED = "permission_denied"
    INVALID_AMOUNT = "invalid_amount"
    CURRENCY_MISMATCH = "currency_mismatch"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    NEGATIVE_BALANCE = "negative_balance"
    UNBALANCED = "unbalanced"
    HOLD_NOT_PENDING = "hold_not_pending"
    HOLD_EXPIRED = "hold_expired"
    ALREADY_REVERSED = "already_reversed"
    NOT_REVERSIBLE = "not_reversible"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    LEDGER_ERROR = "ledger_error"
    GIFT_CARD_USED = "gift_card_used"
    GIFT_CARD_EXPIRED = "gift_card_expired"
    # Loyalty points
    LOYALTY_DISABLED = "loyalty_disabled"
    POINTS_BELOW_MINIMUM = "points_below_minimum"
    CART_BELOW_MINIMUM = "cart_below_minimum"
    DISCOUNT_ABOVE_MAXIMUM = "discount_above_maximum"
    UNKNOWN_ACTION = "unknown_action"
    ACTION_ALREADY_RECORDED = "action_already_recorded"
    # Cards
    INVALID_CARD_CODE = "invalid_card_code"
    CARD_CODE_TYPO = "card_code_typo"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    CARD_NOT_USABLE = "card_not_usable"
    CHIP_UID_TAKEN = "chip_uid_taken"
    BATCH_NOT_READY = "batch_not_ready"
    INVALID_SIGNUP_LINK = "invalid_signup_link"
    # Account creation (accountRegisterWithCard), as Saleor's AccountErrorCode
    UNIQUE = "unique"
    PASSWORD_ENTIRELY_NUMERIC = "password_entirely_numeric"
    PASSWORD_TOO_COMMON = "password_too_common"
    PASSWORD_TOO_SHORT = "password_too_short"
    PASSWORD_TOO_SIMILAR = "password_too_similar"
    # Badges and rewards
    REWARD_NOT_AVAILABLE = "reward_not_available"
    REWARD_OUT_OF_STOCK = "reward_out_of_stock"
    REWARD_LIMIT_REACHED = "reward_limit_reached"
    NOT_ENOUGH_POINTS = "not_enough_points"
    BADGE_REQUIRED = "badge_required"
    TIER_RANGE_OVERLAP = "tier_range_overlap"
    # Gift cards: unknown, used and expired codes answer alike
    INVALID_GIFT_CARD_CODE = "invalid_gift_card_code"
    # Offline till sync (posSync)
    TOO_MANY_ITEMS = "too_many_items"
    OFFLINE_BOOKING_TOO_OLD = "offline_booking_too_old"
    # Loyalty points (appended)
    PRODUCTS_EXCLUDED_FROM_POINTS = "products_excluded_from_points"
    # Card kinds: discount groups, employee consumption (issue 13)
    ALLOWANCE_EXCEEDED = "allowance_exceeded"
    NOT_IN_DISCOUNT_GROUP = "not_in_discount_group"
    # Debit cards (credit lines)
    CREDIT_LIMIT_EXCEEDED = "credit_limit_exceeded"
    OVERDUE = "overdue"
    CREDIT_LINE_SUSPENDED = "credit_line_suspended"
    CREDIT_LIMIT_BELOW_USED = "credit_limit_below_used"
    NO_CREDIT_LINE = "no_credit_line"
    CREDIT_LINE_EXISTS = "credit_line_exists"
    STORED_VALUE_ON_CREDIT = "stored_value_on_credit"
    # Notifications
    INVALID_TEMPLATE = "invalid_template"
    # Partner network
    MERCHANT_SUSPENDED = "merchant_suspended"
    NOTHING_TO_SETTLE = "nothing_to_settle"
    ALREADY_PAID = "already_paid"
