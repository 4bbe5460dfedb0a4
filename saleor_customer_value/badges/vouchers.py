"""Personal Saleor vouchers: exclusive codes for unlocked badges and voucher rewards.

Saleor 2.10's ``Voucher`` cannot be bound to a customer, so "personal" means a code of
"CV" + 10 random characters (50 bits, ``secrets``; Saleor's codes have at most 12) that only its owner is shown (``myBadges``,
the redemption), usable once (``usage_limit=1``), with an optional end date.
"""
import secrets
from datetime import timedelta
from decimal import Decimal
from typing import Optional

from django.conf import settings
from django.utils import timezone
from saleor.discount import DiscountValueType, VoucherType
from saleor.discount.models import Voucher

from ..models.badges import DiscountKind

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "CV" + "".join(secrets.choice(ALPHABET) for _ in range(10))


def issue(
    name: str,
    kind: str,
    value: Decimal,
    valid_days: Optional[int],
    product=None,
) -> Voucher:
    """One single-use voucher: the whole order, or one unit of ``product``."""
    now = timezone.now()
    voucher = Voucher.objects.create(
        name=name[:255],
        code=new_code(),
        type=VoucherType.SPECIFIC_PRODUCT if product is not None else VoucherType.ENTIRE_ORDER,
        discount_value_type=(
            DiscountValueType.PERCENTAGE if kind == DiscountKind.PERCENT else DiscountValueType.FIXED
        ),
        discount_value=Decimal(value),
        currency=settings.DEFAULT_CURRENCY,
        usage_limit=1,
        apply_once_per_order=product is not None,
        start_date=now,
        end_date=now + timedelta(days=valid_days) if valid_days else None,
    )
    if product is not None:
        voucher.products.add(product)
    return voucher
