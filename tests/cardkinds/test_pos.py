"""Discount groups at the till: the lookup shows the group and the percentages that
apply; a sale records the discount the till granted; an employee's use is booked
against the allowance and refused beyond it."""
import pytest

from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import EmployeeConsumption, LedgerTransaction
from saleor_customer_value.models import CardKind, CardState

from ..cards.conftest import make_card
from ..conftest import ApiClient, global_id, grant
from .conftest import add_member, create_group

LOOKUP = """
query($code: String) { posCustomerLookup(code: $code) {
  customers { email discountGroup { name kind percent
    categoryRates { category { name } percent } productRates { product { name } percent }
    allowance { remainingAmount { amount } remainingCount } } }
  customerValueErrors { field code message }
} }
"""
SALE = """
mutation($input: PosAmountInput!, $discount: PosSaleDiscountInput) {
  posSaleRecord(input: $input, discount: $discount) {
    pointsEarned discount { amount currency } replayed
    customerValueErrors { field code message }
  }
}
"""


@pytest.fixture
def till(app):
    grant(app, "use_pos")
    return ApiClient(app_token=app.tokens.first().auth_token)


@pytest.fixture
def card(customer_user):
    return make_card(accounts.customer_for_user(customer_user), state=CardState.ACTIVE, kind=CardKind.CHIP, chip_uid="04A2B3C9")


def sale(till, card, amount, discount=None, key="k1", receipt="R-1"):
    return till.execute(
        SALE,
        {
            "input": {"customer": {"code": card.code}, "amount": amount, "currency": "EUR",
                      "receipt": receipt, "note": "till 1", "idempotencyKey": key},
            "discount": discount,
        },
    )["posSaleRecord"]


def test_the_lookup_shows_the_group_and_its_percentages(group_staff, till, card, customer_user, drinks, cola):
    # given a customer in "Staff": 5 % on everything, 100 % on Drinks, 0 % on cola,
    # 20.00 / 10 items a month
    group = create_group(
        group_staff, name="Staff", kind="EMPLOYEE", percent="5",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "100"}],
        productRates=[{"product": global_id("Product", cola.product.pk), "percent": "0"}],
        allowanceAmount="20.00", allowanceCount=10,
    )
    add_member(group_staff, customer_user, group)

    # when the till scans the card
    found = till.execute(LOOKUP, {"code": card.code})["posCustomerLookup"]

    # then it sees the group and what applies
    assert found["customerValueErrors"] == []
    assert found["customers"][0]["discountGroup"] == {
        "name": "Staff", "kind": "EMPLOYEE", "percent": 5.0,
        "categoryRates": [{"category": {"name": "Drinks"}, "percent": 100.0}],
        "productRates": [{"product": {"name": "Cola"}, "percent": 0.0}],
        "allowance": {"remainingAmount": {"amount": 20.0}, "remainingCount": 10},
    }


def test_a_customer_without_a_group_has_none(till, card):
    found = till.execute(LOOKUP, {"code": card.code})["posCustomerLookup"]

    assert found["customers"][0]["discountGroup"] is None


def test_a_sale_records_the_discount_the_till_granted(group_staff, till, card, customer_user, program, drinks):
    # given a management customer (20 % on Drinks)
    group = create_group(
        group_staff, name="Management", kind="MANAGEMENT",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "20"}],
    )
    add_member(group_staff, customer_user, group)

    # when the till records 40.00 paid after a 10.00 discount
    data = sale(till, card, "40.00", {"amount": "10.00", "itemsValue": "50.00", "itemCount": 5})

    # then points are earned on what was paid and the booking records the discount
    assert data["customerValueErrors"] == []
    assert data["pointsEarned"] == 40
    assert data["discount"] == {"amount": 10.0, "currency": "EUR"}
    txn = LedgerTransaction.objects.get(reason="points_earned")
    assert txn.metadata["discount_group"] == "Management"
    assert txn.metadata["group_discount"] == "10.00"
    assert txn.metadata["discounted_items_value"] == "50.00"
    assert not EmployeeConsumption.objects.exists()  # not an employee group


def test_an_employee_sale_is_booked_against_the_allowance_and_refused_beyond(
    group_staff, till, card, customer_user, program, drinks
):
    # given an employee with 100 % on Drinks and 3 items a month
    group = create_group(
        group_staff, name="Staff", kind="EMPLOYEE",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "100"}],
        allowanceCount=3,
    )
    add_member(group_staff, customer_user, group)

    # when the till records 2 free drinks (nothing paid)
    first = sale(till, card, "0", {"amount": "5.00", "itemCount": 2}, key="a", receipt="R-1")
    assert first["customerValueErrors"] == []
    assert first["pointsEarned"] == 0
    # and then 2 more
    second = sale(till, card, "0", {"amount": "5.00", "itemCount": 2}, key="b", receipt="R-2")

    # then the second is refused with its code and nothing more is booked
    assert [(e["field"], e["code"]) for e in second["customerValueErrors"]] == [("allowance", "ALLOWANCE_EXCEEDED")]
    rows = list(EmployeeConsumption.objects.values_list("receipt", "item_count", "discount", "note"))
    assert [(r[0], r[1], str(r[2]), r[3]) for r in rows] == [("R-1", 2, "5.000", "till 1")]
    # a retry of the first books nothing new
    assert sale(till, card, "0", {"amount": "5.00", "itemCount": 2}, key="a", receipt="R-1")["customerValueErrors"] == []
    assert EmployeeConsumption.objects.count() == 1


def test_a_discount_for_a_customer_without_a_group_is_refused(till, card, program):
    data = sale(till, card, "10.00", {"amount": "1.00"})

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [("discount", "NOT_IN_DISCOUNT_GROUP")]
    assert not LedgerTransaction.objects.filter(reason="points_earned").exists()
