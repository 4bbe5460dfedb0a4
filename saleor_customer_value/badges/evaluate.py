"""Unlocking and losing badges when the measured points value changes.

``points_changed`` is called by ``loyalty.lots.sync`` in the DB transaction of every
points posting, under the points account's row lock (every points posting of the
plugin projects its lots that way; the generic ``ledgerTransactionReverse`` and the
periodic ``catch_up_all`` sync too). Evaluating there means:

- the customer who reaches a threshold holds the badge when the posting commits, so
  the very next checkout sees the perk; a posting that rolls back never unlocked;
- two postings of one customer evaluate one after the other (the account lock), and
  ``CustomerBadge`` is unique per (customer, badge) and per customer for held tiers,
  so a race can never record a second unlock.

Rules: a badge is held while the value is in ``[min_points, max_points)``. Leaving
the range upwards (a higher tier) loses it at once; falling below follows the
program's loss rule (at once, or after ``grace_days`` in which perks stay and a
return into the range keeps the badge). Tiers are a ladder: at most one is held,
moving up replaces the current tier, moving down waits for its grace period. Badges
granted by hand are never lost automatically; revoked ones are never unlocked
automatically again (until granted). Every change is a ``BadgeEvent`` with its cause.
"""
from functools import lru_cache
from dataclasses import dataclass
from datetime import timedelta
from typing import Dict, Optional

import graphene
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Account, Badge, BadgeEvent, BadgeProgram, CustomerBadge, Entry
from ..models.badges import BadgeEventKind, CustomerBadgeStatus, LossRule
from ..webhooks import events
from . import measure, vouchers

ACTIVE, GRACE, LOST, REVOKED = (
    CustomerBadgeStatus.ACTIVE,
    CustomerBadgeStatus.GRACE,
    CustomerBadgeStatus.LOST,
    CustomerBadgeStatus.REVOKED,
)


@dataclass
class Context:
    customer_id: int
    value: int
    now: object
    program: BadgeProgram
    cause: str
    transaction_id: Optional[int] = None
    actor: object = None
    note: str = ""
    entry_id: Optional[int] = None  # the causing transaction is looked up only if needed

    def cause_transaction_id(self):
        if self.transaction_id is None and self.entry_id is not None:
            self.transaction_id = (
                Entry.objects.filter(pk=self.entry_id).values_list("transaction_id", flat=True).first()
            )
        return self.transaction_id


@lru_cache(maxsize=None)
def _posting_badges_sql() -> str:
    badge, held = Badge._meta.db_table, CustomerBadge._meta.db_table
    return (
        f"SELECT b.* FROM {badge} b WHERE (b.is_active AND b.min_points IS NOT NULL) "
        f"OR (NOT b.is_active AND b.id IN (SELECT cb.badge_id FROM {held} cb "
        "WHERE cb.status IN (%s, %s))) ORDER BY b.sort_order, b.min_points, b.id"
    )


def points_changed(account: Account, last_entry_id: int):
    """Hook of ``lots.sync``: the account is locked and its new entries projected."""
    if account.customer_id is None:
        return
    # One query: the active ranged badges and any retired badge still held by someone
    # (plain SQL: it runs on every points posting).
    found = list(Badge.objects.raw(_posting_badges_sql(), list(CustomerBadgeStatus.HELD)))
    badges = [b for b in found if b.is_active and b.min_points is not None]
    if not found:
        return  # a shop without badges pays one small query per posting
    evaluate(account, cause="posting", entry_id=last_entry_id, badges=badges)


def _ranged_badges():
    return list(Badge.objects.filter(is_active=True, min_points__isnull=False))


def _retired_held() -> bool:
    return CustomerBadge.objects.filter(badge__is_active=False, status__in=CustomerBadgeStatus.HELD).exists()


def evaluate(account: Account, cause: str, transaction_id=None, now=None, entry_id=None, badges=None):
    """Bring the customer's badges in line with their measured value. The caller holds
    the points account's row lock."""
    program = measure.get_program()
    now = now or timezone.now()
    ctx = Context(
        customer_id=account.customer_id,
        value=measure.value(account, program, now),
        now=now,
        program=program,
        cause=cause,
        transaction_id=transaction_id,
        entry_id=entry_id,
    )
    rows = _rows(ctx.customer_id)
    if badges is None:
        badges = _ranged_badges()
    for badge in badges:
        if not badge.is_tier:
            _evaluate_badge(ctx, badge, rows.get(badge.pk))
    _evaluate_ladder(ctx, [b for b in badges if b.is_tier], rows)
    return ctx.value


