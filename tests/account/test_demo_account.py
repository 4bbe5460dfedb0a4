"""The demo shopper's customer area has something to show on every page: a partner card
plan (the bakery's, with its rewards) and a credit line with one closed statement."""
from django.core.management import call_command
from saleor.account.models import User

from ..conftest import ApiClient

QUERY = """
{
  myPartnerPlans { merchantName points rewards { name points pointsMissing } }
  myCreditLines {
    limit { amount } owed { amount } available { amount } status overdue dueDays
    statements { number amountDue { amount } status overdue csvUrl pdfUrl }
  }
  myWallet { balance { posted { amount } } }
  myPoints { balance { posted } }
}
"""


def test_the_demo_shopper_has_a_partner_plan_and_a_credit_line(db):
    # when the demo command runs twice (it is idempotent)
    call_command("customer_value_demo", stdout=open("/dev/null", "w"))
    shopper = ApiClient(user=User.objects.get(email="shopper@example.com"))
    first = shopper.execute(QUERY)
    call_command("customer_value_demo", stdout=open("/dev/null", "w"))
    second = shopper.execute(QUERY)

    # then the shopper is a member of the bakery's plan, with no points there yet
    assert first["myPartnerPlans"] == [{
        "merchantName": "Demo Bakery", "points": 0,
        "rewards": [
            {"name": "Coffee to go", "points": 10, "pointsMissing": 10},
            {"name": "Cake of the day", "points": 25, "pointsMissing": 25},
        ],
    }]
    # and has a 200.00 credit line: 45.80 billed on statement 1, 18.40 in the open cycle
    [line] = first["myCreditLines"]
    statements = line.pop("statements")
    assert line == {
        "limit": {"amount": 200.0}, "owed": {"amount": 64.2}, "available": {"amount": 135.8},
        "status": "ACTIVE", "overdue": False, "dueDays": 14,
    }
    assert [(s["number"], s["amountDue"]["amount"], s["status"], s["overdue"]) for s in statements] == [
        (1, 45.8, "OPEN", False)
    ]
    assert "/customer-value/credit-statements/" in statements[0]["csvUrl"]
    # and a second run books nothing more (wallet and points as before)
    for data in (first, second):
        data["myCreditLines"][0].pop("statements", None)
    assert second == first
