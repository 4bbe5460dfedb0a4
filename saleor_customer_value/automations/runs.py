"""Automation runs: one action applied to every customer of a segment, in a Celery job
with progress, idempotent per run and customer, cancellable, with a summary.

1. ``create`` checks the action and stores the run with the segment's definition
   (``AutomationRun``, pending); ``schedule`` starts the job after commit.
2. ``execute`` (the job; safe to run again, also concurrently): under the run's row
   lock, the first call writes the members once (``AutomationRunMember``, from the
   segment's SQL) and marks the run running. Then, one DB transaction per member: lock
   the next pending member (``SKIP LOCKED``: two workers share the work), apply the
   action under the idempotency key ``automation:<run>:<customer>`` (scope
   ``system:automations``), mark the member and bump the run's counters. A booking and
   its member row commit together, so a restarted job never books a customer twice
   (the member is no longer pending), and even a member forced back to pending replays
   the first booking through the key instead of booking again.
3. ``cancel`` sets a flag the job reads before each member; a pending run is cancelled
   at once. Refusals for one customer (not enough points) fail that member only.
"""
import logging
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..error_codes import CustomerValueErrorCode as Code
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import to_amount, validate_currency
from ..ledger.errors import LedgerError
from ..ledger.idempotency import IdempotencyKey
from ..ledger.reasons import POINTS_UNIT, Reason
from ..models import AutomationRun, AutomationRunMember, Badge, Customer
from ..models.automations import AutomationAction as A, MemberStatus, RunStatus
from . import segments

logger = logging.getLogger(__name__)

SCOPE = "system:automations"
POINTS_REASONS = (Reason.POINTS_ADJUSTMENT, Reason.POINTS_ACTION)
STALLED_AFTER = timedelta(minutes=10)
MAX_POINTS = 100_000_000


def _error(field, message, code=Code.INVALID):
    return ValidationError({field: ValidationError(message, code=code.value)})


def key_for(run_id: int, customer_id: int) -> IdempotencyKey:
    return IdempotencyKey(scope=SCOPE, key=f"automation:{run_id}:{customer_id}")


def check_action(action, points=None, amount=None, currency="", badge=None, reason="", note=""):
    """The action's fields, checked and completed with defaults; raises ValidationError."""
    from ..wallet.bookings import CREDIT_REASONS

    fields = dict(action=action, points=None, amount=None, currency="", badge=None, reason="")
    if not (note or "").strip():
        raise _error("note", _("An internal note is required: say why the booking is made."), Code.REQUIRED)
    if action in (A.ADD_POINTS, A.SUBTRACT_POINTS, A.SET_POINTS):
        if points is None:
            raise _error("points", _("Say how many points."), Code.REQUIRED)
        try:
            value = int(to_amount(Decimal(points), POINTS_UNIT, field="points"))
        except LedgerError as exc:
            raise _error("points", exc.message, Code.INVALID_AMOUNT)
        if value > MAX_POINTS:
            raise _error("points", _("At most %(max)s points per customer.") % {"max": MAX_POINTS}, Code.INVALID_AMOUNT)
        if value <= 0 and action != A.SET_POINTS or value < 0:
            raise _error("points", _("The number of points must be above zero."), Code.INVALID_AMOUNT)
        reason = reason or Reason.POINTS_ADJUSTMENT
        if reason not in POINTS_REASONS:
            raise _error("reason", _("Use one of: %(reasons)s.") % {"reasons": ", ".join(POINTS_REASONS)})
        fields.update(points=value, reason=reason)
    elif action == A.CREDIT_WALLET:
        try:
            currency = validate_currency(currency or _default_currency())
            value = to_amount(amount, currency, field="amount")
        except LedgerError as exc:
            raise _error(exc.field or "amount", exc.message, Code.INVALID_AMOUNT)
        reason = reason or Reason.GOODWILL
        if reason not in CREDIT_REASONS or reason in (Reason.TOPUP, Reason.REFUND):
            allowed = [r for r in CREDIT_REASONS if r not in (Reason.TOPUP, Reason.REFUND)]
            raise _error("reason", _("Use one of: %(reasons)s.") % {"reasons": ", ".join(allowed)})
        fields.update(amount=value, currency=currency, reason=reason)
    elif action == A.GRANT_BADGE:
        if badge is None:
            raise _error("badge", _("Say which badge."), Code.REQUIRED)
        fields.update(badge=badge)
    else:
        raise _error("action", _("Unknown action."))
    return fields


