"""posCustomerLookup through GraphQL, as a till App and as staff."""
import pytest

from saleor_customer_value.cards import codes
from saleor_customer_value.models import CardState

from ..conftest import ApiClient
from .conftest import fund_wallet, give_points, make_card, yesterday
from .queries import LOOKUP, wallet


def lookup(client, **variables):
    return client.execute(LOOKUP, variables)["posCustomerLookup"]


@pytest.mark.parametrize("how", ["code", "dashed", "qrPayload", "chipUid"])
def test_till_finds_customer_by_card(till, customer_user, erika_card, program, how):
    # given
    fund_wallet(customer_user, "30.00")
    give_points(customer_user, 250)
    variables = {
        "code": {"code": erika_card.code},
        "dashed": {"code": codes.formatted(erika_card.code).lower()},
        "qrPayload": {"qrPayload": codes.qr_payload(erika_card.code)},
        "chipUid": {"chipUid": "04:a2:b3:c4"},
    }[how]

    # when
    result = lookup(till, **variables)

    # then
    assert result["customerValueErrors"] == []
    (customer,) = result["customers"]
    assert customer["name"] == "Erika M"
    assert customer["card"] == {
        "maskedCode": codes.masked(erika_card.code), "state": "ACTIVE", "kind": "CHIP"
    }
    assert wallet(customer) == {"posted": 30.0, "held": 0.0, "available": 30.0}
    assert customer["points"] == {"available": 250, "posted": 250, "held": 0, "pending": 0}


def test_staff_with_use_pos_can_look_up(cashier, erika_card):
    result = lookup(cashier, code=erika_card.code)
    assert result["customerValueErrors"] == []
    assert result["customers"][0]["email"] == "erika@example.com"


@pytest.mark.parametrize(
    "variables, field, code",
    [
        ({"code": "not a code"}, "code", "INVALID_CARD_CODE"),
        ({"code": "2222-2222-2222-2222"}, "code", None),  # shaped like a code
        ({"qrPayload": "https://example.com"}, "qrPayload", "INVALID_CARD_CODE"),
        ({"chipUid": "zz"}, "chipUid", "INVALID_CARD_CODE"),
        ({"chipUid": "DEADBEEF"}, "chipUid", "INVALID_CARD_CODE"),
        ({}, None, "INVALID"),
        ({"code": "x", "email": "erika@example.com"}, None, "INVALID"),
    ],
)
def test_bad_identifiers_are_typed_errors(till, erika_card, variables, field, code):
    result = lookup(till, **variables)
    assert result["customers"] == []
    (err,) = result["customerValueErrors"]
    assert err["field"] == field
    if code:
        assert err["code"] == code
    else:
        assert err["code"] in ("INVALID_CARD_CODE", "CARD_CODE_TYPO")


def test_unknown_valid_code_and_typo(till, erika_card):
    body = codes.generate()[:-1]
    unknown = body + codes.check_character(body)
    typo = erika_card.code[:-1] + ("2" if erika_card.code[-1] != "2" else "3")
    assert lookup(till, code=unknown)["customerValueErrors"][0]["code"] == "INVALID_CARD_CODE"
    assert lookup(till, code=typo)["customerValueErrors"][0]["code"] == "CARD_CODE_TYPO"


@pytest.mark.parametrize("state", [CardState.BLOCKED, CardState.REPLACED, CardState.EXPIRED, "past"])
def test_blocked_or_expired_card_is_not_usable(till, customer_user, state):
    from saleor_customer_value.ledger import accounts

    customer = accounts.customer_for_user(customer_user)
    if state == "past":
        card = make_card(customer, state=CardState.ACTIVE, expires_at=yesterday())
    else:
        card = make_card(customer, state=state)
    (err,) = lookup(till, code=card.code)["customerValueErrors"]
    assert err["code"] == "CARD_NOT_USABLE"


def test_unsold_card_is_not_usable_for_lookup(till):
    card = make_card()
    assert lookup(till, code=card.code)["customerValueErrors"][0]["code"] == "CARD_NOT_USABLE"


def test_search_by_email_and_name_masks_codes_and_caps_matches(till, customer_user, erika_card):
    from saleor.account.models import User

    for i in range(8):
        User.objects.create_user(f"erik{i}@example.com", "pw", first_name="Erik", last_name=f"N{i}")

    by_email = lookup(till, email="ERIKA@example.com")
    by_name = lookup(till, name="erik")

    (erika,) = by_email["customers"]
    assert erika["cards"] == [{"maskedCode": codes.masked(erika_card.code)}]
    assert erika_card.code not in str(by_email) and erika_card.code not in str(by_name)
    assert len(by_name["customers"]) == 5
    assert lookup(till, name="er")["customerValueErrors"][0]["field"] == "name"


def test_without_use_pos_permission_denied(app_api, api_client, customer_api, erika_card):
    for client in (app_api, api_client, customer_api):
        result = lookup(client, code=erika_card.code)
        assert result["customers"] == []
        assert result["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"


def test_staff_without_permission_denied(staff_user, erika_card):
    result = lookup(ApiClient(user=staff_user), code=erika_card.code)
    assert result["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
