"""What held badges give: an earn multiplier, better top-up bonus tiers, a discount in
the checkout calculation.

"Held" is ``active``, or ``grace`` until the grace period ends (the periodic job
records the loss later; perks stop at the exact instant). Several badges combine by
taking the best of each perk: the highest multiplier, per top-up amount the highest
bonus percent (the plugin's tiers included), the largest discount.
"""
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from typing import List, Optional

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from prices import Money, TaxedMoney

from .. import config as plugin_config
from ..models import Badge, Customer, CustomerBadge
from ..models.badges import CustomerBadgeStatus, DiscountKind, DiscountScope

PRIVATE_GROSS = "customer_value.badge_discount_gross"
PRIVATE_NET = "customer_value.badge_discount_net"
PRIVATE_NAME = "customer_value.badge_discount_name"
PUBLIC_DISCOUNT = "customer_value.badge_discount"


def held_filter(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=CustomerBadgeStatus.ACTIVE) | Q(status=CustomerBadgeStatus.GRACE, grace_until__gt=now)


@lru_cache(maxsize=None)
def _held_sql() -> str:
    badge, held = Badge._meta.db_table, CustomerBadge._meta.db_table
    # held_filter in SQL, Badge's default ordering (sort_order, min_points, pk).
    return (
        f"SELECT b.* FROM {badge} b WHERE b.is_active AND b.id IN ("
        f"SELECT cb.badge_id FROM {held} cb WHERE cb.customer_id = %s AND "
        "(cb.status = %s OR (cb.status = %s AND cb.grace_until > %s))) "
        "ORDER BY b.sort_order, b.min_points, b.id"
    )


def held_badges(customer_id, now=None) -> List[Badge]:
    """The active badges the customer holds (``held_filter``). Plain SQL: it runs on
    every points earning, and building the ORM's subquery cost more than running it."""
    if customer_id is None:
        return []
    params = [customer_id, CustomerBadgeStatus.ACTIVE, CustomerBadgeStatus.GRACE, now or timezone.now()]
    return list(Badge.objects.raw(_held_sql(), params))


def _customer_id_of_user(user_id) -> Optional[int]:
    if user_id is None:
        return None
    return Customer.objects.filter(user_id=user_id).values_list("pk", flat=True).first()


# --- earning -------------------------------------------------------------------------


def earn_multiplier(customer_id) -> Decimal:
    best = max((b.earn_multiplier for b in held_badges(customer_id)), default=Decimal(1))
    return Decimal(format(best.normalize(), "f"))  # 1.50 -> 1.5 in the booking's metadata


def earn_multiplier_for_user(user_id) -> Decimal:
    return earn_multiplier(_customer_id_of_user(user_id))


# --- top-up bonus --------------------------------------------------------------------


def bonus_tier_for(config, customer_id, amount: Decimal):
    """The best tier ``amount`` reaches among the plugin's and the held badges'."""
    tiers = list(config.topup_bonus_tiers)
    for badge in held_badges(customer_id):
        if badge.topup_bonus_tiers:
            tiers.extend(plugin_config.parse_bonus_tiers(badge.topup_bonus_tiers))
    reached = [t for t in tiers if amount >= t.threshold]
    return max(reached, key=lambda t: (t.percent, t.threshold)) if reached else None


# --- the checkout discount -----------------------------------------------------------


def _covers(badge: Badge, product, cache) -> bool:
    if badge.discount_scope == DiscountScope.ALL:
        return True
    if badge.discount_scope == DiscountScope.PRODUCTS:
        if badge.pk not in cache:
            cache[badge.pk] = set(badge.discount_products.values_list("pk", flat=True))
        return product.pk in cache[badge.pk]
    if badge.pk not in cache:
        cache[badge.pk] = set(badge.discount_categories.values_list("pk", flat=True))
    if product.category_id is None:
        return False
    chain = product.category.get_ancestors(include_self=True).values_list("pk", flat=True)
    return bool(cache[badge.pk] & set(chain))


