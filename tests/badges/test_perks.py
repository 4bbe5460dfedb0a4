"""Perks of held badges: in the very next checkout, the earn multiplier, the badge
discount (a real discount: lower tax), the top-up bonus at the POS."""
from decimal import Decimal

from saleor_customer_value.models import LedgerTransaction

from ..loyalty.flow import ORDER, apply, buy, pay_and_complete, ready_checkout, total
from ..loyalty.test_staff import book
from ..wallet.conftest import german_vat  # noqa: F401
from .conftest import balance, give_points, held


def test_gold_earns_one_and_a_half_times_from_the_very_next_checkout(
    badge_staff, customer_api, customer_user, program, ladder, variant, shipping_method
):
    # given a customer made Gold by a staff booking a moment ago
    book(badge_staff, "loyaltyPointsAdd", customer_user, 5000)
    assert held(customer_user) == [("Gold", "active")]

    # when the next purchase (2 x 20.00, 1 point per 1.00) is paid
    order = buy(customer_api, variant, shipping_method)

    # then it earns 40 x 1.5 = 60 points, and the booking says why
    txn = LedgerTransaction.objects.get(order_id=order.pk, reason="points_earned")
    assert int(txn.entries.get(account__kind="points").amount) == 60
    assert txn.metadata["earn_multiplier"] == "1.5"
    assert balance(customer_user) == (5060, 0)


def test_without_a_badge_the_multiplier_is_one(customer_api, customer_user, program, ladder, variant, shipping_method):
    order = buy(customer_api, variant, shipping_method)

    txn = LedgerTransaction.objects.get(order_id=order.pk, reason="points_earned")
    assert int(txn.entries.get(account__kind="points").amount) == 40
    assert txn.metadata["earn_multiplier"] == "1"


def test_a_badge_discount_with_19_percent_vat_lowers_the_tax(
    customer_api, customer_user, program, ladder, variant, shipping_method, german_vat, staff_api, staff_user
):
    from ..conftest import grant

    # given 2 x 20.00 gross goods (net 33.61) + 5.00 shipping: 45.00, net 37.82
    checkout = ready_checkout(customer_api, variant, shipping_method)
    before = total(customer_api, checkout)
    assert (before["gross"]["amount"], before["net"]["amount"]) == (45.0, 37.82)

    # when the customer becomes Silver (10 % off all products)
    give_points(customer_user, 600)

    # then the checkout total drops by 4.00 gross and 3.36 net (4.00 / 1.19), so the
    # tax drops by 0.64, and net + tax = gross
    after = total(customer_api, checkout)
    assert after["gross"]["amount"] == 41.0
    assert after["net"]["amount"] == 34.46
    assert after["tax"]["amount"] == round(7.18 - 0.64, 2)
    assert round(after["net"]["amount"] + after["tax"]["amount"], 2) == after["gross"]["amount"]

    # when the customer pays the rest by card
    order = pay_and_complete(customer_api, checkout)

    # then the order shows the discount by name, with the lower tax
    assert order["total"]["gross"]["amount"] == 41.0
    assert order["total"]["net"]["amount"] == 34.46
    grant(staff_user, "manage_orders")
    shown = staff_api.execute(ORDER, {"id": order["id"]})["order"]
    assert shown["discount"]["amount"] == 4.0
    assert shown["discountName"] == "Silver discount"
    meta = {m["key"]: m["value"] for m in shown["metadata"]}
    assert meta["customer_value.badge_discount"] == "4.00"


def test_badge_discount_then_points_then_names_join(
    customer_api, customer_user, program, ladder, variant, shipping_method, german_vat, staff_api, staff_user
):
    from ..conftest import grant

    # given a Silver customer with 1,000 points applied (10.00) on 2 x 20.00 + 5.00
    give_points(customer_user, 1600)
    checkout = ready_checkout(customer_api, variant, shipping_method)
    data = apply(customer_api, checkout, 1000)
    assert data["customerValueErrors"] == []

    # then the badge discount (4.00) comes first, then the points (10.00)
    assert total(customer_api, checkout)["gross"]["amount"] == 31.0
    order = pay_and_complete(customer_api, checkout)
    grant(staff_user, "manage_orders")
    shown = staff_api.execute(ORDER, {"id": order["id"]})["order"]
    assert shown["discount"]["amount"] == 14.0
    assert shown["discountName"] == "Silver discount + Loyalty points (1000 points)"
    assert round(shown["total"]["net"]["amount"] + shown["total"]["tax"]["amount"], 2) == 31.0


