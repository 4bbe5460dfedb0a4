"""Bad POS input: a typed error and nothing booked. Idempotency of every write."""
import pytest

from saleor_customer_value.models import Account, IdempotencyRecord, LedgerTransaction

from .conftest import fund_wallet, make_card
from .queries import PAY, REDEEM, REVERSE, SALE, TOPUP, amount_input


def nothing_booked():
    return not LedgerTransaction.objects.exists() and not IdempotencyRecord.objects.exists()


MUTATIONS = [(SALE, "posSaleRecord"), (PAY, "posWalletPay"), (TOPUP, "posWalletTopUp")]


@pytest.mark.parametrize("query, name", MUTATIONS)
@pytest.mark.parametrize(
    "change, field, code",
    [
        ({"amount": "0"}, "amount", "INVALID_AMOUNT"),
        ({"amount": "-5.00"}, "amount", "INVALID_AMOUNT"),
        ({"amount": "10.005"}, "amount", "INVALID_AMOUNT"),
        ({"note": None}, "note", "REQUIRED"),
        ({"note": "   "}, "note", "REQUIRED"),
        ({"key": None}, "idempotencyKey", "REQUIRED"),
        ({"receipt": ""}, "receipt", "REQUIRED"),
        ({"currency": "XXXX"}, "currency", "CURRENCY_MISMATCH"),
        ({"customer": {"code": "hello"}}, "code", "INVALID_CARD_CODE"),
        ({"customer": {"chipUid": "FFFF"}}, "chipUid", "INVALID_CARD_CODE"),
        ({"customer": {}}, "customer", "INVALID"),
        ({"customer": {"customerId": "VXNlcjo5OTk5"}}, "customerId", "NOT_FOUND"),
    ],
)
def test_bad_input_is_typed_and_books_nothing(till, customer_user, erika_card, program, query, name, change, field, code):
    fund_wallet(customer_user, "30.00")
    LedgerTransaction.objects.all()  # funding exists; count below
    before = LedgerTransaction.objects.count()
    args = {"customer": {"code": erika_card.code}, "amount": "10.00", "receipt": "R", "key": "k", "note": "n", "currency": "EUR"}
    args.update(change)
    result = till.execute(query, amount_input(**args))[name]
    (err,) = result["customerValueErrors"]
    assert (err["field"], err["code"]) == (field, code), err
    assert LedgerTransaction.objects.count() == before
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.parametrize("query, name", MUTATIONS)
def test_typo_blocked_and_expired_cards(till, customer_user, erika_card, query, name):
    from saleor_customer_value.models import CardState
    from saleor_customer_value.ledger import accounts

    typo = erika_card.code[:-1] + ("2" if erika_card.code[-1] != "2" else "3")
    blocked = make_card(accounts.customer_for_user(customer_user), state=CardState.BLOCKED)
    expired = make_card(accounts.customer_for_user(customer_user), state=CardState.EXPIRED)
    for code, expected in ((typo, "CARD_CODE_TYPO"), (blocked.code, "CARD_NOT_USABLE"), (expired.code, "CARD_NOT_USABLE")):
        result = till.execute(query, amount_input({"code": code}, "10.00"))[name]
        assert result["customerValueErrors"][0]["code"] == expected
    assert nothing_booked()


@pytest.mark.parametrize("query, name", MUTATIONS + [(REDEEM, "posPointsRedeem"), (REVERSE, "posReverse")])
def test_app_without_use_pos_is_denied(app_api, erika_card, query, name):
    if name == "posReverse":
        variables = {"receipt": "R", "note": "n", "key": "k"}
    elif name == "posPointsRedeem":
        variables = {"input": {"customer": {"code": erika_card.code}, "points": 100, "receipt": "R", "note": "n", "idempotencyKey": "k"}}
    else:
        variables = amount_input({"code": erika_card.code}, "10.00")
    result = app_api.execute(query, variables)[name]
    assert result["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
    assert nothing_booked()


def test_retry_returns_original_and_different_body_conflicts(till, customer_user, erika_card):
    fund_wallet(customer_user, "30.00")
    first = till.execute(PAY, amount_input({"code": erika_card.code}, "10.00", key="pay-1"))["posWalletPay"]
    retry = till.execute(PAY, amount_input({"code": erika_card.code}, "10.00", key="pay-1"))["posWalletPay"]
    other = till.execute(PAY, amount_input({"code": erika_card.code}, "11.00", key="pay-1"))["posWalletPay"]
    as_sale = till.execute(SALE, amount_input({"code": erika_card.code}, "10.00", key="pay-1"))["posSaleRecord"]

    assert retry["replayed"] is True and retry["bookings"] == first["bookings"]
    assert other["customerValueErrors"][0]["code"] == "IDEMPOTENCY_CONFLICT"
    assert Account.objects.get(kind="wallet").posted == 20
    assert as_sale["customerValueErrors"] == [] or as_sale["customerValueErrors"][0]["code"] in (
        "IDEMPOTENCY_CONFLICT", "LOYALTY_DISABLED"
    )


def test_sale_retry_and_conflict(till, customer_user, erika_card, program):
    first = till.execute(SALE, amount_input({"code": erika_card.code}, "10.00", key="s"))["posSaleRecord"]
    retry = till.execute(SALE, amount_input({"code": erika_card.code}, "10.00", key="s"))["posSaleRecord"]
    other = till.execute(SALE, amount_input({"code": erika_card.code}, "10.00", key="s", receipt="R-other"))["posSaleRecord"]
    pay = till.execute(PAY, amount_input({"code": erika_card.code}, "10.00", key="s"))["posWalletPay"]
    assert retry["replayed"] is True and retry["pointsEarned"] == first["pointsEarned"] == 10
    assert other["customerValueErrors"][0]["code"] == "IDEMPOTENCY_CONFLICT"
    assert pay["customerValueErrors"][0]["code"] == "IDEMPOTENCY_CONFLICT"
    assert first["customer"]["points"]["posted"] == retry["customer"]["points"]["posted"] == 10


def test_keys_are_per_till(till, cashier, customer_user, erika_card):
    fund_wallet(customer_user, "30.00")
    till.execute(PAY, amount_input({"code": erika_card.code}, "10.00", key="same"))
    result = cashier.execute(PAY, amount_input({"code": erika_card.code}, "10.00", key="same"))["posWalletPay"]
    assert result["replayed"] is False
    assert Account.objects.get(kind="wallet").posted == 10
