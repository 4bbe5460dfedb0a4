"""Paying a checkout partly from the wallet, through Saleor's GraphQL checkout."""
from decimal import Decimal

import pytest
from saleor.order.models import Order
from saleor.payment.models import Payment

from saleor_customer_value.models import Hold, HoldStatus
from saleor_customer_value.wallet.payments import WALLET_GATEWAY_ID

from ..checkout_flow import checkout_total, complete, create_checkout, pay, set_shipping
from ..conftest import ApiClient, global_id

APPLY = """
mutation($id: ID!, $amount: Decimal, $key: String) {
  checkoutWalletApply(checkoutId: $id, amount: $amount, idempotencyKey: $key) {
    walletPayment {
      applied { amount currency } totalBeforeWallet { amount }
      remaining { amount } available { amount } reservedUntil
    }
    customerValueErrors { field code message }
  }
}
"""

REMOVE = """
mutation($id: ID!) {
  checkoutWalletRemove(checkoutId: $id) {
    walletPayment { applied { amount } remaining { amount } available { amount } }
    customerValueErrors { field code message }
  }
}
"""

MY_WALLET = """
{ myWallet {
    currency
    balance { posted { amount } held { amount } available { amount } }
    movements(first: 10) { edges { node {
      amount { amount currency } balanceAfter { amount } reason customerNote order { id }
    } } }
} }
"""


def apply(api, checkout, amount=None, key=None):
    return api.execute(APPLY, {"id": checkout["id"], "amount": amount, "key": key})[
        "checkoutWalletApply"
    ]


def ready_checkout(api, variant, shipping_method, quantity=2):
    checkout = create_checkout(api, variant, quantity=quantity)
    set_shipping(api, checkout, shipping_method)
    return checkout


def test_wallet_pays_part_and_the_card_pays_the_rest(
    customer_api, customer_user, erika_wallet, variant, shipping_method, german_vat
):
    # given a 45.00 EUR checkout (2 x 20.00 + 5.00 shipping, German VAT included)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    before = checkout_total(customer_api, checkout)["totalPrice"]
    assert before["gross"]["amount"] == 45.0
    assert before["net"]["amount"] == 37.82

    # when the customer pays 20.00 from the wallet
    data = apply(customer_api, checkout, 20)

    # then the amount is reserved and Saleor's checkout total drops to 25.00
    assert data["customerValueErrors"] == []
    assert data["walletPayment"]["applied"] == {"amount": 20.0, "currency": "EUR"}
    assert data["walletPayment"]["remaining"]["amount"] == 25.0
    assert data["walletPayment"]["available"]["amount"] == 10.0
    assert checkout_total(customer_api, checkout)["totalPrice"]["gross"]["amount"] == 25.0

    # when the rest is paid by card and the checkout completed
    assert pay(customer_api, checkout, 25.0)["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # then the order keeps its full total and tax; wallet and card payments add up
    assert result["checkoutErrors"] == []
    order = Order.objects.get()
    assert (order.total_gross_amount, order.total_net_amount) == (
        Decimal("45.00"),
        Decimal("37.82"),
    )
    assert result["order"]["total"]["tax"]["amount"] == 7.18
    assert result["order"]["isPaid"] is True
    assert result["order"]["paymentStatus"] == "FULLY_CHARGED"
    assert {"key": "customer_value.wallet_paid", "value": "20.00"} in result["order"]["metadata"]
    payments = {p.gateway: p.captured_amount for p in Payment.objects.filter(order=order)}
    assert payments == {"mirumee.payments.dummy": Decimal("25.00"), WALLET_GATEWAY_ID: Decimal("20.00")}
    # and the ledger booked exactly the wallet part
    erika_wallet.refresh_from_db()
    assert (erika_wallet.posted, erika_wallet.held) == (Decimal("10.000"), Decimal("0"))
    history = customer_api.execute(MY_WALLET)["myWallet"]
    latest = history["movements"]["edges"][0]["node"]
    assert latest["amount"] == {"amount": -20.0, "currency": "EUR"}
    assert latest["reason"] == "CHECKOUT_PAYMENT"
    assert latest["order"]["id"] == global_id("Order", order.pk)


def test_as_much_as_possible_applies_the_whole_available_balance(
    customer_api, erika_wallet, variant, shipping_method
):
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout)

    assert data["walletPayment"]["applied"]["amount"] == 30.0
    assert data["walletPayment"]["remaining"]["amount"] == 15.0