def _rows(customer_id) -> Dict[int, CustomerBadge]:
    return {
        row.badge_id: row
        for row in CustomerBadge.objects.select_for_update()
        .select_related("badge")
        .filter(customer_id=customer_id)
        .order_by("pk")
    }


def inside(badge: Badge, value: int) -> bool:
    return (
        badge.min_points is not None
        and value >= badge.min_points
        and (badge.max_points is None or value < badge.max_points)
    )


def _lose_now(ctx: Context, row: CustomerBadge) -> bool:
    if ctx.program.loss_rule == LossRule.IMMEDIATE or not ctx.program.grace_days:
        return True
    return row.status == GRACE and row.grace_until is not None and row.grace_until <= ctx.now


def _evaluate_badge(ctx: Context, badge: Badge, row: Optional[CustomerBadge]):
    if inside(badge, ctx.value):
        if row is None or row.status == LOST:
            unlock(ctx, badge, row)
        elif row.status == GRACE:
            _keep(ctx, row)
        return
    if row is None or row.status not in CustomerBadgeStatus.HELD or row.manual:
        return
    above = badge.max_points is not None and ctx.value >= badge.max_points
    if above or _lose_now(ctx, row):
        lose(ctx, row)
    elif row.status == ACTIVE:
        _start_grace(ctx, row)


def _evaluate_ladder(ctx: Context, tiers, rows: Dict[int, CustomerBadge]):
    current = next(
        (r for r in rows.values() if r.is_tier and r.status in CustomerBadgeStatus.HELD), None
    )
    target = next((t for t in tiers if inside(t, ctx.value)), None)
    if target is not None and rows.get(target.pk) is not None and rows[target.pk].status == REVOKED:
        target = None
    if current is None:
        if target is not None:
            unlock(ctx, target, rows.get(target.pk))
        return
    if target is not None and target.pk == current.badge_id:
        if current.status == GRACE:
            _keep(ctx, current)
        return
    if not current.badge.is_active:
        lose(ctx, current)
    elif target is not None and (
        current.badge.min_points is None or target.min_points > current.badge.min_points
    ):
        lose(ctx, current)  # promoted
    elif current.manual:
        return
    elif _lose_now(ctx, current):
        lose(ctx, current)
    else:
        if current.status == ACTIVE:
            _start_grace(ctx, current)
        return
    if target is not None:
        unlock(ctx, target, rows.get(target.pk))


# --- transitions ---------------------------------------------------------------------


def _event(ctx: Context, row: CustomerBadge, kind: str, voucher=None):
    actor = ctx.actor
    event = BadgeEvent.objects.create(
        customer_id=ctx.customer_id,
        badge_id=row.badge_id,
        kind=kind,
        created_at=ctx.now,
        measured_value=ctx.value,
        cause=ctx.cause,
        transaction_id=ctx.cause_transaction_id(),
        actor_user=getattr(actor, "user", None),
        actor_app=getattr(actor, "app", None),
        note=ctx.note,
        voucher=voucher,
    )
    _emit(ctx, row, event)
    return event


def _emit(ctx: Context, row: CustomerBadge, event: BadgeEvent):
    """The outbox event of a transition, in the same DB transaction (POS and other
    subscribers learn a tier change when it commits). No note: it may be internal."""
    badge = row.badge
    events.emit(
        events.BADGE_CHANGED,
        ctx.customer_id,
        {
            "change": event.kind,
            "badgeId": graphene.Node.to_global_id("Badge", badge.pk),
            "badge": badge.title,
            "isTier": badge.is_tier,
            "status": row.status,
            "graceUntil": row.grace_until,
            "measuredValue": ctx.value,
            "cause": ctx.cause,
            "transactionId": (
                graphene.Node.to_global_id("LedgerTransaction", event.transaction_id)
                if event.transaction_id
                else None
            ),
            "voucherId": (
                graphene.Node.to_global_id("Voucher", event.voucher_id) if event.voucher_id else None
            ),
        },
    )


def _exclusive_voucher(badge: Badge, row: CustomerBadge):
    """Issued once per customer and badge (a lost and regained badge does not issue
    another one)."""
    if row.voucher_id or badge.voucher_kind == "none" or badge.voucher_value <= 0:
        return None
    return vouchers.issue(
        gettext("%(badge)s exclusive voucher") % {"badge": badge.title},
        badge.voucher_kind,
        badge.voucher_value,
        badge.voucher_valid_days,
    )


