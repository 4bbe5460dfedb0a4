"""Notifications from the transactional outbox.

The webhook fan-out (``webhooks.dispatch.fan_out``) takes every committed outbox event
exactly once; in the same DB transaction it hands the batch to ``record``, which writes
one ``Notification`` per customer-facing event. Only committed changes have events, so
nothing is announced that was rolled back ("after commit"), and the unique
(event, customer, key) makes every notification at most once even if a batch is
handed over again. Sending happens later (``service.send_due``, Celery).
"""
import logging
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

import graphene
from django.db.models import F, Q
from django.utils import timezone

from ..ledger.reasons import Reason
from ..models import (
    LedgerTransaction,
    Notification,
    NotificationCategory,
    NotificationEvent as E,
    OutboxEvent,
    PointsCreditedMode,
    Reward,
)
from ..webhooks import events as ev
from . import settings as notification_settings

logger = logging.getLogger(__name__)

# The lead's badge/tier event (payload: customer, badge id and name, is_tier, change).
BADGE_CHANGED = "customer_value_badge_changed"

POINTS_CREDIT_REASONS = {Reason.POINTS_EARNED, Reason.POINTS_ACTION, Reason.POINTS_ADJUSTMENT}
WALLET_CREDIT_REASONS = {
    Reason.TOPUP, Reason.TOPUP_BONUS, Reason.GOODWILL, Reason.CORRECTION, Reason.REFUND,
    Reason.RETENTION_BONUS, Reason.CASHBACK, Reason.B2B_BONUS, Reason.GIFT_CARD_REDEMPTION,
}
TYPES = {
    ev.POINTS_BALANCE_CHANGED, ev.WALLET_BALANCE_CHANGED, ev.GIFT_VOUCHER_ISSUED,
    ev.CARD_REGISTERED, ev.CARD_BLOCKED, ev.CARD_REPLACED, BADGE_CHANGED,
}


def category(event: str) -> str:
    return NotificationCategory.MARKETING if event in E.MARKETING else NotificationCategory.TRANSACTIONAL


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _pk(global_id, kind):
    try:
        found_kind, pk = graphene.Node.from_global_id(global_id)
    except Exception:  # noqa: BLE001
        return None
    return int(pk) if found_kind == kind and str(pk).isdigit() else None


def _end_of_day(now):
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))


def record(event_ids) -> int:
    """Record the notifications of these outbox events; return how many are new."""
    config = notification_settings.load()
    if not config.enabled:
        return 0
    batch = list(
        OutboxEvent.objects.filter(pk__in=event_ids, event_type__in=TYPES, customer_id__isnull=False)
        .order_by("pk")
        .values("event_id", "event_type", "customer_id", "payload", "created_at")
    )
    if not batch:
        return 0
    now = timezone.now()
    notes = _customer_notes(batch)
    rewards = None
    rows = []

    def add(event, row_event, key, data, send_after=None):
        rows.append(Notification(
            event=event, customer_id=row_event["customer_id"], key=str(key)[:128],
            category=category(event), data=data, send_after=send_after or now,
        ))

    for row in batch:
        t, p, key = row["event_type"], row["payload"] or {}, row["event_id"]
        change = _decimal(p.get("change"))
        if t == ev.POINTS_BALANCE_CHANGED:
            if p.get("reversalOf") or p.get("reason") not in POINTS_CREDIT_REASONS or not change or change <= 0:
                continue
            if config.points_credited_mode == PointsCreditedMode.DAILY:
                day = timezone.localdate(row["created_at"])
                add(E.POINTS_DIGEST, row, f"digest:{day.isoformat()}",
                    {"date": day.isoformat()}, send_after=_end_of_day(row["created_at"]))
            else:
                add(E.POINTS_CREDITED, row, key, {
                    "points": int(change), "reason": p.get("reason"),
                    "note": notes.get(p.get("transactionId"), ""),
                })
            available = _decimal((p.get("balance") or {}).get("available"))
            if available is not None:
                if rewards is None:
                    rewards = list(Reward.objects.filter(is_active=True).filter(
                        Q(starts_at__isnull=True) | Q(starts_at__lte=now),
                        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
                        Q(stock__isnull=True) | Q(stock__gt=F("redeemed_count")),
                    ).values("pk", "name", "points"))
                before = available - change
                for reward in rewards:
                    if before < reward["points"] <= available:
                        add(E.REWARD_REACHABLE, row, f"{reward['pk']}:{key}", {
                            "reward": reward["name"], "reward_points": reward["points"],
                        })
        elif t == ev.WALLET_BALANCE_CHANGED:
            if p.get("reversalOf") or p.get("reason") not in WALLET_CREDIT_REASONS or not change or change <= 0:
                continue
            add(E.WALLET_CREDITED, row, key, {
                "amount": str(change), "currency": p.get("currency"), "reason": p.get("reason"),
                "note": notes.get(p.get("transactionId"), ""),
            })
        elif t == ev.GIFT_VOUCHER_ISSUED:
            add(E.GIFT_VOUCHER_RECEIVED, row, key, {
                "amount": p.get("amount"), "currency": p.get("currency"),
                "order_number": _pk(p.get("orderId"), "Order") or "",
            })
        elif t in (ev.CARD_REGISTERED, ev.CARD_BLOCKED, ev.CARD_REPLACED):
            event = {ev.CARD_REGISTERED: E.CARD_REGISTERED, ev.CARD_BLOCKED: E.CARD_BLOCKED,
                     ev.CARD_REPLACED: E.CARD_REPLACED}[t]
            add(event, row, key, {"card": p.get("maskedCode", ""),
                                  "blocked_reason": p.get("blockedReason") or ""})
        elif t == BADGE_CHANGED:
            change_kind = p.get("change")
            if change_kind not in ("unlocked", "granted"):
                continue
            is_tier = p.get("isTier", p.get("is_tier"))
            badge_id = p.get("badgeId", p.get("badge_id"))
            if isinstance(badge_id, str) and not badge_id.isdigit():
                badge_id = _pk(badge_id, "Badge")
            add(E.TIER_REACHED if is_tier else E.BADGE_UNLOCKED, row, key, {
                "badge_id": badge_id, "badge": p.get("badgeName", p.get("badge_name", "")),
            })
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def _customer_notes(batch):
    ids = {}
    for row in batch:
        global_id = (row["payload"] or {}).get("transactionId")
        pk = _pk(global_id, "LedgerTransaction") if global_id else None
        if pk:
            ids[pk] = global_id
    if not ids:
        return {}
    return {
        ids[pk]: note
        for pk, note in LedgerTransaction.objects.filter(pk__in=ids).exclude(customer_note="")
        .values_list("pk", "customer_note")
    }
