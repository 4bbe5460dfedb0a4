"""Staff input for badges, rewards and the badge settings: validated, then saved.

Every refusal is a ``ValidationError`` with a field and a code, raised before any
write; the DB constraints of migration 0009 (ordered ranges, disjoint tiers, stock
never exceeded) stand behind the checks.
"""
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .. import config as plugin_config
from ..error_codes import CustomerValueErrorCode as Code
from ..ledger.amounts import precision, validate_currency
from ..ledger.errors import CurrencyMismatch
from ..models import Badge, BadgeProgram, Reward
from ..models.badges import DiscountKind, RewardKind


MAX_POINTS = 10 ** 9


def invalid(field, message, code=Code.INVALID):
    return ValidationError({field: ValidationError(message, code=code.value)})


def clean_decimal(field, raw, places, low=Decimal(0), high=Decimal(10) ** 9) -> Decimal:
    """A finite decimal in [low, high] with at most ``places`` decimals."""
    try:
        number = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or "\x00" in str(raw):
        raise invalid(field, _("%(value)r is not a number.") % {"value": str(raw)[:40]})
    if not low <= number <= high:
        raise invalid(field, _("Give a value from %(low)s to %(high)s.") % {"low": low, "high": high})
    if number != number.quantize(Decimal(1).scaleb(-places)):
        raise invalid(field, _("At most %(places)s decimal places.") % {"places": places})
    return number


def clean_points(field, raw, allow_none=True):
    if raw is None:
        if allow_none:
            return None
        raise invalid(field, _("This field is required."), Code.REQUIRED)
    if not 0 <= raw <= MAX_POINTS:
        raise invalid(field, _("Points are 0 to %(max)s.") % {"max": MAX_POINTS})
    return raw


def clean_text(field, raw, required=False, max_length=None):
    text = (raw or "").strip()
    if "\x00" in text:
        raise invalid(field, _("Text must not contain NUL characters."))
    if required and not text:
        raise invalid(field, _("This field is required."), Code.REQUIRED)
    if max_length and len(text) > max_length:
        raise invalid(field, _("At most %(max)s characters.") % {"max": max_length})
    return text


# --- badges --------------------------------------------------------------------------


BADGE_TEXT = {"title": 128, "title_de": 128, "description": None, "description_de": None}


def save_badge(badge: Badge, data: dict) -> Badge:
    """Apply ``data`` (only the keys given) to ``badge`` and save it."""
    relations = {}
    for field, limit in BADGE_TEXT.items():
        if field in data:
            setattr(badge, field, clean_text(field, data[field], field == "title", limit))
    if not badge.title:
        raise invalid("title", _("A badge needs a title."), Code.REQUIRED)
    for field in ("min_points", "max_points"):
        if field in data:
            setattr(badge, field, clean_points(field, data[field]))
    for field in ("sort_order", "is_active", "is_tier"):
        if field in data and data[field] is not None:
            setattr(badge, field, data[field])
    if badge.min_points is not None and badge.max_points is not None and badge.max_points <= badge.min_points:
        raise invalid("max_points", _("The range ends above where it starts."))
    if badge.is_tier and badge.min_points is None:
        raise invalid("min_points", _("A tier needs a points range."), Code.REQUIRED)
    if data.get("earn_multiplier") is not None:
        badge.earn_multiplier = clean_decimal("earn_multiplier", data["earn_multiplier"], 2, Decimal(1), Decimal(10))
    if "topup_bonus_tiers" in data:
        text = clean_text("top_up_bonus_tiers", data["topup_bonus_tiers"], max_length=255)
        try:
            plugin_config.parse_bonus_tiers(text)
        except ValidationError as exc:
            raise invalid("top_up_bonus_tiers", _("; ").join(exc.messages))
        badge.topup_bonus_tiers = text
    if data.get("discount_kind") is not None:
        badge.discount_kind = data["discount_kind"]
    if data.get("discount_value") is not None:
        badge.discount_value = clean_decimal("discount_value", data["discount_value"], 2)
    if badge.discount_kind == DiscountKind.PERCENT and badge.discount_value > 100:
        raise invalid("discount_value", _("A percent discount is at most 100."))
    if data.get("discount_scope") is not None:
        badge.discount_scope = data["discount_scope"]
    for field in ("discount_products", "discount_categories"):
        if field in data:
            relations[field] = data[field] or []
    if data.get("voucher_kind") is not None:
        badge.voucher_kind = data["voucher_kind"]
    if data.get("voucher_value") is not None:
        badge.voucher_value = clean_decimal("voucher_value", data["voucher_value"], 2)
    if badge.voucher_kind == DiscountKind.PERCENT and badge.voucher_value > 100:
        raise invalid("voucher_value", _("A percent voucher is at most 100."))
    if "voucher_valid_days" in data:
        days = data["voucher_valid_days"]
        if days is not None and not 1 <= days <= 3650:
            raise invalid("voucher_valid_days", _("Give 1 to 3650 days, or null for no expiry."))
        badge.voucher_valid_days = days
    if data.get("icon") is not None:
        badge.icon = data["icon"]
    _check_ladder(badge)
    try:
        with transaction.atomic():
            badge.save()
    except IntegrityError:
        raise invalid("min_points", _("Tier ranges must not overlap."), Code.TIER_RANGE_OVERLAP)
    for field, values in relations.items():
        getattr(badge, field).set(values)
    return badge


