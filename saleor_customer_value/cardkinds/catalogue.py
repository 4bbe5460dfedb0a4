"""Staff input for discount groups, memberships and the wallet-payment promotion:
validated here (typed errors), stored in one DB transaction by the adapter."""
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from ..ledger.amounts import check_number
from ..models import DiscountGroup, DiscountGroupCategory, DiscountGroupMember, DiscountGroupProduct, WalletPromotion
from ..models.cardkinds import DiscountGroupKind, PromotionMode
from .errors import InvalidDiscountGroup

MAX_AMOUNT = Decimal("1000000")


def _percent(value, field):
    value = check_number(value, field=field)
    if not value.is_finite() or value < 0 or value > 100 or value != value.quantize(Decimal("0.001")):
        raise InvalidDiscountGroup(_("A percentage is between 0 and 100 with at most 3 decimals."), field=field)
    return value


def _amount(value, field, allow_none=True):
    if value is None:
        if allow_none:
            return None
        raise InvalidDiscountGroup(_("An amount is required."), field=field)
    value = check_number(value, field=field)
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        raise InvalidDiscountGroup(_("An amount is between 0 and 1,000,000 with at most 2 decimals."), field=field)
    return value


def save_group(group: DiscountGroup, data: dict) -> DiscountGroup:
    if "name" in data:
        name = (data["name"] or "").strip()
        if not name or len(name) > 100:
            raise InvalidDiscountGroup(_("A group needs a name of at most 100 characters."), field="name")
        group.name = name
    elif not group.name:
        raise InvalidDiscountGroup(_("A group needs a name of at most 100 characters."), field="name")
    if data.get("kind") is not None:
        if data["kind"] not in dict(DiscountGroupKind.CHOICES):
            raise InvalidDiscountGroup(_("Unknown kind."), field="kind")
        group.kind = data["kind"]
    if data.get("percent") is not None:
        group.percent = _percent(data["percent"], "percent")
    if data.get("is_active") is not None:
        group.is_active = data["is_active"]
    if "allowance_amount" in data:
        group.allowance_amount = _amount(data["allowance_amount"], "allowanceAmount")
    if "allowance_count" in data:
        count = data["allowance_count"]
        if count is not None and count < 0:
            raise InvalidDiscountGroup(_("A count is zero or more."), field="allowanceCount")
        group.allowance_count = count
    if data.get("currency"):
        from ..ledger.amounts import validate_currency

        group.currency = validate_currency(data["currency"])
    with transaction.atomic():
        group.save()
        if data.get("category_rates") is not None:
            group.category_rates.all().delete()
            seen = set()
            for category, percent in data["category_rates"]:
                if category.pk in seen:
                    raise InvalidDiscountGroup(_("A category is listed twice."), field="categoryRates")
                seen.add(category.pk)
                DiscountGroupCategory.objects.create(group=group, category=category, percent=_percent(percent, "categoryRates"))
        if data.get("product_rates") is not None:
            group.product_rates.all().delete()
            seen = set()
            for product, percent in data["product_rates"]:
                if product.pk in seen:
                    raise InvalidDiscountGroup(_("A product is listed twice."), field="productRates")
                seen.add(product.pk)
                DiscountGroupProduct.objects.create(group=group, product=product, percent=_percent(percent, "productRates"))
    return group


def set_member(customer, group, valid_from=None, valid_until=None, note="") -> DiscountGroupMember:
    """Put ``customer`` into ``group`` (moving it out of any other: one group per
    customer, a unique index)."""
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidDiscountGroup(_("validUntil is before validFrom."), field="validUntil")
    member, _created = DiscountGroupMember.objects.select_for_update().get_or_create(
        customer=customer, defaults={"group": group, "valid_from": valid_from, "valid_until": valid_until, "note": note or ""}
    )
    if not _created:
        member.group = group
        member.valid_from = valid_from
        member.valid_until = valid_until
        member.note = note or ""
        member.save(update_fields=["group", "valid_from", "valid_until", "note"])
    return member


def remove_member(customer) -> bool:
    member = DiscountGroupMember.objects.filter(customer=customer).first()
    if member is None:
        return False
    if member.consumptions.exists():
        # the consumption history keeps its membership: end it instead of deleting
        from django.utils import timezone

        member.valid_until = timezone.localdate() - timedelta(days=1)
        if member.valid_from and member.valid_from > member.valid_until:
            member.valid_from = member.valid_until
        member.save(update_fields=["valid_from", "valid_until"])
        return True
    member.delete()
    return True


def update_promotion(data: dict) -> WalletPromotion:
    promotion = WalletPromotion.objects.select_for_update().filter(pk=1).first() or WalletPromotion(pk=1)
    if data.get("enabled") is not None:
        promotion.enabled = data["enabled"]
    if data.get("percent") is not None:
        promotion.percent = _percent(data["percent"], "percent")
    if data.get("mode") is not None:
        if data["mode"] not in dict(PromotionMode.CHOICES):
            raise InvalidDiscountGroup(_("Unknown mode."), field="mode")
        promotion.mode = data["mode"]
    if "max_discount" in data:
        promotion.max_discount = _amount(data["max_discount"], "maxDiscount")
    if data.get("min_order") is not None:
        promotion.min_order = _amount(data["min_order"], "minOrder", allow_none=False)
    if data.get("name") is not None:
        name = data["name"].strip()
        if not name or len(name) > 100:
            raise InvalidDiscountGroup(_("A name of at most 100 characters."), field="name")
        promotion.name = name
    promotion.save()
    return promotion
