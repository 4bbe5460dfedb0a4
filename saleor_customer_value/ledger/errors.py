"""One exception per ledger rule. Each carries a stable ``code`` (the GraphQL error code)
and the ``field`` of the request it is about, so adapters translate without guessing."""


class LedgerError(Exception):
    code = "LEDGER_ERROR"
    field = None

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidAmount(LedgerError):
    code = "INVALID_AMOUNT"
    field = "amount"


class CurrencyMismatch(LedgerError):
    code = "CURRENCY_MISMATCH"
    field = "currency"


class InsufficientFunds(LedgerError):
    code = "INSUFFICIENT_FUNDS"
    field = "amount"


class CreditLimitExceeded(InsufficientFunds):
    """A credit line would owe more than its limit (held value included)."""

    code = "CREDIT_LIMIT_EXCEEDED"


class NegativeBalance(LedgerError):
    """A points balance below zero (after a clawback) blocks spending until it recovers."""

    code = "NEGATIVE_BALANCE"
    field = "amount"


class Unbalanced(LedgerError):
    code = "UNBALANCED"


class HoldNotPending(LedgerError):
    code = "HOLD_NOT_PENDING"
    field = "hold"


class HoldExpired(LedgerError):
    code = "HOLD_EXPIRED"
    field = "hold"


class AlreadyReversed(LedgerError):
    code = "ALREADY_REVERSED"
    field = "transaction"


class NotReversible(LedgerError):
    code = "NOT_REVERSIBLE"
    field = "transaction"


class IdempotencyConflict(LedgerError):
    code = "IDEMPOTENCY_CONFLICT"
    field = "idempotencyKey"


class InvalidReference(LedgerError):
    code = "INVALID"