def _default_currency():
    from django.conf import settings

    return settings.DEFAULT_CURRENCY


def create(definition, note, customer_note="", segment=None, user=None, app=None, **action) -> AutomationRun:
    definition = segments.parse(definition)
    fields = check_action(note=note, **action)
    return AutomationRun.objects.create(
        segment=segment,
        definition=definition,
        note=note.strip(),
        customer_note=customer_note or "",
        created_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
        created_by_app=app,
        **fields,
    )


def schedule(run: AutomationRun):
    from .tasks import run_automation_task

    transaction.on_commit(lambda: run_automation_task.delay(run.pk))


def cancel(run: AutomationRun) -> AutomationRun:
    with transaction.atomic():
        run = AutomationRun.objects.select_for_update().get(pk=run.pk)
        if run.status in RunStatus.FINISHED:
            return run
        run.cancel_requested = True
        fields = ["cancel_requested"]
        if run.status == RunStatus.PENDING:
            run.status, run.finished_at = RunStatus.CANCELLED, timezone.now()
            fields += ["status", "finished_at"]
        run.save(update_fields=fields)
    return run


# --- the job ---------------------------------------------------------------------------


def _snapshot(run: AutomationRun) -> int:
    """Write the members once: create missing plugin customers, then one row per
    customer of the segment (a single INSERT ... SELECT each)."""
    definition = dict(run.definition)
    if run.definition.get("birthday") and "year" not in definition and run.created_at:
        definition["year"] = timezone.localdate(run.created_at).year
    users_sql, params = segments.users(definition).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {Customer._meta.db_table} (user_id, email, created_at)
                SELECT u.id, u.email, now() FROM account_user u
                 WHERE u.id IN ({users_sql})
                   AND NOT EXISTS (SELECT 1 FROM {Customer._meta.db_table} c WHERE c.user_id = u.id)
                ON CONFLICT DO NOTHING""",
            params,
        )
        cursor.execute(
            f"""INSERT INTO {AutomationRunMember._meta.db_table} (run_id, customer_id, status, message)
                SELECT %s, c.id, 'pending', '' FROM {Customer._meta.db_table} c
                 WHERE c.user_id IN ({users_sql}) ORDER BY c.id
                ON CONFLICT DO NOTHING""",
            [run.pk, *params],
        )
        return cursor.rowcount


def _start(run_id: int):
    """Lock the run; make the members if it is new. Returns the run, or None when
    there is nothing (more) to do."""
    with transaction.atomic():
        run = AutomationRun.objects.select_for_update().get(pk=run_id)
        if run.status in RunStatus.FINISHED:
            return None
        if run.cancel_requested:
            _finish(run, RunStatus.CANCELLED)
            return None
        if run.status == RunStatus.PENDING:
            run.total = _snapshot(run)
            run.status = RunStatus.RUNNING
            run.started_at = run.heartbeat_at = timezone.now()
            run.save(update_fields=["total", "status", "started_at", "heartbeat_at"])
    return run


def _finish(run: AutomationRun, status: str, error=""):
    AutomationRun.objects.filter(pk=run.pk).exclude(status__in=RunStatus.FINISHED).update(
        status=status, finished_at=timezone.now(), error=error[:1000]
    )


def actor_of(run: AutomationRun) -> Actor:
    if run.created_by_app_id:
        return Actor.app_(run.created_by_app, label=f"automation {run.pk}")
    if run.created_by_id:
        return Actor.staff(run.created_by)
    label = f"automations:gift:{run.occurrence.gift_id}" if hasattr(run, "occurrence") else "automations"
    return Actor.system(label)


def execute(run_id: int, limit=None) -> AutomationRun:
    """Process the run's pending members (at most ``limit``; None = all)."""
    run = _start(run_id)
    if run is None:
        return AutomationRun.objects.get(pk=run_id)
    actor = actor_of(run)
    badge = Badge.objects.filter(pk=run.badge_id).first() if run.badge_id else None
    done = 0
    while limit is None or done < limit:
        if AutomationRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
            _finish(run, RunStatus.CANCELLED)
            break
        if not _process_next(run, actor, badge):
            if not AutomationRunMember.objects.filter(run=run, status=MemberStatus.PENDING).exists():
                _finish(run, RunStatus.DONE)
            break
        done += 1
    return AutomationRun.objects.get(pk=run.pk)


