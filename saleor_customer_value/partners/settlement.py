"""Settlement runs: close a period per merchant.

``settle`` locks the merchant row (``FOR NO KEY UPDATE``: two runs for one merchant wait
for each other, bookings do not wait for a run), then
puts every partner booking of the merchant that no statement covers yet into a new
statement per currency. A booking committed while a run is under way is not seen by it
and lands in the next statement; ``StatementLine``'s primary key is the booking, so no
booking is ever in two statements. ``record_payout`` books the statement's net against
the merchant's clearing account, once.
"""
from django.utils.translation import gettext as _
from collections import defaultdict
from decimal import Decimal
from typing import List, Optional

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.reasons import Reason, SystemAccountCode
from ..models import ClearingKind, Merchant, PartnerBooking, Statement, StatementLine
from .errors import AlreadyPaid, NothingToSettle

TOTAL_FIELD = {
    ClearingKind.TOPUP: "topups",
    ClearingKind.PAYMENT: "payments",
    ClearingKind.POINTS_EARNED: "points_earned",
    ClearingKind.POINTS_REDEEMED: "points_redeemed",
    ClearingKind.POINTS_ADJUSTED: "points_earned",
    ClearingKind.REVERSAL: "reversals",
}


def open_bookings(merchant: Merchant):
    return PartnerBooking.objects.filter(merchant=merchant, line__isnull=True).order_by("transaction_id")


def settle(merchant: Merchant, now=None, require=False) -> List[Statement]:
    """One statement per currency with every booking since the last statement."""
    now = now or timezone.now()
    with transaction.atomic():
        # FOR NO KEY UPDATE: two runs for one merchant wait for each other, while
        # bookings (which only take FOR KEY SHARE through their foreign key) go on.
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM customer_value_merchant WHERE id = %s FOR NO KEY UPDATE", [merchant.pk])
        merchant = Merchant.objects.get(pk=merchant.pk)
        bookings = list(open_bookings(merchant))
        if not bookings:
            if require:
                raise NothingToSettle(
                    _("%(merchant)s has no booking since its last statement.") % {"merchant": merchant.name}
                )
            return []
        by_currency = defaultdict(list)
        for booking in bookings:
            by_currency[booking.currency].append(booking)
        number = (merchant.statements.aggregate(n=Max("number"))["n"] or 0)
        statements = []
        for currency in sorted(by_currency):
            rows = by_currency[currency]
            totals = defaultdict(Decimal)
            for booking in rows:
                # Gross by kind (signed from the merchant's side); the commission
                # is its own total: net = sum of the kinds - commission.
                totals[TOTAL_FIELD[booking.kind]] += booking.amount + booking.commission
                totals["commission"] += booking.commission
                totals["net"] += booking.amount
            previous = merchant.statements.filter(currency=currency).order_by("-number").first()
            number += 1
            statement = Statement.objects.create(
                merchant=merchant,
                number=number,
                currency=currency,
                period_start=previous.period_end if previous else None,
                period_end=now,
                **totals,
            )
            StatementLine.objects.bulk_create(
                [StatementLine(booking=booking, statement=statement) for booking in rows]
            )
            statements.append(statement)
        return statements


def settle_all(now=None) -> List[Statement]:
    """Every active or suspended merchant with open bookings (the periodic run); one DB
    transaction per merchant."""
    done = []
    for merchant in Merchant.objects.order_by("pk"):
        done.extend(settle(merchant, now=now))
    return done


def record_payout(statement: Statement, actor: Actor, reference: str = "", now=None) -> Statement:
    """The operator paid the merchant (net > 0) or received its payment (net < 0): book
    it against the merchant's clearing account. Once per statement."""
    now = now or timezone.now()
    with transaction.atomic():
        row = Statement.objects.select_for_update().select_related("merchant").get(pk=statement.pk)
        if row.paid_at is not None:
            raise AlreadyPaid(
                _("Statement %(number)s of %(merchant)s was paid on %(date)s.")
                % {"number": row.number, "merchant": row.merchant.name, "date": f"{row.paid_at:%Y-%m-%d}"}
            )
        txn = None
        if row.net != 0:
            merchant_account = accounts.merchant_account(row.merchant, SystemAccountCode.MERCHANT_CLEARING, row.currency)
            operator = accounts.system_account(SystemAccountCode.CLEARING, row.currency)
            txn = service.post(
                [service.Leg(merchant_account, -row.net), service.Leg(operator, row.net)],
                service.Posting(
                    reason=Reason.PARTNER_CLEARING,
                    actor=actor,
                    note=f"Payout of statement {row.number} of {row.merchant.name}",
                    refs=service.References(merchant_id=row.merchant_id, external_reference=reference or ""),
                    metadata={"kind": "payout", "statement": row.pk, "number": row.number},
                ),
            )
        row.payout_transaction = txn
        row.paid_at = now
        row.payout_reference = reference or ""
        row.save(update_fields=["payout_transaction", "paid_at", "payout_reference"])
        return row


def last_statement(merchant: Merchant, currency: str) -> Optional[Statement]:
    return merchant.statements.filter(currency=currency).order_by("-number").first()
