"""Read side of points: a customer's balance (available, reserved, pending, expiring
soon), history (reversed movements stay, linked to their reversals), and lots with their expiry."""
from dataclasses import dataclass, field
from datetime import timedelta
from typing import List, Optional

from django.db.models import Q, Sum
from django.utils import timezone

from ..ledger import queries as ledger_queries
from ..models import Account, AccountKind, Customer, Entry, PointsLot
from ..models.loyalty import LotStatus
from . import lots
from . import program as programs


@dataclass
class PointsView:
    customer: Optional[Customer]
    account: Optional[Account]
    posted: int = 0
    held: int = 0
    pending: int = 0
    overdue: int = 0
    expiring_soon: List[object] = field(default_factory=list)
    expiring_until: Optional[object] = None

    @property
    def available(self) -> int:
        """What can be spent now: booked, less reserved, less what has expired but
        not been booked as expired yet."""
        return max(self.posted - self.held - self.overdue, 0) if self.posted > 0 else 0


def points_of(user) -> PointsView:
    customer = Customer.objects.filter(user=user).first() if user is not None else None
    return view(customer)


def view(customer: Optional[Customer]) -> PointsView:
    account = None
    if customer is not None:
        account = Account.objects.filter(customer=customer, kind=AccountKind.POINTS).first()
    if account is None:
        return PointsView(customer, None)
    if lots.catch_up(account):
        account.refresh_from_db()
    program = programs.get_program()
    now = timezone.now()
    until = now + timedelta(days=program.expiring_soon_days)
    return PointsView(
        customer=customer,
        account=account,
        posted=int(account.posted),
        held=int(account.held),
        pending=lots.pending_points(account),
        overdue=lots.overdue_points(account, now),
        expiring_soon=lots.expiring(account, until, now),
        expiring_until=until,
    )


def _balance_query(customer, now):
    """The points account with, in the same statement, whether the lots' projection is
    behind the ledger and the pending and overdue lot sums (issue 16: one query)."""
    from django.db.models import Exists, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from ..models import PointsAccountState

    last_seen = PointsAccountState.objects.filter(account_id=OuterRef(OuterRef("pk"))).values("last_entry_id")[:1]
    behind = Entry.objects.filter(account_id=OuterRef("pk"), id__gt=Coalesce(Subquery(last_seen), 0))

    def lot_sum(column, **where):
        rows = (
            PointsLot.objects.filter(account_id=OuterRef("pk"), **where)
            .order_by()
            .values("account_id")
            .annotate(total=Sum(column))
            .values("total")
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return (
        Account.objects.filter(customer=customer, kind=AccountKind.POINTS)
        .annotate(
            lots_behind=Exists(behind),
            pending_sum=lot_sum("points", status=LotStatus.PENDING),
            overdue_sum=lot_sum("remaining", status=LotStatus.ACTIVE, expires_at__lte=now),
        )
        .order_by("pk")
        .first()
    )


def balance(customer: Optional[Customer]) -> PointsView:
    """The numbers alone (no expiry list), for a till: the account, the projection
    check, and pending + overdue points in one statement; a second read only when the
    lots were behind the ledger and had to be brought up to date."""
    if customer is None:
        return PointsView(customer, None)
    account = _balance_query(customer, timezone.now())
    if account is None:
        return PointsView(customer, None)
    if account.lots_behind:
        lots.sync(account)
        account = _balance_query(customer, timezone.now())
    return PointsView(
        customer=customer,
        account=account,
        posted=int(account.posted),
        held=int(account.held),
        pending=int(account.pending_sum or 0),
        overdue=int(account.overdue_sum or 0),
    )


def history(account: Optional[Account], **filters):
    """Movements newest first; a reversed movement and its reversal are both shown
    (linked in the API), so the shopper can follow what was taken back and why."""
    if account is None:
        return Entry.objects.none()
    return ledger_queries.account_history(account, **filters).select_related(
        "transaction", "transaction__order"
    )
