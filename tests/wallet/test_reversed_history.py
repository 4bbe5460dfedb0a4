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
