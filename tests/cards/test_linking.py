"""cardLink: a chip card into a digital wallet and a digital wallet into a chip card,
balances and points merging either way into one customer."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_customer_value.security import ratelimit
from saleor_customer_value.cards import codes, registration
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import (
    Account,
    AccountKind,
    Card,
    CardKind,
    CardState,
    Customer,
    LedgerTransaction,
    PointsLot,
)

from ..conftest import ApiClient, global_id, grant
from .conftest import make_card

LINK = """
mutation($code: String, $chipUid: String, $direction: CardLinkDirectionEnum, $customerId: ID) {
  cardLink(code: $code, chipUid: $chipUid, direction: $direction, customerId: $customerId) {
    card { id kind state maskedCode code }
    cards { id kind code }
    customerValueErrors { field code message }
  }
}
"""


def link(client, **variables):
    return client.execute(LINK, variables)["cardLink"]


def errors(data):
    return [(e["field"], e["code"], e["message"]) for e in data["customerValueErrors"]]


def fund(customer, money, points, days=30):
    wallet = accounts.wallet_account(customer, "EUR")
    if money:
        service.transfer(
            accounts.system_account(SystemAccountCode.FUNDING, "EUR"), wallet, Decimal(money),
            service.Posting(reason=Reason.TOPUP, actor=Actor.system("till")),
        )
    expiry = timezone.now() + timedelta(days=days)
    if points:
        lots.credit(
            accounts.points_account(customer), points,
            service.Posting(
                reason=Reason.POINTS_ADJUSTMENT, actor=Actor.system("till"),
                metadata={"expires_at": lots.iso(expiry)},
            ),
        )
    return expiry


def balances(customer):
    wallet = Account.objects.filter(customer=customer, kind=AccountKind.WALLET, unit="EUR").first()
    points = Account.objects.filter(customer=customer, kind=AccountKind.POINTS).first()
    return (wallet.posted if wallet else 0, points.posted if points else 0)


def lot_expiries(customer):
    return sorted(
        (lot.remaining, lot.expires_at)
        for lot in PointsLot.objects.filter(account__customer=customer, status="active", remaining__gt=0)
    )


@pytest.fixture
def wallet_customer(customer_api, customer_user):
    """Erika with a digital card, 10 EUR and 40 points (expiring in 90 days)."""
    customer_api.execute("{ myDigitalCard { id } }")
    customer = Customer.objects.get(user=customer_user)
    expiry = fund(customer, "10", 40, days=90)
    return customer, expiry


@pytest.fixture
def chip_card(anonymous_customer):
    """A chip card sold at a till: 25 EUR and 100 points (expiring in 30 days)."""
    card = make_card(
        customer=anonymous_customer, state=CardState.ACTIVE, kind=CardKind.CHIP,
        chip_uid="04A2B3C4D5E680",
    )
    spare = make_card(customer=anonymous_customer, state=CardState.ACTIVE)
    expiry = fund(anonymous_customer, "25", 100, days=30)
    return card, spare, expiry


def test_a_chip_card_merges_into_the_shoppers_digital_wallet(
    customer_api, customer_user, wallet_customer, chip_card, anonymous_customer
):
    customer, wallet_expiry = wallet_customer
    card, spare, chip_expiry = chip_card

    data = link(customer_api, code=codes.formatted(card.code))

    assert data["customerValueErrors"] == []
    assert data["card"]["code"] == codes.formatted(card.code)
    assert {c["kind"] for c in data["cards"]} == {"CHIP", "QR", "DIGITAL"}
    assert balances(customer) == (Decimal("35"), 140)
    assert balances(anonymous_customer) == (0, 0)
    assert lot_expiries(customer) == [(40, wallet_expiry), (100, chip_expiry)]
    # Every card of the emptied customer now points at the survivor.
    assert set(Card.objects.filter(customer=customer).values_list("pk", flat=True)) >= {card.pk, spare.pk}
    assert not Card.objects.filter(customer=anonymous_customer).exists()
    merges = LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE)
    assert merges.count() == 2 and {t.card_id for t in merges} == {card.pk}
    assert Customer.objects.get(user=customer_user) == customer
    for account in Account.objects.filter(kind=AccountKind.POINTS):
        gap = lots.invariant_gap(account)
        assert gap["posted"] == gap["lots"] - gap["debt"]


def test_the_wallet_merges_into_the_chip_card_the_other_way(
    customer_api, customer_user, wallet_customer, chip_card, anonymous_customer
):
    customer, wallet_expiry = wallet_customer
    card, spare, chip_expiry = chip_card
    digital_card = Card.objects.get(customer=customer, kind=CardKind.DIGITAL)

    data = link(customer_api, chipUid="04:a2:b3:c4:d5:e6:80", direction="WALLET_TO_CARD")

    assert data["customerValueErrors"] == []
    survivor = Customer.objects.get(user=customer_user)
    assert survivor == anonymous_customer and survivor.email == customer_user.email
    customer.refresh_from_db()
    assert customer.user is None
    assert balances(survivor) == (Decimal("35"), 140)
    assert balances(customer) == (0, 0)
    assert lot_expiries(survivor) == [(40, wallet_expiry), (100, chip_expiry)]
    assert set(survivor.cards.values_list("pk", flat=True)) == {card.pk, spare.pk, digital_card.pk}
    # The shopper still sees one digital card and all value.
    mine = customer_api.execute("{ myDigitalCard { id } myCards { id } }")
    assert mine["myDigitalCard"]["id"] == global_id("Card", digital_card.pk)
    assert len(mine["myCards"]) == 3


def test_staff_link_a_card_for_a_customer(
    staff_api, staff_user, customer_user, wallet_customer, chip_card, anonymous_customer
):
    customer, _ = wallet_customer
    card, _spare, _ = chip_card
    variables = {"chipUid": card.chip_uid, "customerId": global_id("User", customer_user.pk)}

    assert errors(link(staff_api, **variables))[0][1] == "PERMISSION_DENIED"
    grant(staff_user, "manage_cards")
    data = link(staff_api, **variables)

    assert data["customerValueErrors"] == []
    assert data["card"]["code"] is None and data["card"]["maskedCode"].endswith(card.code[-4:])
    assert balances(customer) == (Decimal("35"), 140)
    merge = LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE).first()
    assert merge.actor_type == "staff" and merge.actor_user == staff_user


def test_a_card_of_another_registered_customer_cannot_be_taken(
    customer_api, other_customer, wallet_customer
):
    theirs = make_card()
    theirs = registration.register(other_customer, theirs.code)
    chip = make_card(kind=CardKind.CHIP, chip_uid="04AABB", state=CardState.ACTIVE,
                     customer=accounts.customer_for_user(other_customer))
    fund(theirs.customer, "5", 0)
    blocked = make_card(state=CardState.BLOCKED)
    expired = make_card(expires_at=date.today() - timedelta(days=1))

    seen = {
        errors(link(customer_api, code=theirs.code))[0],
        errors(link(customer_api, chipUid="04:aa:bb", direction="WALLET_TO_CARD"))[0][1:],
        errors(link(customer_api, code=blocked.code))[0],
        errors(link(customer_api, code=expired.code))[0],
        errors(link(customer_api, code=codes.generate()))[0],
    }

    message = registration.INVALID_MESSAGE
    assert seen == {("code", "INVALID_CARD_CODE", message), ("INVALID_CARD_CODE", message)}
    assert Card.objects.get(pk=theirs.pk).customer.user == other_customer
    assert Card.objects.get(pk=chip.pk).customer.user == other_customer
    assert balances(theirs.customer) == (Decimal("5"), 0)
    assert not LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE).exists()


def test_failures_are_rate_limited_like_registration(customer_api, chip_card):
    card = chip_card[0]
    for _ in range(ratelimit.rule("card-register:user").limit):
        link(customer_api, chipUid="0011223344")
    assert errors(link(customer_api, chipUid=card.chip_uid))[0][:2] == ("chipUid", "TOO_MANY_ATTEMPTS")


def test_bad_input(customer_api, api_client, chip_card):
    card = chip_card[0]
    typo = card.code[:5] + ("A" if card.code[5] != "A" else "B") + card.code[6:]
    assert errors(link(customer_api, code=typo))[0][:2] == ("code", "CARD_CODE_TYPO")
    assert errors(link(customer_api, chipUid="zz"))[0][:2] == ("chipUid", "CARD_CODE_TYPO")
    assert errors(link(customer_api))[0][:2] == ("code", "REQUIRED")
    assert errors(link(customer_api, code=card.code, chipUid=card.chip_uid))[0][:2] == ("code", "REQUIRED")
    assert errors(link(api_client, code=card.code))[0][1] == "PERMISSION_DENIED"


def test_linking_twice_is_harmless(customer_api, wallet_customer, chip_card):
    customer, _ = wallet_customer
    card = chip_card[0]
    link(customer_api, code=card.code)
    again = link(customer_api, code=card.code, direction="WALLET_TO_CARD")
    assert again["customerValueErrors"] == []
    assert balances(customer) == (Decimal("35"), 140)
    assert LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE).count() == 2


def test_an_unowned_card_is_just_linked(customer_api, wallet_customer):
    customer, _ = wallet_customer
    card = make_card(kind=CardKind.CHIP, chip_uid="04FFEE")
    data = link(customer_api, chipUid="04 ff ee")
    assert data["card"]["state"] == "ACTIVE"
    assert Card.objects.get(pk=card.pk).customer == customer


def test_a_failed_merge_changes_nothing(customer_api, wallet_customer, chip_card, anonymous_customer, monkeypatch):
    customer, _ = wallet_customer
    card = chip_card[0]

    def boom(*_args, **_kwargs):
        raise RuntimeError("crash after the wallet moved")

    monkeypatch.setattr(lots, "prepare", boom)
    content = customer_api.post(LINK, {"code": card.code, "direction": "WALLET_TO_CARD"})
    assert content["errors"] and content["data"]["cardLink"] is None

    assert balances(anonymous_customer) == (Decimal("25"), 100)
    assert balances(customer) == (Decimal("10"), 40)
    assert Customer.objects.get(pk=customer.pk).user is not None
    assert Card.objects.filter(customer=anonymous_customer).count() == 2
    assert not LedgerTransaction.objects.filter(reason=Reason.CARD_MERGE).exists()
