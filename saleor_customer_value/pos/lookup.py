"""Identifying the customer at a till: by card (code, QR payload, chip UID: one
indexed lookup each) or by e-mail / name (a few matches, masked codes only)."""
from dataclasses import dataclass
from functools import cached_property
from typing import List, Optional

from django.db.models import Q
from django.utils import timezone

from ..cards import codes
from ..cards import lookup as card_lookup
from ..ledger.errors import LedgerError
from ..loyalty import queries as points_queries
from ..models import Account, AccountKind, Card, CardState, Customer
from django.utils.translation import gettext as _

from ..models.cards import state_label

MAX_MATCHES = 5
MIN_NAME_LENGTH = 3


class InvalidCardCode(LedgerError):
    code = "INVALID_CARD_CODE"
    field = "code"


class CardCodeTypo(LedgerError):
    code = "CARD_CODE_TYPO"
    field = "code"


class CardNotUsable(LedgerError):
    code = "CARD_NOT_USABLE"
    field = "code"


class CustomerNotFound(LedgerError):
    code = "NOT_FOUND"
    field = "customer"


class InvalidIdentifier(LedgerError):
    code = "INVALID"
    field = "customer"


@dataclass
class Identified:
    customer: Optional[Customer]
    card: Optional[Card] = None


class CustomerView:
    """What a till may see of a customer. Every part is read when first asked for, so
    a response builds only what the till's query selects (a lookup that shows points
    reads no wallets, no card list and no expiry dates)."""

    def __init__(self, customer: Customer, card: Optional[Card] = None):
        self.customer = customer
        self.card = card

    @cached_property
    def user(self):
        return self.customer.user if self.customer.user_id else None

    @cached_property
    def cards(self) -> List[Card]:
        if self.card is not None:
            return [self.card]
        return list(self.customer.cards.filter(state=CardState.ACTIVE).order_by("-created_at", "-pk"))

    @cached_property
    def wallets(self) -> List[Account]:
        return list(
            Account.objects.filter(customer=self.customer, kind=AccountKind.WALLET).order_by("unit")
        )

    @cached_property
    def points(self) -> points_queries.PointsView:
        return points_queries.balance(self.customer)


def _card_by_code(raw: str, field_name: str) -> Card:
    try:
        code = codes.parse(raw)
    except codes.CheckDigitMismatch as exc:
        raise CardCodeTypo(str(exc), field=field_name)
    except codes.MalformedCode:
        raise InvalidCardCode(_("This is not a card code."), field=field_name)
    card = card_lookup.find(code)
    if card is None:
        raise InvalidCardCode(_("No card has this code."), field=field_name)
    return card


def _card_by_qr(raw: str) -> Card:
    text = (raw or "").strip()
    if not text.upper().startswith(codes.QR_PREFIX):
        raise InvalidCardCode(_("This is not a card's QR code."), field="qrPayload")
    return _card_by_code(text, "qrPayload")


def _card_by_chip(raw: str) -> Card:
    try:
        uid = codes.normalise_chip_uid(raw)
    except codes.MalformedCode as exc:
        raise InvalidCardCode(str(exc), field="chipUid")
    # Straight to the unique index: a chip UID is never read as a code here.
    card = card_lookup.find_by_chip(uid)
    if card is None:
        raise InvalidCardCode(_("No card has this chip."), field="chipUid")
    return card


def check_usable(card: Card, field_name: str, allow_unsold: bool = False):
    """Raise ``CardNotUsable`` for a blocked, replaced or expired card (and for one
    nobody owns yet, unless ``allow_unsold``: a top-up sells it)."""
    today = timezone.localdate()
    if card.state in (CardState.BLOCKED, CardState.REPLACED, CardState.EXPIRED) or (
        card.expires_at and card.expires_at < today
    ):
        state = "expired" if card.expires_at and card.expires_at < today else card.state
        raise CardNotUsable(_("This card is %(state)s; it cannot be used.") % {"state": state_label(state)}, field=field_name)
    if card.customer_id is None and not allow_unsold:
        raise CardNotUsable(
            _("This card has not been sold or registered yet; top it up to sell it."),
            field=field_name,
        )


def identify(data: dict, allow_unsold: bool = False) -> Identified:
    """Exactly one of ``code``, ``qr_payload``, ``chip_uid``, ``customer`` (a Saleor
    user, already resolved by the adapter)."""
    given = [k for k in ("code", "qr_payload", "chip_uid", "user") if data.get(k)]
    if len(given) != 1:
        raise InvalidIdentifier(
            _("Identify the customer by exactly one of code, qrPayload, chipUid or customerId.")
        )
    what = given[0]
    if what == "user":
        customer = Customer.objects.filter(user=data["user"]).first()
        if customer is None:
            customer = _customer_for_user(data["user"])
        return Identified(customer)
    field_name = {"code": "code", "qr_payload": "qrPayload", "chip_uid": "chipUid"}[what]
    if what == "code":
        card = _card_by_code(data["code"], field_name)
    elif what == "qr_payload":
        card = _card_by_qr(data["qr_payload"])
    else:
        card = _card_by_chip(data["chip_uid"])
    check_usable(card, field_name, allow_unsold=allow_unsold)
    return Identified(card.customer, card)


def _customer_for_user(user):
    from ..ledger import accounts

    return accounts.customer_for_user(user)


def search(email: str = None, name: str = None):
    """Saleor users by exact e-mail, or by name (at least 3 characters): at most
    ``MAX_MATCHES`` users. Never searches card codes."""
    from saleor.account.models import User

    if email:
        users = User.objects.filter(email__iexact=email.strip())
    else:
        name = (name or "").strip()
        if len(name) < MIN_NAME_LENGTH:
            raise InvalidIdentifier(
                _("Search by at least %(MIN_NAME_LENGTH)s characters of a name.") % {"MIN_NAME_LENGTH": MIN_NAME_LENGTH}, field="name"
            )
        query = Q()
        for part in name.split():
            query &= Q(first_name__icontains=part) | Q(last_name__icontains=part)
        users = User.objects.filter(query)
    return list(users.filter(is_active=True).order_by("pk")[:MAX_MATCHES])


def view(customer: Customer, card: Optional[Card] = None) -> CustomerView:
    return CustomerView(customer, card)
