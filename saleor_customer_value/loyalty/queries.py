"""Read side of points: a customer's balance (available, reserved, pending, expiring
soon), history (reversed movements stay, linked to their reversals), and lots with their expiry."""
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import timedelta
from typing import List, Optional

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


@lru_cache(maxsize=None)
def _balance_sql():
    from ..models import PointsAccountState

    account, entry = Account._meta.db_table, Entry._meta.db_table
    state, lot = PointsAccountState._meta.db_table, PointsLot._meta.db_table
    return (
        "SELECT a.*, "
        f"EXISTS (SELECT 1 FROM {entry} e WHERE e.account_id = a.id AND e.id > "
        f"COALESCE((SELECT s.last_entry_id FROM {state} s WHERE s.account_id = a.id LIMIT 1), 0)"
        ") AS lots_behind, "
        f"COALESCE((SELECT SUM(l.points) FROM {lot} l "
        "WHERE l.account_id = a.id AND l.status = %s), 0) AS pending_sum, "
        f"COALESCE((SELECT SUM(l.remaining) FROM {lot} l "
        "WHERE l.account_id = a.id AND l.status = %s AND l.expires_at <= %s), 0) AS overdue_sum "
        f"FROM {account} a WHERE a.customer_id = %s AND a.kind = %s ORDER BY a.id LIMIT 1"
    )


def _balance_query(customer, now):
    """The points account with, in the same statement, whether the lots' projection is
    behind the ledger and the pending and overdue lot sums (issue 16: one query). Plain
    SQL: building this statement with the ORM's subqueries cost more than running it."""
    customer_id = customer.pk if isinstance(customer, Customer) else customer
    rows = Account.objects.raw(
        _balance_sql(), [LotStatus.PENDING, LotStatus.ACTIVE, now, customer_id, AccountKind.POINTS]
    )
    for account in rows:
        return account
    return None


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
