"""Which checkout lines loyalty points may discount, and how much.

Not stored value (wallet top-ups, gift vouchers: paying them with points would be a
conversion around the conversion rules); not the program's excluded products or
categories (with their subcategories); only the included ones when an include list is
set; not lines on sale or covered by the checkout's voucher when "exclude discounted
lines" is on. A voucher's discount is taken off the lines it covers first, so points and
voucher together never take a line below zero.

The net part of a discount follows the lines' tax (see ``_net_ratio``): a points
discount lowers the taxable amount of exactly the goods it applies to.
"""
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import List, Optional

from django.utils.translation import gettext_noop
from saleor.discount import VoucherType
from saleor.discount.models import Voucher
from saleor.discount.utils import get_product_discounts

from ..models import LoyaltyProgram
from ..models.loyalty import MaxDiscountType
from . import program as programs


@dataclass
class LineValue:
    line: object
    gross: Decimal
    net: Decimal
    voucher_share: Decimal
    eligible: bool
    why: str
    net_ratio: Decimal = Decimal(1)  # net per 1 of gross
    group_share: Decimal = Decimal(0)  # the card discount group's part (cardkinds.groups)

    @property
    def value_gross(self) -> Decimal:
        """The line's value after the voucher and the discount group (what the badge,
        points and the wallet-payment promotion may still discount)."""
        return max(self.gross - self.voucher_share - self.group_share, Decimal(0))

    @property
    def value_net(self) -> Decimal:
        return self.value_gross * self.net_ratio


def _net_ratio(line, gross: Decimal, net: Decimal, manager, country_of) -> Decimal:
    """Net per unit of gross for ``line``: from its tax rate when the tax plugin's rate
    explains the line's (rounded) amounts, else from the amounts themselves.

    Line amounts are rounded per unit (2 x 16.81 net for 2 x 20.00 gross), so their
    ratio is off by a rounding; a 10.00 discount on 19% goods must take 8.40 off the
    net (10.00 / 1.19), not 8.41.
    """
    if not gross:
        return Decimal(1)
    by_amounts = net / gross
    if net == gross:
        return Decimal(1)
    try:
        rate = Decimal(manager.get_tax_rate_percentage_value(line.variant.product, country_of()))
    except Exception:  # noqa: BLE001 - a tax plugin without rates: use the amounts
        return by_amounts
    if rate <= 0:
        return by_amounts
    exact = 1 / (1 + rate / 100)
    tolerance = Decimal("0.01") * max(line.quantity, 1)
    if abs(gross * exact - net) <= tolerance:
        return exact
    return by_amounts


EXCLUDED_PRODUCT_REASONS = ("stored_value", "excluded", "not_included")
EXCLUDED_PRODUCTS_MESSAGE = gettext_noop("The products in this checkout cannot be paid with points.")


@dataclass
class Basket:
    currency: str
    lines: List[LineValue] = field(default_factory=list)
    voucher_discount: Decimal = Decimal(0)
    shipping_voucher: bool = False
    group: object = None  # the owner's discount group rates (cardkinds.groups), if any

    @property
    def cart_value(self) -> Decimal:
        """The goods after their discounts, gross, without shipping (what the
        minimum cart value is compared with)."""
        goods = sum((v.gross - v.group_share for v in self.lines), Decimal(0))
        return max(goods - (0 if self.shipping_voucher else self.voucher_discount), Decimal(0))

    @property
    def eligible_gross(self) -> Decimal:
        return sum((v.value_gross for v in self.lines if v.eligible), Decimal(0))

    @property
    def only_excluded_products(self) -> bool:
        """Nothing is eligible because of what the products are (exclude/include lists,
        stored value), not because of the maximum or of discounts."""
        return bool(self.lines) and all(
            v.why in EXCLUDED_PRODUCT_REASONS for v in self.lines
        )

    @property
    def eligible_net(self) -> Decimal:
        return sum((v.value_net for v in self.lines if v.eligible), Decimal(0))


def _categories(product) -> set:
    if product.category_id is None:
        return set()
    return set(
        product.category.get_ancestors(include_self=True).values_list("pk", flat=True)
    )


def _voucher(checkout) -> Optional[Voucher]:
    if not checkout.voucher_code:
        return None
    return Voucher.objects.filter(code=checkout.voucher_code).first()


