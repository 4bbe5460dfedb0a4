"""Wallet top-ups bought at checkout, credited with a tiered bonus once the order is paid.

A shopper tops up "any amount within the limits" by buying a Saleor product: one hidden
product of a product type marked ``wallet_topup``, with one variant per amount (sku
``wallet-topup-EUR-37.50``, ``price_override`` = amount). Being real order lines, top-ups
go through Saleor's own checkout, payment, order and refund machinery unchanged.

Why the product is unpublished: Saleor's ``checkoutLinesAdd`` refuses unpublished
products, so the only way to put a top-up in a checkout is ``add_to_checkout`` below,
which enforces the limits and a logged-in owner (whose wallet gets the money). It also
keeps the top-up out of the storefront's product listings. Its lines are created with
Saleor's own stock check and quantity update (``add_variant_to_checkout`` minus its
"published" check).

Not taxed: selling stored value is a multi-purpose voucher, taxed when spent, not when
bought. The product has ``charge_taxes=False``, which Saleor's tax plugins honour; with
Saleor's default (no tax plugin) no tax is added anyway.

Crediting (``credit_paid_topups``): every top-up line of a fully paid order is booked
FUNDING -> wallet (reason TOPUP, idempotent per line). The bonus is one more transaction
BONUS -> wallet (TOPUP_BONUS, idempotent per order) on the order's top-ups paid with
external money, by the highest tier reached; the tier values are kept in its metadata.
"""
from decimal import Decimal

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from saleor.checkout.utils import (
    check_variant_in_stock,
    recalculate_checkout_discount,
    update_checkout_quantity,
)
from saleor.core.exceptions import InsufficientStock
from saleor.product.models import Product, ProductType, ProductVariant
from saleor.warehouse.models import Stock, Warehouse

from ..badges import perks as badge_perks
from ..ledger import accounts, service
from ..ledger.actors import Actor
from ..ledger.amounts import to_amount
from ..ledger.errors import InvalidAmount, InvalidReference
from ..ledger.reasons import Reason, SystemAccountCode
from .paid_values import (
    KIND_KEY,
    WALLET_TOPUP,
    line_kind,
    order_key,
    round_down,
    transfer_once,
)
from django.utils.translation import gettext as _

ACTOR = Actor.system("order-paid:topup")
PRODUCT_TYPE_SLUG = "customer-value-wallet-top-up"
PRODUCT_SLUG = "customer-value-wallet-top-up"


# --- the catalogue side --------------------------------------------------------------


def _get_or_create(model, lookup, defaults):
    """Race-safe get-or-create (two first top-ups create one product)."""
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**lookup, defaults=defaults)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


def topup_product() -> Product:
    product_type = _get_or_create(
        ProductType,
        {"slug": PRODUCT_TYPE_SLUG},
        {
            "name": "Wallet top-up",
            "has_variants": True,
            "is_shipping_required": False,
            "metadata": {KIND_KEY: WALLET_TOPUP},
        },
    )
    if (product_type.metadata or {}).get(KIND_KEY) != WALLET_TOPUP:
        product_type.store_value_in_metadata({KIND_KEY: WALLET_TOPUP})
        product_type.save(update_fields=["metadata"])
    return _get_or_create(
        Product,
        {"slug": PRODUCT_SLUG},
        {
            "name": "Wallet top-up",
            "product_type": product_type,
            "currency": django_settings.DEFAULT_CURRENCY,
            "price_amount": Decimal(0),
            "minimal_variant_price_amount": Decimal(0),
            "is_published": False,
            "charge_taxes": False,
        },
    )


def sku_for(currency: str, amount: Decimal) -> str:
    return f"wallet-topup-{currency}-{amount}"


def topup_variant(currency: str, amount: Decimal) -> ProductVariant:
    """The variant selling ``amount``; stocked (untracked) in every warehouse, because
    Saleor only sells a variant that has a stock in a warehouse serving the country."""
    variant = _get_or_create(
        ProductVariant,
        {"sku": sku_for(currency, amount)},
        {
            "product": topup_product(),
            "name": f"{amount} {currency}",
            "currency": currency,
            "price_override_amount": amount,
            "track_inventory": False,
        },
    )
    quantity = django_settings.MAX_CHECKOUT_LINE_QUANTITY
    for warehouse in Warehouse.objects.exclude(stock__product_variant=variant):
        _get_or_create(
            Stock,
            {"warehouse": warehouse, "product_variant": variant},
            {"quantity": quantity},
        )
    return variant


# --- the checkout side ---------------------------------------------------------------


