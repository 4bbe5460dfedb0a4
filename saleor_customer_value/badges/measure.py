"""What a badge's points range is compared with (``BadgeProgram.measure``).

- balance: the points account's posted balance (pending points are a promise, not
  points yet);
- lifetime: every credit except a reversal (points given back after a spend were
  earned before), minus every debit except spending (redemption, conversion, expiry,
  moving to another card): so reversals, clawbacks and staff subtractions count
  against it, spending does not;
- window: the lifetime rule over the last ``window_days`` days.
"""
from datetime import timedelta
from typing import Optional

from django.db.models import Q, Sum
from django.utils import timezone

from ..ledger.reasons import Reason
from ..models import Account, BadgeProgram, Entry
from ..models.badges import BadgeMeasure

SPENDING = [
    Reason.POINTS_REDEEMED,
    Reason.POINTS_CONVERTED,
    Reason.POINTS_EXPIRED,
    Reason.CARD_MERGE,
]


def get_program() -> BadgeProgram:
    return BadgeProgram.objects.get_or_create(pk=1)[0]


def earned(account: Account, since=None) -> int:
    entries = Entry.objects.filter(account_id=account.pk)
    if since is not None:
        entries = entries.filter(transaction__created_at__gte=since)
    totals = entries.aggregate(
        credits=Sum("amount", filter=Q(direction=1) & ~Q(transaction__reason=Reason.REVERSAL)),
        debits=Sum("amount", filter=Q(direction=-1) & ~Q(transaction__reason__in=SPENDING)),
    )
    return int((totals["credits"] or 0) - (totals["debits"] or 0))


def value(account: Optional[Account], program: Optional[BadgeProgram] = None, now=None) -> int:
    if account is None:
        return 0
    program = program or get_program()
    if program.measure == BadgeMeasure.LIFETIME:
        return earned(account)
    if program.measure == BadgeMeasure.WINDOW:
        now = now or timezone.now()
        return earned(account, since=now - timedelta(days=program.window_days))
    return int(Account.objects.values_list("posted", flat=True).get(pk=account.pk))
