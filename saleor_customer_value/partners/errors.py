from ..ledger.errors import LedgerError


class MerchantNotFound(LedgerError):
    """Unknown, or another merchant's (a merchant's staff and tills never learn whether
    another merchant's object exists)."""

    code = "NOT_FOUND"
    field = "merchantId"


class MerchantSuspended(LedgerError):
    code = "MERCHANT_SUSPENDED"


class NothingToSettle(LedgerError):
    code = "NOTHING_TO_SETTLE"


class AlreadyPaid(LedgerError):
    code = "ALREADY_PAID"
    field = "statementId"


class StatementNotFound(LedgerError):
    code = "NOT_FOUND"
    field = "statementId"
