"""GraphQL steps of the loyalty tests (each a real API call)."""
from ..checkout_flow import checkout_total, complete, create_checkout, pay, set_shipping

QUOTE_FIELDS = """
available appliedPoints maxPoints canRedeem blockedBy message
discount { net { amount } gross { amount currency } }
maxDiscount { amount } eligibleValue { amount } cartValue { amount }
totalBeforePoints { amount } rate { points amount { amount } step }
minBalance minCartValue { amount } reservedUntil
"""

APPLY = f"""
mutation($id: ID!, $points: Decimal, $max: Boolean, $key: String) {{
  checkoutPointsApply(checkoutId: $id, points: $points, max: $max, idempotencyKey: $key) {{
    pointsQuote {{ {QUOTE_FIELDS} }}
    customerValueErrors {{ field code message }}
  }}
}}
"""

REMOVE = f"""
mutation($id: ID!) {{
  checkoutPointsRemove(checkoutId: $id) {{
    pointsQuote {{ {QUOTE_FIELDS} }}
    customerValueErrors {{ field code message }}
  }}
}}
"""

QUOTE = f"""
query($id: ID, $token: UUID) {{
  checkoutPointsQuote(checkoutId: $id, token: $token) {{ {QUOTE_FIELDS} }}
}}
"""

MY_POINTS = """
{ myPoints {
    balance { posted held available pending }
    expiringSoon { points expiresAt }
    lots { status source points remaining expiresAt availableAt order { id } }
    movements(first: 20) { edges { node {
      points balanceAfter reason customerNote order { id }
    } } }
} }
"""

ORDER = """
query($id: ID!) { order(id: $id) {
  discount { amount } discountName
  total { net { amount } tax { amount } gross { amount } }
  metadata { key value }
} }
"""


def apply(api, checkout, points=None, use_max=None, key=None):
    return api.execute(
        APPLY, {"id": checkout["id"], "points": points, "max": use_max, "key": key}
    )["checkoutPointsApply"]


def remove(api, checkout):
    return api.execute(REMOVE, {"id": checkout["id"]})["checkoutPointsRemove"]


def quote(api, checkout):
    return api.execute(QUOTE, {"id": checkout["id"]})["checkoutPointsQuote"]


def my_points(api):
    return api.execute(MY_POINTS)["myPoints"]


def codes(data):
    return [(e["field"], e["code"]) for e in data["customerValueErrors"]]


def ready_checkout(api, variant, shipping_method, quantity=2):
    checkout = create_checkout(api, variant, quantity=quantity)
    set_shipping(api, checkout, shipping_method)
    return checkout


def total(api, checkout):
    return checkout_total(api, checkout)["totalPrice"]


def pay_and_complete(api, checkout, amount=None):
    if amount is None:
        amount = total(api, checkout)["gross"]["amount"]
    payment = pay(api, checkout, amount)
    assert payment["paymentErrors"] == [], payment["paymentErrors"]
    result = complete(api, checkout)
    assert result["checkoutErrors"] == [], result["checkoutErrors"]
    return result["order"]


FULFILL = """
mutation($order: ID!, $input: OrderFulfillInput!) {
  orderFulfill(order: $order, input: $input) { order { status } orderErrors { field code message } }
}
"""
CANCEL = """
mutation($id: ID!) { orderCancel(id: $id) { order { status } orderErrors { field code message } } }
"""
REFUND = """
mutation($id: ID!, $amount: Decimal!) {
  orderRefund(id: $id, amount: $amount) { order { paymentStatus } orderErrors { field code message } }
}
"""


def fulfill(staff_api, order, warehouse):
    from ..conftest import global_id

    lines = [
        {
            "orderLineId": global_id("OrderLine", line.pk),
            "stocks": [{"quantity": line.quantity, "warehouse": global_id("Warehouse", warehouse.pk)}],
        }
        for line in order.lines.all()
    ]
    data = staff_api.execute(
        FULFILL, {"order": global_id("Order", order.pk), "input": {"lines": lines}}
    )["orderFulfill"]
    assert data["orderErrors"] == [], data["orderErrors"]
    return data["order"]


def cancel(staff_api, order):
    from ..conftest import global_id

    data = staff_api.execute(CANCEL, {"id": global_id("Order", order.pk)})["orderCancel"]
    assert data["orderErrors"] == [], data["orderErrors"]
    return data["order"]


def refund(staff_api, order, amount):
    from ..conftest import global_id

    data = staff_api.execute(REFUND, {"id": global_id("Order", order.pk), "amount": amount})["orderRefund"]
    assert data["orderErrors"] == [], data["orderErrors"]
    return data["order"]


def buy(api, variant, shipping_method, quantity=2, points=None):
    """A whole storefront purchase (card payment), commit callbacks included."""
    from saleor.order.models import Order

    from .conftest import on_commit_callbacks

    checkout = ready_checkout(api, variant, shipping_method, quantity=quantity)
    if points:
        data = apply(api, checkout, points)
        assert data["customerValueErrors"] == [], data["customerValueErrors"]
    with on_commit_callbacks():
        pay_and_complete(api, checkout)
    return Order.objects.order_by("-pk").first()
