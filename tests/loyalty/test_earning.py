"""Earning points on purchases: ratio, base, rounding, moment, overrides, pending days."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import LedgerTransaction, PointsLot
from saleor_customer_value.models.loyalty import LotStatus

from ..conftest import grant
from .conftest import assert_lots_agree, balance, configure, give_points
from .flow import buy, fulfill, my_points

EARN_RULE_SET = """
mutation($input: LoyaltyEarnRuleInput!) {
  loyaltyEarnRuleSet(input: $input) {
    earnRule { mode pointsPerUnit percent product { name } category { name } }
    customerValueErrors { field code message }
  }
}
"""


def earned(order):
    return LedgerTransaction.objects.filter(order_id=order.pk, reason="points_earned").first()


def test_ten_points_per_five_euros_when_the_order_is_paid(
    customer_api, customer_user, program, variant, shipping_method
):
    # given 10 points per 5.00 EUR on the products
    configure(earn_points=10, earn_amount=Decimal("5.00"))

    # when the customer buys 2 x 20.00 (+ 5.00 shipping) and pays by card
    order = buy(customer_api, variant, shipping_method)

    # then 80 points are booked, with the rules they were computed with
    assert balance(customer_user) == (80, 0)
    txn = earned(order)
    assert txn.metadata["earn_points"] == 10
    assert txn.metadata["earn_amount"] == "5.00"
    assert txn.metadata["earn_base"] == "products"
    assert txn.metadata["earn_moment"] == "paid"
    assert txn.metadata["base"] == "40.00"
    history = my_points(customer_api)["movements"]["edges"]
    assert history[0]["node"]["points"] == 80
    assert history[0]["node"]["reason"] == "POINTS_EARNED"
    assert history[0]["node"]["customerNote"] == f"80 points earned on order #{order.pk}"
    assert_lots_agree(customer_user)


def test_the_base_can_include_shipping(customer_api, customer_user, program, variant, shipping_method):
    configure(earn_points=10, earn_amount=Decimal("5.00"), earn_base="products_and_shipping")

    buy(customer_api, variant, shipping_method)

    assert balance(customer_user) == (90, 0)


@pytest.mark.parametrize("rounding, points", [("down", 16), ("nearest", 17)])
def test_rounding(customer_api, customer_user, program, variant, shipping_method, rounding, points):
    # 40.00 / 2.40 = 16.67 points
    configure(earn_points=1, earn_amount=Decimal("2.40"), earn_rounding=rounding)

    buy(customer_api, variant, shipping_method)

    assert balance(customer_user) == (points, 0)


def test_points_are_earned_on_what_is_left_after_a_points_discount(
    customer_api, customer_user, program, variant, shipping_method
):
    give_points(customer_user, 1000)

    order = buy(customer_api, variant, shipping_method, points=1000)  # 10.00 off 40.00

    assert balance(customer_user) == (30, 0)
    assert earned(order).metadata["points_discount"] == "10.00"


def test_points_when_the_order_is_created(customer_api, customer_user, program, variant, shipping_method):
    configure(earn_moment="created")

    order = buy(customer_api, variant, shipping_method)

    assert balance(customer_user) == (40, 0)
    assert earned(order).metadata["earn_moment"] == "created"


def test_points_when_the_order_is_fulfilled(
    customer_api, customer_user, program, variant, shipping_method, staff_api, staff_user, warehouse
):
    configure(earn_moment="fulfilled")
    grant(staff_user, "manage_orders")
    order = buy(customer_api, variant, shipping_method)
    assert balance(customer_user) == (0, 0)

    fulfill(staff_api, order, warehouse)

    assert balance(customer_user) == (40, 0)
    assert earned(order).metadata["earn_moment"] == "fulfilled"


def test_paid_points_are_booked_once(customer_api, customer_user, program, variant, shipping_method):
    from saleor_customer_value.loyalty import orders

    order = buy(customer_api, variant, shipping_method)

    orders.order_paid(order)
    orders.order_paid(order)

    assert balance(customer_user) == (40, 0)
    assert LedgerTransaction.objects.filter(reason="points_earned").count() == 1


def test_guests_and_a_switched_off_program_earn_nothing(
    api_client, customer_api, customer_user, program, variant, shipping_method
):
    buy(api_client, variant, shipping_method)
    configure(enabled=False)
    buy(customer_api, variant, shipping_method)

    assert LedgerTransaction.objects.filter(reason="points_earned").count() == 0
    assert PointsLot.objects.count() == 0


def test_product_and_category_overrides(
    customer_api, customer_user, program, variant, shipping_method, loyalty_staff, warehouse
):
    from ..conftest import global_id, make_variant

    mug = make_variant(warehouse, name="Mug", price="10.00", sku="mug")
    # the category earns 10% of the price, the mug its own fixed 7 points per unit
    category = loyalty_staff.execute(
        EARN_RULE_SET,
        {"input": {"categoryId": global_id("Category", variant.product.category_id), "mode": "PERCENT", "value": "10"}},
    )["loyaltyEarnRuleSet"]
    assert category["customerValueErrors"] == []
    assert category["earnRule"]["percent"] == 10.0
    fixed = loyalty_staff.execute(
        EARN_RULE_SET,
        {"input": {"productId": global_id("Product", mug.product_id), "mode": "FIXED", "value": "7"}},
    )["loyaltyEarnRuleSet"]
    assert fixed["earnRule"] == {
        "mode": "FIXED", "pointsPerUnit": 7, "percent": None, "product": {"name": "Mug"}, "category": None,
    }

    shirts = buy(customer_api, variant, shipping_method)  # 10% of 40.00
    mugs = buy(customer_api, mug, shipping_method, quantity=3)  # 3 x 7

    assert int(earned(shirts).entries.get(account__kind="points").amount) == 4
    assert int(earned(mugs).entries.get(account__kind="points").amount) == 21
    assert [line["rule"] for line in earned(mugs).metadata["lines"]] == ["fixed:7"]


def test_an_excluded_product_earns_nothing(
    customer_api, customer_user, program, variant, shipping_method, loyalty_staff
):
    from ..conftest import global_id

    loyalty_staff.execute(
        EARN_RULE_SET,
        {"input": {"productId": global_id("Product", variant.product_id), "mode": "EXCLUDED"}},
    )

    buy(customer_api, variant, shipping_method)

    assert balance(customer_user) == (0, 0)


@pytest.mark.parametrize(
    "rule, field",
    [
        ({"mode": "FIXED", "value": "1.5"}, "value"),
        ({"mode": "FIXED", "value": "0"}, "value"),
        ({"mode": "PERCENT", "value": "100.01"}, "value"),
        ({"mode": "PERCENT"}, "value"),
    ],
)
def test_bad_earn_rules_are_refused(loyalty_staff, variant, rule, field):
    from saleor_customer_value.models import LoyaltyEarnRule

    from ..conftest import global_id

    data = loyalty_staff.execute(
        EARN_RULE_SET, {"input": {"productId": global_id("Product", variant.product_id), **rule}}
    )["loyaltyEarnRuleSet"]

    assert [(e["field"], e["code"]) for e in data["customerValueErrors"]] == [(field, "INVALID")]
    assert LoyaltyEarnRule.objects.count() == 0


def test_pending_points_are_locked_until_the_returns_window_has_passed(
    customer_api, customer_user, program, variant, shipping_method
):
    # given purchase points pending for 14 days
    configure(pending_days=14, expiry_days=365)
    order = buy(customer_api, variant, shipping_method)

    # then they are promised, not booked
    shown = my_points(customer_api)
    assert shown["balance"] == {"posted": 0, "held": 0, "available": 0, "pending": 40}
    assert shown["lots"][0]["status"] == "PENDING"
    assert earned(order) is None
    lot = PointsLot.objects.get()
    assert lot.expires_at == lot.available_at + timedelta(days=365)

    # when the release job runs just before the window ends, nothing happens
    assert lots.release_due(now=lot.available_at - timedelta(microseconds=1)) == 0
    # and at its end the points are booked
    assert lots.release_due(now=lot.available_at) == 1
    assert balance(customer_user) == (40, 0)
    lot.refresh_from_db()
    assert (lot.status, lot.remaining, lot.credit_transaction_id) == (
        LotStatus.ACTIVE, 40, earned(order).pk,
    )
    assert earned(order).metadata["pending_days"] == 14
    assert lots.release_due(now=timezone.now() + timedelta(days=30)) == 0  # once
    assert_lots_agree(customer_user)


def test_the_release_task_books_due_points(customer_api, customer_user, program, variant, shipping_method):
    from saleor_customer_value.loyalty.tasks import release_pending_points_task

    configure(pending_days=1)
    buy(customer_api, variant, shipping_method)
    PointsLot.objects.update(available_at=timezone.now() - timedelta(seconds=1))

    assert release_pending_points_task() == 1
    assert balance(customer_user) == (40, 0)


@pytest.mark.parametrize("mode, points", [("proportional", 72), ("full_steps", 70)])
def test_earning_per_full_step_or_in_proportion(
    customer_api, customer_user, program, warehouse, shipping_method, mode, points
):
    # given 10 points per 5.00 EUR, counted in proportion or per full 5.00
    from ..conftest import make_variant

    configure(earn_points=10, earn_amount=Decimal("5.00"), earn_mode=mode)
    shirt = make_variant(warehouse, name="Shirt", price="18.00", sku="shirt-18")

    # when the customer buys 2 x 18.00 = 36.00
    order = buy(customer_api, shirt, shipping_method)

    # then 72 points in proportion, 70 for seven full 5.00 steps
    assert balance(customer_user) == (points, 0)
    assert earned(order).metadata["earn_mode"] == mode


def test_full_steps_count_the_products_by_the_ratio_and_rules_on_top(
    customer_api, customer_user, program, warehouse, shipping_method
):
    # given full steps of 5.00 on the products and shipping, and a mug with fixed 3 points
    from ..conftest import make_variant
    from saleor_customer_value.loyalty import earning

    configure(
        earn_points=10, earn_amount=Decimal("5.00"), earn_mode="full_steps",
        earn_base="products_and_shipping",
    )
    shirt = make_variant(warehouse, name="Shirt", price="18.00", sku="shirt-18")
    earning.set_rule(shirt.product, None, "fixed", Decimal(3))

    # when 2 shirts (36.00, fixed 3 each) + 5.00 shipping are bought
    buy(customer_api, shirt, shipping_method)

    # then 6 points for the shirts, 10 for one full 5.00 of shipping
    assert balance(customer_user) == (16, 0)


def test_the_program_says_how_it_counts(api_client, program):
    query = "{ loyaltyProgram { earnMode description } }"

    configure(earn_points=10, earn_amount=Decimal("5.00"), earn_mode="full_steps")
    steps = api_client.execute(query)["loyaltyProgram"]
    configure(earn_mode="proportional")
    proportional = api_client.execute(query)["loyaltyProgram"]

    assert steps["earnMode"] == "FULL_STEPS"
    assert steps["description"].startswith(
        "Earn 10 points for every full 5.00 EUR spent (a part of 5.00 EUR earns nothing)."
    )
    assert proportional["earnMode"] == "PROPORTIONAL"
    assert proportional["description"].startswith(
        "Earn 10 points per 5.00 EUR spent, counted in proportion (parts of 5.00 EUR count too)."
    )


def test_the_setting_is_changed_through_the_api(loyalty_staff, program):
    data = loyalty_staff.execute(
        """mutation { loyaltyProgramUpdate(input: {earnMode: FULL_STEPS}) {
             loyaltyProgram { earnMode } customerValueErrors { field code } } }"""
    )["loyaltyProgramUpdate"]

    assert data == {"loyaltyProgram": {"earnMode": "FULL_STEPS"}, "customerValueErrors": []}


def test_the_demo_program_earns_per_full_step(db):
    from django.core.management import call_command

    from saleor_customer_value.loyalty.program import get_program

    call_command("customer_value_demo")

    program = get_program()
    assert (program.earn_points, program.earn_amount, program.earn_mode) == (
        10, Decimal("5.000"), "full_steps",
    )
