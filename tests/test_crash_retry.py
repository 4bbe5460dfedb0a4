"""A retried checkoutComplete after a crash between the card capture and the order's
commit must not capture the card a second time (Saleor 2.10 would: it calls the gateway
for the last active payment on every attempt)."""
from decimal import Decimal

from saleor.order.models import Order
from saleor.payment import TransactionKind, gateway
from saleor.payment.models import Payment

from saleor_customer_value.models import Hold, HoldStatus

from .checkout_flow import complete, create_checkout, pay, set_shipping
from .wallet.conftest import fund_wallet
from .wallet.test_checkout_wallet import apply


def _captures(payment):
    return payment.transactions.filter(kind=TransactionKind.CAPTURE, is_success=True).count()


def test_a_retry_after_a_crash_between_capture_and_order_does_not_capture_again(
    customer_api, customer_user, variant, shipping_method
):
    # given: wallet pays 5.00 of a 45.00 checkout, the card 40.00; the first attempt's
    # capture went through the dummy gateway, then the process died before the order
    fund_wallet(customer_user, "5.00")
    checkout = create_checkout(customer_api, variant, quantity=2)
    set_shipping(customer_api, checkout, shipping_method)
    assert apply(customer_api, checkout, 5)["customerValueErrors"] == []
    assert pay(customer_api, checkout, 40.0)["paymentErrors"] == []
    payment = Payment.objects.get()
    gateway.process_payment(payment=payment, token=payment.token)
    payment.refresh_from_db()
    assert (_captures(payment), payment.captured_amount) == (1, Decimal("40.00"))

    # when: the shopper retries
    result = complete(customer_api, checkout)

    # then: refused before the gateway; one capture, no order, wallet only reserved
    assert [e["code"] for e in result["checkoutErrors"]] == ["PAYMENT_ERROR"]
    payment.refresh_from_db()
    assert (_captures(payment), payment.captured_amount) == (1, Decimal("40.00"))
    assert not Order.objects.exists()
    assert Hold.objects.get().status == HoldStatus.PENDING


def test_a_normal_checkout_still_completes(customer_api, variant, shipping_method):
    checkout = create_checkout(customer_api, variant)
    set_shipping(customer_api, checkout, shipping_method)
    assert pay(customer_api, checkout, 25.0)["paymentErrors"] == []

    result = complete(customer_api, checkout)

    assert result["checkoutErrors"] == []
    assert _captures(Payment.objects.get()) == 1
