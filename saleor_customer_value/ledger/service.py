"""The ledger service: the only code that writes ledger rows.

Every write runs in one DB transaction that
1. claims its idempotency key, if it has one (``idempotency.run``);
2. locks the customer accounts it touches with ``SELECT ... FOR UPDATE`` in primary-key
   order (no deadlocks), then any hold row it resolves: always accounts before holds;
3. checks the rules against the locked rows (no check-then-act outside the lock);
4. inserts the transaction and its entries. Triggers apply them to the balances and the
   database re-checks every invariant: entries sum to zero per unit (at commit), money
   never below zero, rows immutable, holds resolved once.

System accounts are never locked and keep no running balance, so no single row is
updated by every posting. See ARCHITECTURE.md for the rules and where each is enforced.

``post``/``transfer`` run steps 1-4 as one statement, the ``cv_post`` function of
migration 0004 (same locks, checks, rows and triggers; outside a transaction without
BEGIN/COMMIT); the ORM path below stays for reversals, holds and ``_lock_accounts``
users, and is what ``cv_post`` mirrors.
"""
import contextlib
import contextvars
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Dict, Iterable, List, Optional
from uuid import UUID

from django.db import DatabaseError, connection
from django.db import transaction as db_transaction
from django.utils import timezone
from psycopg2.extras import Json

from .. import checkout_context
from ..models import Account, AccountKind, Entry, Hold, HoldStatus, LedgerTransaction
from . import idempotency
from .actors import Actor
from .amounts import to_amount
from .errors import (
    AlreadyReversed,
    CreditLimitExceeded,
    CurrencyMismatch,
    HoldExpired,
    HoldNotPending,
    InsufficientFunds,
    InvalidAmount,
    NegativeBalance,
    NotReversible,
    Unbalanced,
)
from .idempotency import IdempotencyKey
from .reasons import REASONS, Reason
from django.utils.translation import gettext as _

_CHECKOUT_TOKEN = LedgerTransaction._meta.get_field("checkout_token")


@dataclass(frozen=True)
class References:
    """What a movement belongs to. All optional; stored on the transaction."""

    order_id: Optional[int] = None
    payment_id: Optional[int] = None
    checkout_token: Optional[UUID] = None
    card_id: Optional[int] = None
    merchant_id: Optional[int] = None
    external_reference: str = ""

    def as_fields(self):
        return {
            "order_id": self.order_id,
            "payment_id": self.payment_id,
            "checkout_token": self.checkout_token,
            "card_id": self.card_id,
            "merchant_id": self.merchant_id,
            "external_reference": self.external_reference or "",
        }

    @classmethod
    def of(cls, txn: LedgerTransaction):
        return cls(
            order_id=txn.order_id,
            payment_id=txn.payment_id,
            checkout_token=txn.checkout_token,
            card_id=txn.card_id,
            merchant_id=txn.merchant_id,
            external_reference=txn.external_reference,
        )


NO_REFERENCES = References()


@dataclass(frozen=True)
class Leg:
    """``amount`` is signed: positive raises ``account``'s balance, negative lowers it."""

    account: Account
    amount: Decimal


@dataclass
class Posting:
    reason: str
    actor: Actor
    note: str = ""
    customer_note: str = ""
    refs: References = NO_REFERENCES
    metadata: dict = field(default_factory=dict)
    is_clawback: bool = False


# --- locking -------------------------------------------------------------------------


def _lock_accounts(accounts: Iterable[Account], now: datetime) -> Dict[int, Account]:
    """Lock the customer accounts among ``accounts`` in pk order and return fresh rows.

    Pending holds that are past their expiry are released first (under the same lock),
    so expired reservations never block spending.
    """
    ids = sorted({a.pk for a in accounts if a.kind != AccountKind.SYSTEM})
    if not ids:
        return {}
    locked = Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    rows = {account.pk: account for account in locked}
    if all(account.held == 0 for account in rows.values()):
        # ``held`` is maintained by trigger: zero means no pending hold to expire.
        return rows
    expired = Hold.objects.filter(
        account_id__in=ids, status=HoldStatus.PENDING, expires_at__lte=now
    ).update(status=HoldStatus.EXPIRED, resolved_at=now)
    if expired:
        rows = {a.pk: a for a in Account.objects.filter(pk__in=ids)}
    return rows


