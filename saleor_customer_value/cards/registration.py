"""A shopper links a card to their customer by entering its code.

What a caller learns:
- a malformed code or a wrong check character is reported as such (``CARD_CODE_TYPO``):
  anybody can compute check characters, so it reveals nothing about which cards exist;
- an unknown code, a card owned by somebody else, and a blocked, replaced or expired
  card all get the same ``INVALID_CARD_CODE`` with the same message;
- such failures are counted per user (with backoff) and per client address
  (``security.ratelimit``, counters in the database so all workers share them); past
  the limit an attempt is refused with ``TOO_MANY_ATTEMPTS`` and a retry-after, before
  any lookup. The address limit never stops a user who has not failed.

A card sold at a till before anybody owned it points at an anonymous ``Customer`` that
may hold wallet money and points; registration moves them to the shopper's customer
with ledger transfers (reason ``CARD_MERGE``) in the caller's DB transaction.
"""
from django.db import transaction
from django.utils import timezone

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.reasons import Reason
from ..models import AccountKind, Card, CardState
from ..security import ratelimit
from . import codes
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


INVALID_MESSAGE = gettext_lazy("This code cannot be registered. Check the code on your card.")


# --- rate limiting -------------------------------------------------------------------


def limiters(user, ip) -> ratelimit.Guard:
    """Failed attempts of this user (and, once they have failed, of this address)."""
    return ratelimit.Guard.for_user("card-register", user, ip)


def _check_not_limited(guard):
    if guard is None:
        return
    try:
        guard.check()
    except ratelimit.Limited as exc:
        raise TooManyAttempts(exc.message, retry_after=exc.retry_after)


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
    guard = limiters(user, ip)
    _check_not_limited(guard)
    try:
        code = codes.parse(raw_code)
    except codes.CheckDigitMismatch as exc:
        raise CodeTypo(str(exc))
    except codes.MalformedCode:
        raise CodeTypo(_("This is not a card code: it has 16 characters (letters and digits)."))
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
        guard.fail()
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
