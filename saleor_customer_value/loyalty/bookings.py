"""Staff (and App) bookings on a customer's points: add or subtract with a mandatory
internal note (POINTS_ADJUSTMENT), and the preview of the resulting balance.

Added points are a new lot that expires like earned points (the rules of the day);
subtracted points come from the soonest-expiring lots. A subtraction never takes the
balance below zero: that only happens through a clawback.
"""
from dataclasses import dataclass

from django.db import transaction

from ..ledger import accounts, service
from ..ledger.amounts import to_amount
from ..ledger.errors import InsufficientFunds, InvalidAmount, InvalidReference
from ..ledger.reasons import POINTS_UNIT, Reason
from ..models import Account
from . import lots
from . import program as programs
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Preview:
    posted: int
    held: int
    pending: int
    change: int

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
        if self.change < 0 and self.posted < 0:
            return False
        return self.change > 0 or self.resulting_available >= 0


def _signed_points(change) -> int:
    if change is None:
        raise InvalidAmount(_("Say how many points."), field="points")
    try:
        negative = change < 0
    except TypeError:
        raise InvalidAmount(_("%(change)s is not a number.") % {"change": repr(change)}, field="points")
    magnitude = int(to_amount(-change if negative else change, POINTS_UNIT, field="points"))
    return -magnitude if negative else magnitude


def _account(customer):
    return Account.objects.filter(customer=customer, kind="points").first()


def preview(customer, change) -> Preview:
    """What the balance would be after ``change`` (signed); books nothing."""
    signed = _signed_points(change)
    account = _account(customer)
    lots.catch_up(account)
    if account is not None:
        account.refresh_from_db()
    posted = int(account.posted) if account else 0
    held = int(account.held) if account else 0
    return Preview(posted, held, lots.pending_points(account), signed)


def _clean_note(note):
    note = (note or "").strip()
    if not note:
        raise InvalidReference(
            _("An internal note is required: say why the booking is made."), field="note"
        )
    return note


def book(customer, points, actor, note, customer_note="", credit=True, idem=None):
    note = _clean_note(note)
    points = int(to_amount(points, POINTS_UNIT, field="points"))
    program = programs.get_program()
    account = accounts.points_account(customer)
    posting = service.Posting(
        reason=Reason.POINTS_ADJUSTMENT,
        actor=actor,
        note=note,
        customer_note=customer_note or "",
        metadata={"expiry_days": program.expiry_days},
    )
    if credit:
        return lots.credit(account, points, posting, idem)
    with transaction.atomic():
        if not lots.already_used(idem):
            lots.prepare(account)
        try:
            return lots.debit(account, points, posting, idem)
        except InsufficientFunds as exc:
            raise InsufficientFunds(exc.message + " Book a smaller debit.", field="points") from exc