def _check_can_spend(account: Account, amount: Decimal, is_clawback: bool = False):
    if account.kind == AccountKind.POINTS and is_clawback:
        return
    if account.kind == AccountKind.POINTS and account.posted < 0:
        raise NegativeBalance(
            _("The points balance is %(posted)s after a clawback; points can be spent again once it is positive.") % {"posted": format(account.posted, 'f')}
        )
    if account.kind == AccountKind.CREDIT and amount > account.available:
        raise CreditLimitExceeded(
            f"Only {account.available:f} {account.unit} of the credit limit of "
            f"{account.credit_limit:f} is left ({-account.posted:f} owed, "
            f"{account.held:f} reserved); {amount:f} was requested."
        )
    if amount > account.available:
        raise InsufficientFunds(
            _("Only %(available)s %(unit)s is available (%(posted)s booked, %(held)s reserved); %(amount)s was requested.") % {"available": format(account.available, 'f'), "unit": account.unit, "posted": format(account.posted, 'f'), "held": format(account.held, 'f'), "amount": format(amount, 'f')}
        )


# --- postings ------------------------------------------------------------------------


def _validate_legs(legs: List[Leg]) -> List[Leg]:
    if len(legs) < 2:
        raise Unbalanced(_("A transaction needs at least two entries."))
    clean, totals = [], defaultdict(Decimal)
    for leg in legs:
        if leg.amount == 0:
            raise InvalidAmount(_("An entry cannot move zero."))
        magnitude = to_amount(abs(leg.amount), leg.account.unit)
        signed = magnitude if leg.amount > 0 else -magnitude
        clean.append(Leg(leg.account, signed))
        totals[leg.account.unit] += signed
    unbalanced = {unit: total for unit, total in totals.items() if total != 0}
    if unbalanced:
        raise Unbalanced(_("Entries do not sum to zero per unit: %(unbalanced)s.") % {"unbalanced": unbalanced})
    return clean


def _customer_of(legs: List[Leg]):
    return next((leg.account.customer_id for leg in legs if leg.account.customer_id), None)


def _transaction_row(posting: Posting, now, customer_id, reversal_of=None, hold=None):
    """The (unsaved) transaction row a posting describes; both write paths use it."""
    actor = posting.actor
    return LedgerTransaction(
        reason=posting.reason,
        created_at=now,
        actor_type=actor.type,
        actor_user=actor.user,
        actor_app=actor.app,
        actor_label=actor.label,
        note=posting.note or "",
        customer_note=posting.customer_note or "",
        customer_id=customer_id,
        reversal_of=reversal_of,
        hold=hold,
        is_clawback=posting.is_clawback,
        metadata=posting.metadata or {},
        **posting.refs.as_fields(),
    )


def _insert(
    legs: List[Leg],
    posting: Posting,
    now: datetime,
    reversal_of=None,
    hold=None,
    customer_id=None,
) -> LedgerTransaction:
    if posting.reason not in REASONS:
        raise ValueError(f"unknown reason {posting.reason!r}")
    if customer_id is None:
        customer_id = _customer_of(legs)
    txn = _transaction_row(posting, now, customer_id, reversal_of=reversal_of, hold=hold)
    txn.save(force_insert=True)
    Entry.objects.bulk_create(
        [
            Entry(
                transaction=txn,
                account_id=leg.account.pk,
                unit=leg.account.unit,
                amount=abs(leg.amount),
                direction=1 if leg.amount > 0 else -1,
            )
            for leg in legs
        ]
    )
    return txn


def _post_locked(legs, posting, now, locked, **links) -> LedgerTransaction:
    debits = defaultdict(Decimal)
    for leg in legs:
        if leg.account.pk in locked:
            debits[leg.account.pk] += leg.amount
    for account_id, net in debits.items():
        if net < 0:
            _check_can_spend(locked[account_id], -net, posting.is_clawback)
    return _insert(legs, posting, now, **links)


def _request(legs: List[Leg], posting: Posting, **extra) -> dict:
    return {
        "legs": [[leg.account.pk, str(leg.amount)] for leg in legs],
        "reason": posting.reason,
        "note": posting.note,
        "customer_note": posting.customer_note,
        "refs": posting.refs.as_fields(),
        "metadata": posting.metadata,
        "clawback": posting.is_clawback,
        **extra,
    }


