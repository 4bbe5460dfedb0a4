"""A shopper links a card to their customer by entering its code.

What a caller learns:
- a malformed code or a wrong check character is reported as such (``CARD_CODE_TYPO``):
  anybody can compute check characters, so it reveals nothing about which cards exist;
- an unknown code, a card owned by somebody else, and a blocked, replaced or expired
  card all get the same ``INVALID_CARD_CODE`` with the same message;
- such failures are counted per user and per IP address (Django's cache); past the
  limit every attempt is refused with ``TOO_MANY_ATTEMPTS`` and a retry-after, before
  any lookup.

A card sold at a till before anybody owned it points at an anonymous ``Customer`` that
may hold wallet money and points; registration moves them to the shopper's customer
with ledger transfers (reason ``CARD_MERGE``) in the caller's DB transaction.
"""
import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.reasons import Reason
from ..models import AccountKind, Card, CardState
from . import codes

# Failures allowed per window before attempts are refused (module settings so a host
# or a test can tune them).
USER_LIMIT = 5
IP_LIMIT = 20
WINDOW_SECONDS = 15 * 60


class RegistrationError(Exception):
    code = "invalid_card_code"

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class InvalidCode(RegistrationError):
    code = "invalid_card_code"


class CodeTypo(RegistrationError):
    code = "card_code_typo"


class TooManyAttempts(RegistrationError):
    code = "too_many_attempts"


INVALID_MESSAGE = "This code cannot be registered. Check the code on your card."


# --- rate limiting -------------------------------------------------------------------


@dataclass
class Limiter:
    key: str
    limit: int

    def _read(self):
        return cache.get(self.key) or {"count": 0, "until": 0}

    def retry_after(self):
        state = self._read()
        if state["count"] >= self.limit and state["until"] > time.time():
            return max(1, math.ceil(state["until"] - time.time()))
        return None

    def fail(self):
        now = time.time()
        state = self._read()
        if state["until"] <= now:
            state = {"count": 0, "until": now + WINDOW_SECONDS}
        state["count"] += 1
        cache.set(self.key, state, timeout=max(1, math.ceil(state["until"] - now)))


def limiters(user, ip):
    found = [Limiter(f"cv:card-register:user:{user.pk}", USER_LIMIT)]
    if ip:
        found.append(Limiter(f"cv:card-register:ip:{ip}", IP_LIMIT))
    return found


def _check_not_limited(limits):
    waits = [w for w in (limit.retry_after() for limit in limits) if w]
    if waits:
        wait = max(waits)
        raise TooManyAttempts(
            f"Too many failed attempts. Try again in {math.ceil(wait / 60)} minute(s) "
            f"(retry after {wait} seconds).",
            retry_after=wait,
        )


# --- registration --------------------------------------------------------------------


def _usable_for(card: Card, customer) -> bool:
    if card.state not in (CardState.GENERATED, CardState.ACTIVE):
        return False
    if card.expires_at and card.expires_at < timezone.localdate():
        return False
    if card.customer_id is None or card.customer_id == customer.pk:
        return True
    return card.customer.user_id is None  # sold anonymously: value waits for an owner


def register(user, raw_code: str, ip: str = "") -> Card:
    limits = limiters(user, ip)
    _check_not_limited(limits)
    try:
        code = codes.parse(raw_code)
    except codes.CheckDigitMismatch as exc:
        raise CodeTypo(str(exc))
    except codes.MalformedCode:
        raise CodeTypo("This is not a card code: it has 16 characters (letters and digits).")
    customer = accounts.customer_for_user(user)
    with transaction.atomic():
        card = (
            Card.objects.select_for_update(of=("self",))
            .select_related("customer")
            .filter(code=code)
            .first()
        )
        if card is None or not _usable_for(card, customer):
            failed = True
        else:
            failed = False
            if card.customer_id != customer.pk:
                previous = card.customer
                if previous is not None:
                    merge_balances(previous, customer, card, Actor.customer(user))
                card.customer = customer
                card.state = CardState.ACTIVE
                card.registered_at = timezone.now()
                card.save(update_fields=["customer", "state", "registered_at"])
    if failed:
        for limit in limits:
            limit.fail()
        raise InvalidCode(INVALID_MESSAGE)
    return card


def merge_balances(source, destination, card: Card, actor: Actor, action: str = "registered"):
    """Move every balance of ``source`` to ``destination`` (reason CARD_MERGE). Points
    move lot by lot with their expiry, so none lives longer or shorter than before."""
    from ..loyalty import lots

    refs = service.References(card_id=card.pk)
    for account in source.accounts.filter(kind=AccountKind.WALLET).order_by("pk"):
        account.refresh_from_db()
        amount = account.posted - account.held
        if amount > 0:
            service.transfer(
                account,
                accounts.wallet_account(destination, account.unit),
                amount,
                service.Posting(
                    reason=Reason.CARD_MERGE,
                    actor=actor,
                    note=f"Card ••••{card.code[-4:]} {action}: balance merged.",
                    refs=refs,
                    metadata={"from_customer": source.pk},
                ),
            )
    points = source.accounts.filter(kind=AccountKind.POINTS).first()
    if points is None:
        return
    points = lots.prepare(points)
    if points.posted <= 0:
        return
    target = accounts.points_account(destination)
    groups = {}
    for lot in lots.lots_of(points, ["active"]):
        if lot.remaining > 0:
            groups[lot.expires_at] = groups.get(lot.expires_at, 0) + lot.remaining
    # Soonest expiry first: the debit side takes soonest-expiring lots first too.
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or 0))
    for expires_at, amount in ordered:
        service.transfer(
            points,
            target,
            amount,
            service.Posting(
                reason=Reason.CARD_MERGE,
                actor=actor,
                note=f"Card ••••{card.code[-4:]} {action}: points merged.",
                refs=refs,
                metadata={"from_customer": source.pk, "expires_at": lots.iso(expires_at)},
            ),
        )
    lots.sync(points)
    lots.sync(target)
