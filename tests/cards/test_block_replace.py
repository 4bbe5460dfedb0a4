"""myCards, customerCards, cardBlock, cardReplace; codes never listed to others."""
from decimal import Decimal

from saleor_customer_value.cards import codes, registration
from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode
from saleor_customer_value.models import Card, CardKind, CardState, LedgerTransaction

from ..conftest import global_id, grant
from .conftest import make_card

CARD_FIELDS = "id state kind maskedCode code qrPayload hasChip blockedReason replacedBy { id }"
BLOCK = """
mutation($id: ID!, $reason: String!) {
  cardBlock(id: $id, reason: $reason) {
    card { %s }
    customerValueErrors { field code message }
  }
}
""" % CARD_FIELDS
REPLACE = """
mutation($id: ID!, $kind: CardKindEnum, $chipUid: String) {
  cardReplace(id: $id, kind: $kind, chipUid: $chipUid) {
    card { %s }
    replacedCard { %s }
    customerValueErrors { field code message }
  }
}
""" % (CARD_FIELDS, CARD_FIELDS)
CUSTOMER_CARDS = "query($id: ID!) { customerCards(customerId: $id) { %s } }" % CARD_FIELDS
MY_CARDS = "{ myCards { %s } }" % CARD_FIELDS
REGISTER = """
mutation($code: String!) { cardRegister(code: $code) { customerValueErrors { code } } }
"""


def registered(user, **extra):
    card = make_card(**extra)
    return registration.register(user, card.code)


def test_staff_see_a_customers_cards_masked_never_the_code(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_cards")
    card = registered(customer_user)

    cards = staff_api.execute(CUSTOMER_CARDS, {"id": global_id("User", customer_user.pk)})[
        "customerCards"]

    assert cards == [{
        "id": global_id("Card", card.pk), "state": "ACTIVE", "kind": "QR",
        "maskedCode": "••••-••••-••••-" + card.code[-4:], "code": None, "qrPayload": None,
        "hasChip": False, "blockedReason": None, "replacedBy": None,
    }]


def test_customer_cards_need_manage_cards(staff_api, customer_user):
    content = staff_api.post(CUSTOMER_CARDS, {"id": global_id("User", customer_user.pk)})
    assert content["errors"] and content["data"] is None


def test_my_cards_lists_only_the_callers_cards(customer_api, customer_user, other_customer):
    mine = registered(customer_user)
    registered(other_customer)
    cards = customer_api.execute(MY_CARDS)["myCards"]
    assert [c["code"] for c in cards] == [codes.formatted(mine.code)]


def test_staff_block_a_lost_card_and_replace_it_without_moving_value(
    staff_api, staff_user, customer_api, customer_user
):
    grant(staff_user, "manage_cards")
    old = registered(customer_user)
    wallet = accounts.wallet_account(old.customer, "EUR")
    service.transfer(
        accounts.system_account(SystemAccountCode.FUNDING, "EUR"), wallet, Decimal("12"),
        service.Posting(reason=Reason.TOPUP, actor=Actor.system("tests")),
    )
    ledger_rows = LedgerTransaction.objects.count()

    blocked = staff_api.execute(BLOCK, {"id": global_id("Card", old.pk), "reason": "lost"})[
        "cardBlock"]
    assert blocked["customerValueErrors"] == []
    assert blocked["card"]["state"] == "BLOCKED" and blocked["card"]["blockedReason"] == "lost"

    data = staff_api.execute(
        REPLACE, {"id": global_id("Card", old.pk), "kind": "CHIP", "chipUid": "04:a1:b2:c3"}
    )["cardReplace"]

    assert data["customerValueErrors"] == []
    assert data["replacedCard"]["state"] == "REPLACED"
    assert data["replacedCard"]["replacedBy"] == {"id": data["card"]["id"]}
    assert data["card"]["state"] == "ACTIVE" and data["card"]["kind"] == "CHIP"
    assert data["card"]["code"] is None and data["card"]["hasChip"]
    new = Card.objects.get(replaces=old)
    assert new.customer_id == old.customer_id and new.chip_uid == "04A1B2C3"
    assert codes.is_valid(new.code)
    assert LedgerTransaction.objects.count() == ledger_rows  # nothing moved
    wallet.refresh_from_db()
    assert wallet.posted == 12
    states = {c["state"] for c in customer_api.execute(MY_CARDS)["myCards"]}
    assert states == {"ACTIVE", "REPLACED"}
    # The old card cannot be registered again by anybody.
    assert customer_api.execute(REGISTER, {"code": old.code})["cardRegister"][
        "customerValueErrors"] == [{"code": "INVALID_CARD_CODE"}]


def test_bad_block_and_replace_requests_change_nothing(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_cards")
    unowned = make_card()
    owned = registered(customer_user)
    make_card(kind=CardKind.CHIP, chip_uid="04AA")

    cases = [
        (BLOCK, {"id": global_id("Card", owned.pk), "reason": "  "}, "cardBlock", "REQUIRED"),
        (BLOCK, {"id": global_id("Card", 999999), "reason": "lost"}, "cardBlock", "NOT_FOUND"),
        (BLOCK, {"id": global_id("CardBatch", owned.pk), "reason": "x"}, "cardBlock", "INVALID"),
        (REPLACE, {"id": global_id("Card", unowned.pk)}, "cardReplace", "CARD_NOT_USABLE"),
        (REPLACE, {"id": global_id("Card", owned.pk), "chipUid": "04:aa"}, "cardReplace", "CHIP_UID_TAKEN"),
        (REPLACE, {"id": global_id("Card", owned.pk), "chipUid": "zz"}, "cardReplace", "INVALID"),
    ]
    for query, variables, name, code in cases:
        data = staff_api.execute(query, variables)[name]
        assert [e["code"] for e in data["customerValueErrors"]] == [code], (variables, data)
    assert Card.objects.count() == 3
    owned.refresh_from_db()
    assert owned.state == CardState.ACTIVE

    staff_api.execute(BLOCK, {"id": global_id("Card", owned.pk), "reason": "stolen"})
    again = staff_api.execute(BLOCK, {"id": global_id("Card", owned.pk), "reason": "again"})
    assert again["cardBlock"]["customerValueErrors"][0]["code"] == "CARD_NOT_USABLE"


def test_shoppers_cannot_block_or_replace(customer_api, customer_user):
    card = registered(customer_user)
    for query, name in [(BLOCK, "cardBlock"), (REPLACE, "cardReplace")]:
        data = customer_api.execute(query, {"id": global_id("Card", card.pk), "reason": "x"})
        assert data[name]["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
    card.refresh_from_db()
    assert card.state == CardState.ACTIVE