# One statement (``cv_post``, migration 0004) does what ``_lock_accounts`` +
# ``_post_locked`` do, with the same locks, checks and rows; see ``_post_in_db``.
_POST_SQL = "SELECT cv_post(" + ", ".join(["%s"] * 27) + ")"
_FUNDS_SQLSTATE = "CV001"


def _post_in_db(legs: List[Leg], posting: Posting, idem: Optional[IdempotencyKey]):
    now = timezone.now()
    customer_id = _customer_of(legs)
    # Built first, as ``objects.create`` would: the same validation of the values, and
    # the instance returned needs no re-query (every field is known here).
    txn = _transaction_row(posting, now, customer_id)
    # The same customer accounts and funds checks as _lock_accounts/_post_locked.
    customer = {
        leg.account.pk: leg.account
        for leg in legs
        if leg.account.kind != AccountKind.SYSTEM
    }
    debits = defaultdict(Decimal)
    for leg in legs:
        if leg.account.pk in customer:
            debits[leg.account.pk] += leg.amount
    checks = [
        (account_id, -net)
        for account_id, net in debits.items()
        if net < 0
        and not (posting.is_clawback and customer[account_id].kind == AccountKind.POINTS)
    ]
    request_hash = None
    if idem is not None:
        request_hash = idempotency.fingerprint("post", _request(legs, posting))
    checkout_token = _CHECKOUT_TOKEN.get_db_prep_value(txn.checkout_token, connection)
    params = [
        now,
        txn.reason,
        txn.actor_type,
        txn.actor_user_id,
        txn.actor_app_id,
        txn.actor_label,
        txn.note,
        txn.customer_note,
        txn.customer_id,
        txn.order_id,
        txn.payment_id,
        checkout_token,
        txn.card_id,
        txn.merchant_id,
        txn.external_reference,
        txn.is_clawback,
        Json(txn.metadata),
        [leg.account.pk for leg in legs],
        [leg.account.unit for leg in legs],
        [leg.amount for leg in legs],
        sorted(customer),
        [account_id for account_id, _ in checks],
        [amount for _, amount in checks],
        idem.scope if idem else None,
        idem.key if idem else None,
        "post" if idem else None,
        request_hash,
    ]

    def execute():
        try:
            with connection.cursor() as cursor:
                cursor.execute(_POST_SQL, params)
                return cursor.fetchone()[0]
        except DatabaseError as exc:
            cause = exc.__cause__
            if getattr(cause, "pgcode", None) != _FUNDS_SQLSTATE:
                raise
            account_id, posted, held = cause.diag.message_detail.split()
            account = customer[int(account_id)]
            row = Account(
                pk=account.pk,
                kind=account.kind,
                unit=account.unit,
                posted=Decimal(posted),
                held=Decimal(held),
            )
            _check_can_spend(row, dict(checks)[row.pk], posting.is_clawback)
            raise  # not reached: the database and _check_can_spend agree

    def finish(txn_id):
        if txn_id is None:  # the key was used before: replay its first result
            return idempotency.replay(idem, "post", request_hash)
        txn.pk = txn_id
        txn._state.adding = False
        txn._state.db = connection.alias
        if idem is not None:
            txn.replayed = False
        return txn

    covered = _COVERED.get()
    if covered:  # the caller's own savepoint wraps exactly this posting (lots.credit)
        _COVERED.set(False)
    if (connection.in_atomic_block or not connection.get_autocommit()) and not covered:
        # Nested in the caller's transaction: a savepoint, as idempotency.run does.
        with db_transaction.atomic():
            return finish(execute())
    # Not in a transaction: the statement is one (autocommit), so the claim, the lock,
    # the rows and the deferred checks commit or roll back together, without the two
    # round trips of BEGIN and COMMIT. A replay only reads committed rows.
    return finish(execute())


_COVERED = contextvars.ContextVar("customer_value_post_covered", default=False)


@contextlib.contextmanager
def covered_by_savepoint():
    """For a caller that has just opened its own ``transaction.atomic()`` (a savepoint
    or the outermost transaction) around one posting and lets every error out of it:
    the next fast-path posting skips its own savepoint pair (two round trips), since
    a failure already rolls back to the caller's. Only that one posting is affected."""
    token = _COVERED.set(True)
    try:
        yield
    finally:
        _COVERED.reset(token)


