"""Staff customer search: one box for e-mail, name, card code, QR payload or chip UID.

A scanner types the QR payload (``CV1:<code>``) followed by Enter, so the same text box
takes codes and names. A card input is answered with exactly its owner (one unique-index
lookup); free text searches e-mail and names of Saleor users and is capped.
"""
from dataclasses import dataclass
from typing import List, Optional

from django.db.models import Q
from saleor.account.models import User

from ..cards import codes
from ..models import Card

MAX_RESULTS = 20
MIN_TEXT_LENGTH = 2


@dataclass
class Match:
    user: Optional[User]
    matched_by: str  # "card", "chip", "email", "name"
    card: Optional[Card] = None


def _by_card(text: str) -> Optional[Match]:
    code = codes.try_parse(text)
    if code is not None:
        card = Card.objects.select_related("customer__user").filter(code=code).first()
        return Match(_owner(card), "card", card) if card else None
    try:
        uid = codes.normalise_chip_uid(text)
    except codes.MalformedCode:
        return None
    card = Card.objects.select_related("customer__user").filter(chip_uid=uid).first()
    return Match(_owner(card), "chip", card) if card else None


def _owner(card: Card) -> Optional[User]:
    return card.customer.user if card.customer_id and card.customer.user_id else None


def search(text: str) -> List[Match]:
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return []
    card_match = _by_card(text)
    if card_match is not None:
        return [card_match]
    if len(text) < MIN_TEXT_LENGTH:
        return []
    if "@" in text:
        users = User.objects.filter(email__icontains=text)
        how = "email"
    else:
        query = Q(email__icontains=text)
        for word in text.split()[:3]:
            query |= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        users = User.objects.filter(query)
        how = "name"
    users = users.filter(is_active=True).order_by("email")[:MAX_RESULTS]
    return [Match(user, how) for user in users]


