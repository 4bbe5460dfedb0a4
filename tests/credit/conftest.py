from decimal import Decimal

import pytest

from saleor_customer_value.credit import lines
from saleor_customer_value.ledger import accounts
from saleor_customer_value.ledger.actors import Actor

from ..checkout_flow import create_checkout, set_shipping
from ..conftest import ApiClient, global_id, grant
from ..loyalty.conftest import configure

__all__ = ["configure"]

CREDIT_LINE_FIELDS = """
  id currency status dueDays overdue
  limit { amount currency } owed { amount } held { amount } available { amount }
  statements { number amountDue { amount } paidAmount { amount } status overdue }
  limitHistory { oldLimit { amount } newLimit { amount } note changedBy }
"""

TOKEN = """
mutation($id: ID!) {
  checkoutCreditPaymentToken(checkoutId: $id) {
    token gateway customerValueErrors { field code message }
  }
}
"""

POS_CREDIT_PAY = """
mutation($input: PosAmountInput!) {
  posCreditPay(input: $input) {
    paid { amount currency } replayed
    bookings { reason }
    customerValueErrors { field code message }
  }
}
"""


def open_line(user, limit, due_days=14, currency="EUR"):
    """A credit line opened by the domain service (the API has its own test)."""
    return lines.open_line(
        accounts.customer_for_user(user), currency, Decimal(limit), due_days,
        "opened in a test", Actor.system("tests"),
    )


@pytest.fixture
def credit_staff(staff_user):
    grant(staff_user, "manage_credit")
    return ApiClient(user=staff_user)


def credit_checkout(api, variant, shipping_method, quantity=2):
    """2 x 20.00 + 5.00 shipping = 45.00 (no tax plugin)."""
    checkout = create_checkout(api, variant, quantity=quantity)
    set_shipping(api, checkout, shipping_method)
    return checkout


def token_for(api, checkout):
    return api.execute(TOKEN, {"id": checkout["id"]})["checkoutCreditPaymentToken"]


def pos_pay(api, user, amount, key, receipt="R-1"):
    return api.execute(
        POS_CREDIT_PAY,
        {
            "input": {
                "customer": {"customerId": global_id("User", user.pk)},
                "amount": amount,
                "currency": "EUR",
                "receipt": receipt,
                "note": "till 1",
                "idempotencyKey": key,
            }
        },
    )["posCreditPay"]
