"""Digital cards: every logged-in customer can get one, as a phone-wallet-sized card
(ID-1) in SVG, PNG or PDF with shop name, QR code, formatted number, holder and expiry
(``card_image``).

A digital card is an ordinary ``Card`` (kind ``digital``) issued active and linked to
the customer; value stays on the customer as for every card. The files hold the full
code, so they are served only through a signed link checked against the card's owner
(``downloads.card_url_for``).
"""
from datetime import timedelta
from typing import Optional

import segno
from django.db import transaction
from django.utils import timezone

from ..ledger import accounts
from ..models import Card, CardKind, CardState, Customer
from . import codes

# How long a new digital card is valid (module setting so a host or a test can tune it).
VALIDITY_DAYS = 3 * 365


def current(customer: Customer) -> Optional[Card]:
    """The customer's newest digital card that is not replaced, if any."""
    return (
        Card.objects.filter(customer=customer, kind=CardKind.DIGITAL)
        .exclude(state=CardState.REPLACED)
        .order_by("-created_at", "-pk")
        .first()
    )


def _needs_new(card: Optional[Card], today) -> bool:
    if card is None:
        return True
    if card.state == CardState.EXPIRED:
        return True
    return bool(card.expires_at and card.expires_at < today)


def issue(customer: Customer) -> Card:
    return Card.objects.create(
        code=codes.generate(),
        kind=CardKind.DIGITAL,
        state=CardState.ACTIVE,
        customer=customer,
        expires_at=timezone.localdate() + timedelta(days=VALIDITY_DAYS),
        registered_at=timezone.now(),
    )


def for_customer(customer: Customer) -> Card:
    """The customer's digital card, issued on first request (and again once the last
    one expired). A card staff blocked is returned as it is: staff replace it."""
    with transaction.atomic():
        # Serialise concurrent first requests of the same customer.
        Customer.objects.select_for_update().filter(pk=customer.pk).first()
        card = current(customer)
        today = timezone.localdate()
        if not _needs_new(card, today):
            return card
        if card is not None and card.state == CardState.ACTIVE:
            card.state = CardState.EXPIRED
            card.save(update_fields=["state"])
        return issue(customer)


def for_user(user) -> Card:
    return for_customer(accounts.customer_for_user(user))


# --- files ---------------------------------------------------------------------------


def qr(card: Card):
    return segno.make(codes.qr_payload(card.code), error="m", micro=False)


def holder_name(card: Card) -> str:
    user = card.customer.user if card.customer_id else None
    if user is None:
        return ""
    name = f"{user.first_name or ''} {user.last_name or ''}".strip()
    return name or user.email


CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def render(card: Card, fmt: str, shop_name: str = "") -> bytes:
    """A phone-wallet-sized card (see ``card_image``) in ``fmt``."""
    from . import card_image

    from django.utils import formats

    # In the active language (the download link carries the requester's).
    expiry = formats.date_format(card.expires_at, "SHORT_DATE_FORMAT") if card.expires_at else "–"
    args = (qr(card), codes.formatted(card.code), holder_name(card), shop_name, expiry)
    return {"svg": card_image.svg, "png": card_image.png}.get(fmt, card_image.pdf)(*args)


def filename(card: Card, fmt: str) -> str:
    return f"card-{card.code[-4:]}.{fmt}"
