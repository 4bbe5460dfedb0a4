"""Fixtures of the card discount tests: a drinks category (with a juice subcategory)
and a clothes product, staff with MANAGE_DISCOUNT_GROUPS, and GraphQL steps."""
from decimal import Decimal

import pytest
from saleor.product.models import Category

from ..checkout_flow import ADDRESS, CHECKOUT_CREATE, set_shipping
from ..conftest import ApiClient, global_id, grant, make_variant
from ..loyalty.conftest import program  # noqa: F401  (fixture)
from ..wallet.conftest import german_vat  # noqa: F401  (fixture)

GROUP_CREATE = """
mutation($input: DiscountGroupInput!) {
  discountGroupCreate(input: $input) {
    discountGroup { id name kind percent allowanceAmount { amount } allowanceCount
      categoryRates { category { name } percent } productRates { product { name } percent } }
    customerValueErrors { field code message }
  }
}
"""
MEMBER_SET = """
mutation($customer: ID!, $group: ID!, $from: Date, $until: Date) {
  discountGroupMemberSet(customerId: $customer, groupId: $group, validFrom: $from, validUntil: $until) {
    member { group { name } validFrom validUntil isValidToday }
    customerValueErrors { field code message }
  }
}
"""
CARD_DISCOUNTS = """
query($token: UUID!) { checkoutCardDiscounts(token: $token) {
  group { name amount { net { amount } gross { amount } } }
  walletPromotion { name amount { net { amount } gross { amount } } }
} }
"""
ORDER = """
query($id: ID!) { order(id: $id) {
  discount { amount } discountName
  total { net { amount } tax { amount } gross { amount } }
  metadata { key value }
} }
"""


@pytest.fixture
def group_staff(staff_user):
    grant(staff_user, "manage_discount_groups", "manage_orders")
    return ApiClient(user=staff_user)


@pytest.fixture
def drinks(db):
    root = Category.objects.create(name="Drinks", slug="drinks")
    juice = Category.objects.create(name="Juice", slug="juice", parent=root)
    return {"drinks": root, "juice": juice}


def variant_in(warehouse, category, name, price):
    variant = make_variant(warehouse, name=name, price=price)
    variant.product.category = category
    variant.product.save(update_fields=["category"])
    return variant


@pytest.fixture
def cola(warehouse, drinks):
    return variant_in(warehouse, drinks["drinks"], "Cola", "2.50")


@pytest.fixture
def orange_juice(warehouse, drinks):
    return variant_in(warehouse, drinks["juice"], "Orange juice", "4.00")


@pytest.fixture
def shirt(variant):
    return variant  # 20.00 in Clothes


def create_group(api, **fields):
    data = api.execute(GROUP_CREATE, {"input": fields})["discountGroupCreate"]
    assert data["customerValueErrors"] == [], data["customerValueErrors"]
    return data["discountGroup"]


def add_member(api, user, group, valid_from=None, valid_until=None):
    data = api.execute(
        MEMBER_SET,
        {"customer": global_id("User", user.pk), "group": group["id"], "from": valid_from, "until": valid_until},
    )["discountGroupMemberSet"]
    assert data["customerValueErrors"] == [], data["customerValueErrors"]
    return data["member"]


def checkout_with(api, shipping_method, *lines, email="erika@example.com"):
    """A checkout with ``(variant, quantity)`` lines and shipping, through the API."""
    data = api.execute(
        CHECKOUT_CREATE,
        {
            "input": {
                "email": email,
                "lines": [{"quantity": q, "variantId": global_id("ProductVariant", v.pk)} for v, q in lines],
                "shippingAddress": ADDRESS,
                "billingAddress": ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert data["checkoutErrors"] == [], data["checkoutErrors"]
    checkout = data["checkout"]
    set_shipping(api, checkout, shipping_method)
    return checkout


def card_discounts(api, checkout):
    return api.execute(CARD_DISCOUNTS, {"token": checkout["token"]})["checkoutCardDiscounts"]


def money(value):
    return Decimal(str(value))
