"""The shop owner's settings: read by anyone, changed with MANAGE_LOYALTY, validated."""
from decimal import Decimal

import pytest

from saleor_customer_value.loyalty.program import get_program

from ..conftest import ApiClient, global_id, grant
from .conftest import configure

PROGRAM_FIELDS = """
enabled earnPoints earnAmount { amount currency } earnBase earnRounding earnMoment pendingDays
registrationPoints newsletterPoints reviewPoints reviewPolicy
customActions { code points oncePerCustomer }
redeemPoints redeemAmount { amount } redeemStep redeemMinBalance redeemMinCart { amount }
redeemMaxType redeemMaxValue redeemExcludeDiscounted
redeemIncludeProducts { name } redeemExcludeCategories { name }
convertPoints convertAmount { amount } convertMinPoints expiryDays expiringSoonDays introText
"""
UPDATE = f"""
mutation($input: LoyaltyProgramInput!) {{
  loyaltyProgramUpdate(input: $input) {{
    loyaltyProgram {{ {PROGRAM_FIELDS} }}
    customerValueErrors {{ field code message }}
  }}
}}
"""
QUERY = f"{{ loyaltyProgram {{ {PROGRAM_FIELDS} }} }}"


def update(api, **fields):
    return api.execute(UPDATE, {"input": fields})["loyaltyProgramUpdate"]


def test_the_program_is_off_until_the_shop_owner_switches_it_on(api_client, db):
    program = api_client.execute(QUERY)["loyaltyProgram"]

    assert program["enabled"] is False
    assert (program["redeemPoints"], program["redeemAmount"]["amount"]) == (100, 1.0)
    assert program["expiryDays"] is None


def test_the_shop_owner_sets_up_the_program(loyalty_staff, variant):
    data = update(
        loyalty_staff,
        enabled=True,
        earnPoints=10,
        earnAmount="5.00",
        earnBase="PRODUCTS_AND_SHIPPING",
        earnRounding="NEAREST",
        earnMoment="FULFILLED",
        pendingDays=14,
        registrationPoints=100,
        newsletterPoints=50,
        reviewPoints=20,
        reviewPolicy="ONCE_PER_CUSTOMER",
        customActions=[{"code": "survey", "points": 15}],
        redeemPoints=100,
        redeemAmount="1.00",
        redeemMinBalance=500,
        redeemMinCart="20.00",
        redeemMaxType="PERCENT",
        redeemMaxValue="50",
        redeemExcludeDiscounted=True,
        redeemIncludeProducts=[global_id("Product", variant.product_id)],
        redeemExcludeCategories=[global_id("Category", variant.product.category_id)],
        convertPoints=2500,
        convertAmount="25.00",
        convertMinPoints=2500,
        expiryDays=365,
        expiringSoonDays=14,
        introText="Collect points with every order.",
    )

    assert data["customerValueErrors"] == []
    program = data["loyaltyProgram"]
    assert program["earnAmount"] == {"amount": 5.0, "currency": "EUR"}
    assert (program["earnBase"], program["earnRounding"], program["earnMoment"]) == (
        "PRODUCTS_AND_SHIPPING", "NEAREST", "FULFILLED",
    )
    assert program["customActions"] == [{"code": "survey", "points": 15, "oncePerCustomer": False}]
    assert (program["redeemMaxType"], program["redeemMaxValue"]) == ("PERCENT", 50.0)
    assert program["redeemIncludeProducts"] == [{"name": "T-Shirt"}]
    assert program["redeemExcludeCategories"] == [{"name": "Clothes"}]
    assert (program["convertPoints"], program["convertAmount"]["amount"]) == (2500, 25.0)
    assert (program["expiryDays"], program["introText"]) == (365, "Collect points with every order.")

    # only the fields sent change; 0 days means points never expire
    again = update(loyalty_staff, expiryDays=0)["loyaltyProgram"]
    assert again["expiryDays"] is None
    assert again["earnPoints"] == 10


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"earnAmount": "0"}, "earnAmount"),
        ({"earnAmount": "1.005"}, "earnAmount"),
        ({"earnPoints": -1}, "earnPoints"),
        ({"pendingDays": 366}, "pendingDays"),
        ({"redeemPoints": 0}, "redeemPoints"),
        ({"redeemAmount": "-1"}, "redeemAmount"),
        ({"redeemMinCart": "-0.01"}, "redeemMinCart"),
        ({"redeemMaxType": "PERCENT", "redeemMaxValue": "100.01"}, "redeemMaxValue"),
        ({"redeemMaxType": "AMOUNT", "redeemMaxValue": "0"}, "redeemMaxValue"),
        ({"customActions": [{"code": "Bad Code", "points": 5}]}, "customActions"),
        ({"customActions": [{"code": "newsletter", "points": 5}]}, "customActions"),
        ({"customActions": [{"code": "a", "points": 5}, {"code": "a", "points": 6}]}, "customActions"),
        ({"customActions": [{"code": "a", "points": 0}]}, "customActions"),
        ({"convertPoints": 100}, "convertAmount"),
        ({"expiryDays": -1}, "expiryDays"),
        ({"expiringSoonDays": 0}, "expiringSoonDays"),
    ],
)
def test_invalid_settings_are_refused_and_nothing_changes(loyalty_staff, db, fields, field):
    before = get_program()

    data = update(loyalty_staff, enabled=True, **fields)

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [(field, "INVALID")]
    after = get_program()
    assert (after.enabled, after.updated_at) == (False, before.updated_at)


