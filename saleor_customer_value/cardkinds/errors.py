from ..ledger.errors import LedgerError


class AllowanceExceeded(LedgerError):
    code = "ALLOWANCE_EXCEEDED"
    field = "allowance"


class NotInDiscountGroup(LedgerError):
    code = "NOT_IN_DISCOUNT_GROUP"
    field = "customer"


class InvalidDiscountGroup(LedgerError):
    code = "INVALID"
    field = "input"
