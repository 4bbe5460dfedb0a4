"""Every Money the plugin hands to Saleor or to a client has the currency's decimals
(EUR: 2), never the ledger's numeric(20,3) scale."""
from decimal import Decimal

import pytest
from saleor.checkout.models import Checkout
from saleor.discount.utils import fetch_active_discounts
from saleor.plugins.manager import get_plugins_manager

from .conftest import give_points
from .flow import apply, ready_checkout
from ..wallet.conftest import fund_wallet

pytestmark = pytest.mark.django_db

WALLET_APPLY = """
mutation($id: ID!) { checkoutWalletApply(checkoutId: $id, amount: "5.00") {
  walletPayment { applied { amount } } customerValueErrors { code message } } }
"""


def exponents(taxed):
    return {
        taxed.net.amount.as_tuple().exponent,
        taxed.gross.amount.as_tuple().exponent,
    }


def saleor_totals(token):
    checkout = Checkout.objects.get(token=token)
    lines = list(checkout)
    manager = get_plugins_manager()
    discounts = fetch_active_discounts()
    return (
        manager.calculate_checkout_total(checkout, lines, discounts),
        manager.calculate_checkout_subtotal(checkout, lines, discounts),
    )


def test_checkout_totals_with_points_and_wallet_have_two_decimals(
    customer_api, customer_user, program, variant, shipping_method, german_vat
):
    # given a 45.00 checkout with 19% VAT, 1000 points (10.00) and 5.00 from the wallet
    give_points(customer_user, 1000)
    fund_wallet(customer_user, "30.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)
    assert apply(customer_api, checkout, 1000)["customerValueErrors"] == []
    total, _ = saleor_totals(checkout["token"])
    assert total.gross.amount == Decimal("35.00")
    assert exponents(total) == {-2}

    # when the wallet pays part too
    paid = customer_api.execute(WALLET_APPLY, {"id": checkout["id"]})["checkoutWalletApply"]
    assert paid["customerValueErrors"] == []

    # then Saleor's total is still in cents
    total, subtotal = saleor_totals(checkout["token"])
    assert total.gross.amount == Decimal("30.00")
    assert exponents(total) == {-2}
    assert exponents(subtotal) == {-2}
