"""Discount groups: who is in which group, what percentage applies to a product, and
the group discount in the checkout calculation (step 2 of the discount order, see
``chain``).

A member's rates are read in **one query** (``load_rates``): the active group of the
customer's valid membership, each listed category expanded to its subcategories (MPTT
``tree_id``/``lft``/``rght``), and the listed products. For a product the most specific
rate wins: its own product rate, else the rate of its deepest listed category, else the
group's general percentage (so a product rate of 0 exempts a product).

The discount is a real discount, applied like the badge discount: per line its share of
the line's value after the voucher (``loyalty.eligibility`` line values; never
stored-value lines), split into net and gross by the line's tax (``net_ratio``).
``eligibility.basket`` records each line's share (``LineValue.group_share``), so the
badge, points and the promotion that come after it see the value left after the group.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Dict, Optional, Tuple

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from prices import Money, TaxedMoney

from ..models.cardkinds import DiscountGroupKind

PRIVATE_GROSS = "customer_value.group_discount_gross"
PRIVATE_NET = "customer_value.group_discount_net"
PRIVATE_NAME = "customer_value.group_discount_name"
PUBLIC_DISCOUNT = "customer_value.group_discount"

# The rows (kind, id, value, n, text, text, amount, count, text, id) of a customer's card
# discounts come from the SQL function ``cv_customer_discounts`` (migration 0019), the one
# definition of them: 'g' the group, 'c' a category rate (subcategories expanded), 'p' a
# product rate, and with badges 'b' a held discount badge and 'w' the wallet-payment
# promotion. The checkout reads them with its reservations (``cv_checkout_state``).
_DISCOUNTS_SQL = (
    "SELECT k, i, v, n, t, c, a, m, s, r FROM cv_customer_discounts(%s, %s, %s, %s, %s)"
)


@dataclass
class GroupRates:
    group_id: int
    member_id: int
    customer_id: int
    name: str
    kind: str
    percent: Decimal
    allowance_amount: Optional[Decimal]
    allowance_count: Optional[int]
    currency: str
    products: Dict[int, Decimal] = field(default_factory=dict)
    # category id (subcategories included) -> (level of the listed category, percent, listed id)
    categories: Dict[int, Tuple[int, Decimal, int]] = field(default_factory=dict)

    @property
    def is_employee(self) -> bool:
        return self.kind == DiscountGroupKind.EMPLOYEE

    def percent_for(self, product) -> Decimal:
        if product.pk in self.products:
            return self.products[product.pk]
        found = self.categories.get(product.category_id)
        if found is not None:
            return found[1]
        return self.percent

    @property
    def listed_categories(self) -> Dict[int, Decimal]:
        """The listed categories (not their subcategories) with their percentages."""
        return {listed: percent for _sub, (_level, percent, listed) in self.categories.items() if _sub == listed}


def _query(user_id=None, customer_id=None, today=None, with_badges=False):
    params = (user_id, customer_id, today or timezone.localdate(), timezone.now(), with_badges)
    with connection.cursor() as cursor:
        cursor.execute(_DISCOUNTS_SQL, params)
        return cursor.fetchall()


def _rates_of(rows) -> Optional[GroupRates]:
    rates = None
    for row in rows:
        if row[0] == "g":
            rates = GroupRates(
                group_id=row[1], member_id=row[3], customer_id=row[9], name=row[4], kind=row[5],
                percent=Decimal(row[2]), allowance_amount=row[6], allowance_count=row[7], currency=row[8],
            )
    if rates is None:
        return None
    for kind, pk, percent, level, *_rest, listed in rows:
        if kind == "p":
            rates.products[pk] = Decimal(percent)
        elif kind == "c":
            known = rates.categories.get(pk)
            if known is None or level > known[0]:
                rates.categories[pk] = (level, Decimal(percent), listed)
    return rates


def _badges_of(rows) -> list:
    """Deferred ``Badge`` instances with the fields the badge discount reads."""
    from ..models import Badge

    names = ("id", "title", "discount_kind", "discount_value", "discount_scope")
    badges, order = [], {}
    for kind, pk, value, sort_order, title, discount_kind, _a, min_points, scope, _listed in rows:
        if kind != "b":
            continue
        order[pk] = (sort_order, min_points is None, min_points or 0, pk)  # Badge's ordering
        known = {"id": pk, "title": title, "discount_kind": discount_kind, "discount_value": Decimal(value),
                 "discount_scope": scope}
        fields = [f.attname for f in Badge._meta.concrete_fields if f.attname in names]
        badges.append(Badge.from_db("default", fields, [known[f] for f in fields]))
    return sorted(badges, key=lambda b: order[b.pk])


def load_rates(user_id=None, customer_id=None, today=None) -> Optional[GroupRates]:
    """The rates of the customer's current group, or None (one query)."""
    if user_id is None and customer_id is None:
        return None
    return _rates_of(_query(user_id, customer_id, today))


