"""The wallet as a payment gateway for a whole checkout, and giving wallet money back
(Saleor refunds, cancelled orders)."""
from decimal import Decimal

from saleor.order.models import Order
from saleor.payment import ChargeStatus
from saleor.payment.models import Payment

from saleor_customer_value.wallet.payments import WALLET_GATEWAY_ID

from ..checkout_flow import complete, create_checkout, pay, set_shipping
from ..conftest import ApiClient, grant
from .conftest import fund_wallet
from .test_checkout_wallet import apply

TOKEN = """
mutation($id: ID!) {
  checkoutWalletPaymentToken(checkoutId: $id) {
    token gateway customerValueErrors { field code message }
  }
}
"""

GATEWAYS = """
query($token: UUID!) { checkout(token: $token) { availablePaymentGateways { id name } } }
"""

ORDER_CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { order { status } orderErrors { code message } } }
"""

ORDER_REFUND = """
mutation($id: ID!, $amount: Decimal!) {
  orderRefund(id: $id, amount: $amount) { order { paymentStatus } orderErrors { code message } }
}
"""


def wallet_checkout(api, variant, shipping_method):
    checkout = create_checkout(api, variant, quantity=2)
    set_shipping(api, checkout, shipping_method)
    return checkout


def token_for(api, checkout):
    return api.execute(TOKEN, {"id": checkout["id"]})["checkoutWalletPaymentToken"]


def test_the_wallet_is_listed_among_saleors_payment_gateways(
    customer_api, variant, shipping_method
):
    checkout = wallet_checkout(customer_api, variant, shipping_method)

    data = customer_api.execute(GATEWAYS, {"token": checkout["token"]})

    ids = {g["id"] for g in data["checkout"]["availablePaymentGateways"]}
    assert {WALLET_GATEWAY_ID, "mirumee.payments.dummy"} <= ids


def test_the_wallet_pays_a_whole_checkout(customer_api, customer_user, variant, shipping_method):
    # given 50.00 in the wallet and a 45.00 checkout
    wallet = fund_wallet(customer_user, "50.00")
    checkout = wallet_checkout(customer_api, variant, shipping_method)

    # when the customer pays with the wallet gateway
    token = token_for(customer_api, checkout)
    assert token["gateway"] == WALLET_GATEWAY_ID
    payment = pay(customer_api, checkout, 45.0, gateway=WALLET_GATEWAY_ID, token=token["token"])
    assert payment["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # then the order is paid by the wallet and the ledger shows the debit
    assert result["checkoutErrors"] == []
    assert result["order"]["isPaid"] is True
    wallet.refresh_from_db()
    assert wallet.posted == Decimal("5.000")
    db_payment = Payment.objects.get(order__pk=Order.objects.get().pk)
    assert (db_payment.gateway, db_payment.captured_amount) == (WALLET_GATEWAY_ID, Decimal("45.00"))


def test_the_wallet_gateway_refuses_more_than_the_balance(
    customer_api, customer_user, variant, shipping_method
):
    wallet = fund_wallet(customer_user, "44.99")
    checkout = wallet_checkout(customer_api, variant, shipping_method)
    token = token_for(customer_api, checkout)["token"]
    pay(customer_api, checkout, 45.0, gateway=WALLET_GATEWAY_ID, token=token)

    result = complete(customer_api, checkout)

    assert result["order"] is None
    assert result["checkoutErrors"][0]["code"] == "PAYMENT_ERROR"
    assert "Only 44.990 EUR is available" in result["checkoutErrors"][0]["message"]
    wallet.refresh_from_db()
    assert wallet.posted == Decimal("44.990")
    assert Order.objects.count() == 0


def test_a_forged_token_cannot_pay_with_someone_elses_wallet(
    api_client, customer_user, variant, shipping_method
):
    # given an anonymous checkout that uses the victim's e-mail and a made-up token
    wallet = fund_wallet(customer_user, "100.00")
    checkout = create_checkout(api_client, variant, quantity=2, email=customer_user.email)
    set_shipping(api_client, checkout, shipping_method)
    pay(api_client, checkout, 45.0, gateway=WALLET_GATEWAY_ID, token="forged")

    # when
    result = complete(api_client, checkout)

    # then
    assert result["order"] is None
    assert "Invalid or expired wallet payment token" in result["checkoutErrors"][0]["message"]
    wallet.refresh_from_db()
    assert wallet.posted == Decimal("100.000")


def test_a_token_is_only_issued_to_the_checkouts_owner(
    customer_api, api_client, other_customer, variant, shipping_method
):
    others = wallet_checkout(ApiClient(user=other_customer), variant, shipping_method)

    mine = token_for(customer_api, others)
    anonymous = token_for(api_client, others)

    assert [e["code"] for e in mine["customerValueErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in anonymous["customerValueErrors"]] == ["PERMISSION_DENIED"]
    assert mine["token"] is None and anonymous["token"] is None


def test_saleor_refund_of_a_wallet_paid_order_credits_the_wallet(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given an order paid 45.00 by the wallet gateway
    grant(staff_user, "manage_orders")
    wallet = fund_wallet(customer_user, "50.00")
    checkout = wallet_checkout(customer_api, variant, shipping_method)
    pay(customer_api, checkout, 45.0, gateway=WALLET_GATEWAY_ID, token=token_for(customer_api, checkout)["token"])
    order = complete(customer_api, checkout)["order"]

    # when staff refund 15.00 through Saleor
    data = staff_api.execute(ORDER_REFUND, {"id": order["id"], "amount": 15})["orderRefund"]

    # then the wallet gets it back and Saleor's payment shows the refund
    assert data["orderErrors"] == []
    assert data["order"]["paymentStatus"] == "PARTIALLY_REFUNDED"
    wallet.refresh_from_db()
    assert wallet.posted == Decimal("20.000")


def test_cancelling_a_split_paid_order_returns_the_wallet_part(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given an order paid 20.00 by the wallet and 25.00 by card
    grant(staff_user, "manage_orders")
    wallet = fund_wallet(customer_user, "30.00")
    checkout = wallet_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 20)
    pay(customer_api, checkout, 25.0)
    order = complete(customer_api, checkout)["order"]

    # when staff cancel the order
    data = staff_api.execute(ORDER_CANCEL, {"id": order["id"]})["orderCancel"]

    # then the wallet part is back and Saleor's wallet payment is refunded
    assert data["orderErrors"] == []
    assert data["order"]["status"] == "CANCELED"
    wallet.refresh_from_db()
    assert wallet.posted == Decimal("30.000")
    wallet_payment = Payment.objects.get(gateway=WALLET_GATEWAY_ID)
    assert wallet_payment.charge_status == ChargeStatus.FULLY_REFUNDED
    assert wallet_payment.captured_amount == Decimal("0")
