"""A storefront checkout driven through Saleor's GraphQL API, step by step.

Tests of the wallet and points reuse these steps, so each stays a real API call.
"""
from .conftest import global_id

ADDRESS = {
    "firstName": "Erika",
    "lastName": "Mustermann",
    "streetAddress1": "Hauptstrasse 1",
    "city": "Berlin",
    "postalCode": "10115",
    "country": "DE",
    "phone": "+493012345678",
}

CHECKOUT_CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token totalPrice { gross { amount currency } } }
    checkoutErrors { field code message }
  }
}
"""

SHIPPING_UPDATE = """
mutation($id: ID, $method: ID!) {
  checkoutShippingMethodUpdate(checkoutId: $id, shippingMethodId: $method) {
    checkout { totalPrice { net { amount } gross { amount } } }
    checkoutErrors { field code message }
  }
}
"""

CHECKOUT_TOTAL = """
query($token: UUID!) {
  checkout(token: $token) {
    totalPrice { net { amount } tax { amount } gross { amount currency } }
    subtotalPrice { gross { amount } }
  }
}
"""

PAYMENT_CREATE = """
mutation($id: ID!, $input: PaymentInput!) {
  checkoutPaymentCreate(checkoutId: $id, input: $input) {
    payment { id chargeStatus total { amount } }
    paymentErrors { field code message }
  }
}
"""

CHECKOUT_COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(checkoutId: $id) {
    order {
      id number status paymentStatus isPaid
      total { net { amount } tax { amount } gross { amount currency } }
      metadata { key value }
    }
    checkoutErrors { field code message }
  }
}
"""


def create_checkout(api, variant, quantity=1, email="erika@example.com"):
    data = api.execute(
        CHECKOUT_CREATE,
        {
            "input": {
                "email": email,
                "lines": [
                    {"quantity": quantity, "variantId": global_id("ProductVariant", variant.pk)}
                ],
                "shippingAddress": ADDRESS,
                "billingAddress": ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert data["checkoutErrors"] == [], data["checkoutErrors"]
    return data["checkout"]


def set_shipping(api, checkout, shipping_method):
    data = api.execute(
        SHIPPING_UPDATE,
        {"id": checkout["id"], "method": global_id("ShippingMethod", shipping_method.pk)},
    )["checkoutShippingMethodUpdate"]
    assert data["checkoutErrors"] == [], data["checkoutErrors"]
    return data["checkout"]


def checkout_total(api, checkout):
    return api.execute(CHECKOUT_TOTAL, {"token": checkout["token"]})["checkout"]


def pay(api, checkout, amount, gateway="mirumee.payments.dummy", token="charged"):
    data = api.execute(
        PAYMENT_CREATE,
        {
            "id": checkout["id"],
            "input": {"gateway": gateway, "token": token, "amount": amount},
        },
    )["checkoutPaymentCreate"]
    return data


def complete(api, checkout):
    return api.execute(CHECKOUT_COMPLETE, {"id": checkout["id"]})["checkoutComplete"]
