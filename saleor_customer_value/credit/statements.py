"""Billing cycles: close a cycle into a statement, render it, e-mail it, record the
customer's payment.

**Decision: a statement row, not a second ledger account.** The receivable stays on
one account (so one CHECK compares it with the limit); "billed" is the statement, which
pins exactly which entries it covers (entry ids after the previous statement's
``last_entry_id``, up to its own) and the balances before and after them, so every
statement reconciles with the ledger: ``opening_balance + sum(entries) =
closing_balance``. ``amount_due`` is what is owed at the close (earlier unpaid bills
included); ``due_date`` = close + the line's due period.

A recorded payment is a ledger transfer (reason ``credit_settlement``) from the system
account ``credit_settlements`` to the line's account; it counts towards every open
statement (each one's ``amount_due`` includes the earlier ones), and a statement whose
``paid_amount`` reaches ``amount_due`` is ``paid``. A statement is also paid once
nothing at all is owed on the line (e.g. after refunds). An open statement past its due
date makes the line overdue (``payments.check_usable``).

Cycles with no bookings and nothing owed produce no statement (nothing to bill); the
cycle still moves on.
"""
import csv
import io
import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import List, Optional

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import in_unit, to_amount
from ..ledger.errors import InvalidAmount
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import Account, CreditLine, CreditStatement, Entry, StatementStatus
from .lines import next_cycle_end

logger = logging.getLogger(__name__)


# --- closing a cycle ---------------------------------------------------------------------


def _previous(line: CreditLine) -> Optional[CreditStatement]:
    return line.statements.order_by("-number").first()


def close_cycle(line: CreditLine, end: Optional[datetime] = None) -> Optional[CreditStatement]:
    """Close the line's open cycle at ``end`` (default now) and start the next one.

    Runs under the line's account lock, so no booking is half-way while the entries
    are counted; returns the statement, or ``None`` when there was nothing to bill.
    """
    end = end or timezone.now()
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=line.account_id)
        line = CreditLine.objects.select_for_update().get(pk=line.pk)
        if end <= line.cycle_start:
            raise InvalidAmount(_("This cycle has not started yet."), field="end")
        previous = _previous(line)
        after_id = previous.last_entry_id if previous else 0
        entries = Entry.objects.filter(account=account, pk__gt=after_id)
        last_id = entries.aggregate(last=Max("pk"))["last"] or after_id
        purchases = credits = Decimal(0)
        for amount, direction in entries.values_list("amount", "direction"):
            if direction < 0:
                purchases += amount
            else:
                credits += amount
        opening = previous.closing_balance if previous else Decimal(0)
        closing = account.posted
        assert opening - purchases + credits == closing, "statement does not reconcile"
        statement = None
        if last_id != after_id or closing != 0:
            now = timezone.now()
            amount_due = max(-closing, Decimal(0))
            statement = CreditStatement.objects.create(
                line=line,
                number=(previous.number + 1) if previous else 1,
                period_start=line.cycle_start,
                period_end=end,
                last_entry_id=last_id,
                opening_balance=opening,
                closing_balance=closing,
                purchases=purchases,
                credits=credits,
                amount_due=amount_due,
                paid_amount=0 if amount_due else Decimal(0),
                due_date=(end + timedelta(days=line.due_days)).date(),
                status=StatementStatus.OPEN if amount_due else StatementStatus.PAID,
                closed_at=now,
                settled_at=None if amount_due else now,
            )
        line.cycle_start = end
        line.save(update_fields=["cycle_start"])
    return statement


def close_due_cycles(now: Optional[datetime] = None) -> List[CreditStatement]:
    """Close every line whose monthly cycle has ended, at the moment the task runs (the
    statement's ``period_end`` is when it was closed: every booking up to then is on
    it), one line per DB transaction; then e-mail what is not sent yet."""
    now = now or timezone.now()
    closed = []
    for line in CreditLine.objects.select_related("account").order_by("pk"):
        if next_cycle_end(line.cycle_start) <= now:
            statement = close_cycle(line, now)
            if statement is not None:
                closed.append(statement)
    send_pending_emails()
    return closed


