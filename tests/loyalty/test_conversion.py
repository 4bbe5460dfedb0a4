"""Converting points into wallet money: one transaction in both units."""
from decimal import Decimal

import pytest

from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import LedgerTransaction

from .conftest import assert_lots_agree, balance, configure, give_points

CONVERT = """
mutation($points: Decimal!, $key: String) {
  pointsConvertToWallet(points: $points, idempotencyKey: $key) {
    points { balance { posted available } }
    wallet { balance { posted { amount currency } } }
    transaction { reason entries { unit amount account { kind systemCode } } metadata }
    customerValueErrors { field code message }
  }
}
"""


@pytest.fixture
def conversion(program):
    return configure(convert_points=100, convert_amount=Decimal("1.00"), convert_min_points=1000)


def convert(api, points, key=None):
    return api.execute(CONVERT, {"points": points, "key": key})["pointsConvertToWallet"]


def errors(data):
    return [(e["field"], e["code"]) for e in data["customerValueErrors"]]


def test_points_become_wallet_money_in_one_transaction(customer_api, customer_user, conversion):
    give_points(customer_user, 3000)

    data = convert(customer_api, 2500)

    assert data["customerValueErrors"] == []
    assert data["points"]["balance"] == {"posted": 500, "available": 500}
    assert data["wallet"]["balance"]["posted"] == {"amount": 25.0, "currency": "EUR"}
    entries = sorted(
        (e["unit"], e["amount"], e["account"]["kind"]) for e in data["transaction"]["entries"]
    )
    assert entries == [
        ("EUR", -25.0, "SYSTEM"),
        ("EUR", 25.0, "WALLET"),
        ("PTS", -2500.0, "POINTS"),
        ("PTS", 2500.0, "SYSTEM"),
    ]
    txn = LedgerTransaction.objects.get(reason="points_converted")
    assert txn.metadata["rate"] == {"points": 100, "amount": "1.00", "currency": "EUR"}
    assert txn.metadata["min_points"] == 1000
    assert_lots_agree(customer_user)


def test_exactly_the_minimum_converts_one_point_less_does_not(customer_api, customer_user, conversion):
    give_points(customer_user, 3000)

    below = convert(customer_api, 999)
    exact = convert(customer_api, 1000)

    assert errors(below) == [("points", "POINTS_BELOW_MINIMUM")]
    assert exact["wallet"]["balance"]["posted"]["amount"] == 10.0
    assert balance(customer_user) == (2000, 0)


@pytest.mark.parametrize(
    "points, code",
    [("-5", "INVALID_AMOUNT"), ("1000.5", "INVALID_AMOUNT"), ("3100", "INSUFFICIENT_FUNDS")],
)
def test_bad_conversions_change_nothing(customer_api, customer_user, conversion, points, code):
    give_points(customer_user, 3000)

    data = convert(customer_api, points)

    assert errors(data) == [("points", code)]
    assert balance(customer_user) == (3000, 0)
    assert accounts.find_wallet(accounts.customer_for_user(customer_user), "EUR") is None


def test_points_convert_in_whole_steps_of_the_rate(customer_api, customer_user, program):
    # given 100 points = 1.00 and 130 points
    configure(convert_points=100, convert_amount=Decimal("1.00"))
    give_points(customer_user, 130)

    # when the shopper converts 130, then 100
    refused = convert(customer_api, 130)
    done = convert(customer_api, 100)

    # then 130 is refused naming the steps, 100 gives 1.00 and 30 points stay
    assert errors(refused) == [("points", "INVALID_AMOUNT")]
    assert refused["customerValueErrors"][0]["message"] == (
        "Points convert in steps of 100 (100 points = 1.00 EUR); 130 is not a whole "
        "step: convert 100 or 200."
    )
    assert done["wallet"]["balance"]["posted"]["amount"] == 1.0
    assert balance(customer_user) == (30, 0)


