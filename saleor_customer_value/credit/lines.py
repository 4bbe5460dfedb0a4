"""Credit lines: open one, change its limit (with a note, history kept) or its status.

The limit lives on the line's ledger account (``Account.credit_limit``), where
PostgreSQL compares it with the balance on every entry and hold
(``cv_credit_within_limit``). A limit change takes the same account row lock as every
booking, so it never interleaves with a purchase.

Lowering a limit below what is already used (owed + reserved) is refused
(``CREDIT_LIMIT_BELOW_USED``): the database invariant "never beyond the limit" holds
for every row at all times. To stop a customer from buying more, staff suspend the line
or lower the limit to exactly what is used.
"""
from datetime import datetime, timezone as dt_timezone
from decimal import Decimal
from typing import Optional

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger.actors import Actor
from ..ledger.amounts import check_number, to_amount, validate_currency
from ..ledger.errors import InvalidAmount, InvalidReference
from ..models import (
    Account,
    AccountKind,
    CreditLimitChange,
    CreditLine,
    CreditLineStatus,
    Customer,
    StatementStatus,
)
from .errors import CreditLineExists, LimitBelowUsed, NoCreditLine, NOTE_REQUIRED

MAX_NOTE = 1000


def next_cycle_end(start: datetime) -> datetime:
    """Monthly cycles end on the first of the next month, 00:00 UTC."""
    start = start.astimezone(dt_timezone.utc)
    if start.month == 12:
        return datetime(start.year + 1, 1, 1, tzinfo=dt_timezone.utc)
    return datetime(start.year, start.month + 1, 1, tzinfo=dt_timezone.utc)


def clean_limit(value, currency) -> Decimal:
    amount = check_number(value, field="limit")
    if amount == 0:
        return Decimal(0)
    if amount < 0:
        raise InvalidAmount(_("A credit limit cannot be negative."), field="limit")
    return to_amount(amount, currency, field="limit")


def _clean_note(note) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidReference(str(NOTE_REQUIRED), field="note")
    if len(note) > MAX_NOTE:
        raise InvalidReference(
            _("A note is at most %(max)s characters.") % {"max": MAX_NOTE}, field="note"
        )
    return note


def _record_change(line, old, new, note, actor: Actor):
    return CreditLimitChange.objects.create(
        line=line,
        old_limit=old,
        new_limit=new,
        note=note,
        actor_type=actor.type,
        actor_user=actor.user,
        actor_app=actor.app,
        actor_label=actor.label,
    )


def find_line(customer: Customer, currency: str) -> Optional[CreditLine]:
    return (
        CreditLine.objects.select_related("account", "customer")
        .filter(customer=customer, currency=currency)
        .first()
    )


def require_line(customer: Customer, currency: str) -> CreditLine:
    line = find_line(customer, currency) if customer is not None else None
    if line is None:
        raise NoCreditLine(
            _("This customer has no credit line in %(currency)s.") % {"currency": currency}
        )
    return line


def open_line(
    customer: Customer, currency: str, limit, due_days: int, note: str, actor: Actor
) -> CreditLine:
    """A new credit line with its ledger account; the opening limit is the first entry
    of the limit history."""
    currency = validate_currency(currency)
    limit = clean_limit(limit, currency)
    note = _clean_note(note)
    if due_days is None or not 0 <= int(due_days) <= 365:
        raise InvalidAmount(_("The due period is 0 to 365 days."), field="dueDays")
    if find_line(customer, currency) is not None:
        raise CreditLineExists(
            _("This customer already has a credit line in %(currency)s.") % {"currency": currency}
        )
    try:
        with transaction.atomic():
            account = Account.objects.create(
                customer=customer, kind=AccountKind.CREDIT, unit=currency, credit_limit=limit
            )
            line = CreditLine.objects.create(
                customer=customer,
                currency=currency,
                account=account,
                due_days=int(due_days),
                cycle_start=timezone.now(),
            )
            _record_change(line, Decimal(0), limit, note, actor)
    except IntegrityError:  # a concurrent opening won
        raise CreditLineExists(
            _("This customer already has a credit line in %(currency)s.") % {"currency": currency}
        )
    return line


def used(account: Account) -> Decimal:
    """Owed plus reserved: what the limit must cover."""
    return max(-(account.posted - account.held), Decimal(0))


def change_limit(line: CreditLine, new_limit, note: str, actor: Actor) -> CreditLimitChange:
    new_limit = clean_limit(new_limit, line.currency)
    note = _clean_note(note)
    with transaction.atomic():
        # The bookings' lock: no purchase runs between the check and the update.
        account = Account.objects.select_for_update().get(pk=line.account_id)
        if new_limit < used(account):
            raise LimitBelowUsed(
                _(
                    "%(used)s %(currency)s of this credit line is used; the limit cannot "
                    "be set below that. Suspend the line to stop new purchases."
                )
                % {"used": f"{used(account):f}", "currency": line.currency}
            )
        old = account.credit_limit
        Account.objects.filter(pk=account.pk).update(credit_limit=new_limit)
        line.account.credit_limit = new_limit
        return _record_change(line, old, new_limit, note, actor)


def update_line(line: CreditLine, status=None, due_days=None) -> CreditLine:
    fields = []
    if status is not None:
        if status not in dict(CreditLineStatus.CHOICES):
            raise InvalidReference(_("Unknown status."), field="status")
        if status == CreditLineStatus.CLOSED and (
            line.account.posted != 0 or line.statements.filter(status=StatementStatus.OPEN).exists()
        ):
            raise InvalidReference(
                _("A credit line can be closed once nothing is owed on it."), field="status"
            )
        line.status = status
        fields.append("status")
    if due_days is not None:
        if not 0 <= int(due_days) <= 365:
            raise InvalidAmount(_("The due period is 0 to 365 days."), field="dueDays")
        line.due_days = int(due_days)
        fields.append("due_days")
    if fields:
        line.save(update_fields=fields)
    return line