def _post_orm(legs: List[Leg], posting: Posting, idem: Optional[IdempotencyKey]):
    def write():
        now = timezone.now()
        locked = _lock_accounts([leg.account for leg in legs], now)
        return _post_locked(legs, posting, now, locked)

    return idempotency.run(idem, "post", _request(legs, posting), write)


def post(
    legs: List[Leg], posting: Posting, idem: Optional[IdempotencyKey] = None
) -> LedgerTransaction:
    """Book one balanced transaction of two or more legs."""
    legs = _validate_legs(list(legs))
    if posting.reason not in REASONS or any(
        leg.account.kind == AccountKind.CREDIT for leg in legs
    ):
        # ``cv_post`` checks funds as ``posted - held``; a credit line's limit is
        # checked here, under the same account lock (and by ``cv_credit_within_limit``).
        # The ORM path raises ValueError only after the funds checks; keep that order.
        return _post_orm(legs, posting, idem)
    return _post_in_db(legs, posting, idem)


def transfer(
    source: Account,
    destination: Account,
    amount,
    posting: Posting,
    idem: Optional[IdempotencyKey] = None,
) -> LedgerTransaction:
    """Move ``amount`` from ``source`` to ``destination`` (same unit)."""
    if source.unit != destination.unit:
        raise CurrencyMismatch(
            _("Cannot move %(unit)s into an account kept in %(unit2)s.") % {"unit": source.unit, "unit2": destination.unit}
        )
    amount = to_amount(amount, source.unit)
    return post([Leg(source, -amount), Leg(destination, amount)], posting, idem)


def reverse(
    original: LedgerTransaction,
    actor: Actor,
    note: str,
    allow_clawback: bool = False,
    idem: Optional[IdempotencyKey] = None,
    customer_note: Optional[str] = None,
) -> LedgerTransaction:
    """Undo ``original`` with a mirror transaction that points at it.

    ``customer_note`` is what the shopper's history shows for the reversal (default:
    "Reversal: <the original's note>").

    ``allow_clawback`` lets a points account go below zero (the points were spent in
    the meantime); money accounts never can.
    """

    def write():
        now = timezone.now()
        # The row lock serialises two reversals of one transaction; rows are immutable,
        # so locking is all this does to it.
        target = LedgerTransaction.objects.select_for_update().get(pk=original.pk)
        if target.reason == Reason.REVERSAL:
            raise NotReversible(_("A reversal cannot itself be reversed; book anew."))
        if LedgerTransaction.objects.filter(reversal_of=target).exists():
            raise AlreadyReversed(_("Transaction %(pk)s was already reversed.") % {"pk": target.pk})
        entries = list(target.entries.select_related("account"))
        legs = [Leg(e.account, -e.signed_amount) for e in entries]
        locked = _lock_accounts([leg.account for leg in legs], now)
        posting = Posting(
            reason=Reason.REVERSAL,
            actor=actor,
            note=note,
            customer_note=(
                customer_note
                if customer_note is not None
                else (f"Reversal: {target.customer_note}" if target.customer_note else "Reversal")
            ),
            refs=References.of(target),
            metadata={"reversed_reason": target.reason},
            is_clawback=allow_clawback,
        )
        return _post_locked(
            legs,
            posting,
            now,
            locked,
            reversal_of=target,
            customer_id=target.customer_id,
        )

    request = {"transaction": original.pk, "note": note, "clawback": allow_clawback}
    return idempotency.run(idem, "reverse", request, write)


# --- holds ---------------------------------------------------------------------------


