"""The fixed lists the ledger speaks in: why value moved, who moved it, and the system
accounts on the other side of every customer movement.

The database checks ``reason`` against ``REASONS`` (see migration 0002), so a new reason
means a new migration: an auditor can rely on the list being closed.
"""


class Reason:
    # Money into a wallet
    TOPUP = "topup"
    TOPUP_BONUS = "topup_bonus"
    GOODWILL = "goodwill"
    CORRECTION = "correction"
    REFUND = "refund"
    RETENTION_BONUS = "retention_bonus"
    CASHBACK = "cashback"
    B2B_BONUS = "b2b_bonus"
    GIFT_CARD_REDEMPTION = "gift_card_redemption"
    GIFT_VOUCHER_SALE = "gift_voucher_sale"
    # Money out of a wallet
    CHECKOUT_PAYMENT = "checkout_payment"
    POS_PAYMENT = "pos_payment"
    # Points
    POINTS_EARNED = "points_earned"
    POINTS_ACTION = "points_action"
    POINTS_REDEEMED = "points_redeemed"
    POINTS_CONVERTED = "points_converted"
    POINTS_EXPIRED = "points_expired"
    POINTS_ADJUSTMENT = "points_adjustment"
    # Cards and networks
    CARD_MERGE = "card_merge"
    PARTNER_CLEARING = "partner_clearing"
    BREAKAGE = "breakage"
    # Undoing any of the above
    REVERSAL = "reversal"

    CHOICES = [
        (TOPUP, "Top-up"),
        (TOPUP_BONUS, "Top-up bonus"),
        (GOODWILL, "Goodwill credit"),
        (CORRECTION, "Manual correction"),
        (REFUND, "Refund to wallet"),
        (RETENTION_BONUS, "Retention bonus on a refund"),
        (CASHBACK, "Cashback"),
        (B2B_BONUS, "B2B annual bonus"),
        (GIFT_CARD_REDEMPTION, "Gift card redeemed into the wallet"),
        (GIFT_VOUCHER_SALE, "Gift voucher sold (value now owed to its holder)"),
        (CHECKOUT_PAYMENT, "Paid at checkout"),
        (POS_PAYMENT, "Paid at a point of sale"),
        (POINTS_EARNED, "Points earned on a purchase"),
        (POINTS_ACTION, "Points for an action"),
        (POINTS_REDEEMED, "Points redeemed as a discount"),
        (POINTS_CONVERTED, "Points converted into wallet money"),
        (POINTS_EXPIRED, "Points expired"),
        (POINTS_ADJUSTMENT, "Manual points booking"),
        (CARD_MERGE, "Balances merged from another card"),
        (PARTNER_CLEARING, "Clearing between partner merchants"),
        (BREAKAGE, "Breakage"),
        (REVERSAL, "Reversal"),
    ]


REASONS = [code for code, _ in Reason.CHOICES]


class ActorType:
    STAFF = "staff"
    APP = "app"
    CUSTOMER = "customer"
    SYSTEM = "system"

    CHOICES = [
        (STAFF, "Staff user"),
        (APP, "App"),
        (CUSTOMER, "Customer"),
        (SYSTEM, "System task"),
    ]


class SystemAccountCode:
    """The other side of customer movements. One account per code and unit."""

    FUNDING = "funding"  # money the shop received for top-ups (checkout, till)
    GOODWILL = "goodwill"
    BONUS = "bonus"
    CASHBACK = "cashback"
    REFUNDS = "refunds"
    REDEMPTION = "redemption"  # wallet money spent on orders: becomes revenue
    EXPIRY = "expiry"
    BREAKAGE = "breakage"
    GIFT_VOUCHERS = "gift_vouchers"
    CORRECTIONS = "corrections"
    CONVERSION = "conversion"  # points <-> money conversion
    POINTS_ISSUED = "points_issued"
    POINTS_REDEEMED = "points_redeemed"
    CLEARING = "clearing"  # the operator's side of partner clearing
    # Per merchant (``Account.merchant`` set), never through ``system_account``:
    MERCHANT_CLEARING = "merchant_clearing"  # + operator owes the merchant, - it is owed
    MERCHANT_COMMISSION = "merchant_commission"  # the operator's commission on the merchant

    CHOICES = [
        (FUNDING, "Top-up funding"),
        (GOODWILL, "Merchant goodwill"),
        (BONUS, "Bonuses"),
        (CASHBACK, "Cashback"),
        (REFUNDS, "Refunds to wallet"),
        (REDEMPTION, "Redemption (spent value)"),
        (EXPIRY, "Expiry"),
        (BREAKAGE, "Breakage"),
        (GIFT_VOUCHERS, "Gift vouchers"),
        (CORRECTIONS, "Corrections"),
        (CONVERSION, "Points conversion"),
        (POINTS_ISSUED, "Points issued"),
        (POINTS_REDEEMED, "Points redeemed"),
        (CLEARING, "Partner clearing"),
        (MERCHANT_CLEARING, "Merchant clearing"),
        (MERCHANT_COMMISSION, "Merchant commission"),
    ]


POINTS_UNIT = "PTS"
