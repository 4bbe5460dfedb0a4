"""Query counts of Saleor's checkout total calculation with the plugin on and off.

Saleor recalculates a checkout's total many times per request, so every query the
plugin adds to ``calculate_checkout_total`` is multiplied. A query count is stable where
a time is not: these tests fail CI when the plugin's share grows. "Off" is the same
manager without the plugin; each "on" calculation runs on a fresh checkout instance,
like the first calculation of a request (later ones in the same request reuse what the
first one loaded: ``checkout_context``).
"""
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from saleor.checkout.models import Checkout
from saleor.discount.utils import fetch_discounts
from saleor.plugins.manager import PluginsManager

from .loyalty.conftest import give_points, program  # noqa: F401  (fixture)
from .loyalty.flow import apply as apply_points
from .loyalty.flow import ready_checkout
from .wallet.conftest import fund_wallet, german_vat  # noqa: F401  (fixture)

OURS = (
    "saleor_customer_value.plugin.CustomerValuePlugin",
    "saleor_customer_value.gateway_plugin.WalletGatewayPlugin",
    "saleor_customer_value.gateway_plugin.CreditGatewayPlugin",
)
WALLET_APPLY = """
mutation($id: ID!, $amount: Decimal) {
  checkoutWalletApply(checkoutId: $id, amount: $amount) { customerValueErrors { code message } }
}
"""


def managers():
    on = PluginsManager(settings.PLUGINS)
    off = PluginsManager([p for p in settings.PLUGINS if p not in OURS])
    return on, off


def count_total(manager, token):
    checkout = Checkout.objects.get(token=token)
    lines = list(checkout)
    discounts = fetch_discounts(timezone.now())
    with CaptureQueriesContext(connection) as first:
        total = manager.calculate_checkout_total(checkout, lines, discounts)
    with CaptureQueriesContext(connection) as again:
        manager.calculate_checkout_total(checkout, lines, discounts)
    return total, len(first.captured_queries), len(again.captured_queries)


def test_nothing_applied_adds_at_most_one_query(
    customer_api, customer_user, program, variant, shipping_method, german_vat
):
    # given a checkout without wallet money or points
    checkout = ready_checkout(customer_api, variant, shipping_method)
    on, off = managers()

    # when its total is calculated with and without the plugin
    total_on, first_on, again_on = count_total(on, checkout["token"])
    total_off, first_off, again_off = count_total(off, checkout["token"])

    # then the totals agree and the plugin adds one query, once per request: the
    # reservations (wallet, points) and the customer's card discounts in one call of
    # cv_checkout_state (checkout_context)
    assert total_on == total_off
    assert first_on - first_off <= 1, (first_on, first_off)
    assert again_on == again_off


def test_wallet_and_points_applied_add_at_most_one_query(
    customer_api, customer_user, program, variant, shipping_method, german_vat
):
    # given a checkout with 1000 points (10.00) and 5.00 of wallet money applied
    give_points(customer_user, 1500)
    fund_wallet(customer_user, "30.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)
    assert apply_points(customer_api, checkout, 1000)["customerValueErrors"] == []
    applied = customer_api.execute(WALLET_APPLY, {"id": checkout["id"], "amount": 5})
    assert applied["checkoutWalletApply"]["customerValueErrors"] == []
    on, off = managers()

    # when its total is calculated with and without the plugin
    total_on, first_on, again_on = count_total(on, checkout["token"])
    total_off, first_off, again_off = count_total(off, checkout["token"])

    # then both values lower the total, with one more query in the first calculation
    # of a request (cv_checkout_state: the reservations, the card discounts, the
    # program with its lists and the lines' product types) and none in the next ones
    assert total_off.gross.amount == 45
    assert total_on.gross.amount == 45 - 10 - 5
    assert first_on - first_off <= 1, (first_on, first_off)
    assert again_on == again_off


def test_a_customer_with_a_discount_group_adds_at_most_one_query(
    customer_api, customer_user, program, variant, shipping_method, german_vat
):
    from saleor_customer_value.ledger import accounts
    from saleor_customer_value.models import DiscountGroup, DiscountGroupMember

    # given a customer in a group with 10 % on everything (the first test's checkout)
    DiscountGroupMember.objects.create(
        customer=accounts.customer_for_user(customer_user),
        group=DiscountGroup.objects.create(name="Friends", percent=10),
    )
    checkout = ready_checkout(customer_api, variant, shipping_method)
    on, off = managers()

    # when its total is calculated with and without the plugin
    total_on, first_on, again_on = count_total(on, checkout["token"])
    total_off, first_off, again_off = count_total(off, checkout["token"])

    # then the group discount (4.00 of 2 x 20.00) costs no query more than a customer
    # without a group: the group, the program with its lists and the product types the
    # eligible basket needs come with the reservations (cv_checkout_state)
    assert total_off.gross.amount == 45
    assert total_on.gross.amount == 41
    assert first_on - first_off <= 1, (first_on, first_off)
    assert again_on == again_off


CREDIT_APPLY = """
mutation($id: ID!, $amount: Decimal) {
  checkoutCreditApply(checkoutId: $id, amount: $amount) { customerValueErrors { code message } }
}
"""


def test_a_credit_part_adds_no_query_of_its_own(
    customer_api, customer_user, program, variant, shipping_method, german_vat
):
    from .credit.conftest import open_line

    # given a checkout with 20.00 of its 45.00 put on the credit line
    open_line(customer_user, "100.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)
    applied = customer_api.execute(CREDIT_APPLY, {"id": checkout["id"], "amount": 20})
    assert applied["checkoutCreditApply"]["customerValueErrors"] == []
    on, off = managers()

    # when its total is calculated with and without the plugin
    total_on, first_on, again_on = count_total(on, checkout["token"])
    total_off, first_off, again_off = count_total(off, checkout["token"])

    # then the credit part lowers the total and is read with the other reservations:
    # the same budget as a checkout with nothing applied (one statement)
    assert total_off.gross.amount == 45
    assert total_on.gross.amount == 25
    assert first_on - first_off <= 1, (first_on, first_off)
    assert again_on == again_off