def _discount_of(badge: Badge, shop, cents, cache):
    """(gross, net) ``badge`` takes off the basket: split over the lines it covers in
    proportion to their value, each line's net part by its own tax (``net_ratio``)."""
    covered = [
        v for v in shop.lines if v.why != "stored_value" and _covers(badge, v.line.variant.product, cache)
    ]
    base = sum((v.value_gross for v in covered), Decimal(0))
    if base <= 0:
        return Decimal(0), Decimal(0)
    if badge.discount_kind == DiscountKind.PERCENT:
        gross = (base * badge.discount_value / 100).quantize(cents, rounding=ROUND_HALF_UP)
    else:
        gross = min(Decimal(badge.discount_value), base).quantize(cents, rounding=ROUND_HALF_UP)
    net = sum((gross * v.value_gross / base * v.net_ratio for v in covered), Decimal(0))
    return gross, net.quantize(cents, rounding=ROUND_HALF_UP)


def best_discount(checkout, lines, discounts, previous_value: TaxedMoney):
    """(TaxedMoney, badge) of the largest badge discount on this checkout."""
    from .. import checkout_context

    currency = previous_value.currency
    zero = TaxedMoney(Money(0, currency), Money(0, currency))
    # Saleor recalculates the total many times per request: read the badges once, and
    # use the request's plugins manager and basket (checkout_context), never a second one.
    context = checkout_context.for_checkout(checkout)
    # The badges come with the discount group in one statement (cardkinds.groups).
    from ..cardkinds import groups

    badges = groups.customer_discounts(checkout).badges
    if not badges:
        return zero, None
    lines = list(lines) if lines is not None else list(checkout)
    if discounts is None:
        from saleor.discount.utils import fetch_active_discounts

        discounts = fetch_active_discounts()
    shop = context.basket(lines, discounts)
    from ..loyalty import program as loyalty_program

    cents = loyalty_program.cents(currency)
    best, best_badge = (Decimal(0), Decimal(0)), None
    cache = {}
    for badge in badges:
        gross, net = _discount_of(badge, shop, cents, cache)
        if gross > best[0]:
            best, best_badge = (gross, net), badge
    gross = min(best[0], previous_value.gross.amount)
    net = min(best[1], previous_value.net.amount, gross)
    if gross <= 0:
        return zero, None
    return TaxedMoney(Money(net, currency), Money(gross, currency)), best_badge


def checkout_discount(checkout, lines, discounts, previous_value: TaxedMoney) -> TaxedMoney:
    """The badge discount to subtract in ``calculate_checkout_total`` (net and gross)."""
    return best_discount(checkout, lines, discounts, previous_value)[0]


def discount_name(badge: Badge) -> str:
    return gettext("%(badge)s discount") % {"badge": badge.title}


def prepare_order(checkout, discounts, manager):
    """Before the payment: tell the order what the calculation took off."""
    lines = list(checkout)
    subtotal = manager.calculate_checkout_subtotal(checkout, lines, discounts)
    shipping = manager.calculate_checkout_shipping(checkout, lines, discounts)
    before = subtotal + shipping - checkout.discount
    discount, badge = best_discount(checkout, lines, discounts, before)
    if badge is None:
        return None
    checkout.store_value_in_private_metadata(
        {
            PRIVATE_GROSS: str(discount.gross.amount),
            PRIVATE_NET: str(discount.net.amount),
            PRIVATE_NAME: discount_name(badge),
        }
    )
    checkout.save(update_fields=["private_metadata"])
    return discount


def record_on_order(order):
    """Inside the order's DB transaction: show the discount on the order (Saleor 2.10
    has one discount amount and name per order: the amounts add, the names join)."""
    gross = order.get_value_from_private_metadata(PRIVATE_GROSS)
    if not gross or order.get_value_from_metadata(PUBLIC_DISCOUNT):
        return None
    gross = Decimal(gross)
    name = order.get_value_from_private_metadata(PRIVATE_NAME) or ""
    order.discount_amount = Decimal(order.discount_amount or 0) + gross
    order.discount_name = f"{order.discount_name} + {name}" if order.discount_name else name
    if order.translated_discount_name:
        order.translated_discount_name = f"{order.translated_discount_name} + {name}"
    order.store_value_in_metadata({PUBLIC_DISCOUNT: str(gross)})
    order.save(update_fields=["discount_amount", "discount_name", "translated_discount_name", "metadata"])
    return gross
