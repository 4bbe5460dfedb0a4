"""Discount groups in the Saleor checkout: a real discount (lower tax), named on the
checkout and the order, in the documented order with the badge and points."""
from saleor_customer_value.models import DiscountGroupMember

from ..conftest import global_id
from ..loyalty.conftest import give_points  # noqa: F401
from ..loyalty.flow import apply as apply_points
from ..loyalty.flow import pay_and_complete, total
from .conftest import ORDER, add_member, card_discounts, checkout_with, create_group


def management(api, drinks):
    return create_group(
        api,
        name="Management",
        kind="MANAGEMENT",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "20"}],
    )


def test_a_management_discount_on_a_19_percent_category_lowers_the_tax(
    group_staff, customer_api, customer_user, program, drinks, orange_juice, shirt, shipping_method, german_vat
):
    # given 2 x orange juice (4.00, in Juice under Drinks) + a shirt (20.00) + 5.00 shipping
    checkout = checkout_with(customer_api, shipping_method, (orange_juice, 2), (shirt, 1))
    before = total(customer_api, checkout)
    assert before["gross"]["amount"] == 33.0

    # when the customer joins Management: 20 % on Drinks (subcategories included)
    group = management(group_staff, drinks)
    assert group["kind"] == "MANAGEMENT"
    assert group["categoryRates"] == [{"category": {"name": "Drinks"}, "percent": 20.0}]
    add_member(group_staff, customer_user, group)

    # then the juice only is discounted: 1.60 gross, 1.34 net (1.60 / 1.19), the tax
    # drops by 0.26 and net + tax = gross
    after = total(customer_api, checkout)
    assert after["gross"]["amount"] == 31.4
    assert round(before["net"]["amount"] - after["net"]["amount"], 2) == 1.34
    assert round(before["tax"]["amount"] - after["tax"]["amount"], 2) == 0.26
    assert round(after["net"]["amount"] + after["tax"]["amount"], 2) == after["gross"]["amount"]
    shown = card_discounts(customer_api, checkout)
    assert shown["group"] == {"name": "Management discount", "amount": {"net": {"amount": 1.34}, "gross": {"amount": 1.6}}}
    assert shown["walletPromotion"] is None

    # when the customer pays the rest by card
    order = pay_and_complete(customer_api, checkout)

    # then the order has the lower net and tax and names the discount
    assert order["total"]["gross"]["amount"] == 31.4
    assert order["total"]["net"]["amount"] == after["net"]["amount"]
    assert order["total"]["tax"]["amount"] == after["tax"]["amount"]
    data = group_staff.execute(ORDER, {"id": order["id"]})["order"]
    assert data["discount"]["amount"] == 1.6
    assert data["discountName"] == "Management discount"
    assert {m["key"]: m["value"] for m in data["metadata"]}["customer_value.group_discount"] == "1.60"


def test_the_group_comes_before_points_and_a_product_rate_wins(
    group_staff, customer_api, customer_user, program, drinks, orange_juice, cola, shipping_method, german_vat
):
    # given a group with 10 % on everything, 50 % on Drinks and 0 % on cola
    group = create_group(
        group_staff,
        name="Friends",
        percent="10",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "50"}],
        productRates=[{"product": global_id("Product", cola.product.pk), "percent": "0"}],
    )
    add_member(group_staff, customer_user, group)
    give_points(customer_user, 1000)

    # when 2 x juice (8.00) + 2 x cola (5.00) + 5.00 shipping are bought with 500 points
    checkout = checkout_with(customer_api, shipping_method, (orange_juice, 2), (cola, 2))
    assert total(customer_api, checkout)["gross"]["amount"] == 18.0 - 4.0
    applied = apply_points(customer_api, checkout, 500)
    assert applied["customerValueErrors"] == []

    # then the points quote sees the value after the group: the juice 4.00 + cola 5.00
    assert applied["pointsQuote"]["eligibleValue"]["amount"] == 9.0
    assert applied["pointsQuote"]["totalBeforePoints"]["amount"] == 14.0
    assert total(customer_api, checkout)["gross"]["amount"] == 9.0
    order = pay_and_complete(customer_api, checkout)
    data = group_staff.execute(ORDER, {"id": order["id"]})["order"]
    assert data["discount"]["amount"] == 9.0
    assert data["discountName"] == "Friends discount + Loyalty points (500 points)"


def test_a_membership_outside_its_dates_gives_nothing(
    group_staff, customer_api, customer_user, program, drinks, orange_juice, shipping_method
):
    group = management(group_staff, drinks)
    member = add_member(group_staff, customer_user, group, valid_from="2020-01-01", valid_until="2020-12-31")
    assert member["isValidToday"] is False

    checkout = checkout_with(customer_api, shipping_method, (orange_juice, 2))

    assert total(customer_api, checkout)["gross"]["amount"] == 13.0
    assert card_discounts(customer_api, checkout)["group"] is None


