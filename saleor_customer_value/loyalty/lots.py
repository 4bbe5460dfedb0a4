"""Lots: where a points balance came from and when each part of it expires.

The ledger knows how many points a customer has, not which of them expire when. Lots
add that, as a *projection* of the points account's entries:

- a credit fills a new lot (its expiry from the credit's metadata, written by the code
  that booked it with the rules of the day), or releases a pending lot, or, for the
  reversal of a debit, gives the lots back what that debit took (while they are still
  valid; otherwise a new lot);
- a debit takes points from lots, soonest-expiring first (never-expiring last),
  preferring the lot of the credit it reverses or the lots its metadata names (expiry,
  refund take-backs); what no lot covers is debt (a clawback's negative balance);
- every credit pays debt back before it fills a lot.

So for every points account ``posted == sum(active remaining) - debt``, whatever wrote
the entries: this package, the generic ``ledgerTransactionReverse`` mutation, or any
later feature. ``sync`` advances the projection entry by entry under the account's row
lock (accounts first, then lots, as everywhere), and callers run it in the same DB
transaction as their posting, so a lot is consumed exactly when its points are.

Pending points (a returns window) are lots with status ``pending``: a promise kept out
of the ledger until ``release_due`` books them, so they can neither be spent nor need
a clawback if the order is returned in time.
"""
from functools import lru_cache
import logging
from datetime import datetime, timedelta
from typing import Dict, Iterable, List, Optional

from django.db import connection, transaction
from django.db.models import Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import POINTS_UNIT, Reason, SystemAccountCode
from ..models import Account, AccountKind, Entry, PointsAccountState, PointsLot, PointsLotConsumption
from ..models.loyalty import ConsumptionKind, LotStatus
from . import program as programs
from ..badges import evaluate as badge_rules

logger = logging.getLogger(__name__)

SCOPE = "system:loyalty"
EXPIRY_ACTOR = Actor.system("loyalty:expiry")
RELEASE_ACTOR = Actor.system("loyalty:release")


def key(part: str) -> IdempotencyKey:
    return IdempotencyKey(scope=SCOPE, key=part)


def already_used(idem) -> bool:
    """True when a request with this key was booked before: the caller skips its
    balance checks and lets the ledger replay the first result (or refuse the key)."""
    from ..models import IdempotencyRecord

    return idem is not None and IdempotencyRecord.objects.filter(
        scope=idem.scope, key=idem.key
    ).exists()


def iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() if moment else None


# --- the projection ------------------------------------------------------------------


def _lock_account(account: Account) -> Account:
    return Account.objects.select_for_update().get(pk=account.pk)


def _state(account: Account) -> PointsAccountState:
    # Only ever called under the account's lock: no race on creation.
    return PointsAccountState.objects.get_or_create(account_id=account.pk)[0]


def sync(account: Account, savepoint: bool = True) -> PointsAccountState:
    """Project the account's entries that the lots have not seen yet. ``savepoint=False``
    for a caller whose own atomic block ends right after (credit, debit): no second
    savepoint pair."""
    with transaction.atomic(savepoint=savepoint):
        _lock_account(account)
        state = _state(account)
        seen = state.last_entry_id
        entries = (
            Entry.objects.filter(account_id=account.pk, id__gt=state.last_entry_id)
            .select_related("transaction")
            .order_by("id")
        )
        cache = {}
        for entry in entries:
            points = int(entry.amount)
            if entry.direction > 0:
                _credit(state, entry.transaction, points, cache)
            else:
                _debit(state, entry.transaction, points)
            state.last_entry_id = entry.id
        state.save()
        if state.last_entry_id != seen:  # badges follow the value in the same transaction
            badge_rules.points_changed(account, state.last_entry_id)
    return state


def is_behind(account: Account) -> bool:
    """One indexed probe: is there an entry past the projection's last one?"""
    last_seen = PointsAccountState.objects.filter(account_id=account.pk).values("last_entry_id")[:1]
    return Entry.objects.filter(
        account_id=account.pk, id__gt=Coalesce(Subquery(last_seen), 0)
    ).exists()