# --- payments ------------------------------------------------------------------------


def _settle(statements, now):
    for statement in statements:
        if statement.paid_amount >= statement.amount_due:
            statement.status = StatementStatus.PAID
            statement.settled_at = now
        statement.save(update_fields=["paid_amount", "status", "settled_at"])


def settle_if_nothing_owed(account: Account):
    """Nothing owed on the line any more (refunds): its open statements are paid."""
    account = Account.objects.get(pk=account.pk)
    if account.posted < 0:
        return
    open_ = list(
        CreditStatement.objects.select_for_update().filter(
            line__account=account, status=StatementStatus.OPEN
        )
    )
    for statement in open_:
        statement.paid_amount = statement.amount_due
    _settle(open_, timezone.now())


def record_payment(
    line: CreditLine,
    amount,
    actor: Actor,
    note: str = "",
    reference: str = "",
    idem: Optional[IdempotencyKey] = None,
):
    """The customer paid ``amount`` (bank transfer, cash at the till, ...)."""
    amount = to_amount(amount, line.currency)
    with transaction.atomic():
        Account.objects.select_for_update().filter(pk=line.account_id).first()
        txn = service.transfer(
            accounts.system_account(SystemAccountCode.CREDIT_SETTLEMENTS, line.currency),
            line.account,
            amount,
            service.Posting(
                reason=Reason.CREDIT_SETTLEMENT,
                actor=actor,
                note=note,
                customer_note=_("Payment received, thank you"),
                refs=service.References(external_reference=reference or ""),
                metadata={"credit_line": line.pk},
            ),
            idem,
        )
        if not getattr(txn, "replayed", False):
            open_ = list(
                line.statements.select_for_update()
                .filter(status=StatementStatus.OPEN)
                .order_by("number")
            )
            for statement in open_:
                statement.paid_amount = min(statement.amount_due, statement.paid_amount + amount)
            _settle(open_, timezone.now())
            settle_if_nothing_owed(line.account)
    return txn


# --- rendering -------------------------------------------------------------------------


def bookings(statement: CreditStatement):
    """The statement's ledger entries, oldest first, with their transactions."""
    previous = (
        CreditStatement.objects.filter(line_id=statement.line_id, number__lt=statement.number)
        .order_by("-number")
        .first()
    )
    after_id = previous.last_entry_id if previous else 0
    return list(
        Entry.objects.select_related("transaction")
        .filter(
            account_id=statement.line.account_id,
            pk__gt=after_id,
            pk__lte=statement.last_entry_id,
        )
        .order_by("pk")
    )


def _cell(value) -> str:
    text = str(value)
    # Spreadsheets run cells that start like a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text):
    try:
        Decimal(text)
        return True
    except Exception:  # noqa: BLE001
        return False


def _rows(statement):
    unit = statement.line.currency
    for entry in bookings(statement):
        txn = entry.transaction
        yield [
            txn.created_at.strftime("%Y-%m-%d %H:%M"),
            txn.customer_note or txn.get_reason_display(),
            txn.external_reference or (f"#{txn.order_id}" if txn.order_id else ""),
            f"{in_unit(entry.amount * entry.direction, unit):f}",
            f"{in_unit(entry.balance_after, unit):f}" if entry.balance_after is not None else "",
        ]


def render_csv(statement: CreditStatement) -> bytes:
    unit = statement.line.currency
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Date"), _("Booking"), _("Reference"), _("Amount"), _("Balance")])
    writer.writerow(["", _("Opening balance"), "", "", f"{in_unit(statement.opening_balance, unit):f}"])
    for row in _rows(statement):
        writer.writerow([_cell(value) for value in row])
    writer.writerow(["", _("Closing balance"), "", "", f"{in_unit(statement.closing_balance, unit):f}"])
    writer.writerow(["", _("Amount due"), statement.due_date.isoformat(), f"{in_unit(statement.amount_due, unit):f}", unit])
    return out.getvalue().encode("utf-8")


