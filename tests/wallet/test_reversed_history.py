"""A reversed movement stays in the shopper's history next to its reversal, linked,
with a reason the shopper understands."""
from decimal import Decimal

import pytest
from saleor.order.models import Order

from saleor_customer_value.config import CASHBACK_PERCENT
from saleor_customer_value.wallet import paid_orders

from ..conftest import global_id, grant
from .stored_value_flow import configure, new_checkout, pay_and_complete

pytestmark = pytest.mark.django_db

MY_WALLET = """
{ myWallet(currency: "EUR") { movements(first: 10) { edges { node {
    id amount { amount } reason customerNote
    reversalOf { id } reversedBy { id }
} } } } }
"""
ORDER_CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { orderErrors { field code message } } }
"""


def test_cashback_taken_back_on_cancel_shows_both_movements_linked(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given 3% cashback on a paid 45.00 order
    assert configure(staff_api, staff_user, **{CASHBACK_PERCENT: "3"}) == []
    order = pay_and_complete(customer_api, new_checkout(customer_api, variant, 2), shipping_method)
    paid_orders.handle_order_paid(order)

    # when staff cancel the order
    grant(staff_user, "manage_orders")
    data = staff_api.execute(ORDER_CANCEL, {"id": global_id("Order", order.pk)})
    assert data["orderCancel"]["orderErrors"] == []
    paid_orders.handle_order_cancelled(Order.objects.get(pk=order.pk))

    # then the shopper sees the credit and its reversal, pointing at each other
    edges = customer_api.execute(MY_WALLET)["myWallet"]["movements"]["edges"]
    reversal, credit = [edge["node"] for edge in edges]
    assert (credit["amount"]["amount"], credit["reason"]) == (1.35, "CASHBACK")
    assert (reversal["amount"]["amount"], reversal["reason"]) == (-1.35, "REVERSAL")
    assert credit["reversedBy"] == {"id": reversal["id"]}
    assert reversal["reversalOf"] == {"id": credit["id"]}
    assert credit["reversalOf"] is None and reversal["reversedBy"] is None
    assert reversal["customerNote"] == f"Cashback taken back: order #{order.pk} cancelled."


REFUND_TO_WALLET = """
mutation($id: ID!, $amount: Decimal!) {
  orderRefundToWallet(orderId: $id, amount: $amount, note: "Damaged") {
    customerValueErrors { field code message }
  }
}
"""
ORDER_EVENTS = """
query($id: ID!) { order(id: $id) { events { type message } } }
"""


def test_store_credit_cashback_and_its_reversal_appear_in_the_order_history(
    customer_api, customer_user, staff_api, staff_user, variant, shipping_method
):
    # given 3% cashback on a paid 45.00 order
    assert configure(staff_api, staff_user, **{CASHBACK_PERCENT: "3"}) == []
    order = pay_and_complete(customer_api, new_checkout(customer_api, variant, 2), shipping_method)
    from saleor_customer_value.wallet import orders

    orders.order_paid(order)
    grant(staff_user, "manage_orders", "manage_wallets")

    # when 10.00 is refunded to the wallet and the order is cancelled
    refund = staff_api.execute(
        REFUND_TO_WALLET, {"id": global_id("Order", order.pk), "amount": "10.00"}
    )["orderRefundToWallet"]
    assert refund["customerValueErrors"] == []
    data = staff_api.execute(ORDER_CANCEL, {"id": global_id("Order", order.pk)})
    assert data["orderCancel"]["orderErrors"] == []
    orders.order_cancelled(Order.objects.get(pk=order.pk))  # reported again: no duplicates

    # then Saleor's order history shows each booking once
    events = staff_api.execute(ORDER_EVENTS, {"id": global_id("Order", order.pk)})["order"]["events"]
    notes = [e["message"] for e in events if e["type"] == "NOTE_ADDED"]
    assert notes[0] == f"Customer value: Cashback 3% on order #{order.pk} (+1.35 EUR wallet)"
    assert f"Customer value: Store credit for order #{order.pk} (+10.00 EUR wallet)" in notes
    # (a share of the cashback goes with the refund, the rest with the cancellation)
    assert sum("Cashback taken back" in note for note in notes) == 2
    assert len(notes) == len(set(notes))
