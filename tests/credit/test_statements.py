"""Billing cycles through the API: close into a statement (every booking, CSV, PDF,
e-mail), record the customer's payment, overdue lines refused, limit changes."""
from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.test import Client
from django.utils import timezone

from saleor_customer_value.credit import statements
from saleor_customer_value.models import CreditLine, CreditStatement

from ..conftest import ApiClient, global_id, grant
from ..pos.conftest import till  # noqa: F401  (fixture)
from .conftest import (  # noqa: F401
    CREDIT_LINE_FIELDS, credit_checkout, credit_staff, open_line, pos_pay, token_for,
)

LINE_CREATE = """
mutation($input: CreditLineCreateInput!) {
  creditLineCreate(input: $input) {
    creditLine { %s }
    customerValueErrors { field code message }
  }
}
""" % CREDIT_LINE_FIELDS

CYCLE_CLOSE = """
mutation($customer: ID!) {
  creditCycleClose(customerId: $customer) {
    statement {
      id number amountDue { amount currency } purchases { amount } credits { amount }
      openingBalance { amount } closingBalance { amount } dueDate status emailedAt
      bookings { amount { amount } balanceAfter { amount } reason customerNote reference }
      csvUrl pdfUrl
    }
    creditLine { owed { amount } available { amount } }
    customerValueErrors { field code message }
  }
}
"""

PAYMENT_RECORD = """
mutation($customer: ID!, $amount: Decimal!, $key: String) {
  creditPaymentRecord(customerId: $customer, amount: $amount, reference: "bank 4711",
                      idempotencyKey: $key) {
    creditLine { %s }
    transaction { reason }
    customerValueErrors { field code message }
  }
}
""" % CREDIT_LINE_FIELDS

LIMIT_UPDATE = """
mutation($customer: ID!, $limit: Decimal!, $note: String!) {
  creditLimitUpdate(customerId: $customer, limit: $limit, note: $note) {
    creditLine { %s }
    change { oldLimit { amount } newLimit { amount } note changedBy }
    customerValueErrors { field code message }
  }
}
""" % CREDIT_LINE_FIELDS

MY_LINES = """
{ myCreditLines { %s statements { bookings { amount { amount } } csvUrl } } }
""" % CREDIT_LINE_FIELDS


def user_id(user):
    return global_id("User", user.pk)


def test_staff_open_a_credit_line_with_a_note(credit_staff, customer_user):
    data = credit_staff.execute(
        LINE_CREATE,
        {"input": {"customerId": user_id(customer_user), "limit": "200.00", "dueDays": 10,
                   "note": "regular customer"}},
    )["creditLineCreate"]

    assert data["customerValueErrors"] == []
    line = data["creditLine"]
    assert (line["limit"]["amount"], line["available"]["amount"], line["dueDays"]) == (200.0, 200.0, 10)
    assert line["limitHistory"] == [
        {"oldLimit": {"amount": 0.0}, "newLimit": {"amount": 200.0},
         "note": "regular customer", "changedBy": "staff@example.com"}
    ]
    again = credit_staff.execute(
        LINE_CREATE,
        {"input": {"customerId": user_id(customer_user), "limit": "1.00", "note": "x"}},
    )["creditLineCreate"]
    assert again["customerValueErrors"][0]["code"] == "CREDIT_LINE_EXISTS"


def test_opening_a_line_needs_manage_credit(staff_api, customer_user):
    data = staff_api.execute(
        LINE_CREATE,
        {"input": {"customerId": user_id(customer_user), "limit": "200.00", "note": "x"}},
    )["creditLineCreate"]

    assert data["customerValueErrors"][0]["code"] == "PERMISSION_DENIED"
    assert CreditLine.objects.count() == 0


