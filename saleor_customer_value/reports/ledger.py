"""Ledger report: totals per reason and unit, a daily time series, and CSV rows.

Everything is computed from the entries on customer accounts (wallets and points):
what customers received (+) or gave up (-). System accounts are the mirror image and
would only double every figure.
"""
import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Iterator, List, Optional

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from ..ledger import queries
from ..ledger.reasons import Reason
from ..models import AccountKind, Entry, LedgerTransaction

MAX_SERIES_DAYS = 366
TOPUP_REASONS = (Reason.TOPUP, Reason.TOPUP_BONUS, Reason.GIFT_CARD_REDEMPTION)
SPEND_REASONS = (Reason.CHECKOUT_PAYMENT, Reason.POS_PAYMENT)
CUSTOMER_KINDS = (AccountKind.WALLET, AccountKind.POINTS)


@dataclass
class Total:
    reason: str
    unit: str
    count: int
    credit: Decimal
    debit: Decimal

    @property
    def net(self) -> Decimal:
        return self.credit - self.debit


@dataclass
class SeriesPoint:
    day: date
    topups: Decimal
    spend: Decimal
    outstanding: Decimal


def transactions(**filters):
    return queries.filter_transactions(LedgerTransaction.objects.all(), **filters)


def _customer_entries(txns):
    return Entry.objects.filter(
        transaction__in=txns.values("pk"), account__kind__in=CUSTOMER_KINDS
    )


def totals(**filters) -> List[Total]:
    rows = (
        _customer_entries(transactions(**filters))
        .values("transaction__reason", "unit")
        .annotate(
            count=Count("transaction", distinct=True),
            credit=Sum("amount", filter=Q(direction=1)),
            debit=Sum("amount", filter=Q(direction=-1)),
        )
        .order_by("unit", "transaction__reason")
    )
    return [
        Total(
            reason=row["transaction__reason"],
            unit=row["unit"],
            count=row["count"],
            credit=row["credit"] or Decimal(0),
            debit=row["debit"] or Decimal(0),
        )
        for row in rows
    ]


def series(unit: str, date_from: Optional[date] = None, date_to: Optional[date] = None) -> List[SeriesPoint]:
    """Per day: value credited by top-ups, value spent, and what customers hold at the
    end of the day (the shop's liability in ``unit``). Days without movements are
    included so a chart's x axis is even."""
    today = timezone.localdate()
    date_to = min(date_to or today, today)
    date_from = date_from or (date_to - timedelta(days=29))
    if date_from > date_to:
        return []
    date_from = max(date_from, date_to - timedelta(days=MAX_SERIES_DAYS - 1))
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), tz)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), tz)
    entries = Entry.objects.filter(unit=unit, account__kind__in=CUSTOMER_KINDS)
    opening = _net(entries.filter(transaction__created_at__lt=start))
    daily = (
        entries.filter(transaction__created_at__gte=start, transaction__created_at__lt=end)
        .annotate(day=TruncDate("transaction__created_at", tzinfo=tz))
        .order_by()  # the model's default ordering would split the GROUP BY per entry
        .values("day")
        .annotate(
            credit=Sum("amount", filter=Q(direction=1)),
            debit=Sum("amount", filter=Q(direction=-1)),
            topups=Sum("amount", filter=Q(direction=1, transaction__reason__in=TOPUP_REASONS)),
            spend=Sum("amount", filter=Q(direction=-1, transaction__reason__in=SPEND_REASONS)),
        )
    )
    by_day = {row["day"]: row for row in daily}
    points, outstanding, day = [], opening, date_from
    while day <= date_to:
        row = by_day.get(day) or {}
        outstanding += (row.get("credit") or 0) - (row.get("debit") or 0)
        points.append(
            SeriesPoint(day, row.get("topups") or Decimal(0), row.get("spend") or Decimal(0), outstanding)
        )
        day += timedelta(days=1)
    return points


def _net(entries) -> Decimal:
    sums = entries.aggregate(
        credit=Sum("amount", filter=Q(direction=1)), debit=Sum("amount", filter=Q(direction=-1))
    )
    return (sums["credit"] or Decimal(0)) - (sums["debit"] or Decimal(0))


CSV_HEADER = [
    "transaction_id", "created_at", "reason", "customer_email", "unit", "amount",
    "balance_after", "actor", "note", "customer_note", "order", "reference", "reversal_of",
    "reversed_by",
]


def csv_rows(**filters) -> Iterator[List[str]]:
    """One row per customer entry of the filtered transactions, newest first (the
    order of ``ledgerTransactions``). Transactions touching only system accounts get one
    row without a customer."""
    txns = (
        transactions(**filters)
        .select_related("customer", "reversed_by")
        .prefetch_related("entries__account")
        .order_by("-pk")
    )
    yield CSV_HEADER
    for txn in _chunked(txns):
        entries = [e for e in txn.entries.all() if e.account.kind in CUSTOMER_KINDS]
        reversed_by = getattr(txn, "reversed_by", None)
        common = [
            txn.created_at.isoformat(), txn.reason,
            txn.customer.email if txn.customer_id else "",
        ]
        tail = [
            txn.actor_label, _safe(txn.note), _safe(txn.customer_note),
            str(txn.order_id or ""), _safe(txn.external_reference),
            str(txn.reversal_of_id or ""), str(reversed_by.pk) if reversed_by else "",
        ]
        if not entries:
            yield [str(txn.pk)] + common + ["", "", ""] + tail
        for entry in entries:
            yield [str(txn.pk)] + common + [
                entry.unit, str(entry.signed_amount),
                "" if entry.balance_after is None else str(entry.balance_after),
            ] + tail


def _chunked(qs, size=500):
    # prefetch_related is ignored by .iterator() on Django 3.0: page by primary key.
    last = None
    while True:
        page = qs if last is None else qs.filter(pk__lt=last)
        page = list(page[:size])
        if not page:
            return
        yield from page
        last = page[-1].pk


def _safe(text: str) -> str:
    # A cell starting with = + - @ is run as a formula by spreadsheet programs.
    text = (text or "").replace("\x00", "")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def csv_lines(**filters) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in csv_rows(**filters):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
