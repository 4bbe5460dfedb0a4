"""The fixed lists the ledger speaks in: why value moved, who moved it, and the system
accounts on the other side of every customer movement.

The database checks ``reason`` against ``REASONS`` (see migration 0002), so a new reason
means a new migration: an auditor can rely on the list being closed.
"""
from django.utils.translation import gettext_lazy as _


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
    # Debit cards (credit lines): bought now, billed later, then paid
    CREDIT_PURCHASE = "credit_purchase"
    CREDIT_SETTLEMENT = "credit_settlement"
    CREDIT_REFUND = "credit_refund"
    # Undoing any of the above
    REVERSAL = "reversal"

    CHOICES = [
        (TOPUP, _("Top-up")),
        (TOPUP_BONUS, _("Top-up bonus")),
        (GOODWILL, _("Goodwill credit")),
        (CORRECTION, _("Manual correction")),
        (REFUND, _("Refund to wallet")),
        (RETENTION_BONUS, _("Retention bonus on a refund")),
        (CASHBACK, _("Cashback")),
        (B2B_BONUS, "B2B annual bonus"),
        (GIFT_CARD_REDEMPTION, _("Gift card redeemed into the wallet")),
        (GIFT_VOUCHER_SALE, _("Gift voucher sold (value now owed to its holder)")),
        (CHECKOUT_PAYMENT, _("Paid at checkout")),
        (POS_PAYMENT, _("Paid at a point of sale")),
        (POINTS_EARNED, _("Points earned on a purchase")),
        (POINTS_ACTION, _("Points for an action")),
        (POINTS_REDEEMED, _("Points redeemed as a discount")),
        (POINTS_CONVERTED, _("Points converted into wallet money")),
        (POINTS_EXPIRED, _("Points expired")),
        (POINTS_ADJUSTMENT, _("Manual points booking")),
        (CARD_MERGE, _("Balances merged from another card")),
        (PARTNER_CLEARING, _("Clearing between partner merchants")),
        (BREAKAGE, _("Breakage")),
        (CREDIT_PURCHASE, _("Bought on the credit line (billed later)")),
        (CREDIT_SETTLEMENT, _("Payment of a credit line bill")),
        (CREDIT_REFUND, _("Refund to the credit line")),
        (REVERSAL, _("Reversal")),
    ]


REASONS = [code for code, _label in Reason.CHOICES]
_REASON_LABELS = dict(Reason.CHOICES)


def reason_label(reason: str) -> str:
    """The reason as the reader's language says it (``Aufladung``, ``Top-up``)."""
    return str(_REASON_LABELS.get(reason, reason))


class ActorType:
    STAFF = "staff"
    APP = "app"
    CUSTOMER = "customer"
    SYSTEM = "system"

    CHOICES = [
        (STAFF, _("Staff user")),
        (APP, _("App")),
        (CUSTOMER, _("Customer")),
        (SYSTEM, _("System task")),
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
    CREDIT_SALES = "credit_sales"  # goods sold on credit: the other side of receivables
    CREDIT_SETTLEMENTS = "credit_settlements"  # money customers paid for their bills

    CHOICES = [
        (FUNDING, _("Top-up funding")),
        (GOODWILL, _("Merchant goodwill")),
        (BONUS, _("Bonuses")),
        (CASHBACK, _("Cashback")),
        (REFUNDS, _("Refunds to wallet")),
        (REDEMPTION, _("Redemption (spent value)")),
        (EXPIRY, _("Expiry")),
        (BREAKAGE, _("Breakage")),
        (GIFT_VOUCHERS, _("Gift vouchers")),
        (CORRECTIONS, _("Corrections")),
        (CONVERSION, _("Points conversion")),
        (POINTS_ISSUED, _("Points issued")),
        (POINTS_REDEEMED, _("Points redeemed")),
        (CLEARING, _("Partner clearing")),
        (CREDIT_SALES, _("Sales on credit")),
        (CREDIT_SETTLEMENTS, _("Credit bills paid")),
        (MERCHANT_CLEARING, _("Merchant clearing")),
        (MERCHANT_COMMISSION, _("Merchant commission")),
    ]


POINTS_UNIT = "PTS"