def test_changing_the_program_needs_manage_loyalty(staff_user, customer_api, db):
    grant(staff_user, "manage_wallets")

    for api in (ApiClient(user=staff_user), customer_api):
        data = update(api, enabled=True)
        assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]
    assert get_program().enabled is False


def test_each_movement_keeps_the_rules_it_was_computed_with(
    customer_api, customer_user, program, variant, shipping_method
):
    from saleor_customer_value.models import LedgerTransaction

    from .flow import buy

    first = buy(customer_api, variant, shipping_method)
    configure(earn_points=2, earn_amount=Decimal("1.00"))
    second = buy(customer_api, variant, shipping_method)

    rules = {
        txn.order_id: (txn.metadata["earn_points"], txn.metadata["earn_amount"])
        for txn in LedgerTransaction.objects.filter(reason="points_earned")
    }
    assert rules == {first.pk: (1, "1.00"), second.pk: (2, "1.00")}


LISTS = """
redeemIncludeProducts { name } redeemIncludeCategories { name }
redeemExcludeProducts { name } redeemExcludeCategories { name }
"""
SET_LISTS = f"""
mutation($input: LoyaltyProgramInput!) {{
  loyaltyProgramUpdate(input: $input) {{
    loyaltyProgram {{ {LISTS} }}
    customerValueErrors {{ field code message }}
  }}
}}
"""
ALL_LISTS = (
    "redeemIncludeProducts",
    "redeemIncludeCategories",
    "redeemExcludeProducts",
    "redeemExcludeCategories",
)


@pytest.mark.parametrize("empty", [[], None])
def test_the_include_and_exclude_lists_can_be_emptied(loyalty_staff, variant, empty):
    # given all four lists hold something
    product = global_id("Product", variant.product_id)
    category = global_id("Category", variant.product.category_id)
    filled = loyalty_staff.execute(
        SET_LISTS,
        {"input": {
            name: [product if name.endswith("Products") else category] for name in ALL_LISTS
        }},
    )["loyaltyProgramUpdate"]
    assert filled["customerValueErrors"] == []
    assert all(filled["loyaltyProgram"][name] for name in ALL_LISTS)

    # when each is sent empty (or null)
    data = loyalty_staff.execute(
        SET_LISTS, {"input": {name: empty for name in ALL_LISTS}}
    )["loyaltyProgramUpdate"]

    # then every list is empty
    assert data["customerValueErrors"] == []
    assert {name: data["loyaltyProgram"][name] for name in ALL_LISTS} == {
        name: [] for name in ALL_LISTS
    }
    program = get_program()
    assert not program.redeem_exclude_products.exists()
    assert not program.redeem_include_categories.exists()