def _process_next(run, actor, badge) -> bool:
    with transaction.atomic():
        member = (
            AutomationRunMember.objects.select_for_update(skip_locked=True)
            .filter(run=run, status=MemberStatus.PENDING)
            .select_related("customer")
            .order_by("pk")
            .first()
        )
        if member is None:
            return False
        try:
            with transaction.atomic():
                status, txn, message = apply(run, member.customer, actor, badge)
        except (LedgerError, ValidationError) as exc:
            status, txn = MemberStatus.FAILED, None
            message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [str(exc)]))
        except Exception as exc:  # one customer's surprise must not stop the run
            logger.exception("automation %s failed for customer %s", run.pk, member.customer_id)
            status, txn, message = MemberStatus.FAILED, None, str(exc)
        member.status, member.transaction, member.message = status, txn, (message or "")[:255]
        member.save(update_fields=["status", "transaction", "message"])
        counter = {MemberStatus.BOOKED: "booked", MemberStatus.SKIPPED: "skipped"}.get(status, "failed")
        AutomationRun.objects.filter(pk=run.pk).update(
            processed=F("processed") + 1, **{counter: F(counter) + 1}, heartbeat_at=timezone.now()
        )
    return True


def apply(run: AutomationRun, customer: Customer, actor: Actor, badge=None):
    """Apply the run's action to one customer: (member status, transaction, message)."""
    from ..badges import evaluate
    from ..loyalty import lots
    from ..loyalty import program as programs
    from ..models.badges import CustomerBadgeStatus
    from ..wallet.bookings import CREDIT_REASONS

    idem = key_for(run.pk, customer.pk)
    posting = service.Posting(
        reason=run.reason,
        actor=actor,
        note=run.note,
        customer_note=run.customer_note,
        metadata={"automation_run": run.pk},
    )
    if run.action == A.GRANT_BADGE:
        held = customer.badges.filter(badge=badge, status__in=CustomerBadgeStatus.HELD).exists()
        if held:
            return MemberStatus.SKIPPED, None, _("Already holds the badge.")
        evaluate.grant(customer, badge, actor, run.note)
        return MemberStatus.BOOKED, None, ""
    if run.action == A.CREDIT_WALLET:
        wallet = accounts.wallet_account(customer, run.currency)
        system = accounts.system_account(CREDIT_REASONS[run.reason], run.currency)
        txn = service.transfer(system, wallet, run.amount, posting, idem)
        return MemberStatus.BOOKED, txn, ""
    account = accounts.points_account(customer)
    posting.metadata["expiry_days"] = programs.get_program().expiry_days
    change = run.points if run.action == A.ADD_POINTS else -run.points
    if run.action == A.SET_POINTS:
        if lots.already_used(idem):
            change = None  # replay: the first booking decides
        else:
            account = lots.prepare(account)
            change = run.points - int(account.posted)
            if change == 0:
                return MemberStatus.SKIPPED, None, _("Already at %(points)s points.") % {"points": run.points}
            posting.metadata["set_to"] = run.points
    if change is None:
        from ..models import IdempotencyRecord, LedgerTransaction

        record = IdempotencyRecord.objects.get(scope=idem.scope, key=idem.key)
        return MemberStatus.BOOKED, LedgerTransaction.objects.get(pk=record.transaction_id), _("Booked before.")
    if change > 0:
        return MemberStatus.BOOKED, lots.credit(account, change, posting, idem), ""
    if not lots.already_used(idem):
        lots.prepare(account)
    return MemberStatus.BOOKED, lots.debit(account, -change, posting, idem), ""


def resume_stalled(now=None) -> int:
    """Runs whose job stopped (a worker died): start the job again."""
    now = now or timezone.now()
    stalled = list(
        AutomationRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=now - STALLED_AFTER)
        .values_list("pk", flat=True)
    )
    from .tasks import run_automation_task

    for run_id in stalled:
        run_automation_task.delay(run_id)
    return len(stalled)
