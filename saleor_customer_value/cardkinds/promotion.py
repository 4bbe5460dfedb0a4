"""The wallet-payment promotion (step 5 of the discount order, see ``chain``).

A shop may grant a percentage off the goods for paying with the wallet, either only
when the wallet pays everything that is left (``WHOLE_ORDER``) or on the part the
wallet pays (``WALLET_PART``), with a maximum per order and a minimum order value
(the goods after the earlier discounts, gross). It exists exactly while a wallet
reservation (``checkoutWalletApply``) is pending on the checkout: applying the wallet
shows it, removing the wallet removes it.

It is a real discount on the goods (never stored-value lines, never shipping): split
into net and gross in the proportion of the goods' net and gross left after the group,
badge and points discounts, so the taxable amount drops. The settings are read with
the owner's card discounts (``groups.customer_discounts``: no query of their own).
"""
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from django.utils.translation import gettext as _
from prices import Money, TaxedMoney

from ..models.cardkinds import PromotionMode, WalletPromotion

PRIVATE_GROSS = "customer_value.wallet_promotion_gross"
PRIVATE_NET = "customer_value.wallet_promotion_net"
PRIVATE_NAME = "customer_value.wallet_promotion_name"
PUBLIC_DISCOUNT = "customer_value.wallet_promotion"


def get_settings() -> WalletPromotion:
    found = WalletPromotion.objects.filter(pk=1).first()
    return found or WalletPromotion(pk=1)


def _zero(currency) -> TaxedMoney:
    return TaxedMoney(Money(0, currency), Money(0, currency))


def compute(settings: Optional[WalletPromotion], shop, prior: TaxedMoney, total: TaxedMoney, held: Decimal) -> TaxedMoney:
    """The promotion for a basket ``shop`` (line values after the group discount),
    ``prior`` = badge + points discounts, ``total`` = the total after them, ``held`` =
    the wallet reservation."""
    currency = total.currency
    if settings is None or not settings.enabled or settings.percent <= 0 or held <= 0:
        return _zero(currency)
    from ..loyalty import program as programs

    cents = programs.cents(currency)
    goods = [v for v in shop.lines if v.why != "stored_value"]
    goods_gross = sum((v.value_gross for v in goods), Decimal(0)) - prior.gross.amount
    goods_net = sum((v.value_net for v in goods), Decimal(0)) - prior.net.amount
    if goods_gross <= 0 or goods_gross < Decimal(settings.min_order):
        return _zero(currency)
    percent = Decimal(settings.percent)
    if settings.mode == PromotionMode.WHOLE_ORDER:
        gross = (goods_gross * percent / 100).quantize(cents, rounding=ROUND_HALF_UP)
        if settings.max_discount is not None:
            gross = min(gross, Decimal(settings.max_discount))
        if held < total.gross.amount - gross:  # the wallet must pay all that is left
            return _zero(currency)
    else:
        paid = min(held, total.gross.amount, goods_gross)
        gross = (paid * percent / 100).quantize(cents, rounding=ROUND_HALF_UP)
        if settings.max_discount is not None:
            gross = min(gross, Decimal(settings.max_discount))
    gross = min(gross, total.gross.amount)
    if gross <= 0:
        return _zero(currency)
    net = min((gross * max(goods_net, Decimal(0)) / goods_gross).quantize(cents, rounding=ROUND_HALF_UP), gross)
    return TaxedMoney(Money(net, currency), Money(gross, currency))


def checkout_discount(checkout, lines, discounts, total: TaxedMoney, prior: TaxedMoney) -> TaxedMoney:
    from .. import checkout_context

    context = checkout_context.for_checkout(checkout)
    hold = context.wallet_hold
    if hold is None or hold.account.unit != total.currency:
        return _zero(total.currency)
    from .groups import customer_discounts

    settings = customer_discounts(checkout).promotion  # read with the card discounts
    if settings is None or not settings.enabled:
        return _zero(total.currency)
    lines = list(lines) if lines is not None else list(checkout)
    if discounts is None:
        from saleor.discount.utils import fetch_active_discounts

        discounts = fetch_active_discounts()
    shop = context.basket(lines, discounts)
    return compute(settings, shop, prior, total, Decimal(hold.amount))


def discount_name(settings: WalletPromotion) -> str:
    return settings.name or _("Wallet payment discount")


def prepare_order(checkout, discounts, manager):
    from . import chain

    lines = list(checkout)
    steps = chain.steps(checkout, lines, discounts, chain.saleor_total(checkout, lines, discounts, manager))
    if steps.promotion.gross.amount <= 0:
        from .groups import clear_private

        clear_private(checkout, (PRIVATE_GROSS, PRIVATE_NET, PRIVATE_NAME))
        return None
    checkout.store_value_in_private_metadata(
        {
            PRIVATE_GROSS: str(steps.promotion.gross.amount),
            PRIVATE_NET: str(steps.promotion.net.amount),
            PRIVATE_NAME: discount_name(get_settings()),
        }
    )
    checkout.save(update_fields=["private_metadata"])
    return steps.promotion


def record_on_order(order):
    gross = order.get_value_from_private_metadata(PRIVATE_GROSS)
    if not gross or order.get_value_from_metadata(PUBLIC_DISCOUNT):
        return None
    from .groups import add_discount_to_order

    gross = Decimal(gross)
    add_discount_to_order(order, gross, order.get_value_from_private_metadata(PRIVATE_NAME) or "", PUBLIC_DISCOUNT)
    return gross