def render_pdf(statement: CreditStatement) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    unit = statement.line.currency
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    y = height - 20 * mm

    def line_of(text, x=20 * mm, size=9, bold=False):
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(x, y, str(text)[:110])

    line_of(_("Statement %(number)s") % {"number": statement.number}, size=14, bold=True)
    y -= 8 * mm
    customer = statement.line.customer
    line_of(customer.email or str(customer))
    y -= 5 * mm
    line_of(
        _("Period %(start)s to %(end)s, due on %(due)s")
        % {
            "start": statement.period_start.strftime("%Y-%m-%d"),
            "end": statement.period_end.strftime("%Y-%m-%d"),
            "due": statement.due_date.isoformat(),
        }
    )
    y -= 10 * mm
    headers = [_("Date"), _("Booking"), _("Reference"), _("Amount"), _("Balance")]
    columns = [20 * mm, 50 * mm, 115 * mm, 155 * mm, 178 * mm]
    for x, header in zip(columns, headers):
        line_of(header, x=x, bold=True)
    y -= 6 * mm
    rows = [["", _("Opening balance"), "", "", f"{in_unit(statement.opening_balance, unit):f}"]]
    rows += list(_rows(statement))
    rows.append(["", _("Closing balance"), "", "", f"{in_unit(statement.closing_balance, unit):f}"])
    for row in rows:
        if y < 25 * mm:
            pdf.showPage()
            y = height - 20 * mm
        for x, value in zip(columns, row):
            line_of(str(value)[:40], x=x)
        y -= 5 * mm
    y -= 5 * mm
    line_of(
        _("Amount due: %(amount)s %(currency)s") % {
            "amount": f"{in_unit(statement.amount_due, unit):f}", "currency": unit
        },
        size=11,
        bold=True,
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def filename(statement: CreditStatement, fmt: str) -> str:
    return f"statement-{statement.line_id}-{statement.number}.{fmt}"


# --- e-mail ----------------------------------------------------------------------------


def send_email(statement: CreditStatement) -> bool:
    """E-mail the statement (CSV and PDF attached) to the customer; ``emailed_at``
    records it. Returns False when the customer has no address."""
    customer = statement.line.customer
    address = (customer.user.email if customer.user_id else "") or customer.email
    if not address:
        return False
    unit = statement.line.currency
    values = {
        "number": statement.number,
        "amount": f"{in_unit(statement.amount_due, unit):f}",
        "currency": unit,
        "due": statement.due_date.isoformat(),
        "start": statement.period_start.strftime("%Y-%m-%d"),
        "end": statement.period_end.strftime("%Y-%m-%d"),
    }
    subject = _("Your customer card statement %(number)s") % values
    if statement.amount_due:
        body = _(
            "Hello,\n\nyour statement %(number)s for %(start)s to %(end)s is attached. "
            "Please pay %(amount)s %(currency)s by %(due)s.\n\nThank you."
        ) % values
    else:
        body = _(
            "Hello,\n\nyour statement %(number)s for %(start)s to %(end)s is attached. "
            "Nothing is due.\n\nThank you."
        ) % values
    message = EmailMessage(
        subject, body, getattr(settings, "DEFAULT_FROM_EMAIL", None), [address]
    )
    message.attach(filename(statement, "csv"), render_csv(statement), "text/csv")
    message.attach(filename(statement, "pdf"), render_pdf(statement), "application/pdf")
    message.send()
    CreditStatement.objects.filter(pk=statement.pk).update(emailed_at=timezone.now())
    return True


def send_pending_emails() -> int:
    sent = 0
    pending = CreditStatement.objects.filter(emailed_at__isnull=True).select_related(
        "line__customer__user"
    )
    for statement in pending.order_by("pk"):
        try:
            sent += bool(send_email(statement))
        except Exception:  # noqa: BLE001 - a mail server error: retried next run
            logger.exception("Could not e-mail credit statement %s", statement.pk)
    return sent
