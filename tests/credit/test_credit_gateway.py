"""Paying a whole checkout on the credit line through Saleor's real checkout, and the
points such an order earns (the same as with any other gateway)."""
from decimal import Decimal

from saleor.order.models import Order
from saleor.payment.models import Payment

from saleor_customer_value.credit.payments import CREDIT_GATEWAY_ID
from saleor_customer_value.models import Account, AccountKind, LedgerTransaction

from ..checkout_flow import complete, pay
from ..conftest import ApiClient
from ..loyalty.conftest import on_commit_callbacks, program  # noqa: F401  (fixture)
from .conftest import credit_checkout, open_line, pos_pay, token_for
from ..pos.conftest import till  # noqa: F401  (fixture)

GATEWAYS = """
query($token: UUID!) { checkout(token: $token) { availablePaymentGateways { id name } } }
"""

ORDER_REFUND = """
mutation($id: ID!, $amount: Decimal!) {
  orderRefund(id: $id, amount: $amount) { order { paymentStatus } orderErrors { code message } }
}
"""


def credit_account(user):
    return Account.objects.get(customer__user=user, kind=AccountKind.CREDIT)


def pay_on_credit(api, checkout):
    token = token_for(api, checkout)
    assert token["customerValueErrors"] == [], token
    assert token["gateway"] == CREDIT_GATEWAY_ID
    payment = pay(api, checkout, 45.0, gateway=CREDIT_GATEWAY_ID, token=token["token"])
    assert payment["paymentErrors"] == []
    return complete(api, checkout)


def test_pay_later_is_listed_among_saleors_gateways(customer_api, variant, shipping_method):
    checkout = credit_checkout(customer_api, variant, shipping_method)

    data = customer_api.execute(GATEWAYS, {"token": checkout["token"]})

    ids = {g["id"] for g in data["checkout"]["availablePaymentGateways"]}
    assert {CREDIT_GATEWAY_ID, "mirumee.payments.dummy"} <= ids


