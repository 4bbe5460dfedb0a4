"""How many SQL statements a till's lookup and sale cost, so a regression fails CI.

Counted through the real ``/graphql/`` endpoint with the App's token, everything
included: the App's authentication (1 statement), the plugin's reads and writes,
and the savepoint pair of the mutation's transaction (inside the test's transaction).
The queries are the ones the POS benchmark sends (the till asks for the card and the
points): fields a till does not select are not read.
"""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import give_points
from .queries import amount_input

LOOKUP = """
query Lookup($code: String) {
  posCustomerLookup(code: $code) {
    customers { customerId name email card { maskedCode state kind } points { available posted held pending } }
    customerValueErrors { field code message }
  }
}
"""
SALE = """
mutation Sale($input: PosAmountInput!) {
  posSaleRecord(input: $input) {
    pointsEarned replayed
    customer { customerId points { available posted held pending } }
    bookings { id reason amount unit }
    customerValueErrors { field code message }
  }
}
"""
# The App with its permissions (one statement, graphql/request_auth.py), the card with
# customer and user, the points account with its projection check and lot sums.
LOOKUP_STATEMENTS = 3
# 12 outside the test transaction (no outer savepoint pair): the App with its
# permissions, card with customer, program, the merchant the till books for (issue
# 12), the customer's held badges for the earn multiplier, the points account and the
# system account (one statement), the posting (cv_post), the lot projection
# (cv_lots_credit_fast, migration 0020), the active ranged badges and any retired badge
# still held (one query), and the answer's balance (one query). The points credit has
# one savepoint pair (lots.credit's) around the posting and the lots.
SALE_STATEMENTS = 14


def statements(client, query, variables):
    with CaptureQueriesContext(connection) as captured:
        data = client.execute(query, variables)
    return data, [q["sql"] for q in captured.captured_queries]


def test_lookup_by_card_reads_only_what_the_till_shows(till, customer_user, erika_card, program):
    # given a customer with points
    give_points(customer_user, 250)

    # when the till looks the card up
    data, sql = statements(till, LOOKUP, {"code": erika_card.code})

    # then the answer is complete and took at most the budgeted statements
    (customer,) = data["posCustomerLookup"]["customers"]
    assert customer["points"] == {"available": 250, "posted": 250, "held": 0, "pending": 0}
    assert len(sql) <= LOOKUP_STATEMENTS, "\n".join(sql)
    assert not any("customer_value_account" in s and "'wallet'" in s for s in sql)


def test_sale_stays_within_its_statement_budget(till, customer_user, erika_card, program):
    # given a customer who already earned points (the lots exist)
    give_points(customer_user, 10)

    # when the till records a sale
    data, sql = statements(
        till, SALE, amount_input({"code": erika_card.code}, "37.99", receipt="R-1", key="k-1")
    )

    # then
    result = data["posSaleRecord"]
    assert result["customerValueErrors"] == [] and result["pointsEarned"] == 37
    assert result["customer"]["points"]["available"] == 47
    assert len(sql) <= SALE_STATEMENTS, "\n".join(sql)
    assert sum("cv_post(" in s for s in sql) == 1
    assert sum("cv_lots_credit_fast(" in s for s in sql) == 1  # the lot in one statement