def _promotion_of(rows):
    from ..models import WalletPromotion

    for kind, pk, percent, _l, name, mode, max_discount, _c, min_order, _x in rows:
        if kind == "w":
            return WalletPromotion(
                pk=pk, enabled=True, percent=Decimal(percent), mode=mode, name=name,
                max_discount=max_discount, min_order=Decimal(min_order),
            )
    return None


@dataclass
class CustomerDiscounts:
    rates: Optional[GroupRates]
    badges: list  # held badges with a checkout discount (badges.perks)
    promotion: object = None  # the wallet-payment promotion, when enabled


def customer_discounts(checkout) -> CustomerDiscounts:
    """The checkout owner's group rates and discount badges: read once per request in
    the reservations statement (``checkout_context.discount_rows``), none for an
    anonymous checkout."""
    from .. import checkout_context

    if checkout.user_id is None:
        return CustomerDiscounts(None, [])
    context = checkout_context.for_checkout(checkout)

    def load():
        rows = context.discount_rows  # read with the reservations, one statement
        return CustomerDiscounts(_rates_of(rows), _badges_of(rows), _promotion_of(rows))

    return context.cached(("cardkinds", "discounts", checkout.user_id), load)


def rates_for_checkout(checkout) -> Optional[GroupRates]:
    """The checkout owner's rates, read once per request (``checkout_context``)."""
    return customer_discounts(checkout).rates


# --- the discount ----------------------------------------------------------------------


def apply_to_basket(checkout, shop) -> None:
    """Record each line's group share on the basket (``eligibility.basket`` calls this)."""
    rates = rates_for_checkout(checkout)
    shop.group = rates
    if rates is None:
        return
    from ..loyalty import program as programs

    cents = programs.cents(shop.currency)
    for value in shop.lines:
        if value.why == "stored_value":
            continue
        percent = rates.percent_for(value.line.variant.product)
        if percent <= 0:
            continue
        base = max(value.gross - value.voucher_share, Decimal(0))
        value.group_share = (base * percent / 100).quantize(cents, rounding=ROUND_HALF_UP)


@dataclass
class Applied:
    discount: TaxedMoney
    rates: Optional[GroupRates]
    items_value: Decimal = Decimal(0)
    item_count: int = 0


def applied(checkout, lines, discounts, previous_value: TaxedMoney) -> Applied:
    from .. import checkout_context
    from ..loyalty import program as programs

    currency = previous_value.currency
    zero = TaxedMoney(Money(0, currency), Money(0, currency))
    rates = rates_for_checkout(checkout)
    if rates is None:
        return Applied(zero, None)
    lines = list(lines) if lines is not None else list(checkout)
    if discounts is None:
        from saleor.discount.utils import fetch_active_discounts

        discounts = fetch_active_discounts()
    shop = checkout_context.for_checkout(checkout).basket(lines, discounts)
    cents = programs.cents(currency)
    covered = [v for v in shop.lines if v.group_share > 0]
    gross = sum((v.group_share for v in covered), Decimal(0))
    net = sum((v.group_share * v.net_ratio for v in covered), Decimal(0)).quantize(cents, rounding=ROUND_HALF_UP)
    gross = min(gross, previous_value.gross.amount)
    net = min(net, previous_value.net.amount, gross)
    if gross <= 0:
        return Applied(zero, rates)
    items_value = sum((max(v.gross - v.voucher_share, Decimal(0)) for v in covered), Decimal(0))
    count = sum(v.line.quantity for v in covered)
    return Applied(
        TaxedMoney(Money(net, currency), Money(gross, currency)), rates, items_value.quantize(cents), count
    )