def catch_up(account: Optional[Account]) -> bool:
    """For readers: bring the lots up to date if a posting was made elsewhere (say a
    staff reversal through the generic ledger mutation). True when it synced (the
    caller's account row is then stale)."""
    if account is not None and is_behind(account):
        sync(account)
        return True
    return False


def _record(txn, lot, kind, points):
    PointsLotConsumption.objects.create(transaction=txn, lot=lot, kind=kind, points=points)


def _locked(query) -> List[PointsLot]:
    return list(query.select_for_update().order_by("pk"))


def _credit_expiry(txn, cache):
    metadata = txn.metadata or {}
    if "expires_at" in metadata:
        raw = metadata["expires_at"]
        return parse_datetime(raw) if raw else None
    if "expiry_days" in metadata:
        # Written by the booking code with the rule of the day; counted from the
        # booking itself, so a replayed request carries the same metadata.
        days = metadata["expiry_days"]
        return txn.created_at + timedelta(days=int(days)) if days else None
    if "program" not in cache:
        cache["program"] = programs.get_program()
    return programs.expires_at(cache["program"], txn.created_at)


def _credit(state: PointsAccountState, txn, points: int, cache):
    left = points
    # 1. Debt first: a negative balance is paid back by the next points.
    if state.debt:
        settled = min(state.debt, left)
        state.debt -= settled
        left -= settled
        _record(txn, None, ConsumptionKind.SETTLED, settled)
    # 2. A reversed debit gives its lots back what it took, while they are valid.
    if left and txn.reversal_of_id:
        uses = list(
            PointsLotConsumption.objects.filter(
                transaction_id=txn.reversal_of_id,
                kind=ConsumptionKind.SPENT,
                lot__account_id=state.account_id,
            ).order_by("id")
        )
        lots = {lot.pk: lot for lot in _locked(PointsLot.objects.filter(pk__in={u.lot_id for u in uses}))}
        for use in uses:
            lot = lots[use.lot_id]
            usable = lot.status in (LotStatus.ACTIVE, LotStatus.USED) and (
                lot.expires_at is None or lot.expires_at > txn.created_at
            )
            give = min(use.points, left, lot.points - lot.remaining)
            if not usable or give <= 0:
                continue
            lot.remaining += give
            lot.status = LotStatus.ACTIVE
            lot.resolved_at = None
            lot.save(update_fields=["remaining", "status", "resolved_at"])
            _record(txn, lot, ConsumptionKind.RESTORED, give)
            left -= give
            if not left:
                break
    # 3. A released pending lot, or a new lot for the rest.
    pending_id = (txn.metadata or {}).get("lot")
    lot = None
    if pending_id and not txn.reversal_of_id:
        lot = (
            PointsLot.objects.select_for_update()
            .filter(pk=pending_id, account_id=state.account_id, status=LotStatus.PENDING)
            .first()
        )
    if lot is not None:
        lot.credit_transaction = txn
        lot.points = points
        lot.remaining = left
        lot.status = LotStatus.ACTIVE if left else LotStatus.USED
        lot.metadata = {**lot.metadata, "released_at": iso(txn.created_at)}
        lot.save()
        return
    if txn.reversal_of_id:
        if not left:
            return
        # What could not go back to its lots is new points, valid from now.
        expiry = programs.expires_at(
            cache.setdefault("program", programs.get_program()), txn.created_at
        )
    else:
        expiry = _credit_expiry(txn, cache)
    PointsLot.objects.create(
        account_id=state.account_id,
        source=txn.reason,
        status=LotStatus.ACTIVE if left else LotStatus.USED,
        points=left if txn.reversal_of_id else points,
        remaining=left,
        earned_points=left if txn.reversal_of_id else points,
        credit_transaction=None if txn.reversal_of_id else txn,
        order_id=txn.order_id,
        created_at=txn.created_at,
        expires_at=expiry,
        resolved_at=None if left else txn.created_at,
        metadata={"expiry_days": (txn.metadata or {}).get("expiry_days")},
    )