def _limits(config) -> str:
    return _("%(minimum)s to %(maximum)s") % {"minimum": config.topup_minimum, "maximum": config.topup_maximum}


def validate_amount(amount, currency: str, config) -> Decimal:
    """The amount as a Decimal within the configured limits, or ``InvalidAmount`` with
    a message that states the limits."""
    limits = _("A top-up is %(limits)s %(currency)s") % {"limits": _limits(config), "currency": currency}
    try:
        value = to_amount(amount, currency)
    except InvalidAmount as exc:
        raise InvalidAmount(_("%(limits)s. %(message)s") % {"limits": limits, "message": exc.message})
    if not config.topup_minimum <= value <= config.topup_maximum:
        raise InvalidAmount(_("%(limits)s; %(value)s is outside these limits.") % {"limits": limits, "value": value})
    return value


def checkout_topup_total(checkout) -> Decimal:
    lines = checkout.lines.select_related("variant__product__product_type")
    return sum(
        (
            line.variant.price_override_amount * line.quantity
            for line in lines
            if line_kind(line) == WALLET_TOPUP and line.variant.price_override_amount
        ),
        Decimal(0),
    )


def add_to_checkout(checkout, amount, config, discounts=None):
    """Add a top-up of ``amount`` to the checkout (same amount twice: quantity 2).

    The maximum applies to all top-ups of the checkout together, so it cannot be
    bypassed by adding the same amount again.
    """
    currency = checkout.currency
    value = validate_amount(amount, currency, config)
    already = checkout_topup_total(checkout)
    if already + value > config.topup_maximum:
        raise InvalidAmount(
            _("Top-ups in one checkout add up to at most %(topup_maximum)s %(currency)s; this checkout already holds %(already)s %(currency)s. A top-up is %(config)s %(currency)s.") % {"topup_maximum": config.topup_maximum, "currency": currency, "already": already, "config": _limits(config)}
        )
    variant = topup_variant(currency, value)
    try:
        quantity, line = check_variant_in_stock(checkout, variant, quantity=1)
    except InsufficientStock:
        raise InvalidReference(
            _("Top-ups cannot be sold to this checkout's country: no warehouse serves it."),
            field="checkoutId",
        )
    if line is None:
        checkout.lines.create(variant=variant, quantity=quantity)
    else:
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    update_checkout_quantity(checkout)
    recalculate_checkout_discount(checkout, list(checkout), discounts or [])
    return value


# --- the paid order side -------------------------------------------------------------


def credit_paid_topups(order, customer, values, config):
    """Book the top-ups of a fully paid order and their bonus; return the transactions."""
    topups = values.of_kind(WALLET_TOPUP)
    if not topups:
        return []
    currency = values.currency
    wallet = accounts.wallet_account(customer, currency)
    refs = service.References(order_id=order.pk)
    booked = []
    for value in topups:
        line = value.line
        booked.append(
            transfer_once(
                accounts.system_account(SystemAccountCode.FUNDING, currency),
                wallet,
                value.paid,
                service.Posting(
                    reason=Reason.TOPUP,
                    actor=ACTOR,
                    customer_note=f"Top-up, order #{order.pk}",
                    refs=refs,
                    metadata={
                        "order_line": line.pk,
                        "sku": line.product_sku,
                        "quantity": line.quantity,
                        "line_gross": str(line.unit_price_gross_amount * line.quantity),
                    },
                ),
                order_key(order, f"topup:{line.pk}"),
            )
        )
    bonus = _bonus(order, wallet, values, config, refs)
    if bonus is not None:
        booked.append(bonus)
    return booked


def _bonus(order, wallet, values, config, refs):
    currency = values.currency
    total = sum((v.paid for v in values.of_kind(WALLET_TOPUP)), Decimal(0))
    base = min(total, values.external)
    tier = badge_perks.bonus_tier_for(config, wallet.customer_id, base)  # held badges may raise it
    if tier is None:
        return None
    amount = round_down(base * tier.percent / 100, currency)
    if amount <= 0:
        return None
    return transfer_once(
        accounts.system_account(SystemAccountCode.BONUS, currency),
        wallet,
        amount,
        service.Posting(
            reason=Reason.TOPUP_BONUS,
            actor=ACTOR,
            customer_note=f"Top-up bonus {tier.percent}%, order #{order.pk}",
            refs=refs,
            metadata={
                "tier_from": str(tier.threshold),
                "tier_percent": str(tier.percent),
                "tiers": config.topup_bonus_tiers_text,
                "topup_total": str(total),
                "bonus_base": str(base),
            },
        ),
        order_key(order, "topup-bonus"),
    )