def unlock(ctx: Context, badge: Badge, row: Optional[CustomerBadge], manual=False, kind=BadgeEventKind.UNLOCKED):
    if row is None:
        row = CustomerBadge(customer_id=ctx.customer_id, badge=badge, is_tier=badge.is_tier)
    row.status = ACTIVE
    row.manual = manual
    row.is_tier = badge.is_tier
    row.unlocked_at = ctx.now
    row.grace_until = None
    row.lost_at = None
    voucher = _exclusive_voucher(badge, row)
    if voucher is not None:
        row.voucher = voucher
    row.save()
    _event(ctx, row, kind, voucher)
    return row


def lose(ctx: Context, row: CustomerBadge, kind=BadgeEventKind.LOST):
    row.status = REVOKED if kind == BadgeEventKind.REVOKED else LOST
    row.manual = False
    row.lost_at = ctx.now
    row.grace_until = None
    row.save(update_fields=["status", "manual", "lost_at", "grace_until"])
    _event(ctx, row, kind)


def _keep(ctx: Context, row: CustomerBadge):
    row.status = ACTIVE
    row.grace_until = None
    row.save(update_fields=["status", "grace_until"])
    _event(ctx, row, BadgeEventKind.KEPT)


def _start_grace(ctx: Context, row: CustomerBadge):
    row.status = GRACE
    row.grace_until = ctx.now + timedelta(days=ctx.program.grace_days)
    row.save(update_fields=["status", "grace_until"])
    _event(ctx, row, BadgeEventKind.GRACE_STARTED)


# --- periodic ------------------------------------------------------------------------


def evaluate_customer(customer_id, cause, now=None):
    from ..ledger import accounts
    from ..models import Customer

    with transaction.atomic():
        account = accounts.points_account(Customer.objects.get(pk=customer_id))
        account = Account.objects.select_for_update().get(pk=account.pk)
        evaluate(account, cause=cause, now=now)


def evaluate_due(now=None) -> int:
    """The periodic job: grace periods that ended, and (for the rolling window,
    which shrinks without any posting) everyone who holds a badge."""
    from ..models.badges import BadgeMeasure

    now = now or timezone.now()
    due = set(
        CustomerBadge.objects.filter(status=GRACE, grace_until__lte=now).values_list("customer_id", flat=True)
    )
    if measure.get_program().measure == BadgeMeasure.WINDOW:
        due |= set(
            CustomerBadge.objects.filter(status__in=CustomerBadgeStatus.HELD).values_list("customer_id", flat=True)
        )
    for customer_id in sorted(due):
        evaluate_customer(customer_id, "periodic", now)
    return len(due)


# --- by hand -------------------------------------------------------------------------


def _locked_rows(customer):
    from ..ledger import accounts

    account = accounts.points_account(customer)
    Account.objects.select_for_update().get(pk=account.pk)
    return account, _rows(customer.pk)


def grant(customer, badge: Badge, actor, note: str) -> CustomerBadge:
    """Staff award ``badge``; a tier replaces the customer's current tier."""
    with transaction.atomic():
        account, rows = _locked_rows(customer)
        ctx = Context(
            customer_id=customer.pk,
            value=measure.value(account),
            now=timezone.now(),
            program=measure.get_program(),
            cause="manual",
            actor=actor,
            note=note,
        )
        if badge.is_tier:
            for row in rows.values():
                if row.is_tier and row.badge_id != badge.pk and row.status in CustomerBadgeStatus.HELD:
                    lose(ctx, row)
        return unlock(ctx, badge, rows.get(badge.pk), manual=True, kind=BadgeEventKind.GRANTED)


def revoke(customer, badge: Badge, actor, note: str) -> Optional[CustomerBadge]:
    """Staff take ``badge`` away; it is not unlocked automatically again. None when
    the customer does not hold it."""
    with transaction.atomic():
        account, rows = _locked_rows(customer)
        row = rows.get(badge.pk)
        if row is None or row.status not in CustomerBadgeStatus.HELD:
            return None
        ctx = Context(
            customer_id=customer.pk,
            value=measure.value(account),
            now=timezone.now(),
            program=measure.get_program(),
            cause="manual",
            actor=actor,
            note=note,
        )
        lose(ctx, row, kind=BadgeEventKind.REVOKED)
        return row


def project_points_of(txn):
    """For writers outside the loyalty package (the generic reversal): project the
    points accounts ``txn`` touched, which evaluates their badges in this transaction."""
    from ..loyalty import lots
    from ..models import AccountKind

    for account in Account.objects.filter(
        entries__transaction_id=txn.pk, kind=AccountKind.POINTS
    ).order_by("pk"):
        lots.sync(account)