def test_a_step_that_is_not_whole_cents_still_converts_whole_steps(
    customer_api, customer_user, program
):
    configure(convert_points=300, convert_amount=Decimal("1.00"))  # 3 points = 0.01
    give_points(customer_user, 3000)

    assert errors(convert(customer_api, 999)) == [("points", "INVALID_AMOUNT")]
    assert errors(convert(customer_api, 50)) == [("points", "INVALID_AMOUNT")]
    assert convert(customer_api, 900)["wallet"]["balance"]["posted"]["amount"] == 3.0


def test_a_replayed_conversion_books_once(customer_api, customer_user, conversion):
    give_points(customer_user, 3000)

    convert(customer_api, 2500, key="convert-1")
    again = convert(customer_api, 2500, key="convert-1")

    assert again["customerValueErrors"] == []
    assert balance(customer_user) == (500, 0)
    assert LedgerTransaction.objects.filter(reason="points_converted").count() == 1


def test_conversion_switched_off_and_anonymous(api_client, customer_api, customer_user, program):
    give_points(customer_user, 3000)

    assert errors(convert(customer_api, 2500)) == [(None, "LOYALTY_DISABLED")]
    assert errors(convert(api_client, 2500)) == [(None, "PERMISSION_DENIED")]


PREVIEW = """
query($points: Decimal!) {
  pointsConversionPreview(points: $points) {
    allowed points amount { amount currency } pointsLeft problem { field code message }
  }
}
"""


def preview(api, points):
    return api.execute(PREVIEW, {"points": points})["pointsConversionPreview"]


def test_the_preview_shows_the_money_and_the_points_left_and_books_nothing(customer_api, customer_user, conversion):
    # given 3,000 points and 2,500 points = 25.00
    give_points(customer_user, 3000)
    before = LedgerTransaction.objects.count()

    # when the shopper previews converting 1,200 points
    data = preview(customer_api, "1200")

    # then it shows what the conversion would book, and nothing is booked
    assert data == {
        "allowed": True, "points": 1200, "amount": {"amount": 12.0, "currency": "EUR"},
        "pointsLeft": 1800, "problem": None,
    }
    assert LedgerTransaction.objects.count() == before
    assert balance(customer_user) == (3000, 0)
    # and the conversion then books exactly that
    assert convert(customer_api, 1200)["wallet"]["balance"]["posted"]["amount"] == 12.0


@pytest.mark.parametrize(
    "points, code",
    [
        ("999", "POINTS_BELOW_MINIMUM"), ("3100", "INSUFFICIENT_FUNDS"), ("-5", "INVALID_AMOUNT"),
        ("1000.5", "INVALID_AMOUNT"), ("3001", "INVALID_AMOUNT"),
    ],
)
def test_the_preview_gives_the_mutations_error_for_what_would_be_refused(customer_api, customer_user, conversion, points, code):
    give_points(customer_user, 3000)

    data = preview(customer_api, points)

    assert data["allowed"] is False and data["amount"] is None
    assert (data["problem"]["field"], data["problem"]["code"]) == ("points", code)
    assert (data["problem"]["field"], data["problem"]["code"]) in errors(convert(customer_api, points))
    assert balance(customer_user) == (3000, 0)


@pytest.mark.parametrize("points", ["1E+28", "1e309"])
def test_the_preview_refuses_malformed_numbers_like_the_mutation(customer_api, customer_user, conversion, points):
    give_points(customer_user, 3000)

    # a number no till or form can mean is refused before any rule runs (central input check)
    content = customer_api.post(PREVIEW, {"points": points})

    assert [e["message"].split(":")[0] for e in content["errors"]] == ["INVALID_AMOUNT"]
    assert ("points", "INVALID_AMOUNT") in errors(convert(customer_api, points))
    assert balance(customer_user) == (3000, 0)


def test_a_customer_without_points_gets_insufficient_funds(customer_api, conversion):
    data = preview(customer_api, "1000")

    assert data["allowed"] is False
    assert data["problem"]["code"] == "INSUFFICIENT_FUNDS"


def test_the_preview_needs_a_login(api_client, conversion):
    content = api_client.post(PREVIEW, {"points": "1000"})

    assert content["data"] is None or content["data"]["pointsConversionPreview"] is None
    assert "permission" in content["errors"][0]["message"].lower()