def test_as_much_as_possible_is_capped_by_the_checkout_total(
    customer_user, customer_api, variant, shipping_method
):
    from .conftest import fund_wallet

    fund_wallet(customer_user, "100.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout)

    assert data["walletPayment"]["applied"]["amount"] == 45.0
    assert data["walletPayment"]["remaining"]["amount"] == 0.0


def test_changing_and_removing_the_amount_before_completing(
    customer_api, erika_wallet, variant, shipping_method
):
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 20)

    changed = apply(customer_api, checkout, "12.50")
    assert changed["walletPayment"]["applied"]["amount"] == 12.5
    assert changed["walletPayment"]["available"]["amount"] == 17.5
    assert Hold.objects.filter(status=HoldStatus.PENDING).count() == 1

    removed = customer_api.execute(REMOVE, {"id": checkout["id"]})["checkoutWalletRemove"]
    assert removed["walletPayment"]["applied"]["amount"] == 0.0
    assert removed["walletPayment"]["available"]["amount"] == 30.0
    assert checkout_total(customer_api, checkout)["totalPrice"]["gross"]["amount"] == 45.0


def test_the_applied_amount_is_capped_when_the_cart_shrinks(
    customer_api, erika_wallet, variant, shipping_method
):
    # given 30.00 applied to a 45.00 checkout
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 30)

    # when the cart shrinks to 25.00 (1 x 20.00 + 5.00)
    customer_api.execute(
        """mutation($id: ID!, $lines: [CheckoutLineInput]!) {
             checkoutLinesUpdate(checkoutId: $id, lines: $lines) { checkoutErrors { code } } }""",
        {"id": checkout["id"], "lines": [{"quantity": 1, "variantId": global_id("ProductVariant", variant.pk)}]},
    )

    # then the wallet pays the whole 25.00 and completing posts only that
    assert checkout_total(customer_api, checkout)["totalPrice"]["gross"]["amount"] == 0.0
    pay(customer_api, checkout, 0.0)
    result = complete(customer_api, checkout)
    assert result["checkoutErrors"] == []
    erika_wallet.refresh_from_db()
    assert (erika_wallet.posted, erika_wallet.held) == (Decimal("5.000"), Decimal("0"))
    assert Order.objects.get().total_gross_amount == Decimal("25.00")


@pytest.mark.parametrize(
    "amount, code",
    [
        (0, "INVALID_AMOUNT"),
        (-5, "INVALID_AMOUNT"),
        ("10.001", "INVALID_AMOUNT"),
        (30.01, "INSUFFICIENT_FUNDS"),
        (45.01, "INVALID_AMOUNT"),
    ],
)
def test_bad_amounts_change_nothing(customer_api, customer_user, variant, shipping_method, amount, code):
    from .conftest import fund_wallet

    wallet = fund_wallet(customer_user, "30.00" if code != "INVALID_AMOUNT" or amount != 45.01 else "100.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)

    data = apply(customer_api, checkout, amount)

    assert [e["code"] for e in data["customerValueErrors"]] == [code]
    assert data["customerValueErrors"][0]["field"] == "amount"
    assert Hold.objects.count() == 0
    wallet.refresh_from_db()
    assert wallet.held == Decimal("0")


def test_another_customers_checkout_is_not_found(
    customer_api, other_customer, variant, shipping_method, erika_wallet
):
    from .conftest import fund_wallet

    fund_wallet(other_customer, "50.00")
    others = ready_checkout(ApiClient(user=other_customer), variant, shipping_method)

    data = apply(customer_api, others, 10)

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [
        ("checkoutId", "NOT_FOUND")
    ]
    assert Hold.objects.count() == 0


def test_anonymous_callers_cannot_use_a_wallet(api_client, variant, shipping_method):
    checkout = ready_checkout(api_client, variant, shipping_method)

    data = apply(api_client, checkout, 10)

    assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]


def test_a_replayed_apply_with_its_key_reserves_once(
    customer_api, erika_wallet, variant, shipping_method
):
    checkout = ready_checkout(customer_api, variant, shipping_method)

    apply(customer_api, checkout, 20, key="apply-1")
    again = apply(customer_api, checkout, 20, key="apply-1")

    assert again["customerValueErrors"] == []
    assert Hold.objects.filter(status=HoldStatus.PENDING).count() == 1
    erika_wallet.refresh_from_db()
    assert erika_wallet.held == Decimal("20.000")


