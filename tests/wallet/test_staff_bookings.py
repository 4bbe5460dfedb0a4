"""Staff credit, debit, preview and refund-to-wallet through GraphQL."""

import pytest
from saleor.order.models import Order

from ..checkout_flow import complete, create_checkout, pay, set_shipping
from ..conftest import global_id, grant
from .conftest import fund_wallet

CREDIT = """
mutation($input: WalletBookingInput!) {
  walletCredit(input: $input) {
    wallet { currency balance { posted { amount } available { amount } } }
    transaction { reason note customerNote actorType }
    customerValueErrors { field code message }
  }
}
"""
DEBIT = CREDIT.replace("walletCredit", "walletDebit")

PREVIEW = """
query($id: ID!, $amount: Decimal!) {
  walletBookingPreview(customerId: $id, amount: $amount) {
    balance { available { amount } }
    resultingBalance { posted { amount } available { amount } }
    allowed
  }
}
"""

REFUND = """
mutation($id: ID!, $amount: Decimal!, $bonus: Decimal, $note: String!) {
  orderRefundToWallet(orderId: $id, amount: $amount, retentionBonusPercent: $bonus, note: $note) {
    wallet { balance { posted { amount } } }
    transaction { reason metadata }
    order { metadata { key value } }
    customerValueErrors { field code message }
  }
}
"""


def booking(user, amount, note="customer complained", **extra):
    return {
        "input": {
            "customerId": global_id("User", user.pk),
            "amount": amount,
            "note": note,
            **extra,
        }
    }


def test_staff_credit_goodwill_with_a_customer_note(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_wallets")

    data = staff_api.execute(
        CREDIT, booking(customer_user, 10, customerNote="Sorry for the delay")
    )["walletCredit"]

    assert data["customerValueErrors"] == []
    assert data["wallet"]["balance"]["posted"]["amount"] == 10.0
    assert data["transaction"] == {
        "reason": "GOODWILL",
        "note": "customer complained",
        "customerNote": "Sorry for the delay",
        "actorType": "STAFF",
    }


def test_an_app_with_the_permission_can_book(app_api, app, customer_user):
    grant(app, "manage_wallets")

    data = app_api.execute(CREDIT, booking(customer_user, "5.50", reason="CASHBACK"))

    assert data["walletCredit"]["transaction"]["actorType"] == "APP"
    assert data["walletCredit"]["wallet"]["balance"]["posted"]["amount"] == 5.5


def test_staff_debit_cannot_overdraw(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_wallets")
    fund_wallet(customer_user, "10.00")

    data = staff_api.execute(DEBIT, booking(customer_user, "10.01"))["walletDebit"]

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [
        ("amount", "INSUFFICIENT_FUNDS")
    ]


@pytest.mark.parametrize(
    "variables, field, code",
    [
        ({"note": " "}, "note", "INVALID"),
        ({"amount": 0}, "amount", "INVALID_AMOUNT"),
        ({"amount": -3}, "amount", "INVALID_AMOUNT"),
        ({"amount": "1.005"}, "amount", "INVALID_AMOUNT"),
        ({"currency": "XYZ"}, "currency", "CURRENCY_MISMATCH"),
        ({"reason": "POS_PAYMENT"}, "reason", "INVALID"),
    ],
)
def test_bad_bookings_change_nothing(staff_api, staff_user, customer_user, variables, field, code):
    grant(staff_user, "manage_wallets")
    base = booking(customer_user, 10)
    base["input"].update(variables)

    data = staff_api.execute(CREDIT, base)["walletCredit"]

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [(field, code)]
    from saleor_customer_value.models import LedgerTransaction

    assert LedgerTransaction.objects.count() == 0


@pytest.mark.parametrize("client", ["customer_api", "api_client", "app_api"])
def test_bookings_need_manage_wallets(request, client, customer_user):
    api = request.getfixturevalue(client)

    data = api.execute(CREDIT, booking(customer_user, 1000))["walletCredit"]

    assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]


def test_preview_shows_the_resulting_balance_without_booking(staff_api, staff_user, customer_user):
    grant(staff_user, "manage_wallets")
    fund_wallet(customer_user, "10.00")
    user_id = global_id("User", customer_user.pk)

    credit = staff_api.execute(PREVIEW, {"id": user_id, "amount": 2.5})["walletBookingPreview"]
    debit = staff_api.execute(PREVIEW, {"id": user_id, "amount": -12})["walletBookingPreview"]

    assert credit["resultingBalance"]["posted"]["amount"] == 12.5
    assert credit["allowed"] is True
    assert debit["resultingBalance"]["available"]["amount"] == -2.0
    assert debit["allowed"] is False
    from saleor_customer_value.models import LedgerTransaction

    assert LedgerTransaction.objects.count() == 1


@pytest.fixture
def paid_order(customer_api, variant, shipping_method):
    checkout = create_checkout(customer_api, variant, quantity=2)
    set_shipping(customer_api, checkout, shipping_method)
    pay(customer_api, checkout, 45.0)
    complete(customer_api, checkout)
    return Order.objects.get()


def test_refund_to_wallet_with_a_retention_bonus(staff_api, staff_user, paid_order):
    # given a 45.00 order paid by card
    grant(staff_user, "manage_wallets")

    # when staff refund 20.00 as store credit with a 10% bonus
    data = staff_api.execute(
        REFUND,
        {"id": global_id("Order", paid_order.pk), "amount": 20, "bonus": 10, "note": "return"},
    )["orderRefundToWallet"]

    # then the wallet gets 22.00 and the order shows what went to the wallet
    assert data["customerValueErrors"] == []
    assert data["wallet"]["balance"]["posted"]["amount"] == 22.0
    assert {"key": "customer_value.refunded_to_wallet", "value": "20.00"} in data["order"]["metadata"]


def test_refund_to_wallet_is_limited_to_what_was_paid(staff_api, staff_user, paid_order):
    grant(staff_user, "manage_wallets")
    order_id = global_id("Order", paid_order.pk)
    staff_api.execute(REFUND, {"id": order_id, "amount": 40, "note": "return"})

    data = staff_api.execute(REFUND, {"id": order_id, "amount": "5.01", "note": "again"})

    errors = data["orderRefundToWallet"]["customerValueErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("amount", "INVALID_AMOUNT")]
    assert "At most 5.00 EUR" in errors[0]["message"]
