"""Two partner merchants (a bakery and a cinema), each with a till and a staff member,
set up through the operator's API; a customer with a card; a points program."""
from dataclasses import dataclass
from decimal import Decimal

import pytest
from saleor.account.models import User
from saleor.app.models import App

from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import CardKind, CardState, Merchant

from ..cards.conftest import make_card
from ..conftest import ApiClient, global_id, grant
from ..loyalty.conftest import configure

ERRORS = "customerValueErrors { field code message }"
MERCHANT_FIELDS = "id name status commissionPercent pointValue currency clearingBalance { amount currency } openBookings"

MERCHANT_CREATE = f"""
mutation Create($input: MerchantInput!) {{
  merchantCreate(input: $input) {{ merchant {{ {MERCHANT_FIELDS} }} {ERRORS} }}
}}
"""
MERCHANT_UPDATE = f"""
mutation Update($id: ID!, $input: MerchantInput!) {{
  merchantUpdate(id: $id, input: $input) {{ merchant {{ {MERCHANT_FIELDS} }} {ERRORS} }}
}}
"""
TILL_ASSIGN = f"""
mutation Till($merchantId: ID!, $appId: ID!) {{
  merchantTillAssign(merchantId: $merchantId, appId: $appId) {{ merchant {{ id tills {{ appId name }} }} {ERRORS} }}
}}
"""
STAFF_ASSIGN = f"""
mutation Staff($merchantId: ID!, $userId: ID!) {{
  merchantStaffAssign(merchantId: $merchantId, userId: $userId) {{ merchant {{ id staff {{ email }} }} {ERRORS} }}
}}
"""
STATEMENT_FIELDS = """
  id number currency periodStart periodEnd paidAt payoutReference
  topups { amount } payments { amount } pointsEarned { amount } pointsRedeemed { amount }
  reversals { amount } commission { amount } net { amount currency }
  bookings { transactionId kind receipt gross { amount } commission { amount } net { amount } statementNumber }
  csvUrl pdfUrl
"""
SETTLE = f"""
mutation Settle($merchantId: ID!) {{
  merchantSettle(merchantId: $merchantId) {{ statements {{ {STATEMENT_FIELDS} }} {ERRORS} }}
}}
"""
PAYOUT = f"""
mutation Payout($statementId: ID!, $reference: String) {{
  merchantStatementPayoutRecord(statementId: $statementId, reference: $reference) {{
    statement {{ id number paidAt payoutReference net {{ amount }} }} {ERRORS}
  }}
}}
"""
MERCHANT = f"""
query Merchant($id: ID) {{ merchant(id: $id) {{ {MERCHANT_FIELDS} }} }}
"""
MERCHANTS = "query { merchants { id name } }"
BOOKINGS = """
query Bookings($merchantId: ID) {
  merchantBookings(merchantId: $merchantId) {
    transactionId kind reason receipt customerName gross { amount } commission { amount } net { amount } statementNumber
  }
}
"""
STATEMENTS = f"""
query Statements($merchantId: ID) {{ merchantStatements(merchantId: $merchantId) {{ {STATEMENT_FIELDS} }} }}
"""
CUSTOMERS = """
query Customers($merchantId: ID) { merchantCustomers(merchantId: $merchantId) { customerId email bookings points planPoints } }
"""
POSITION = """
query Position($currency: String!) {
  partnerNetworkPosition(currency: $currency) {
    currency merchantTotal { amount } commission { amount } operator { amount } balanced
    merchants { merchant { name } balance { amount } }
  }
}
"""


@dataclass
class Partner:
    merchant: Merchant
    id: str
    app: App
    till: ApiClient
    staff_user: User
    staff: ApiClient


@pytest.fixture
def program(db):
    """1 point per 1.00 EUR, rounded down; 100 points = 1.00 EUR."""
    return configure(
        enabled=True,
        earn_points=1,
        earn_amount=Decimal("1.00"),
        earn_rounding="down",
        redeem_points=100,
        redeem_amount=Decimal("1.00"),
        redeem_min_balance=0,
    )


@pytest.fixture
def operator(staff_user):
    grant(staff_user, "manage_partners")
    return ApiClient(user=staff_user)


def add_partner(operator, name, commission, point_value, slug):
    created = operator.execute(
        MERCHANT_CREATE,
        {
            "input": {
                "name": name,
                "contactEmail": f"{slug}@example.com",
                "payoutDetails": "DE02 1203 0000 0000 2020 51",
                "commissionPercent": commission,
                "pointValue": point_value,
                "currency": "EUR",
            }
        },
    )["merchantCreate"]
    assert created["customerValueErrors"] == [], created
    merchant_id = created["merchant"]["id"]
    app = App.objects.create(name=f"{name} till", is_active=True)
    token = app.tokens.create(name="till").auth_token
    grant(app, "use_pos")
    result = operator.execute(TILL_ASSIGN, {"merchantId": merchant_id, "appId": global_id("App", app.pk)})
    assert result["merchantTillAssign"]["customerValueErrors"] == [], result
    user = User.objects.create_user(f"{slug}-staff@example.com", "pw", is_staff=True, is_active=True)
    grant(user, "use_pos")
    result = operator.execute(STAFF_ASSIGN, {"merchantId": merchant_id, "userId": global_id("User", user.pk)})
    assert result["merchantStaffAssign"]["customerValueErrors"] == [], result
    merchant = Merchant.objects.get(name=name)
    return Partner(merchant, merchant_id, app, ApiClient(app_token=token), user, ApiClient(user=user))


@pytest.fixture
def bakery(operator):
    return add_partner(operator, "Bakery", "10", "0.01", "bakery")


@pytest.fixture
def cinema(operator):
    return add_partner(operator, "Cinema", "5", "0.01", "cinema")


@pytest.fixture
def erika_card(customer_user):
    customer = accounts.customer_for_user(customer_user)
    return make_card(customer, state=CardState.ACTIVE, kind=CardKind.QR)


def amounts(rows, field):
    return [row[field]["amount"] for row in rows]