def test_a_customer_is_in_one_group_at_most(group_staff, customer_user, drinks):
    first = management(group_staff, drinks)
    second = create_group(group_staff, name="Staff", kind="EMPLOYEE", percent="5")

    add_member(group_staff, customer_user, first)
    moved = add_member(group_staff, customer_user, second)

    assert moved["group"]["name"] == "Staff"
    assert DiscountGroupMember.objects.filter(customer__user=customer_user).count() == 1


def test_staff_need_the_permission(staff_api, staff_user, customer_user):
    from .conftest import GROUP_CREATE

    data = staff_api.execute(GROUP_CREATE, {"input": {"name": "X"}})["discountGroupCreate"]

    assert [e["code"] for e in data["customerValueErrors"]] == ["PERMISSION_DENIED"]


def test_a_percentage_above_100_is_refused(group_staff):
    from .conftest import GROUP_CREATE

    data = group_staff.execute(GROUP_CREATE, {"input": {"name": "X", "percent": "101"}})["discountGroupCreate"]

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [("percent", "INVALID")]


UPDATE = """
mutation($id: ID!, $input: DiscountGroupInput!) {
  discountGroupUpdate(id: $id, input: $input) {
    discountGroup { name percent isActive categoryRates { percent } }
    customerValueErrors { field code message }
  }
}
"""
REMOVE = """
mutation($customer: ID!) { discountGroupMemberRemove(customerId: $customer) {
  removed customerValueErrors { field code message } } }
"""
MEMBERS = """
query($group: ID!, $customer: ID!) {
  discountGroupMembers(groupId: $group) { email group { name memberCount } }
  customerDiscountGroup(customerId: $customer) { group { name } }
}
"""


def test_staff_change_and_end_a_membership_and_the_next_calculation_follows(
    group_staff, customer_api, customer_user, program, drinks, orange_juice, shipping_method
):
    # given a Management member with 2 x juice (8.00) + 5.00 shipping: 1.60 off
    group = management(group_staff, drinks)
    add_member(group_staff, customer_user, group)
    checkout = checkout_with(customer_api, shipping_method, (orange_juice, 2))
    assert total(customer_api, checkout)["gross"]["amount"] == 11.4
    user = global_id("User", customer_user.pk)
    listed = group_staff.execute(MEMBERS, {"group": group["id"], "customer": user})
    assert listed["discountGroupMembers"] == [{"email": "erika@example.com", "group": {"name": "Management", "memberCount": 1}}]
    assert listed["customerDiscountGroup"] == {"group": {"name": "Management"}}

    # when staff raise Drinks to 50 %
    changed = group_staff.execute(UPDATE, {"id": group["id"], "input": {"categoryRates": [
        {"category": global_id("Category", drinks["drinks"].pk), "percent": "50"}]}})["discountGroupUpdate"]
    assert changed["customerValueErrors"] == []
    assert changed["discountGroup"]["categoryRates"] == [{"percent": 50.0}]
    assert total(customer_api, checkout)["gross"]["amount"] == 9.0

    # when staff switch the group off, then take the customer out
    group_staff.execute(UPDATE, {"id": group["id"], "input": {"isActive": False}})
    assert total(customer_api, checkout)["gross"]["amount"] == 13.0
    removed = group_staff.execute(REMOVE, {"customer": user})["discountGroupMemberRemove"]
    assert removed == {"removed": True, "customerValueErrors": []}
    assert group_staff.execute(MEMBERS, {"group": group["id"], "customer": user})["customerDiscountGroup"] is None


def test_the_badge_discount_is_taken_from_what_the_group_left(
    group_staff, customer_api, customer_user, program, drinks, orange_juice, shipping_method, german_vat
):
    from saleor_customer_value.models import Badge
    from saleor_customer_value.models.badges import DiscountKind

    # given a Silver customer (10 % off everything) in a group with 50 % on Drinks
    Badge.objects.create(
        title="Silver", min_points=500, max_points=5000, is_tier=True, sort_order=2,
        discount_kind=DiscountKind.PERCENT, discount_value=10,
    )
    give_points(customer_user, 600)
    group = create_group(
        group_staff, name="Friends",
        categoryRates=[{"category": global_id("Category", drinks["drinks"].pk), "percent": "50"}],
    )
    add_member(group_staff, customer_user, group)

    # when 2 x juice (8.00) + 5.00 shipping are in the checkout
    checkout = checkout_with(customer_api, shipping_method, (orange_juice, 2))

    # then the group takes 4.00, the badge 10 % of the 4.00 left: 13.00 - 4.00 - 0.40
    assert total(customer_api, checkout)["gross"]["amount"] == 8.6
    order = pay_and_complete(customer_api, checkout)
    data = group_staff.execute(ORDER, {"id": order["id"]})["order"]
    assert data["discount"]["amount"] == 4.4
    assert data["discountName"] == "Friends discount + Silver discount"