def _debit(state: PointsAccountState, txn, points: int):
    metadata = txn.metadata or {}
    reversed_lots = []
    if txn.reversal_of_id:
        reversed_lots = list(
            PointsLot.objects.filter(credit_transaction_id=txn.reversal_of_id).values_list("pk", flat=True)
        )
    named = [int(pk) for pk in metadata.get("lots") or []]
    preferred = reversed_lots + [pk for pk in named if pk not in reversed_lots]
    lots = _locked(
        PointsLot.objects.filter(account_id=state.account_id).filter(
            Q(status=LotStatus.ACTIVE, remaining__gt=0) | Q(pk__in=preferred)
        )
    )
    rank = {pk: i for i, pk in enumerate(preferred)}
    far = datetime(9999, 12, 31, tzinfo=timezone.utc)
    lots.sort(
        key=lambda lot: (
            rank.get(lot.pk, len(rank)),
            lot.expires_at or far,
            lot.pk,
        )
    )
    left = points
    now = txn.created_at
    expiring = txn.reason == Reason.POINTS_EXPIRED
    for lot in lots:
        before = (lot.remaining, lot.status)
        if left and lot.remaining and lot.status == LotStatus.ACTIVE:
            take = min(lot.remaining, left)
            lot.remaining -= take
            left -= take
            _record(txn, lot, ConsumptionKind.SPENT, take)
        if lot.pk in reversed_lots:
            lot.status = LotStatus.REVERSED
            lot.resolved_at = now
        elif lot.status == LotStatus.ACTIVE and lot.remaining == 0:
            lot.status = LotStatus.EXPIRED if expiring and lot.pk in named else LotStatus.USED
            lot.resolved_at = now
        if (lot.remaining, lot.status) != before:
            lot.save(update_fields=["remaining", "status", "resolved_at"])
    if left:
        state.debt += left
        _record(txn, None, ConsumptionKind.DEBT, left)


# --- bookings that keep the projection current ---------------------------------------