def test_a_cycle_closed_into_a_statement_and_settled(
    credit_staff, customer_user, customer_api, till  # noqa: F811
):
    # given two purchases at the till on a 100.00 line
    open_line(customer_user, "100.00", due_days=14)
    assert pos_pay(till, customer_user, "30.00", "k-1", "R-1")["customerValueErrors"] == []
    assert pos_pay(till, customer_user, "12.50", "k-2", "R-2")["customerValueErrors"] == []

    # when staff close the cycle
    data = credit_staff.execute(CYCLE_CLOSE, {"customer": user_id(customer_user)})["creditCycleClose"]

    # then the statement lists every booking and bills 42.50, due in 14 days
    assert data["customerValueErrors"] == []
    statement = data["statement"]
    assert statement["number"] == 1
    assert statement["amountDue"] == {"amount": 42.5, "currency": "EUR"}
    assert (statement["openingBalance"], statement["purchases"], statement["closingBalance"]) == (
        {"amount": 0.0}, {"amount": 42.5}, {"amount": -42.5},
    )
    assert statement["dueDate"] == (timezone.now() + timedelta(days=14)).date().isoformat()
    assert statement["status"] == "OPEN"
    assert [(b["amount"]["amount"], b["balanceAfter"]["amount"], b["reason"], b["reference"])
            for b in statement["bookings"]] == [
        (-30.0, -30.0, "CREDIT_PURCHASE", "R-1"),
        (-12.5, -42.5, "CREDIT_PURCHASE", "R-2"),
    ]
    # and it was e-mailed with the CSV and the PDF
    assert statement["emailedAt"] is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["erika@example.com"]
    assert "42.50 EUR" in message.body
    names = [name for name, _, _ in message.attachments]
    assert names == [f"statement-{CreditLine.objects.get().pk}-1.csv",
                     f"statement-{CreditLine.objects.get().pk}-1.pdf"]
    csv_text = message.attachments[0][1]  # text attachments arrive as str
    assert "R-1,-30.00,-30.00" in csv_text and "R-2,-12.50,-42.50" in csv_text
    assert message.attachments[1][1].startswith(b"%PDF")
    # and the signed links download the same files
    csv_download = Client().get(statement["csvUrl"].replace("http://testserver", ""))
    assert csv_download.status_code == 200
    assert csv_download.content.decode() == csv_text

    # when a later purchase follows and the customer pays the bill
    assert pos_pay(till, customer_user, "5.00", "k-3", "R-3")["customerValueErrors"] == []
    paid = credit_staff.execute(
        PAYMENT_RECORD, {"customer": user_id(customer_user), "amount": "42.50", "key": "pay-1"}
    )["creditPaymentRecord"]

    # then the statement is paid, only the new purchase is owed
    assert paid["customerValueErrors"] == []
    assert paid["transaction"]["reason"] == "CREDIT_SETTLEMENT"
    line = paid["creditLine"]
    assert line["statements"] == [
        {"number": 1, "amountDue": {"amount": 42.5}, "paidAmount": {"amount": 42.5},
         "status": "PAID", "overdue": False}
    ]
    assert (line["owed"]["amount"], line["available"]["amount"]) == (5.0, 95.0)
    # a replayed payment books nothing more
    again = credit_staff.execute(
        PAYMENT_RECORD, {"customer": user_id(customer_user), "amount": "42.50", "key": "pay-1"}
    )["creditPaymentRecord"]
    assert again["creditLine"]["owed"]["amount"] == 5.0

    # and the next statement starts where the first ended
    second = statements.close_cycle(CreditLine.objects.get())
    assert (second.number, second.opening_balance, second.closing_balance) == (
        2, Decimal("-42.500"), Decimal("-5.000"),
    )
    assert (second.purchases, second.credits, second.amount_due) == (
        Decimal("5.000"), Decimal("42.500"), Decimal("5.000"),
    )
    # the customer sees their own line and statements, without the staff notes
    mine = customer_api.execute(MY_LINES)["myCreditLines"]
    assert [s["number"] for s in mine[0]["statements"]] == [2, 1]
    assert mine[0]["limitHistory"] is None


def test_a_partial_payment_leaves_the_statement_open(credit_staff, customer_user, till):  # noqa: F811
    open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "30.00", "k-1")
    credit_staff.execute(CYCLE_CLOSE, {"customer": user_id(customer_user)})

    paid = credit_staff.execute(
        PAYMENT_RECORD, {"customer": user_id(customer_user), "amount": "10.00"}
    )["creditPaymentRecord"]

    assert paid["creditLine"]["statements"][0]["paidAmount"] == {"amount": 10.0}
    assert paid["creditLine"]["statements"][0]["status"] == "OPEN"


