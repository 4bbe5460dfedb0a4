"""How many points an order earns, and why (the breakdown goes into the booking's
metadata, so a customer's question about an old order has an exact answer).

Per line (gross, what the customer paid for it, less its share of the order's
discounts: vouchers and the points discount):
- the product's own rule, else the nearest category rule (the product's category, then
  its parents): ``fixed`` points per unit, ``percent`` of the line's value as points
  (10% of 50.00 EUR = 5 points), or ``excluded``;
- otherwise the program's ratio: ``earn_points`` per ``earn_amount`` of currency.
Stored value (wallet top-ups, gift vouchers) never earns points: it is money, and the
points come when it is spent. Shipping earns at the program's ratio when the base
includes it. The sum is rounded once (down, or to the nearest point).
"""
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Dict, List

from saleor.discount import VoucherType

from ..badges import perks as badge_perks
from ..models import LoyaltyEarnRule, LoyaltyProgram
from ..models.loyalty import EarnBase, EarnMode, EarnRounding, EarnRuleMode
from . import program as programs
from django.utils.translation import gettext as _


@dataclass
class Earning:
    points: int
    metadata: dict = field(default_factory=dict)


def _stored_value_kind(line) -> str:
    # The wallet's convention for top-up and gift-voucher products (product type
    # metadata ``customer_value.kind``).
    from ..wallet.paid_values import line_kind

    return line_kind(line)


def _category_chain(category) -> List[int]:
    if category is None:
        return []
    return list(
        category.get_ancestors(ascending=True, include_self=True).values_list("pk", flat=True)
    )


def rules_for(products) -> Dict[int, LoyaltyEarnRule]:
    """The rule that applies to each product (its own, else the nearest category's)."""
    products = [p for p in products if p is not None]
    own = {
        rule.product_id: rule
        for rule in LoyaltyEarnRule.objects.filter(product__in=[p.pk for p in products])
    }
    by_category = {
        rule.category_id: rule for rule in LoyaltyEarnRule.objects.filter(category__isnull=False)
    }
    found = {}
    for product in products:
        if product.pk in own:
            found[product.pk] = own[product.pk]
            continue
        for category_id in _category_chain(product.category) if by_category else []:
            if category_id in by_category:
                found[product.pk] = by_category[category_id]
                break
    return found


def describe(rule) -> str:
    if rule is None:
        return "default"
    if rule.mode == EarnRuleMode.EXCLUDED:
        return "excluded"
    return f"{rule.mode}:{programs.plain(rule.value) if rule.mode == EarnRuleMode.PERCENT else int(rule.value)}"


def points_discount_of(order) -> Decimal:
    """The order's points discount (recorded, or still only announced by the
    checkout's private metadata when ``record_on_order`` has not run yet)."""
    from .checkout import PRIVATE_DISCOUNT, PUBLIC_DISCOUNT

    recorded = order.get_value_from_metadata(PUBLIC_DISCOUNT)
    if recorded:
        return Decimal(recorded)
    return Decimal(order.get_value_from_private_metadata(PRIVATE_DISCOUNT) or 0)


def earn_ratio(program: LoyaltyProgram) -> Decimal:
    """Points per unit of currency (``earn_points`` per ``earn_amount``)."""
    return Decimal(program.earn_points) / Decimal(program.earn_amount)


def earn_rounding(program: LoyaltyProgram):
    return ROUND_DOWN if program.earn_rounding == EarnRounding.DOWN else ROUND_HALF_UP


def full_steps(program: LoyaltyProgram) -> bool:
    return program.earn_mode == EarnMode.FULL_STEPS


def ratio_points(program: LoyaltyProgram, amount: Decimal) -> Decimal:
    """Unrounded points the program's ratio gives ``amount``: in proportion, or only
    for every full ``earn_amount`` (10 per 5.00: 36.00 -> 72, or 70 in full steps)."""
    if full_steps(program):
        steps = (max(amount, Decimal(0)) / Decimal(program.earn_amount)).to_integral_value(ROUND_DOWN)
        return steps * program.earn_points
    return amount * earn_ratio(program)


def amount_points(program: LoyaltyProgram, amount: Decimal, multiplier=Decimal(1)) -> int:
    """Points for a plain amount with no product rules (a till's sale value); a held
    badge's ``multiplier`` scales them before rounding."""
    raw = ratio_points(program, amount) * multiplier
    return max(int(raw.to_integral_value(earn_rounding(program))), 0)


