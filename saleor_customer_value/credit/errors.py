from django.utils.translation import gettext_lazy as _

from ..ledger.errors import InsufficientFunds, LedgerError


class NoCreditLine(LedgerError):
    code = "NO_CREDIT_LINE"
    field = "customer"


class CreditLineExists(LedgerError):
    code = "CREDIT_LINE_EXISTS"
    field = "currency"


class Overdue(InsufficientFunds):
    """A bill is past its due date and unpaid: no new debit payments until it is paid."""

    code = "OVERDUE"


class CreditLineSuspended(InsufficientFunds):
    code = "CREDIT_LINE_SUSPENDED"


class LimitBelowUsed(LedgerError):
    code = "CREDIT_LIMIT_BELOW_USED"
    field = "limit"


NOTE_REQUIRED = _("A note is required when a credit limit changes.")


class StoredValueOnCredit(LedgerError):
    """Wallet top-ups and gift vouchers are money, not goods: buying them on credit would
    turn the credit line into cash (spendable at any partner, refundable to a wallet)."""

    code = "STORED_VALUE_ON_CREDIT"
    field = "checkoutId"