def test_an_expired_reservation_no_longer_lowers_the_total(
    customer_api, erika_wallet, variant, shipping_method
):
    from django.utils import timezone

    from saleor_customer_value.ledger import service

    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 20)

    released = service.expire_holds(now=timezone.now() + timezone.timedelta(days=8))

    assert released == 1
    assert checkout_total(customer_api, checkout)["totalPrice"]["gross"]["amount"] == 45.0
    erika_wallet.refresh_from_db()
    assert erika_wallet.held == Decimal("0")


def test_replayed_checkout_complete_books_the_wallet_once(
    customer_api, erika_wallet, variant, shipping_method
):
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 20)
    pay(customer_api, checkout, 25.0)
    first = complete(customer_api, checkout)

    replay = customer_api.post(
        """mutation($id: ID!) { checkoutComplete(checkoutId: $id) {
             order { id } checkoutErrors { field code message } } }""",
        {"id": checkout["id"]},
    )

    assert first["order"] is not None
    assert replay["data"]["checkoutComplete"]["order"] is None
    assert Order.objects.count() == 1
    erika_wallet.refresh_from_db()
    assert erika_wallet.posted == Decimal("10.000")


def test_anonymous_my_wallet_is_refused(api_client):
    content = api_client.post(MY_WALLET)

    assert content["data"]["myWallet"] is None
    assert "permission" in content["errors"][0]["message"]


MY_HOLDS = """
{ myWallet { balance { held { amount } } holds { amount { amount currency } reason expiresAt checkoutToken } } }
"""


def test_my_wallet_explains_held_money_with_the_checkout_and_its_expiry(
    customer_api, erika_wallet, variant, shipping_method
):
    # given 20.00 reserved for an open checkout
    checkout = ready_checkout(customer_api, variant, shipping_method)
    reserved_until = apply(customer_api, checkout, 20)["walletPayment"]["reservedUntil"]

    # when the shopper looks at their wallet
    wallet = customer_api.execute(MY_HOLDS)["myWallet"]

    # then the held amount is explained by one hold: amount, checkout, until when
    hold = Hold.objects.get(status=HoldStatus.PENDING)
    assert wallet["balance"]["held"]["amount"] == 20.0
    assert wallet["holds"] == [{
        "amount": {"amount": 20.0, "currency": "EUR"},
        "reason": "CHECKOUT_PAYMENT",
        "expiresAt": hold.expires_at.isoformat(),
        "checkoutToken": str(hold.checkout_token),
    }]
    assert reserved_until == hold.expires_at.isoformat()


def test_my_wallet_has_no_holds_once_the_checkout_releases_them(customer_api, erika_wallet, variant, shipping_method):
    # given a reservation that the shopper removed again
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 20)
    customer_api.execute(REMOVE, {"id": checkout["id"]})

    # then nothing is held and nothing explained
    wallet = customer_api.execute(MY_HOLDS)["myWallet"]
    assert wallet == {"balance": {"held": {"amount": 0.0}}, "holds": []}


def test_a_reservation_pinned_by_an_earlier_attempt_and_removed_since_is_not_posted(
    customer_api, erika_wallet, variant, shipping_method
):
    from saleor.checkout.models import Checkout

    from saleor_customer_value.wallet import checkout as wallet_checkout

    # given a completion attempt that pinned a 20.00 reservation and then failed
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 20)
    hold = Hold.objects.get(status=HoldStatus.PENDING)
    row = Checkout.objects.get(token=checkout["token"])
    row.store_value_in_private_metadata(
        {wallet_checkout.APPLIED_KEY: "20.00", wallet_checkout.HOLD_KEY: str(hold.pk)}
    )
    row.save(update_fields=["private_metadata"])
    # and the shopper removed the wallet afterwards
    customer_api.execute(REMOVE, {"id": checkout["id"]})

    # when the whole total is paid by card and the checkout completed
    assert pay(customer_api, checkout, 45.0)["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # then the order exists, paid by the card alone, and the wallet is untouched
    assert result["checkoutErrors"] == [], result
    order = Order.objects.get()
    assert order.total.gross.amount == Decimal("45.00")
    assert [p.gateway for p in Payment.objects.filter(order=order)] == ["mirumee.payments.dummy"]
    erika_wallet.refresh_from_db()
    assert erika_wallet.posted == Decimal("30.000")
    assert "customer_value.wallet_paid" not in (order.metadata or {})