def order_points(order, program: LoyaltyProgram) -> Earning:
    lines = list(
        order.lines.select_related(
            "variant__product__category", "variant__product__product_type"
        ).order_by("pk")
    )
    points_discount = points_discount_of(order)
    from .checkout import PUBLIC_REDEEMED

    recorded = bool(order.get_value_from_metadata(PUBLIC_REDEEMED))
    voucher_discount = Decimal(order.discount_amount or 0) - (points_discount if recorded else 0)
    shipping_discount = Decimal(0)
    voucher = order.voucher
    if voucher is not None and voucher.type == VoucherType.SHIPPING:
        shipping_discount, voucher_discount = voucher_discount, Decimal(0)
    goods_discount = voucher_discount + points_discount

    gross = {line.pk: line.unit_price_gross_amount * line.quantity for line in lines}
    all_gross = sum(gross.values(), Decimal(0))
    products = {line.pk: line.variant.product if line.variant else None for line in lines}
    rules = rules_for(products.values())
    ratio = earn_ratio(program)

    raw_total, base_total, breakdown = Decimal(0), Decimal(0), []
    ratio_base = Decimal(0)
    for line in lines:
        share = goods_discount * gross[line.pk] / all_gross if all_gross else Decimal(0)
        base = max(gross[line.pk] - share, Decimal(0))
        product = products[line.pk]
        rule = rules.get(product.pk) if product else None
        if _stored_value_kind(line):
            how, raw = "stored_value", Decimal(0)
        elif rule is None:
            # In full steps the ratio's lines are counted together below.
            how, raw = "default", base * ratio
            ratio_base += base
        elif rule.mode == EarnRuleMode.EXCLUDED:
            how, raw = "excluded", Decimal(0)
        elif rule.mode == EarnRuleMode.FIXED:
            how, raw = describe(rule), Decimal(int(rule.value)) * line.quantity
        else:
            how, raw = describe(rule), base * Decimal(rule.value) / 100
        if how != "stored_value":
            base_total += base
        raw_total += raw
        breakdown.append(
            {
                "line": line.pk,
                "sku": line.product_sku,
                "quantity": line.quantity,
                "base": str(base.quantize(programs.cents())),
                "rule": how,
                "points": str(raw.quantize(Decimal("0.001"))),
            }
        )
    shipping = Decimal(0)
    if program.earn_base == EarnBase.PRODUCTS_AND_SHIPPING:
        shipping = max(Decimal(order.shipping_price_gross_amount or 0) - shipping_discount, Decimal(0))
        raw_total += shipping * ratio
        base_total += shipping
        ratio_base += shipping
    if full_steps(program):
        # The ratio's part is replaced by its whole steps; fixed/percent rules stay.
        raw_total += ratio_points(program, ratio_base) - ratio_base * ratio
    multiplier = badge_perks.earn_multiplier_for_user(order.user_id)  # a held badge's perk
    raw_total *= multiplier
    points = int(raw_total.to_integral_value(earn_rounding(program)))
    metadata = {
        "earn_multiplier": str(multiplier),
        **programs.earn_rules(program),
        "base": str(base_total.quantize(programs.cents())),
        "shipping": str(shipping.quantize(programs.cents())),
        "points_discount": str(points_discount),
        "raw_points": str(raw_total.quantize(Decimal("0.001"))),
        "lines": breakdown,
    }
    return Earning(points=max(points, 0), metadata=metadata)


# --- managing the overrides ----------------------------------------------------------


def set_rule(product, category, mode, value) -> LoyaltyEarnRule:
    """Create or replace the rule of ``product`` or ``category`` (validated)."""
    from django.core.exceptions import ValidationError

    from ..error_codes import CustomerValueErrorCode as Code

    def invalid(message):
        return ValidationError({"value": ValidationError(message, code=Code.INVALID.value)})

    if mode == EarnRuleMode.EXCLUDED:
        clean = Decimal(0)
    else:
        if value is None:
            raise invalid(_("Give the points per unit (FIXED) or the percent (PERCENT)."))
        clean = Decimal(str(value))
        if mode == EarnRuleMode.FIXED and (
            clean != clean.to_integral_value() or not 1 <= clean <= programs.MAX_POINTS
        ):
            raise invalid(_("FIXED takes whole points per unit, at least 1."))
        if mode == EarnRuleMode.PERCENT and (
            not 0 < clean <= 100 or clean != clean.quantize(Decimal("0.01"))
        ):
            raise invalid(_("PERCENT takes a percent above 0 and at most 100, with at most 2 decimals."))
    target = {"product": product} if product is not None else {"category": category}
    rule, _created = LoyaltyEarnRule.objects.update_or_create(**target, defaults={"mode": mode, "value": clean})
    return rule


def delete_rule(product, category) -> bool:
    target = {"product": product} if product is not None else {"category": category}
    deleted, _details = LoyaltyEarnRule.objects.filter(**target).delete()
    return bool(deleted)
