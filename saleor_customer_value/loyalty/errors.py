"""Loyalty rule violations, as ledger errors: the GraphQL base mutation turns every
``LedgerError`` into a typed ``customerValueErrors`` entry with its code and field."""
from ..ledger.errors import LedgerError


class LoyaltyDisabled(LedgerError):
    code = "LOYALTY_DISABLED"
    field = None


class PointsBelowMinimum(LedgerError):
    code = "POINTS_BELOW_MINIMUM"
    field = "points"


class CartBelowMinimum(LedgerError):
    code = "CART_BELOW_MINIMUM"
    field = "checkoutId"


class DiscountAboveMaximum(LedgerError):
    code = "DISCOUNT_ABOVE_MAXIMUM"
    field = "points"


class ProductsExcludedFromPoints(LedgerError):
    code = "PRODUCTS_EXCLUDED_FROM_POINTS"
    field = "points"


class UnknownAction(LedgerError):
    code = "UNKNOWN_ACTION"
    field = "action"


class ActionAlreadyRecorded(LedgerError):
    code = "ACTION_ALREADY_RECORDED"
    field = "action"
