"""GraphQL steps for the top-up, gift voucher and reward tests: plugin settings through
``pluginUpdate``, checkouts with top-ups, paying with the dummy gateway."""
from decimal import Decimal

from django.db import connection
from saleor.order.models import Order

from saleor_customer_value.config import PLUGIN_ID
from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import Customer, LedgerTransaction

from ..checkout_flow import ADDRESS, complete, pay, set_shipping
from ..conftest import global_id, grant

PLUGIN_UPDATE = """
mutation($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    pluginsErrors { field code message }
  }
}
"""

CHECKOUT_CREATE = """
mutation($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout { id token }
    checkoutErrors { field code message }
  }
}
"""

TOP_UP_ADD = """
mutation($id: ID!, $amount: Decimal!) {
  checkoutWalletTopUpAdd(checkoutId: $id, amount: $amount) {
    checkout {
      totalPrice { net { amount } tax { amount } gross { amount currency } }
      lines { quantity variant { sku } }
    }
    amount { amount currency }
    customerValueErrors { field code message }
  }
}
"""

CHECKOUT_QUERY = """
query($token: UUID!) {
  checkout(token: $token) {
    isShippingRequired
    totalPrice { net { amount } tax { amount } gross { amount currency } }
    lines { quantity variant { sku } }
  }
}
"""


def configure(staff_api, staff_user, **values):
    """Store plugin settings through Saleor's ``pluginUpdate``; return its errors."""
    grant(staff_user, "manage_plugins")
    configuration = [{"name": name, "value": value} for name, value in values.items()]
    data = staff_api.execute(
        PLUGIN_UPDATE, {"id": PLUGIN_ID, "input": {"configuration": configuration}}
    )
    return data["pluginUpdate"]["pluginsErrors"]


def new_checkout(api, variant=None, quantity=1, email="erika@example.com"):
    lines = []
    if variant is not None:
        lines = [{"quantity": quantity, "variantId": global_id("ProductVariant", variant.pk)}]
    payload = {"email": email, "lines": lines, "billingAddress": ADDRESS}
    if variant is not None:
        payload["shippingAddress"] = ADDRESS
    data = api.execute(CHECKOUT_CREATE, {"input": payload})["checkoutCreate"]
    assert data["checkoutErrors"] == [], data["checkoutErrors"]
    return data["checkout"]


def add_top_up(api, checkout, amount):
    return api.execute(TOP_UP_ADD, {"id": checkout["id"], "amount": amount})[
        "checkoutWalletTopUpAdd"
    ]


def checkout_state(api, checkout):
    return api.execute(CHECKOUT_QUERY, {"token": checkout["token"]})["checkout"]


def pay_and_complete(api, checkout, shipping_method=None):
    """Pay the checkout's total with the dummy gateway, complete it, return the order."""
    if checkout_state(api, checkout)["isShippingRequired"]:
        set_shipping(api, checkout, shipping_method)
    total = checkout_state(api, checkout)["totalPrice"]["gross"]["amount"]
    payment = pay(api, checkout, total)
    assert payment["paymentErrors"] == [], payment["paymentErrors"]
    result = complete(api, checkout)
    assert result["checkoutErrors"] == [], result["checkoutErrors"]
    return Order.objects.get(checkout_token=checkout["token"])


def wallet_posted(user, currency="EUR"):
    customer = Customer.objects.filter(user=user).first()
    if customer is None:
        return Decimal("0")
    wallet = accounts.find_wallet(customer, currency)
    return wallet.posted if wallet else Decimal("0")


def booked(order, reason):
    return list(
        LedgerTransaction.objects.filter(order_id=order.pk, reason=reason).order_by("pk")
    )


def wallet_amount(txn):
    return next(e.signed_amount for e in txn.entries.all() if e.account.kind == "wallet")


class on_commit_callbacks:
    """Run the ``transaction.on_commit`` callbacks registered inside the block.

    Tests run in one rolled-back transaction, so Django (3.0, before
    ``captureOnCommitCallbacks``) would never run them.
    """

    def __enter__(self):
        self.start = len(connection.run_on_commit)
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            callbacks = connection.run_on_commit[self.start:]
            del connection.run_on_commit[self.start:]
            for _sids, callback in callbacks:
                callback()