def _check_ladder(badge: Badge):
    if not (badge.is_tier and badge.is_active):
        return
    high = badge.max_points if badge.max_points is not None else float("inf")
    for other in Badge.objects.filter(is_tier=True, is_active=True).exclude(pk=badge.pk):
        other_high = other.max_points if other.max_points is not None else float("inf")
        if badge.min_points < other_high and other.min_points < high:
            raise invalid(
                "min_points",
                _("Tier ranges must not overlap: %(tier)s covers %(low)s to %(high)s.")
                % {"tier": other.title, "low": other.min_points, "high": other.max_points or _("open")},
                Code.TIER_RANGE_OVERLAP,
            )


# --- rewards -------------------------------------------------------------------------


def save_reward(reward: Reward, data: dict) -> Reward:
    if "name" in data:
        reward.name = clean_text("name", data["name"], True, 128)
    if not reward.name:
        raise invalid("name", _("A reward needs a name."), Code.REQUIRED)
    if "description" in data:
        reward.description = clean_text("description", data["description"])
    if data.get("points") is not None:
        if not 1 <= data["points"] <= MAX_POINTS:
            raise invalid("points", _("A reward costs 1 to %(max)s points.") % {"max": MAX_POINTS})
        reward.points = data["points"]
    if not reward.points:
        raise invalid("points", _("Say how many points the reward costs."), Code.REQUIRED)
    if data.get("kind") is not None:
        reward.kind = data["kind"]
    if not reward.kind:
        raise invalid("kind", _("Choose the kind of reward."), Code.REQUIRED)
    if data.get("currency") is not None:
        try:
            reward.currency = validate_currency(data["currency"])
        except CurrencyMismatch as exc:
            raise invalid("currency", exc.message)
    if data.get("amount") is not None:
        reward.amount = clean_decimal("amount", data["amount"], precision(reward.currency))
    if data.get("voucher_kind") is not None:
        reward.voucher_kind = data["voucher_kind"]
    if "voucher_valid_days" in data:
        days = data["voucher_valid_days"]
        if days is not None and not 1 <= days <= 3650:
            raise invalid("voucher_valid_days", _("Give 1 to 3650 days, or null for no expiry."))
        reward.voucher_valid_days = days
    if "variant" in data:
        reward.variant = data["variant"]
    for field in ("stock", "per_customer_limit"):
        if field in data:
            value = data[field]
            if value is not None and not 0 <= value <= MAX_POINTS:
                raise invalid(field, _("Give 0 to %(max)s, or null for no limit.") % {"max": MAX_POINTS})
            setattr(reward, field, value)
    if reward.stock is not None and reward.stock < reward.redeemed_count:
        raise invalid("stock", _("%(count)s were already redeemed.") % {"count": reward.redeemed_count})
    for field in ("starts_at", "ends_at", "required_badge", "is_active", "sort_order"):
        if field in data and (data[field] is not None or field in ("starts_at", "ends_at", "required_badge")):
            setattr(reward, field, data[field])
    if reward.starts_at and reward.ends_at and reward.ends_at <= reward.starts_at:
        raise invalid("ends_at", _("The reward must end after it starts."))
    if reward.kind in (RewardKind.WALLET_CREDIT, RewardKind.VOUCHER) and reward.amount <= 0:
        raise invalid("amount", _("Give the amount (or percent) the reward is worth."), Code.REQUIRED)
    if reward.kind == RewardKind.VOUCHER and reward.voucher_kind == DiscountKind.PERCENT and reward.amount > 100:
        raise invalid("amount", _("A percent voucher is at most 100."))
    if reward.kind == RewardKind.VOUCHER and reward.voucher_kind == DiscountKind.NONE:
        raise invalid("voucher_kind", _("Choose PERCENT or FIXED."))
    if reward.kind == RewardKind.FREE_PRODUCT and reward.variant is None:
        raise invalid("variant_id", _("Choose the product variant given away."), Code.REQUIRED)
    if data.get("image") is not None:
        reward.image = data["image"]
    reward.save()
    return reward


# --- settings ------------------------------------------------------------------------


def update_program(data: dict) -> BadgeProgram:
    program = BadgeProgram.objects.select_for_update().get_or_create(pk=1)[0]
    if data.get("measure") is not None:
        program.measure = data["measure"]
    if data.get("loss_rule") is not None:
        program.loss_rule = data["loss_rule"]
    for field in ("window_days", "grace_days"):
        if data.get(field) is not None:
            if not 0 <= data[field] <= 3650 or (field == "window_days" and data[field] == 0):
                raise invalid(field, _("Give 1 to 3650 days.") if field == "window_days" else _("Give 0 to 3650 days."))
            setattr(program, field, data[field])
    program.save()
    return program


