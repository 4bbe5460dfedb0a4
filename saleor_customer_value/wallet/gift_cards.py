"""Gift vouchers: sold as order lines, issued as Saleor gift cards, redeemable into the
wallet.

Issuing (``issue_for_paid_order``): every unit of an order line whose product type is
marked ``gift_voucher`` becomes one Saleor ``GiftCard`` worth the unit's paid price, so
it works everywhere Saleor takes gift cards (``checkoutAddPromoCode``) and can also be
moved into a wallet. The sale is booked FUNDING -> GIFT_VOUCHERS, so the outstanding
liability shows in the ledger's system balances (reason GIFT_VOUCHER_SALE,
``metadata.event = "issued"``; a redemption into a wallet is GIFT_CARD_REDEMPTION with
``"redeemed"``). Each unit is idempotent: a second call issues
nothing. The codes are e-mailed once, after commit, to the recipient stored on the
checkout (``set_recipient``, copied by Saleor to the order) or else to the buyer.

Codes: 16 characters (Saleor's ``GiftCard.code`` limit) from 31 symbols without
look-alikes (no 0/O, 1/I/L), drawn with ``secrets``: 79 random bits.

Redeeming (``redeem``): the card row is locked, checked (active, balance, dates,
currency), its whole balance moved GIFT_VOUCHERS -> wallet, and the card emptied,
deactivated and stamped, all in the caller's DB transaction.
"""
import logging
import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import List, Optional

from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from saleor.core.emails import get_email_context
from saleor.giftcard.models import GiftCard

from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import validate_currency
from ..ledger.errors import (
    CurrencyMismatch,
    IdempotencyConflict,
    InvalidReference,
    LedgerError,
)
from ..ledger.reasons import Reason, SystemAccountCode
from ..security import ratelimit
from .paid_values import GIFT_VOUCHER, booked, order_key
from ..models import CustomerPreference
from ..notifications.language import normalize, shop_language, user_language

logger = logging.getLogger(__name__)

ACTOR = Actor.system("order-paid:gift-voucher")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16
ISSUE_REASON = Reason.GIFT_VOUCHER_SALE

RECIPIENT_EMAIL_KEY = "customer_value.gift_voucher.email"
RECIPIENT_MESSAGE_KEY = "customer_value.gift_voucher.message"
MESSAGE_MAX_LENGTH = 500


class GiftCardNotFound(LedgerError):
    """Unknown, used up, deactivated, expired or not yet valid: one answer for all, so
    the mutation does not reveal which codes exist."""

    code = "INVALID_GIFT_CARD_CODE"
    field = "code"


class TooManyAttempts(LedgerError):
    code = "TOO_MANY_ATTEMPTS"
    field = "code"


NOT_USABLE_MESSAGE = _(
    "This code cannot be redeemed: it is unknown, used up, expired or not valid yet."
)


class GiftCardUsed(LedgerError):
    code = "GIFT_CARD_USED"
    field = "code"


class GiftCardExpired(LedgerError):
    code = "GIFT_CARD_EXPIRED"
    field = "code"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# --- the recipient, stored on the checkout ------------------------------------------


def set_recipient(checkout, email: Optional[str], message: Optional[str]):
    """Store who receives the checkout's gift vouchers (``None``/blank: the buyer).

    Private metadata: customers cannot edit it through ``updatePrivateMetadata``, and
    Saleor copies it to the order when the checkout is completed.
    """
    email = (email or "").strip()
    message = (message or "").strip()
    if not email:
        if message:
            raise InvalidReference(gettext("A message needs a recipient e-mail."), field="email")
        checkout.delete_value_from_private_metadata(RECIPIENT_EMAIL_KEY)
        checkout.delete_value_from_private_metadata(RECIPIENT_MESSAGE_KEY)
    else:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidReference(gettext("%(email)s is not an e-mail address.") % {"email": repr(email)}, field="email")
        if len(message) > MESSAGE_MAX_LENGTH:
            raise InvalidReference(
                gettext("The message is at most %(MESSAGE_MAX_LENGTH)s characters.") % {"MESSAGE_MAX_LENGTH": MESSAGE_MAX_LENGTH},
                field="message",
            )
        checkout.store_value_in_private_metadata(
            {RECIPIENT_EMAIL_KEY: email, RECIPIENT_MESSAGE_KEY: message}
        )
    checkout.save(update_fields=["private_metadata"])