def _sync_plain_credit(account: Account) -> bool:
    """The projection of a plain credit (one new entry, no debt, no reversal, no
    pending lot, expiry from ``expiry_days``) in one statement: the SQL function of
    migration 0020 writes the lot ``_credit`` would write. False when the case needs
    ``sync`` (the function then changed nothing but possibly created the state row)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT cv_lots_credit_fast(%s)", [account.pk])
        last_entry_id = cursor.fetchone()[0]
    if last_entry_id is None:
        return False
    badge_rules.points_changed(account, last_entry_id)  # as sync does after projecting
    return True


@lru_cache(maxsize=None)
def _credit_accounts_sql() -> str:
    return (
        f"SELECT * FROM {Account._meta.db_table} WHERE unit = %s AND ("
        "(customer_id = %s AND kind = %s) OR (kind = %s AND system_code = %s)) ORDER BY id"
    )


def credit_accounts(customer, source=SystemAccountCode.POINTS_ISSUED):
    """The customer's points account and the system account paying ``source`` points,
    as ``accounts.points_account`` and ``accounts.system_account`` find them, in one
    statement (a till's sale reads both every time); either is created by those
    functions when it does not exist yet."""
    points = system = None
    params = [POINTS_UNIT, customer.pk, AccountKind.POINTS, AccountKind.SYSTEM, source]
    for row in Account.objects.raw(_credit_accounts_sql(), params):
        if row.kind == AccountKind.POINTS and row.customer_id == customer.pk:
            points = points or row
        elif row.kind == AccountKind.SYSTEM:
            system = system or row
    return (
        points or accounts.points_account(customer),
        system or accounts.system_account(source, POINTS_UNIT),
    )


def credit(account: Account, points: int, posting: service.Posting, idem=None, source=None, source_account=None):
    """``source`` (a system account code) pays the points; POINTS_ISSUED by default.
    ``source_account``: that system account, when the caller has read it already."""
    source = source_account or accounts.system_account(source or SystemAccountCode.POINTS_ISSUED, POINTS_UNIT)
    with transaction.atomic():
        with service.covered_by_savepoint():  # this block's savepoint covers the posting
            txn = service.transfer(source, account, points, posting, idem)
        if not _sync_plain_credit(account):
            sync(account, savepoint=False)
    return txn


def debit(account: Account, points: int, posting: service.Posting, idem=None, destination=None):
    target = accounts.system_account(destination or SystemAccountCode.POINTS_ISSUED, POINTS_UNIT)
    with transaction.atomic():
        with service.covered_by_savepoint():  # this block's savepoint covers the posting
            txn = service.transfer(account, target, points, posting, idem)
        sync(account, savepoint=False)
    return txn


def prepare(account: Account, now: Optional[datetime] = None) -> Account:
    """Before spending: lock, project, and book what has expired, so the balance the
    caller checks is exactly what may be spent. Returns the fresh account row."""
    sync(account)
    expire_due(account, now)
    return Account.objects.get(pk=account.pk)


# --- expiry --------------------------------------------------------------------------


def expire_due(account: Account, now: Optional[datetime] = None) -> List[object]:
    """Book POINTS_EXPIRED for every lot of ``account`` whose expiry is at or before
    ``now``. Points reserved by a pending checkout hold stay until the hold resolves
    (they were reserved while valid); the next run takes what is left."""
    now = now or timezone.now()
    booked = []
    with transaction.atomic():
        sync(account)
        due = _locked(
            PointsLot.objects.filter(
                account_id=account.pk,
                status=LotStatus.ACTIVE,
                remaining__gt=0,
                expires_at__lte=now,
            )
        )
        due.sort(key=lambda lot: (lot.expires_at, lot.pk))
        for lot in due:
            fresh = Account.objects.get(pk=account.pk)
            lot.refresh_from_db()
            amount = min(lot.remaining, int(fresh.available))
            if amount <= 0:
                continue
            txn = debit(
                fresh,
                amount,
                service.Posting(
                    reason=Reason.POINTS_EXPIRED,
                    actor=EXPIRY_ACTOR,
                    customer_note=f"{amount} points expired",
                    refs=service.References(order_id=lot.order_id),
                    metadata={
                        "lots": [lot.pk],
                        "expires_at": iso(lot.expires_at),
                        "earned_at": iso(lot.created_at),
                        "expiry_days": (lot.metadata or {}).get("expiry_days"),
                    },
                ),
                destination=SystemAccountCode.EXPIRY,
            )
            booked.append(txn)
    return booked


def expire_all(now: Optional[datetime] = None) -> int:
    """The periodic job: one short DB transaction per account."""
    now = now or timezone.now()
    account_ids = (
        PointsLot.objects.filter(status=LotStatus.ACTIVE, remaining__gt=0, expires_at__lte=now)
        .values_list("account_id", flat=True)
        .distinct()
    )
    count = 0
    for account_id in list(account_ids):
        try:
            count += len(expire_due(Account.objects.get(pk=account_id), now))
        except Exception:  # noqa: BLE001 - one account must not stop the others
            logger.exception("Expiring points of account %s failed", account_id)
    return count


# --- pending points ------------------------------------------------------------------


def create_pending(account, points, available_at, expires_at, order_id, metadata, earned=None):
    return PointsLot.objects.create(
        account=account,
        source=Reason.POINTS_EARNED,
        status=LotStatus.PENDING,
        points=points,
        remaining=0,
        earned_points=earned if earned is not None else points,
        order_id=order_id,
        created_at=timezone.now(),
        available_at=available_at,
        expires_at=expires_at,
        metadata=metadata,
    )


def release(lot: PointsLot, now: Optional[datetime] = None):
    """Book a pending lot's points (POINTS_EARNED), once."""
    with transaction.atomic():
        account = _lock_account(lot.account)
        lot = PointsLot.objects.select_for_update().get(pk=lot.pk)
        if lot.status != LotStatus.PENDING:
            return None
        if lot.points <= 0:
            lot.status = LotStatus.CANCELLED
            lot.resolved_at = timezone.now()
            lot.save(update_fields=["status", "resolved_at"])
            return None
        metadata = dict(lot.metadata or {})
        metadata.update({"lot": lot.pk, "expires_at": iso(lot.expires_at), "pending_until": iso(lot.available_at)})
        order_note = f" on order #{lot.order_id}" if lot.order_id else ""
        return credit(
            account,
            lot.points,
            service.Posting(
                reason=Reason.POINTS_EARNED,
                actor=RELEASE_ACTOR,
                customer_note=f"{lot.points} points earned{order_note}",
                refs=service.References(order_id=lot.order_id),
                metadata=metadata,
            ),
            idem=key(f"lot:{lot.pk}:release"),
        )


def release_due(now: Optional[datetime] = None) -> int:
    now = now or timezone.now()
    due = PointsLot.objects.filter(status=LotStatus.PENDING, available_at__lte=now).order_by("pk")
    count = 0
    for lot in list(due.select_related("account")):
        try:
            if release(lot, now) is not None:
                count += 1
        except Exception:  # noqa: BLE001
            logger.exception("Releasing pending points lot %s failed", lot.pk)
    return count


def catch_up_all() -> int:
    """Project entries booked by code that did not sync (the periodic job)."""
    behind = 0
    for account in Account.objects.filter(points_state__isnull=False).iterator():
        if is_behind(account):
            sync(account)
            behind += 1
    return behind


# --- reading -------------------------------------------------------------------------


def pending_points(account: Optional[Account]) -> int:
    if account is None:
        return 0
    total = PointsLot.objects.filter(account=account, status=LotStatus.PENDING).aggregate(
        total=Sum("points")
    )["total"]
    return int(total or 0)


def overdue_points(account: Optional[Account], now: Optional[datetime] = None) -> int:
    """Points past their expiry that the periodic job has not booked yet."""
    if account is None:
        return 0
    now = now or timezone.now()
    total = PointsLot.objects.filter(
        account=account, status=LotStatus.ACTIVE, expires_at__lte=now
    ).aggregate(total=Sum("remaining"))["total"]
    return int(total or 0)


def expiring(account: Optional[Account], until: datetime, now=None) -> List[PointsLot]:
    if account is None:
        return []
    now = now or timezone.now()
    return list(
        PointsLot.objects.filter(
            account=account,
            status=LotStatus.ACTIVE,
            remaining__gt=0,
            expires_at__gt=now,
            expires_at__lte=until,
        ).order_by("expires_at", "pk")
    )


def lots_of(account: Optional[Account], statuses: Optional[Iterable[str]] = None):
    if account is None:
        return PointsLot.objects.none()
    query = PointsLot.objects.filter(account=account)
    if statuses:
        query = query.filter(status__in=list(statuses))
    return query.order_by("-created_at", "-pk")


def invariant_gap(account: Account) -> Dict[str, int]:
    """``posted - (sum of active remaining - debt)``: 0 when the lots agree with the
    ledger (used by tests and by the demo's consistency check)."""
    account = Account.objects.get(pk=account.pk)
    state = PointsAccountState.objects.filter(account_id=account.pk).first()
    debt = state.debt if state else 0
    remaining = PointsLot.objects.filter(account=account, status=LotStatus.ACTIVE).aggregate(
        total=Sum("remaining")
    )["total"] or 0
    return {"posted": int(account.posted), "lots": int(remaining), "debt": int(debt)}
