"""Staff (and App) bookings on a customer's wallet: credits and debits with a reason
and a mandatory internal note, and the preview of the resulting balance."""
from dataclasses import dataclass
from decimal import Decimal

from ..ledger import accounts, service
from ..ledger.amounts import check_number, to_amount, validate_currency
from ..ledger.errors import InsufficientFunds, InvalidReference
from ..ledger.reasons import Reason, SystemAccountCode
from django.utils.translation import gettext as _

# Which system account pays for (or receives) each kind of manual booking.
CREDIT_REASONS = {
    Reason.GOODWILL: SystemAccountCode.GOODWILL,
    Reason.CORRECTION: SystemAccountCode.CORRECTIONS,
    Reason.CASHBACK: SystemAccountCode.CASHBACK,
    Reason.B2B_BONUS: SystemAccountCode.BONUS,
    Reason.REFUND: SystemAccountCode.REFUNDS,
    Reason.TOPUP: SystemAccountCode.FUNDING,
}
DEBIT_REASONS = {
    Reason.CORRECTION: SystemAccountCode.CORRECTIONS,
    Reason.POS_PAYMENT: SystemAccountCode.REDEMPTION,
}


@dataclass(frozen=True)
class Preview:
    currency: str
    posted: Decimal
    held: Decimal
    change: Decimal

    @property
    def available(self):
        return self.posted - self.held

    @property
    def resulting_posted(self):
        return self.posted + self.change

    @property
    def resulting_available(self):
        return self.available + self.change

    @property
    def allowed(self):
        return self.resulting_available >= 0


def _clean_note(note):
    note = (note or "").strip()
    if not note:
        raise InvalidReference(
            _("An internal note is required: say why the booking is made."), field="note"
        )
    return note


def preview(user, currency, change) -> Preview:
    """What the balance would be after ``change`` (signed); books nothing."""
    currency = validate_currency(currency)
    change = check_number(change) if change is not None else None
    magnitude = to_amount(abs(change) if change else change, currency)
    signed = magnitude if change > 0 else -magnitude
    wallet = accounts.find_wallet(accounts.customer_for_user(user), currency)
    posted = wallet.posted if wallet else Decimal(0)
    held = wallet.held if wallet else Decimal(0)
    return Preview(currency, posted, held, signed)


def book(user, currency, amount, reason, actor, note, customer_note="", credit=True, idem=None):
    """Credit or debit the wallet; returns the ledger transaction."""
    note = _clean_note(note)
    currency = validate_currency(currency)
    amount = to_amount(amount, currency)
    table = CREDIT_REASONS if credit else DEBIT_REASONS
    if reason not in table:
        allowed = ", ".join(sorted(table))
        raise InvalidReference(
            (_("%(reason)s is not a credit reason; use one of %(allowed)s.") if credit else _("%(reason)s is not a debit reason; use one of %(allowed)s.")) % {"reason": reason, "allowed": allowed},
            field="reason",
        )
    wallet = accounts.wallet_account(accounts.customer_for_user(user), currency)
    system = accounts.system_account(table[reason], currency)
    source, destination = (system, wallet) if credit else (wallet, system)
    posting = service.Posting(
        reason=reason, actor=actor, note=note, customer_note=customer_note or ""
    )
    try:
        return service.transfer(source, destination, amount, posting, idem)
    except InsufficientFunds as exc:
        raise InsufficientFunds(exc.message + " Book a smaller debit.") from exc