def place_hold(
    account: Account,
    counter_account: Account,
    amount,
    reason: str,
    expires_at: Optional[datetime] = None,
    refs: References = NO_REFERENCES,
    note: str = "",
    idem: Optional[IdempotencyKey] = None,
) -> Hold:
    """Reserve ``amount`` on a customer account; it counts as held until resolved."""
    if account.kind == AccountKind.SYSTEM:
        raise ValueError("holds are placed on customer accounts")
    if counter_account.unit != account.unit:
        raise CurrencyMismatch(_("A hold is posted within one unit."))
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    amount = to_amount(amount, account.unit)

    def write():
        checkout_context.invalidate()  # a checkout's reservations change
        now = timezone.now()
        if expires_at is not None and expires_at <= now:
            raise InvalidAmount(_("A hold must expire in the future."), field="expiresAt")
        locked = _lock_accounts([account], now)
        _check_can_spend(locked[account.pk], amount)
        return Hold.objects.create(
            account=account,
            counter_account=counter_account,
            amount=amount,
            reason=reason,
            created_at=now,
            expires_at=expires_at,
            checkout_token=refs.checkout_token,
            order_id=refs.order_id,
            external_reference=refs.external_reference or "",
            note=note,
        )

    request = {
        "account": account.pk,
        "counter": counter_account.pk,
        "amount": str(amount),
        "reason": reason,
        # expires_at is derived from the clock, not chosen by the caller: a retry
        # computes a later one and must still replay.
        "refs": refs.as_fields(),
        "note": note,
    }
    return idempotency.run(idem, "hold", request, write)


def _lock_hold(hold: Hold, now: datetime):
    """Lock the hold's account, then the hold (the global order: accounts first)."""
    locked = _lock_accounts([hold.account], now)
    row = Hold.objects.select_for_update().get(pk=hold.pk)
    if row.status == HoldStatus.EXPIRED:
        raise HoldExpired(_("Hold %(pk)s expired at %(expires_at)s.") % {"pk": row.pk, "expires_at": format(row.expires_at, '%Y-%m-%d %H:%M')})
    if row.status != HoldStatus.PENDING:
        raise HoldNotPending(_("Hold %(pk)s is already %(status)s.") % {"pk": row.pk, "status": row.status})
    return row, locked


def post_hold(
    hold: Hold,
    posting: Posting,
    amount=None,
    idem: Optional[IdempotencyKey] = None,
) -> LedgerTransaction:
    """Book all or part of a pending hold; whatever is not posted is released."""
    if amount is not None:
        amount = to_amount(amount, hold.account.unit)

    def write():
        checkout_context.invalidate()
        now = timezone.now()
        row, locked = _lock_hold(hold, now)
        value = row.amount if amount is None else amount
        if value > row.amount:
            raise InvalidAmount(
                _("Cannot post %(value)s: only %(amount)s is held.") % {"value": format(value, 'f'), "amount": format(row.amount, 'f')}, field="amount"
            )
        row.status = HoldStatus.POSTED
        row.posted_amount = value
        row.resolved_at = now
        row.save(update_fields=["status", "posted_amount", "resolved_at"])
        locked = {pk: Account.objects.get(pk=pk) for pk in locked}
        legs = [Leg(row.account, -value), Leg(row.counter_account, value)]
        return _post_locked(legs, posting, now, locked, hold=row)

    request = _request([], posting, hold=hold.pk, amount=str(amount))
    return idempotency.run(idem, "post_hold", request, write)


def void_hold(hold: Hold, idem: Optional[IdempotencyKey] = None) -> Hold:
    """Release a pending hold without booking anything."""

    def write():
        checkout_context.invalidate()
        now = timezone.now()
        row, _locked = _lock_hold(hold, now)
        row.status = HoldStatus.VOIDED
        row.resolved_at = now
        row.save(update_fields=["status", "resolved_at"])
        return row

    return idempotency.run(idem, "void_hold", {"hold": hold.pk}, write)


def expire_holds(now: Optional[datetime] = None) -> int:
    """Release every pending hold past its expiry; return how many were released.

    One short DB transaction per account, each taking the account lock first like
    every other write, so the sweeper never deadlocks with checkouts.
    """
    now = now or timezone.now()
    account_ids = (
        Hold.objects.filter(status=HoldStatus.PENDING, expires_at__lte=now)
        .values_list("account_id", flat=True)
        .distinct()
    )
    released = 0
    for account_id in list(account_ids):
        with db_transaction.atomic():
            Account.objects.select_for_update().filter(pk=account_id).first()
            released += Hold.objects.filter(
                account_id=account_id, status=HoldStatus.PENDING, expires_at__lte=now
            ).update(status=HoldStatus.EXPIRED, resolved_at=now)
    return released