def test_an_overdue_line_is_refused_until_paid(
    credit_staff, customer_user, customer_api, till, variant, shipping_method  # noqa: F811
):
    # given a closed cycle whose due date has passed without payment
    open_line(customer_user, "100.00", due_days=7)
    pos_pay(till, customer_user, "20.00", "k-1")
    credit_staff.execute(CYCLE_CLOSE, {"customer": user_id(customer_user)})
    CreditStatement.objects.update(due_date=timezone.now().date() - timedelta(days=1))

    # when the customer buys on credit again
    refused = pos_pay(till, customer_user, "1.00", "k-2")

    # then the purchase is refused as OVERDUE and nothing is booked
    assert refused["customerValueErrors"][0]["code"] == "OVERDUE"
    assert "was due on" in refused["customerValueErrors"][0]["message"]
    assert CreditLine.objects.get().account.posted == Decimal("-20.000")
    # and online too: no payment token while the bill is overdue
    token = token_for(customer_api, credit_checkout(customer_api, variant, shipping_method))
    assert token["token"] is None
    assert token["customerValueErrors"][0]["code"] == "OVERDUE"

    # and once the bill is paid, buying works again
    credit_staff.execute(PAYMENT_RECORD, {"customer": user_id(customer_user), "amount": "20.00"})
    assert pos_pay(till, customer_user, "1.00", "k-3")["customerValueErrors"] == []


def test_limit_changes_are_kept_with_their_note(credit_staff, customer_user, till):  # noqa: F811
    open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "60.00", "k-1")

    raised = credit_staff.execute(
        LIMIT_UPDATE, {"customer": user_id(customer_user), "limit": "150", "note": "pays on time"}
    )["creditLimitUpdate"]
    lowered = credit_staff.execute(
        LIMIT_UPDATE, {"customer": user_id(customer_user), "limit": "60", "note": "risk review"}
    )["creditLimitUpdate"]
    below = credit_staff.execute(
        LIMIT_UPDATE, {"customer": user_id(customer_user), "limit": "59.99", "note": "too low"}
    )["creditLimitUpdate"]
    no_note = credit_staff.execute(
        LIMIT_UPDATE, {"customer": user_id(customer_user), "limit": "70", "note": " "}
    )["creditLimitUpdate"]

    assert raised["customerValueErrors"] == [] and lowered["customerValueErrors"] == []
    assert raised["change"] == {"oldLimit": {"amount": 100.0}, "newLimit": {"amount": 150.0},
                                "note": "pays on time", "changedBy": "staff@example.com"}
    assert lowered["creditLine"]["available"] == {"amount": 0.0}
    assert below["customerValueErrors"][0]["code"] == "CREDIT_LIMIT_BELOW_USED"
    assert no_note["customerValueErrors"][0]["field"] == "note"
    history = lowered["creditLine"]["limitHistory"]
    assert [(h["newLimit"]["amount"], h["note"]) for h in history] == [
        (60.0, "risk review"), (150.0, "pays on time"), (100.0, "opened in a test"),
    ]
    # at the lowered limit nothing more can be bought
    assert pos_pay(till, customer_user, "0.01", "k-2")["customerValueErrors"][0]["code"] == (
        "CREDIT_LIMIT_EXCEEDED"
    )


def test_a_suspended_line_is_refused(credit_staff, customer_user, till):  # noqa: F811
    open_line(customer_user, "100.00")
    data = credit_staff.execute(
        """mutation($c: ID!) { creditLineUpdate(customerId: $c, status: SUSPENDED) {
             creditLine { status } customerValueErrors { code } } }""",
        {"c": user_id(customer_user)},
    )["creditLineUpdate"]
    assert data["creditLine"]["status"] == "SUSPENDED"

    refused = pos_pay(till, customer_user, "1.00", "k-1")

    assert refused["customerValueErrors"][0]["code"] == "CREDIT_LINE_SUSPENDED"


def test_the_periodic_task_closes_ended_cycles(customer_user, till):  # noqa: F811
    # given a line whose monthly cycle started last month
    line = open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "10.00", "k-1")
    CreditLine.objects.filter(pk=line.pk).update(cycle_start=timezone.now() - timedelta(days=40))

    # when the task runs (twice: the second run finds nothing to close)
    closed = statements.close_due_cycles()
    again = statements.close_due_cycles()

    # then one statement, e-mailed, and the next cycle starts now
    assert [(s.number, s.amount_due) for s in closed] == [(1, Decimal("10.000"))]
    assert again == []
    assert CreditStatement.objects.get().emailed_at is not None
    assert len(mail.outbox) == 1


