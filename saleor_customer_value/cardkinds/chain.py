"""The order of the discounts in the checkout calculation, in one place.

1. Saleor's vouchers and sales (already in Saleor's total)
2. card discount group (``groups``)
3. badge discount (``badges.perks``)
4. points discount (``loyalty.checkout``)
5. wallet-payment promotion (``promotion``)
6. wallet (``wallet.checkout.lowered_total``, a means of payment, not a discount)
7. credit line part (``credit.checkout.lowered_total``, a means of payment too: it pays
   what the wallet leaves)

``before_wallet`` is what ``calculate_checkout_total`` passes to the wallet and what
the wallet's apply/prepare cap the wallet part by, so both always agree; the credit
part is capped by that total less the wallet part (``credit.checkout.total_before_credit``).
"""
from dataclasses import dataclass

from prices import Money, TaxedMoney


@dataclass
class Steps:
    group: TaxedMoney
    badge: TaxedMoney
    points: TaxedMoney
    promotion: TaxedMoney
    total: TaxedMoney  # after step 5, before the wallet


def saleor_total(checkout, lines, discounts, manager) -> TaxedMoney:
    subtotal = manager.calculate_checkout_subtotal(checkout, lines, discounts)
    shipping = manager.calculate_checkout_shipping(checkout, lines, discounts)
    zero = Money(0, checkout.currency)
    return max(subtotal + shipping - checkout.discount, TaxedMoney(zero, zero))


def steps(checkout, lines, discounts, total: TaxedMoney) -> Steps:
    from ..badges import perks as badge_perks
    from ..loyalty import checkout as points_checkout
    from . import groups, promotion

    group = groups.checkout_discount(checkout, lines, discounts, total)
    total = total - group
    badge = badge_perks.checkout_discount(checkout, lines, discounts, total)
    total = total - badge
    points = points_checkout.points_discount(checkout, lines, total, discounts)
    total = total - points
    promo = promotion.checkout_discount(checkout, lines, discounts, total, badge + points)
    return Steps(group, badge, points, promo, total - promo)


def before_wallet(checkout, lines, discounts, total: TaxedMoney) -> TaxedMoney:
    return steps(checkout, lines, discounts, total).total
