"""Employee consumption: 100 % on drinks with a monthly allowance; each use booked
with the order; over the allowance the checkout completion is refused and nothing is
booked; the payroll report."""
import threading
from decimal import Decimal

import pytest
from django.db import connection
from saleor.order.models import Order
from saleor.payment import ChargeStatus
from saleor.payment.models import Payment

from saleor_customer_value.cardkinds import consumption
from saleor_customer_value.cardkinds.errors import AllowanceExceeded
from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import EmployeeConsumption

from ..checkout_flow import complete, pay
from ..conftest import global_id
from ..loyalty.flow import pay_and_complete, total
from .conftest import add_member, checkout_with, create_group

REPORT = """
query($month: Date) { employeeConsumptionReport(month: $month) {
  month rows { email name group uses itemCount itemsValue { amount } discount { amount } } csv
} }
"""
MY_GROUP = """
{ myDiscountGroup { group { name kind } allowance { usedAmount { amount } usedCount
    remainingAmount { amount currency } remainingCount } } }
"""
RECORD = """
mutation($customer: ID!, $value: Decimal!, $count: Int, $key: String) {
  employeeConsumptionRecord(customerId: $customer, itemsValue: $value, itemCount: $count,
    currency: "EUR", note: "canteen", idempotencyKey: $key) {
    consumption { status itemsValue { amount } discount { amount } itemCount note }
    customerValueErrors { field code message }
  }
}
"""


@pytest.fixture
def employee(group_staff, customer_user, drinks):
    group = create_group(
        group_staff,
        name="Employees",
        kind="EMPLOYEE",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "100"}],
        allowanceAmount="10.00",
    )
    add_member(group_staff, customer_user, group)
    return group


def test_the_allowance_runs_out_mid_order_clear_error_nothing_booked(
    group_staff, customer_api, customer_user, program, employee, cola, orange_juice, shirt, shipping_method, german_vat
):
    # given an employee with 100 % on drinks and 10.00 a month, who bought
    # 2 x cola (5.00, free) and a shirt (20.00)
    first = checkout_with(customer_api, shipping_method, (cola, 2), (shirt, 1))
    assert total(customer_api, first)["gross"]["amount"] == 25.0
    order = pay_and_complete(customer_api, first)
    booked = EmployeeConsumption.objects.get()
    assert (booked.status, booked.discount, booked.items_value, booked.item_count) == (
        "booked", Decimal("5.000"), Decimal("5.000"), 2
    )
    assert booked.order_id == Order.objects.get().pk
    assert customer_api.execute(MY_GROUP)["myDiscountGroup"]["allowance"] == {
        "usedAmount": {"amount": 5.0}, "usedCount": 2, "remainingAmount": {"amount": 5.0, "currency": "EUR"},
        "remainingCount": None,
    }

    # when the next order has 2 x orange juice (8.00, free) and a shirt: 3.00 more than
    # the 5.00 left
    second = checkout_with(customer_api, shipping_method, (orange_juice, 2), (shirt, 1))
    amount = total(customer_api, second)["gross"]["amount"]
    assert amount == 25.0
    assert pay(customer_api, second, amount)["paymentErrors"] == []
    result = complete(customer_api, second)

    # then completing is refused with a clear error, and nothing is booked: no order,
    # no use, the card not charged
    assert result["order"] is None
    assert [(e["field"], e["code"]) for e in result["checkoutErrors"]] == [("allowance", "INVALID")]
    assert result["checkoutErrors"][0]["message"].startswith("ALLOWANCE_EXCEEDED: This use (8.00 EUR) exceeds")
    assert Order.objects.count() == 1
    assert list(EmployeeConsumption.objects.values_list("pk", flat=True)) == [booked.pk]
    payment = Payment.objects.exclude(order__isnull=False).get()
    assert payment.charge_status == ChargeStatus.NOT_CHARGED
    assert order["id"]


def test_the_payroll_report_lists_booked_uses_per_employee(
    group_staff, customer_api, customer_user, program, employee, cola, shipping_method
):
    # given one online use (2 x cola) and one booked by hand (3.00, 1 item)
    pay_and_complete(customer_api, checkout_with(customer_api, shipping_method, (cola, 2)))
    data = group_staff.execute(
        RECORD, {"customer": global_id("User", customer_user.pk), "value": "3.00", "count": 1, "key": "k1"}
    )["employeeConsumptionRecord"]
    assert data["customerValueErrors"] == []
    assert data["consumption"]["discount"]["amount"] == 3.0

    # when staff read this month's report
    report = group_staff.execute(REPORT)["employeeConsumptionReport"]

    # then the employee has one row with both uses, and the CSV says the same
    assert report["rows"] == [
        {"email": "erika@example.com", "name": "Erika M", "group": "Employees", "uses": 2, "itemCount": 3,
         "itemsValue": {"amount": 8.0}, "discount": {"amount": 8.0}}
    ]
    lines = report["csv"].strip().splitlines()
    assert lines[0].startswith("month,customer_id,email,name,group,uses,items,items_value,discount")
    assert ",erika@example.com,Erika M,Employees,2,3,8.000,8.000,EUR,10.000," in lines[1]


def test_a_use_by_hand_over_the_allowance_is_refused_with_its_code(group_staff, customer_user, employee):
    user = global_id("User", customer_user.pk)
    assert group_staff.execute(RECORD, {"customer": user, "value": "9.00", "key": "a"})[
        "employeeConsumptionRecord"]["customerValueErrors"] == []

    data = group_staff.execute(RECORD, {"customer": user, "value": "1.01", "key": "b"})["employeeConsumptionRecord"]

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [("allowance", "ALLOWANCE_EXCEEDED")]
    assert EmployeeConsumption.objects.count() == 1
    # a replayed key books nothing new
    again = group_staff.execute(RECORD, {"customer": user, "value": "9.00", "key": "a"})["employeeConsumptionRecord"]
    assert again["customerValueErrors"] == []
    assert EmployeeConsumption.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_uses_cannot_exceed_the_allowance(customer_user):
    from saleor_customer_value.models import DiscountGroup, DiscountGroupMember

    # given an employee with 10.00 a month
    group = DiscountGroup.objects.create(name="Employees", kind="employee", allowance_amount=Decimal("10.00"))
    customer = accounts.customer_for_user(customer_user)
    DiscountGroupMember.objects.create(customer=customer, group=group)
    barrier = threading.Barrier(6)
    outcomes = []

    def use():
        try:
            barrier.wait()
            from django.db import transaction

            with transaction.atomic():
                consumption.book(customer, Decimal("6.00"), Decimal("6.00"), 1, "EUR", "till")
            outcomes.append("booked")
        except AllowanceExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    # when six tills book 6.00 each at the same moment
    threads = [threading.Thread(target=use) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one is booked
    assert sorted(outcomes) == ["booked"] + ["refused"] * 5
    assert EmployeeConsumption.objects.filter(customer=customer).count() == 1