def test_a_category_discount_only_covers_its_category(
    customer_api, customer_user, program, ladder, variant, shipping_method
):
    from saleor.product.models import Category

    silver = ladder["silver"]
    silver.discount_scope = "categories"
    silver.save()
    silver.discount_categories.set([Category.objects.create(name="Shoes", slug="shoes")])
    give_points(customer_user, 600)

    checkout = ready_checkout(customer_api, variant, shipping_method)

    assert total(customer_api, checkout)["gross"]["amount"] == 45.0


def test_gold_top_up_bonus_at_the_till(customer_user, program, ladder, app):
    from ..conftest import ApiClient, global_id, grant
    from ..pos.queries import TOPUP, amount_input

    grant(app, "use_pos")
    till = ApiClient(app_token=app.tokens.first().auth_token)
    give_points(customer_user, 5000)

    data = till.execute(
        TOPUP, amount_input({"customerId": global_id("User", customer_user.pk)}, "50.00")
    )["posWalletTopUp"]

    assert data["customerValueErrors"] == []
    assert data["bonus"]["amount"] == 5.0
    assert Decimal(str(data["toppedUp"]["amount"])) == Decimal("50")


def test_gold_top_up_bonus_online_beats_the_shops_tiers(
    customer_api, customer_user, staff_api, staff_user, ladder, warehouse
):
    from saleor_customer_value.config import TOPUP_BONUS_TIERS
    from saleor_customer_value.ledger.reasons import Reason
    from saleor_customer_value.wallet import paid_orders

    from ..wallet.stored_value_flow import add_top_up, booked, configure, new_checkout
    from ..wallet.stored_value_flow import pay_and_complete as pay_top_up
    from ..wallet.stored_value_flow import wallet_amount

    # given the shop's tiers (5 % from 50) and a Gold customer (10 % from 1)
    configure(staff_api, staff_user, **{TOPUP_BONUS_TIERS: "50:5"})
    give_points(customer_user, 5000)
    checkout = new_checkout(customer_api)
    add_top_up(customer_api, checkout, 60)

    # when the top-up is paid
    order = pay_top_up(customer_api, checkout)
    paid_orders.handle_order_paid(order)

    # then the better tier applies: 10 % of 60
    [bonus] = booked(order, Reason.TOPUP_BONUS)
    assert wallet_amount(bonus) == Decimal("6.000")
    assert bonus.metadata["tier_percent"] == "10"


def test_points_are_earned_on_what_was_paid_after_the_badge_discount(
    customer_api, customer_user, program, ladder, variant, shipping_method
):
    # given a Silver customer (10 % off)
    give_points(customer_user, 600)

    # when 2 x 20.00 are bought for 36.00
    order = buy(customer_api, variant, shipping_method)

    # then 36 points are earned
    txn = LedgerTransaction.objects.get(order_id=order.pk, reason="points_earned")
    assert txn.metadata["base"] == "36.00"
    assert balance(customer_user) == (636, 0)


def test_the_exclusive_voucher_is_a_real_single_use_saleor_code(
    customer_api, customer_user, ladder, variant, shipping_method
):
    from .conftest import MY_BADGES

    # given a customer who just became Gold and got a 15 % code
    give_points(customer_user, 5000)
    code = customer_api.execute(MY_BADGES)["myBadges"]["badges"][0]["voucherCode"]
    checkout = ready_checkout(customer_api, variant, shipping_method)

    # when the code is entered with Saleor's own mutation
    data = customer_api.execute(
        """mutation($id: ID!, $code: String!) { checkoutAddPromoCode(checkoutId: $id, promoCode: $code) {
             checkout { discount { amount } } checkoutErrors { field code } } }""",
        {"id": checkout["id"], "code": code},
    )["checkoutAddPromoCode"]

    # then Saleor takes 15 % off the 40.00 of goods
    assert data["checkoutErrors"] == []
    assert data["checkout"]["discount"]["amount"] == 6.0
    assert total(customer_api, checkout)["gross"]["amount"] == 39.0