# --- issuing for a paid order --------------------------------------------------------


class _AlreadyIssued(Exception):
    pass


def _create_card(amount: Decimal, currency: str) -> GiftCard:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return GiftCard.objects.create(
                    code=new_code(),
                    currency=currency,
                    initial_balance_amount=amount,
                    current_balance_amount=amount,
                )
        except IntegrityError:  # the one-in-2**80 code collision
            continue
    raise RuntimeError("could not find a free gift card code")


def _issue_unit(order, value, unit: int) -> Optional[GiftCard]:
    """Issue one unit of a gift voucher line, unless it was issued before."""
    line = value.line
    idem = order_key(order, f"gift-voucher:{line.pk}:{unit}")
    if booked(idem) is not None:
        return None
    amount = value.unit_paid
    currency = line.currency
    try:
        with transaction.atomic():
            card = _create_card(amount, currency)
            txn = service.transfer(
                accounts.system_account(SystemAccountCode.FUNDING, currency),
                accounts.system_account(SystemAccountCode.GIFT_VOUCHERS, currency),
                amount,
                service.Posting(
                    reason=ISSUE_REASON,
                    actor=ACTOR,
                    note=f"Gift voucher sold: gift card {card.display_code}",
                    refs=service.References(
                        order_id=order.pk, external_reference=f"gift-card:{card.pk}"
                    ),
                    metadata={
                        "event": "issued",
                        "gift_card_id": card.pk,
                        "order_line": line.pk,
                        "unit": unit,
                    },
                ),
                idem,
            )
            if getattr(txn, "replayed", False):
                raise _AlreadyIssued()  # rolls the new card back
    except (_AlreadyIssued, IdempotencyConflict):
        return None  # a concurrent call issued this unit
    return card


def issue_for_paid_order(order, values) -> List[GiftCard]:
    """Issue the gift cards of a fully paid order; e-mail the new ones after commit."""
    issued = []
    for value in values.of_kind(GIFT_VOUCHER):
        if value.unit_paid <= 0:
            continue
        for unit in range(value.line.quantity):
            card = _issue_unit(order, value, unit)
            if card is not None:
                issued.append(card)
    if issued:
        card_ids = [card.pk for card in issued]
        transaction.on_commit(lambda: _send_safely(order.pk, card_ids))
    return issued


def _send_safely(order_id, card_ids):
    # After commit the cards exist whatever happens to the mail: a failure must not
    # look like a failed order; staff find the cards (and the log) to resend.
    try:
        send_gift_voucher_email(order_id, card_ids)
    except Exception:  # noqa: BLE001
        logger.exception(
            "Order %s: gift voucher e-mail failed for gift cards %s", order_id, card_ids
        )


# --- the e-mail ----------------------------------------------------------------------


def recipient_of(order):
    """(e-mail, message, is_gift) for the order's gift vouchers."""
    email = (order.get_value_from_private_metadata(RECIPIENT_EMAIL_KEY) or "").strip()
    message = order.get_value_from_private_metadata(RECIPIENT_MESSAGE_KEY) or ""
    if email:
        return email, message, True
    return order.get_customer_email(), "", False


def send_gift_voucher_email(order_id, card_ids):
    """Render the plugin's templates and send the codes (one e-mail per order)."""
    from saleor.order.models import Order

    order = Order.objects.select_related("user").get(pk=order_id)
    cards = list(GiftCard.objects.filter(pk__in=card_ids).order_by("pk"))
    to, message, is_gift = recipient_of(order)
    if not to or not cards:
        logger.warning("Order %s: gift vouchers issued but no e-mail to send them to", order.pk)
        return
    send_kwargs, context = get_email_context()
    buyer = order.user
    context.update(
        {
            "cards": cards,
            "message": message,
            "is_gift": is_gift,
            "sender_name": (buyer.get_full_name() if buyer else "") or order.get_customer_email(),
            "order": order,
        }
    )
    base = "customer_value/email/gift_voucher"
    # The buyer's language (stored preference, else the order's); a gift goes out in
    # the language the buyer ordered in.
    language = (
        user_language(buyer)
        if buyer is not None and not is_gift and CustomerPreference.objects.filter(customer__user=buyer).exclude(language="").exists()
        else (normalize(order.language_code) or shop_language())
    )
    with translation.override(language):
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        email = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{base}.txt", context),
            from_email=send_kwargs["from_email"],
            to=[to],
        )
        email.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    email.send()
    # Never log a full code.
    logger.info(
        "Order %s: e-mailed %s gift card(s) %s",
        order.pk,
        len(cards),
        ", ".join(card.display_code for card in cards),
    )