def test_a_purchase_that_exactly_reaches_the_limit_then_one_cent_more_is_refused(
    customer_api, customer_user, variant, shipping_method, till  # noqa: F811
):
    # given a credit line of exactly the checkout's 45.00
    open_line(customer_user, "45.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)

    # when the customer pays the whole checkout later
    result = pay_on_credit(customer_api, checkout)

    # then the order is paid and the whole limit is used
    assert result["checkoutErrors"] == []
    assert result["order"]["isPaid"] is True
    account = credit_account(customer_user)
    assert (account.posted, account.held, account.available) == (
        Decimal("-45.000"), Decimal("0"), Decimal("0"),
    )
    order = Order.objects.get()
    payment = Payment.objects.get(order=order)
    assert (payment.gateway, payment.captured_amount) == (CREDIT_GATEWAY_ID, Decimal("45.00"))
    txn = LedgerTransaction.objects.get(reason="credit_purchase")
    assert txn.checkout_token is not None and txn.metadata["channel"] == "checkout"

    # and one more cent at the till is refused
    refused = pos_pay(till, customer_user, "0.01", "k-1")
    assert refused["customerValueErrors"][0]["code"] == "CREDIT_LIMIT_EXCEEDED"
    assert credit_account(customer_user).posted == Decimal("-45.000")


def test_over_the_limit_the_checkout_is_not_completed(
    customer_api, customer_user, variant, shipping_method
):
    open_line(customer_user, "44.99")
    checkout = credit_checkout(customer_api, variant, shipping_method)

    result = pay_on_credit(customer_api, checkout)

    assert result["order"] is None
    assert result["checkoutErrors"][0]["code"] == "PAYMENT_ERROR"
    assert "CREDIT_LIMIT_EXCEEDED" in result["checkoutErrors"][0]["message"]
    assert credit_account(customer_user).posted == Decimal("0")
    assert Order.objects.count() == 0


def test_without_a_credit_line_no_token_is_issued(customer_api, variant, shipping_method):
    checkout = credit_checkout(customer_api, variant, shipping_method)

    data = token_for(customer_api, checkout)

    assert data["token"] is None
    assert data["customerValueErrors"][0]["code"] == "NO_CREDIT_LINE"


def test_wallet_top_ups_cannot_be_bought_on_credit(
    customer_api, customer_user, variant, shipping_method, warehouse
):
    from ..wallet.stored_value_flow import add_top_up

    # given a customer with a credit line and a checkout with goods only
    open_line(customer_user, "500.00")
    checkout = credit_checkout(customer_api, variant, shipping_method)
    token = token_for(customer_api, checkout)["token"]
    assert token

    # when a top-up is added to it
    assert add_top_up(customer_api, checkout, 50)["customerValueErrors"] == []

    # then no pay-later token is issued any more ...
    data = token_for(customer_api, checkout)
    assert data["token"] is None
    assert data["customerValueErrors"][0]["code"] == "STORED_VALUE_ON_CREDIT"

    # ... and the token obtained before is refused at the charge
    payment = pay(customer_api, checkout, 95.0, gateway=CREDIT_GATEWAY_ID, token=token)
    assert payment["paymentErrors"] == []
    result = complete(customer_api, checkout)
    assert result["order"] is None and result["checkoutErrors"]
    assert credit_account(customer_user).posted == Decimal("0")


def test_a_forged_token_books_nothing(api_client, customer_user, variant, shipping_method):
    open_line(customer_user, "100.00")
    checkout = credit_checkout(api_client, variant, shipping_method)
    pay(api_client, checkout, 45.0, gateway=CREDIT_GATEWAY_ID, token="forged")

    result = complete(api_client, checkout)

    assert result["order"] is None
    assert "Invalid or expired credit payment token" in result["checkoutErrors"][0]["message"]
    assert credit_account(customer_user).posted == Decimal("0")


def test_points_on_a_purchase_on_credit_follow_the_normal_rules(
    customer_api, customer_user, other_customer, variant, shipping_method, program  # noqa: F811
):
    # given one customer buys on credit and another buys the same with Saleor's dummy gateway
    open_line(customer_user, "100.00")
    other_api = ApiClient(user=other_customer)
    by_card = credit_checkout(other_api, variant, shipping_method)
    with on_commit_callbacks():
        on_credit = pay_on_credit(
            customer_api, credit_checkout(customer_api, variant, shipping_method)
        )
        pay(other_api, by_card, 45.0)
        by_card = complete(other_api, by_card)
    assert on_credit["checkoutErrors"] == [] and by_card["checkoutErrors"] == []

    # then both orders earned the same points (1 per 1.00 EUR of products: 40)
    earned = {
        txn.customer.user_id: txn.entries.get(account__kind="points").amount
        for txn in LedgerTransaction.objects.filter(reason="points_earned").select_related("customer")
    }
    assert earned == {customer_user.pk: Decimal("40"), other_customer.pk: Decimal("40")}


def test_a_refund_gives_the_amount_back_to_the_credit_line(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    from ..conftest import global_id, grant

    open_line(customer_user, "45.00")
    pay_on_credit(customer_api, credit_checkout(customer_api, variant, shipping_method))
    grant(staff_user, "manage_orders")

    data = staff_api.execute(
        ORDER_REFUND, {"id": global_id("Order", Order.objects.get().pk), "amount": 20}
    )["orderRefund"]

    assert data["orderErrors"] == []
    assert credit_account(customer_user).posted == Decimal("-25.000")
    assert LedgerTransaction.objects.filter(reason="credit_refund").count() == 1


ORDER_CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { order { status } orderErrors { code message } } }
"""


def test_a_cancelled_order_gives_the_whole_amount_back(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    from ..conftest import global_id, grant

    open_line(customer_user, "45.00")
    pay_on_credit(customer_api, credit_checkout(customer_api, variant, shipping_method))
    grant(staff_user, "manage_orders")

    data = staff_api.execute(ORDER_CANCEL, {"id": global_id("Order", Order.objects.get().pk)})

    assert data["orderCancel"]["orderErrors"] == []
    assert credit_account(customer_user).posted == Decimal("0")