def test_statement_links_work_for_the_owner_only(customer_api, customer_user, other_customer, till):  # noqa: F811
    # given a closed statement
    open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "10.00", "k-1")
    statements.close_cycle(CreditLine.objects.get())
    mine = customer_api.execute("{ myCreditLines { statements { csvUrl pdfUrl } } }")
    links = mine["myCreditLines"][0]["statements"][0]

    # when the owner opens the PDF link
    pdf = Client().get(links["pdfUrl"].replace("http://testserver", ""))

    # then it is the statement's PDF; a tampered link and another customer's view get nothing
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"
    tampered = links["csvUrl"].replace("http://testserver", "")[:-3] + "xx/"
    assert Client().get(tampered).status_code == 403
    others = ApiClient(user=other_customer).execute("{ myCreditLines { id } }")
    assert others["myCreditLines"] == []


def test_the_till_sees_the_credit_line_of_a_looked_up_customer(customer_user, till):  # noqa: F811
    open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "30.00", "k-1")

    data = till.execute(
        """query($email: String) { posCustomerLookup(email: $email) { customers {
             creditLines { currency available { amount } owed { amount } overdue limitHistory { note } }
           } customerValueErrors { code } } }""",
        {"email": customer_user.email},
    )

    assert data["posCustomerLookup"]["customers"][0]["creditLines"] == [
        {"currency": "EUR", "available": {"amount": 70.0}, "owed": {"amount": 30.0},
         "overdue": False, "limitHistory": None}
    ]


def test_an_unpaid_bill_is_carried_into_the_next_and_one_payment_settles_both(
    credit_staff, customer_user, till  # noqa: F811
):
    # given statement 1 (20.00) unpaid and statement 2 (20.00 + 15.00 new = 35.00)
    line = open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "20.00", "k-1")
    first = statements.close_cycle(line)
    pos_pay(till, customer_user, "15.00", "k-2")
    second = statements.close_cycle(line)
    assert (first.amount_due, second.amount_due) == (Decimal("20.000"), Decimal("35.000"))

    # when the customer pays 20.00, then 15.00
    credit_staff.execute(PAYMENT_RECORD, {"customer": user_id(customer_user), "amount": "20.00"})
    after_first = {s.number: (s.status, s.paid_amount) for s in CreditStatement.objects.all()}
    credit_staff.execute(PAYMENT_RECORD, {"customer": user_id(customer_user), "amount": "15.00"})
    after_second = {s.number: (s.status, s.paid_amount) for s in CreditStatement.objects.all()}

    # then the first bill is paid at once, the second once everything is paid
    assert after_first == {1: ("paid", Decimal("20.000")), 2: ("open", Decimal("20.000"))}
    assert after_second == {1: ("paid", Decimal("20.000")), 2: ("paid", Decimal("35.000"))}


def test_staff_read_a_customers_lines_with_manage_credit_or_view_ledger(
    staff_api, staff_user, customer_user
):
    open_line(customer_user, "100.00")
    query = """query($id: ID!) { customerCreditLines(customerId: $id) { limit { amount } } }"""

    refused = staff_api.post(query, {"id": user_id(customer_user)})
    grant(staff_user, "view_ledger")
    allowed = ApiClient(user=staff_user).execute(query, {"id": user_id(customer_user)})

    assert refused["errors"][0]["message"].startswith("You do not have permission")
    assert allowed["customerCreditLines"] == [{"limit": {"amount": 100.0}}]


def test_a_line_with_money_owed_cannot_be_closed(credit_staff, customer_user, till):  # noqa: F811
    open_line(customer_user, "100.00")
    pos_pay(till, customer_user, "1.00", "k-1")

    data = credit_staff.execute(
        """mutation($c: ID!) { creditLineUpdate(customerId: $c, status: CLOSED) {
             creditLine { status } customerValueErrors { field code } } }""",
        {"c": user_id(customer_user)},
    )["creditLineUpdate"]

    assert data["customerValueErrors"] == [{"field": "status", "code": "INVALID"}]
    assert CreditLine.objects.get().status == "active"