# --- redeeming into the wallet -------------------------------------------------------


@dataclass(frozen=True)
class Redemption:
    card: GiftCard
    transaction: object  # LedgerTransaction
    wallet: object  # Account
    replayed: bool


def _find_locked(code: str) -> Optional[GiftCard]:
    code = (code or "").strip()
    if not code:
        return None
    queryset = GiftCard.objects.select_for_update()
    return (
        queryset.filter(code=code).first() or queryset.filter(code=code.upper()).first()
    )


def _replay(idem, card) -> Optional[Redemption]:
    """The earlier redemption under ``idem``, if the key was used before."""
    if idem is None:
        return None
    txn = booked(idem)
    if txn is None:
        return None
    if txn.reason != Reason.GIFT_CARD_REDEMPTION or txn.metadata.get("gift_card_id") != card.pk:
        raise IdempotencyConflict(
            gettext("This idempotency key was already used for a different request; send a new key for a new request.")
        )
    wallet = txn.entries.get(account__kind="wallet").account
    return Redemption(card, txn, wallet, replayed=True)


def guard_for(user, ip: str = "") -> ratelimit.Guard:
    """Failed redemptions per account (with backoff) and per client address."""
    return ratelimit.Guard.for_user("gift-card", user, ip)


def redeem(user, code: str, idem=None, guard: Optional[ratelimit.Guard] = None) -> Redemption:
    """Move a gift card's whole balance into ``user``'s wallet in its currency.
    With a ``guard``, a failure counts against it and a limited caller is refused
    before any lookup."""
    if guard is not None:
        try:
            guard.check()
        except ratelimit.Limited as exc:
            raise TooManyAttempts(exc.message)
    try:
        return _redeem(user, code, idem)
    except GiftCardNotFound:
        if guard is not None:
            guard.fail()
        raise


def _usable(card: GiftCard, today) -> bool:
    if not card.is_active or card.current_balance_amount <= 0:
        return False
    if card.end_date is not None and card.end_date < today:
        return False
    return not (card.start_date and card.start_date > today)


def _redeem(user, code: str, idem=None) -> Redemption:
    card = _find_locked(code)
    if card is None:
        raise GiftCardNotFound(str(NOT_USABLE_MESSAGE))
    replay = _replay(idem, card)
    if replay is not None:
        return replay
    if not _usable(card, timezone.localdate()):
        raise GiftCardNotFound(str(NOT_USABLE_MESSAGE))
    try:
        currency = validate_currency(card.currency)
    except CurrencyMismatch as exc:
        raise CurrencyMismatch(
            gettext("This gift card is in %(currency)s, which wallets do not hold. %(message)s") % {"currency": card.currency, "message": exc.message},
            field="code",
        )
    amount = card.current_balance_amount
    wallet = accounts.wallet_account(accounts.customer_for_user(user), currency)
    txn = service.transfer(
        accounts.system_account(SystemAccountCode.GIFT_VOUCHERS, currency),
        wallet,
        amount,
        service.Posting(
            reason=Reason.GIFT_CARD_REDEMPTION,
            actor=Actor.customer(user),
            customer_note=f"Gift card {card.display_code}",
            refs=service.References(external_reference=f"gift-card:{card.pk}"),
            metadata={"event": "redeemed", "gift_card_id": card.pk},
        ),
        idem,
    )
    card.current_balance_amount = Decimal(0)
    card.is_active = False
    card.last_used_on = timezone.now()
    card.user = user
    card.save(
        update_fields=["current_balance_amount", "is_active", "last_used_on", "user"]
    )
    wallet.refresh_from_db()
    return Redemption(card, txn, wallet, replayed=False)