def checkout_discount(checkout, lines, discounts, previous_value: TaxedMoney) -> TaxedMoney:
    """Step 2 of ``calculate_checkout_total``: the group discount (net and gross)."""
    return applied(checkout, lines, discounts, previous_value).discount


def discount_name(rates: GroupRates) -> str:
    return gettext("%(group)s discount") % {"group": rates.name}


def clear_private(checkout, keys):
    """Drop what an earlier completion attempt wrote (e.g. a wallet removed since), so
    the order never shows a discount the checkout no longer has."""
    found = [key for key in keys if key in (checkout.private_metadata or {})]
    for key in found:
        del checkout.private_metadata[key]
    if found:
        checkout.save(update_fields=["private_metadata"])


def prepare_order(checkout, discounts, manager):
    """Before the payment (``preprocess_order_creation``): name the discount for the
    order and, for an employee group, reserve the use of the allowance (refused with
    ``ALLOWANCE_EXCEEDED`` when it would be exceeded: then nothing is booked)."""
    lines = list(checkout)
    subtotal = manager.calculate_checkout_subtotal(checkout, lines, discounts)
    shipping = manager.calculate_checkout_shipping(checkout, lines, discounts)
    before = subtotal + shipping - checkout.discount
    result = applied(checkout, lines, discounts, before)
    if result.rates is None:
        clear_private(checkout, (PRIVATE_GROSS, PRIVATE_NET, PRIVATE_NAME))
        return None
    from . import consumption

    if result.rates.is_employee and result.discount.gross.amount > 0:
        consumption.reserve_for_checkout(checkout, result)
    else:  # an earlier attempt's reservation must not be booked with this order
        consumption.release_for_checkout(checkout)
    if result.discount.gross.amount <= 0:
        clear_private(checkout, (PRIVATE_GROSS, PRIVATE_NET, PRIVATE_NAME))
        return None
    checkout.store_value_in_private_metadata(
        {
            PRIVATE_GROSS: str(result.discount.gross.amount),
            PRIVATE_NET: str(result.discount.net.amount),
            PRIVATE_NAME: discount_name(result.rates),
        }
    )
    checkout.save(update_fields=["private_metadata"])
    return result.discount


def add_discount_to_order(order, gross: Decimal, name: str, public_key: str):
    """Saleor 2.10 has one discount amount and name per order: amounts add, names join."""
    order.discount_amount = Decimal(order.discount_amount or 0) + gross
    order.discount_name = f"{order.discount_name} + {name}" if order.discount_name else name
    if order.translated_discount_name:
        order.translated_discount_name = f"{order.translated_discount_name} + {name}"
    order.store_value_in_metadata({public_key: str(gross)})
    order.save(update_fields=["discount_amount", "discount_name", "translated_discount_name", "metadata"])


def record_on_order(order):
    """Inside the order's DB transaction: show the discount on the order and book the
    employee's reserved use with the order."""
    gross = order.get_value_from_private_metadata(PRIVATE_GROSS)
    if not gross or order.get_value_from_metadata(PUBLIC_DISCOUNT):
        return None
    from . import consumption

    gross = Decimal(gross)
    add_discount_to_order(order, gross, order.get_value_from_private_metadata(PRIVATE_NAME) or "", PUBLIC_DISCOUNT)
    consumption.book_for_order(order)
    return gross
