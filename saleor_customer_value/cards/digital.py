"""Digital cards: every logged-in customer can get one, as a QR image (SVG, PNG) or a
one-page PDF card (ID-1 size) with name, readable code, QR code and expiry.

A digital card is an ordinary ``Card`` (kind ``digital``) issued active and linked to
the customer; value stays on the customer as for every card. The files hold the full
code, so they are served only through a signed link checked against the card's owner
(``downloads.card_url_for``).
"""
import io
from datetime import timedelta
from typing import Optional

import segno
from django.db import transaction
from django.utils import timezone

from ..ledger import accounts
from ..models import Card, CardKind, CardState, Customer
from . import codes, exports

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


def qr_svg(card: Card, scale: int = 8) -> bytes:
    out = io.BytesIO()
    qr(card).save(out, kind="svg", scale=scale, border=4, xmldecl=True)
    return out.getvalue()


def qr_png(card: Card, scale: int = 10) -> bytes:
    out = io.BytesIO()
    qr(card).save(out, kind="png", scale=scale, border=4)  # segno writes PNG itself
    return out.getvalue()


def holder_name(card: Card) -> str:
    user = card.customer.user if card.customer_id else None
    if user is None:
        return ""
    name = f"{user.first_name or ''} {user.last_name or ''}".strip()
    return name or user.email


def pdf(card: Card, shop_name: str = "") -> bytes:
    """One ID-1 page: shop name, holder name, QR code, readable code, expiry."""
    width, height, mm = exports.CARD_W, exports.CARD_H, exports.MM
    size = exports.QR_SIZE
    pad = (height - size) / 2
    tx = pad + size + 3 * mm
    code = codes.formatted(card.code)
    expiry = card.expires_at.isoformat() if card.expires_at else "-"
    ops = ["0.6 G 0.3 w", f"0.5 0.5 {width - 1:.2f} {height - 1:.2f} re S", "0 g"]
    ops += exports._qr_ops(codes.qr_payload(card.code), pad, pad, size)
    ops += [
        "BT",
        f"/F1 8 Tf {tx:.2f} {height - 8 * mm:.2f} Td ({exports._text(shop_name[:30])}) Tj",
        "ET",
        "BT",
        f"/F1 9 Tf {tx:.2f} {height - 14 * mm:.2f} Td ({exports._text(holder_name(card)[:28])}) Tj",
        "ET",
        "BT",
        f"/F2 10 Tf {tx:.2f} {height / 2 - 1 * mm:.2f} Td ({code[:9]}) Tj",
        "0 -12 Td",
        f"({code[10:]}) Tj",
        "ET",
        "BT",
        f"/F1 7 Tf {tx:.2f} {8 * mm:.2f} Td (Valid until {expiry}) Tj",
        "ET",
    ]
    return exports.pdf_document(["\n".join(ops).encode("latin-1")], width, height)


CONTENT_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def render(card: Card, fmt: str, shop_name: str = "") -> bytes:
    if fmt == "svg":
        return qr_svg(card)
    if fmt == "png":
        return qr_png(card)
    return pdf(card, shop_name)


def filename(card: Card, fmt: str) -> str:
    return f"card-{card.code[-4:]}.{fmt}"
