"""Linking a card to a customer's wallet, merging two customers into one.

A chip (or printed) card sold at a till points at an anonymous ``Customer`` that may hold
money and points; a shopper's digital card points at their own customer. Linking makes
them one customer, in either direction (the source systems can only merge one way, so
which customer survives matters to them):

- ``CARD_TO_WALLET``: the shopper's customer survives; the card's customer is emptied
  into it;
- ``WALLET_TO_CARD``: the card's customer survives; the shopper's customer is emptied
  into it and the Saleor user moves over to it.

Either way balances move with ``card_merge`` ledger transfers and points keep their
expiry (``registration.merge_balances``), every card of the emptied customer is
re-pointed to the survivor, and it all happens in the caller's DB transaction.

A card owned by another registered customer cannot be taken: it gets the same
``INVALID_CARD_CODE`` as an unknown, blocked or expired card, and failures count
towards the same rate limits as ``cardRegister`` (for shoppers).
"""
from typing import Optional

from django.db import transaction
from django.utils import timezone

from ..ledger import accounts
from ..ledger.actors import Actor
from ..models import Card, CardState, Customer
from ..models.loyalty import LoyaltyActionRecord
from . import codes, registration
from .registration import INVALID_MESSAGE, CodeTypo, InvalidCode
from django.utils.translation import gettext as _

CARD_TO_WALLET = "card_to_wallet"
WALLET_TO_CARD = "wallet_to_card"


def _find_for_update(code: Optional[str], chip_uid: Optional[str]) -> Optional[Card]:
    qs = Card.objects.select_for_update(of=("self",)).select_related("customer")
    if code is not None:
        return qs.filter(code=code).first()
    return qs.filter(chip_uid=chip_uid).first()


def _parse(raw_code: Optional[str], raw_chip_uid: Optional[str]):
    if raw_code:
        try:
            return codes.parse(raw_code), None
        except codes.CheckDigitMismatch as exc:
            raise CodeTypo(str(exc))
        except codes.MalformedCode:
            raise CodeTypo(_("This is not a card code: it has 16 characters (letters and digits)."))
    try:
        return None, codes.normalise_chip_uid(raw_chip_uid or "")
    except codes.MalformedCode as exc:
        raise CodeTypo(str(exc))


def merge_customers(source: Customer, destination: Customer, card: Card, actor: Actor):
    """Empty ``source`` into ``destination``: balances and points (CARD_MERGE, points
    keep their expiry), cards, and loyalty actions already rewarded (so a once-only
    bonus is not paid twice). The ledger history stays with ``source``."""
    registration.merge_balances(source, destination, card, actor, action="linked")
    Card.objects.filter(customer=source).update(customer=destination)
    taken = set(destination.loyalty_actions.values_list("action", "dedupe_key"))
    movable = [
        record.pk
        for record in source.loyalty_actions.all()
        if (record.action, record.dedupe_key) not in taken
    ]
    LoyaltyActionRecord.objects.filter(pk__in=movable).update(customer=destination)


def link(
    user,
    raw_code: Optional[str] = None,
    raw_chip_uid: Optional[str] = None,
    direction: str = CARD_TO_WALLET,
    actor: Optional[Actor] = None,
    limits: Optional["registration.ratelimit.Guard"] = None,
) -> Card:
    """Link the card to ``user``'s customer (see the module docstring). ``limits``:
    rate limiters to check and count failures against (shoppers)."""
    registration._check_not_limited(limits)
    code, chip_uid = _parse(raw_code, raw_chip_uid)
    actor = actor or Actor.customer(user)
    customer = accounts.customer_for_user(user)
    with transaction.atomic():
        card = _find_for_update(code, chip_uid)
        failed = card is None or not registration._usable_for(card, customer)
        if not failed:
            _link(card, customer, user, direction, actor)
    if failed:
        if limits is not None:
            limits.fail()
        raise InvalidCode(INVALID_MESSAGE)
    return card


def _link(card: Card, customer: Customer, user, direction: str, actor: Actor):
    other = card.customer
    if other is not None and other.pk != customer.pk:
        # Lock both customers in a fixed order (no deadlock with a concurrent link).
        locked = {
            c.pk: c
            for c in Customer.objects.select_for_update()
            .filter(pk__in=[customer.pk, other.pk])
            .order_by("pk")
        }
        customer, other = locked[customer.pk], locked[other.pk]
        if other.user_id is not None:  # registered meanwhile
            raise InvalidCode(INVALID_MESSAGE)
        if direction == WALLET_TO_CARD:
            merge_customers(customer, other, card, actor)
            customer.user = None
            customer.save(update_fields=["user"])
            other.user = user
            other.email = user.email
            other.save(update_fields=["user", "email"])
            survivor = other
        else:
            merge_customers(other, customer, card, actor)
            survivor = customer
    else:
        survivor = customer
    card.customer = survivor
    if card.state == CardState.GENERATED:
        card.state = CardState.ACTIVE
    card.registered_at = card.registered_at or timezone.now()
    card.save(update_fields=["customer", "state", "registered_at"])
