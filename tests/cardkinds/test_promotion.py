"""The wallet-payment promotion: a real discount that appears on the checkout when the
wallet is applied and disappears when it is removed."""
from saleor_customer_value.models import WalletPromotion

from ..loyalty.flow import pay_and_complete, total
from ..wallet.conftest import fund_wallet
from ..wallet.test_checkout_wallet import APPLY, REMOVE
from .conftest import ORDER, card_discounts, checkout_with

UPDATE = """
mutation($input: WalletPromotionInput!) {
  walletPromotionUpdate(input: $input) {
    walletPromotion { enabled percent mode maxDiscount minOrder name }
    customerValueErrors { field code message }
  }
}
"""


def promote(api, **fields):
    data = api.execute(UPDATE, {"input": fields})["walletPromotionUpdate"]
    assert data["customerValueErrors"] == [], data["customerValueErrors"]
    return data["walletPromotion"]


def apply_wallet(api, checkout, amount=None):
    data = api.execute(APPLY, {"id": checkout["id"], "amount": amount, "key": None})["checkoutWalletApply"]
    assert data["customerValueErrors"] == [], data["customerValueErrors"]
    return data["walletPayment"]


def test_the_promotion_is_switched_on_and_off_in_one_checkout(
    group_staff, customer_api, customer_user, program, shirt, shipping_method, german_vat
):
    # given 2 % off the goods when the whole order is paid from the wallet (max 5.00,
    # from 10.00), a 100.00 wallet, and 2 x 20.00 + 5.00 shipping
    promote(group_staff, enabled=True, percent="2", mode="WHOLE_ORDER", maxDiscount="5.00", minOrder="10.00")
    fund_wallet(customer_user, "100.00")
    checkout = checkout_with(customer_api, shipping_method, (shirt, 2))
    before = total(customer_api, checkout)
    assert before["gross"]["amount"] == 45.0
    assert card_discounts(customer_api, checkout)["walletPromotion"] is None

    # when the wallet pays all of it
    applied = apply_wallet(customer_api, checkout)

    # then the promotion shows: 2 % of 40.00 = 0.80 gross, 0.67 net (0.80 / 1.19), and
    # the wallet pays the 44.20 that are left
    assert applied["totalBeforeWallet"]["amount"] == 44.2
    shown = card_discounts(customer_api, checkout)["walletPromotion"]
    assert shown == {"name": "Wallet payment discount", "amount": {"net": {"amount": 0.67}, "gross": {"amount": 0.8}}}
    assert total(customer_api, checkout)["gross"]["amount"] == 0.0

    # when the wallet is removed, the promotion goes with it
    removed = customer_api.execute(REMOVE, {"id": checkout["id"]})["checkoutWalletRemove"]
    assert removed["customerValueErrors"] == []
    assert card_discounts(customer_api, checkout)["walletPromotion"] is None
    assert total(customer_api, checkout) == before

    # when only 10.00 come from the wallet, the whole-order promotion does not apply
    apply_wallet(customer_api, checkout, 10)
    assert card_discounts(customer_api, checkout)["walletPromotion"] is None
    assert total(customer_api, checkout)["gross"]["amount"] == 35.0

    # when staff switch to "on the part paid from the wallet": 2 % of 10.00
    promote(group_staff, mode="WALLET_PART")
    assert card_discounts(customer_api, checkout)["walletPromotion"]["amount"] == {
        "net": {"amount": 0.17}, "gross": {"amount": 0.2}
    }
    after = total(customer_api, checkout)
    assert after["gross"]["amount"] == 34.8
    assert round(before["net"]["amount"] - 0.17 - 10, 2) == after["net"]["amount"]

    # when staff switch it off, it is gone at once
    promote(group_staff, enabled=False)
    assert total(customer_api, checkout)["gross"]["amount"] == 35.0

    # and on again, the card pays the rest: the order has the discount with lower tax
    promote(group_staff, enabled=True)
    order = pay_and_complete(customer_api, checkout)
    assert order["total"]["gross"]["amount"] == 44.8
    assert order["total"]["net"]["amount"] == round(before["net"]["amount"] - 0.17, 2)
    data = group_staff.execute(ORDER, {"id": order["id"]})["order"]
    assert data["discount"]["amount"] == 0.2
    assert data["discountName"] == "Wallet payment discount"


def test_the_maximum_and_the_minimum_order(group_staff, customer_api, customer_user, program, shirt, shipping_method):
    promote(group_staff, enabled=True, percent="50", mode="WALLET_PART", maxDiscount="3.00", minOrder="50.00")
    fund_wallet(customer_user, "100.00")
    checkout = checkout_with(customer_api, shipping_method, (shirt, 2))

    apply_wallet(customer_api, checkout, 10)
    assert card_discounts(customer_api, checkout)["walletPromotion"] is None  # 40.00 goods < 50.00

    promote(group_staff, minOrder="0")
    assert card_discounts(customer_api, checkout)["walletPromotion"]["amount"]["gross"]["amount"] == 3.0
    assert WalletPromotion.objects.get().max_discount == 3


def test_a_whole_order_paid_from_the_wallet_gets_the_promotion_on_the_order(
    group_staff, customer_api, customer_user, program, shirt, shipping_method, german_vat
):
    from decimal import Decimal

    from saleor.order.models import Order

    from ..checkout_flow import complete, pay

    # given 2 % for whole orders paid from the wallet and a 100.00 wallet
    promote(group_staff, enabled=True, percent="2", mode="WHOLE_ORDER")
    wallet = fund_wallet(customer_user, "100.00")
    checkout = checkout_with(customer_api, shipping_method, (shirt, 2))

    # when the wallet pays all of it (the reservation is 45.00, the order 44.20)
    apply_wallet(customer_api, checkout)
    assert pay(customer_api, checkout, 0.0)["paymentErrors"] == []
    result = complete(customer_api, checkout)

    # then the order keeps its goods' value less the promotion, and the wallet is
    # debited exactly that (the rest of the reservation is released)
    assert result["checkoutErrors"] == []
    order = Order.objects.get()
    assert order.total_gross_amount == Decimal("44.20")
    assert order.discount_amount == Decimal("0.80")
    wallet.refresh_from_db()
    assert (wallet.posted, wallet.held) == (Decimal("55.800"), Decimal("0"))