def _voucher_covers(voucher, product) -> bool:
    if voucher.type == VoucherType.ENTIRE_ORDER:
        return True
    if voucher.type != VoucherType.SPECIFIC_PRODUCT:
        return False
    products = set(voucher.products.values_list("pk", flat=True))
    categories = set(voucher.categories.values_list("pk", flat=True))
    collections = set(voucher.collections.values_list("pk", flat=True))
    if not (products or categories or collections):
        return True  # Saleor: a specific-product voucher listing nothing covers all
    return (
        product.pk in products
        or product.category_id in categories
        or bool(collections & set(product.collections.values_list("pk", flat=True)))
    )


def _load_product_types(lines, known=None):
    """The lines' product types in one query (``line_kind`` reads them), not one each;
    none for those in ``known`` (id -> product type, e.g. read by ``checkout_context``)."""
    from saleor.product.models import Product, ProductType

    descriptor = Product.product_type
    products = [
        line.variant.product
        for line in lines
        if line.variant is not None and not descriptor.is_cached(line.variant.product)
    ]
    known = known or {}
    missing = {p.product_type_id for p in products if p.product_type_id not in known}
    types = {**known, **ProductType.objects.in_bulk(missing)} if missing else known
    for product in products:
        descriptor.field.set_cached_value(product, types.get(product.product_type_id))


def basket(checkout, lines, discounts, manager, program: LoyaltyProgram, product_types=None) -> Basket:
    from ..wallet.paid_values import line_kind

    currency = checkout.currency
    voucher = _voucher(checkout)
    voucher_discount = Decimal(checkout.discount_amount or 0) if voucher else Decimal(0)
    include_products = programs.redeem_ids(program, "redeem_include_products")
    include_categories = programs.redeem_ids(program, "redeem_include_categories")
    exclude_products = programs.redeem_ids(program, "redeem_exclude_products")
    exclude_categories = programs.redeem_ids(program, "redeem_exclude_categories")
    lines = list(lines)
    _load_product_types(lines, product_types)

    from django_countries.fields import Country

    countries = []

    def country():  # read only when a line is taxed (it may load the address)
        if not countries:
            countries.append(Country(checkout.get_country()))
        return countries[0]

    values, covered = [], []
    for line in lines:
        product = line.variant.product
        total = manager.calculate_checkout_line_total(line, discounts or [])
        on_sale = bool(
            discounts
            and list(
                get_product_discounts(
                    product=product, collections=product.collections.all(), discounts=discounts
                )
            )
        )
        is_covered = voucher is not None and _voucher_covers(voucher, product)
        if is_covered:
            covered.append(line)
        categories = _categories(product) if (
            include_categories or exclude_categories
        ) else set()
        if line_kind(line):
            why = "stored_value"
        elif product.pk in exclude_products or categories & exclude_categories:
            why = "excluded"
        elif (include_products or include_categories) and not (
            product.pk in include_products or categories & include_categories
        ):
            why = "not_included"
        elif program.redeem_exclude_discounted and (on_sale or (is_covered and voucher_discount > 0)):
            why = "discounted"
        else:
            why = ""
        values.append(
            LineValue(
                line,
                total.gross.amount,
                total.net.amount,
                Decimal(0),
                not why,
                why or "eligible",
                _net_ratio(line, total.gross.amount, total.net.amount, manager, country),
            )
        )
    shipping_voucher = voucher is not None and voucher.type == VoucherType.SHIPPING
    if voucher_discount > 0 and not shipping_voucher:
        covered_gross = sum((v.gross for v in values if v.line in covered), Decimal(0))
        for value in values:
            if value.line in covered and covered_gross > 0:
                value.voucher_share = min(voucher_discount, covered_gross) * value.gross / covered_gross
    result = Basket(currency, values, voucher_discount, shipping_voucher)
    from ..cardkinds import groups

    groups.apply_to_basket(checkout, result)  # step 2 of the discount order
    return result


def max_discount(program: LoyaltyProgram, basket: Basket) -> Decimal:
    """The most points may take off this checkout: the eligible lines' value, capped by
    the program's maximum (an amount, or a percent of the eligible value)."""
    eligible = basket.eligible_gross.quantize(programs.cents(basket.currency), rounding=ROUND_DOWN)
    if program.redeem_max_type == MaxDiscountType.AMOUNT:
        return min(eligible, Decimal(program.redeem_max_value))
    if program.redeem_max_type == MaxDiscountType.PERCENT:
        cap = basket.eligible_gross * Decimal(program.redeem_max_value) / 100
        return min(eligible, cap.quantize(programs.cents(basket.currency), rounding=ROUND_DOWN))
    return eligible
