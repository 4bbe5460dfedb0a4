"""What a paid order bought and with which money: the facts every paid-order booking
(top-ups, gift vouchers, cashback, B2B bonus) is computed from.

Stored value is sold as ordinary Saleor order lines. Staff mark the product type with
public metadata ``customer_value.kind`` (``wallet_topup`` or ``gift_voucher``) through
Saleor's own ``updateMetadata``, so no plugin model or migration is involved.

Two rules keep stored value from being bought below its face value:
- a line is worth what was paid for it: its gross total (Saleor sales are already in the
  line price) less its share of an order-level voucher discount, which Saleor keeps off
  the lines (a 10% order voucher must not turn 90 EUR into 100 EUR of wallet money);
- "external money" is the order total less what the wallet paid. It pays stored-value
  lines first: wallet money spent on a top-up earns no top-up bonus, and no cashback is
  paid on stored value.
"""
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import List, Optional

from django.db import transaction
from saleor.discount import VoucherType
from saleor.payment import ChargeStatus

from ..ledger import service
from ..ledger.amounts import precision
from ..ledger.errors import IdempotencyConflict
from ..ledger.idempotency import IdempotencyKey
from ..models import IdempotencyRecord, LedgerTransaction

KIND_KEY = "customer_value.kind"
WALLET_TOPUP = "wallet_topup"
GIFT_VOUCHER = "gift_voucher"

# Every booking made for a paid order claims a key in this scope (one per order part),
# so a second call for the same order books nothing.
ORDER_SCOPE = "system:order-paid"

_CHARGED = (
    ChargeStatus.FULLY_CHARGED,
    ChargeStatus.PARTIALLY_REFUNDED,
    ChargeStatus.FULLY_REFUNDED,
)


def product_type_kind(product_type) -> str:
    if product_type is None:
        return ""
    return (product_type.metadata or {}).get(KIND_KEY, "")


def line_kind(line) -> str:
    """The stored-value kind of an order or checkout line ('' for goods)."""
    variant = line.variant
    if variant is None:
        return ""
    return product_type_kind(variant.product.product_type)


def round_down(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-precision(currency)), rounding=ROUND_DOWN)


def _round_up(amount: Decimal, currency: str) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-precision(currency)), rounding=ROUND_UP)


@dataclass(frozen=True)
class ValueLine:
    line: object  # saleor.order.models.OrderLine
    kind: str
    paid: Decimal  # for the whole line (all units)

    @property
    def unit_paid(self) -> Decimal:
        return round_down(self.paid / self.line.quantity, self.line.currency)


@dataclass(frozen=True)
class PaidValues:
    currency: str
    total: Decimal  # the order's gross total (wallet part included)
    wallet_paid: Decimal
    lines: List[ValueLine]

    @property
    def external(self) -> Decimal:
        return max(self.total - self.wallet_paid, Decimal(0))

    def of_kind(self, kind) -> List[ValueLine]:
        return [v for v in self.lines if v.kind == kind and v.paid > 0]

    @property
    def stored_value(self) -> Decimal:
        return sum((v.paid for v in self.lines), Decimal(0))


def _voucher_covers(voucher, product) -> bool:
    if voucher is None:
        # The voucher was deleted: assume the worst, it covered every line.
        return True
    if voucher.type == VoucherType.ENTIRE_ORDER:
        return True
    if voucher.type != VoucherType.SPECIFIC_PRODUCT:
        return False
    return (
        voucher.products.filter(pk=product.pk).exists()
        or voucher.collections.filter(products=product).exists()
        or (
            product.category_id is not None
            and voucher.categories.filter(pk=product.category_id).exists()
        )
    )


def _line_gross(line) -> Decimal:
    return line.unit_price_gross_amount * line.quantity


def wallet_paid(order) -> Decimal:
    """What the wallet paid for the order (Saleor payments of the wallet gateway)."""
    from .payments import WALLET_GATEWAY_ID

    paid = Decimal(0)
    for payment in order.payments.filter(gateway=WALLET_GATEWAY_ID):
        if payment.charge_status in _CHARGED:
            paid += payment.total
        else:
            paid += payment.captured_amount
    return paid


def paid_values(order) -> PaidValues:
    lines = list(order.lines.select_related("variant__product__product_type"))
    currency = order.currency
    kinds = {line.pk: line_kind(line) for line in lines}
    discount = order.discount_amount or Decimal(0)
    covered = []
    if discount > 0 and any(kinds.values()):
        voucher = order.voucher
        covered = [
            line
            for line in lines
            if line.variant is not None and _voucher_covers(voucher, line.variant.product)
        ]
    covered_total = sum((_line_gross(line) for line in covered), Decimal(0))
    values = []
    for line in lines:
        if not kinds[line.pk]:
            continue
        gross = _line_gross(line)
        share = Decimal(0)
        if line in covered and covered_total > 0:
            share = _round_up(min(discount, covered_total) * gross / covered_total, currency)
        values.append(ValueLine(line, kinds[line.pk], max(gross - share, Decimal(0))))
    return PaidValues(
        currency=currency,
        total=order.total_gross_amount,
        wallet_paid=wallet_paid(order),
        lines=values,
    )


# --- booking once --------------------------------------------------------------------


def order_key(order, part: str) -> IdempotencyKey:
    return IdempotencyKey(scope=ORDER_SCOPE, key=f"order:{order.pk}:{part}")


def booked(idem: IdempotencyKey) -> Optional[LedgerTransaction]:
    """The transaction already booked under ``idem``, if any."""
    record = IdempotencyRecord.objects.filter(scope=idem.scope, key=idem.key).first()
    if record is None or record.transaction_id is None:
        return None
    return LedgerTransaction.objects.get(pk=record.transaction_id)


def transfer_once(source, destination, amount, posting, idem) -> LedgerTransaction:
    """``service.transfer`` under ``idem``; a second call returns the first booking.

    The request differs when a rule changed between two calls for one order (a new
    tier, a new percent): the first booking stands, as it was computed when the order
    was paid.
    """
    try:
        with transaction.atomic():
            return service.transfer(source, destination, amount, posting, idem)
    except IdempotencyConflict:
        return booked(idem)
