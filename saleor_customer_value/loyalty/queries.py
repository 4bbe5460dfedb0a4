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


def balance(customer: Optional[Customer]) -> PointsView:
    """The numbers alone (no expiry list), for a till: the account, the projection
    check, and pending + overdue points in one aggregate."""
    account = None
    if customer is not None:
        account = Account.objects.filter(customer=customer, kind=AccountKind.POINTS).first()
    if account is None:
        return PointsView(customer, None)
    if lots.catch_up(account):
        account.refresh_from_db()
    sums = PointsLot.objects.filter(account=account).aggregate(
        pending=Sum("points", filter=Q(status=LotStatus.PENDING)),
        overdue=Sum(
            "remaining", filter=Q(status=LotStatus.ACTIVE, expires_at__lte=timezone.now())
        ),
    )
    return PointsView(
        customer=customer,
        account=account,
        posted=int(account.posted),
        held=int(account.held),
        pending=int(sums["pending"] or 0),
        overdue=int(sums["overdue"] or 0),
    )


def history(account: Optional[Account], **filters):
    """Movements newest first; a reversed movement and its reversal are both shown
    (linked in the API), so the shopper can follow what was taken back and why."""
    if account is None:
        return Entry.objects.none()
    return ledger_queries.account_history(account, **filters).select_related(
        "transaction", "transaction__order"
    )
