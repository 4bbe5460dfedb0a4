"""The plugin's settings: declared once here, stored in Saleor's ``PluginConfiguration``.

Saleor keeps plugin settings as a list of ``{"name", "value"}`` pairs of strings or
booleans; ``get_config()`` turns them into a typed, validated ``Settings`` object.
"""
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Optional, Tuple

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import ConfigurationTypeField
from django.utils.translation import gettext as _

PLUGIN_ID = "saleor.customer_value"

HOLD_MINUTES = "Checkout reservation minutes"
TOPUP_MINIMUM = "Top-up minimum"
TOPUP_MAXIMUM = "Top-up maximum"
TOPUP_BONUS_TIERS = "Top-up bonus tiers"
CASHBACK_PERCENT = "Cashback percent"
B2B_BONUS_THRESHOLD = "B2B bonus threshold"
B2B_BONUS = "B2B bonus"
POS_SYNC_MAX_ITEMS = "POS sync items per call"
POS_OFFLINE_MAX_HOURS = "POS offline booking maximum age (hours)"

DEFAULTS = {
    HOLD_MINUTES: "60",
    TOPUP_MINIMUM: "5.00",
    TOPUP_MAXIMUM: "500.00",
    TOPUP_BONUS_TIERS: "",
    CASHBACK_PERCENT: "0",
    B2B_BONUS_THRESHOLD: "0",
    B2B_BONUS: "0",
    POS_SYNC_MAX_ITEMS: "100",
    POS_OFFLINE_MAX_HOURS: "72",
}

DEFAULT_CONFIGURATION = [{"name": name, "value": value} for name, value in DEFAULTS.items()]

CONFIG_STRUCTURE = {
    HOLD_MINUTES: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "How long wallet money or points applied to a checkout stay reserved "
            "before an abandoned checkout releases them (whole minutes, 1 to 10080)."
        ),
        "label": "Checkout reservation (minutes)",
    },
    TOPUP_MINIMUM: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "Smallest amount a shopper may add as a wallet top-up at checkout, in the "
            "shop currency (greater than zero)."
        ),
        "label": "Top-up minimum",
    },
    TOPUP_MAXIMUM: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "Largest wallet top-up one checkout may hold, in the shop currency (at "
            "least the minimum)."
        ),
        "label": "Top-up maximum",
    },
    TOPUP_BONUS_TIERS: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "Bonus on wallet top-ups as 'from amount:percent' pairs, e.g. '50:5,100:10' "
            "gives +5% from 50 and +10% from 100 (the highest tier reached applies). "
            "Empty: no bonus."
        ),
        "label": "Top-up bonus tiers",
    },
    CASHBACK_PERCENT: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "Percent of an order's paid total (without wallet money, top-ups and gift "
            "vouchers) credited to the customer's wallet when the order is paid; 0 to "
            "100, at most 2 decimals. 0 turns cashback off."
        ),
        "label": "Cashback (%)",
    },
    B2B_BONUS_THRESHOLD: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "Paid revenue of one customer in a calendar year (shop currency) that earns "
            "the B2B annual bonus once. 0 turns the bonus off."
        ),
        "label": "B2B bonus threshold",
    },
    B2B_BONUS: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "The B2B annual bonus: a fixed amount ('500') or a percent of the year's "
            "revenue when the threshold is reached ('2%')."
        ),
        "label": "B2B bonus",
    },
    POS_SYNC_MAX_ITEMS: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "How many offline bookings a till may upload in one posSync call (1 to 1000)."
        ),
        "label": "POS sync items per call",
    },
    POS_OFFLINE_MAX_HOURS: {
        "type": ConfigurationTypeField.STRING,
        "help_text": (
            "Offline bookings older than this (by the till's clock) are refused by "
            "posSync (whole hours, 1 to 720)."
        ),
        "label": "POS offline booking maximum age (hours)",
    },
}


@dataclass(frozen=True)
class BonusTier:
    """From ``threshold`` (inclusive) on, ``percent`` more."""

    threshold: Decimal
    percent: Decimal


@dataclass(frozen=True)
class B2BBonus:
    """Either a fixed ``amount`` or a ``percent`` of the year's revenue."""

    amount: Optional[Decimal] = None
    percent: Optional[Decimal] = None

    @property
    def is_off(self):
        return not (self.amount or self.percent)


@dataclass(frozen=True)
class Settings:
    active: bool
    hold_minutes: int
    topup_minimum: Decimal = Decimal("5.00")
    topup_maximum: Decimal = Decimal("500.00")
    topup_bonus_tiers: Tuple[BonusTier, ...] = ()
    cashback_percent: Decimal = Decimal(0)
    b2b_bonus_threshold: Decimal = Decimal(0)
    b2b_bonus: B2BBonus = B2BBonus()
    # The raw texts, kept in ledger metadata with the movements they priced.
    topup_bonus_tiers_text: str = ""
    b2b_bonus_text: str = "0"
    pos_sync_max_items: int = 100
    pos_offline_max_hours: int = 72

    def bonus_tier_for(self, amount: Decimal) -> Optional[BonusTier]:
        """The highest tier whose threshold ``amount`` reaches, if any."""
        reached = [t for t in self.topup_bonus_tiers if amount >= t.threshold]
        return max(reached, key=lambda t: t.threshold) if reached else None


def _as_dict(configuration):
    values = dict(DEFAULTS)
    values.update({item["name"]: item["value"] for item in configuration or []})
    return values


def _int_in_range(values, name, low, high):
    raw = values.get(name)
    try:
        number = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({name: _("%(name)s must be a whole number, got %(raw)s.") % {"name": name, "raw": repr(raw)}})
    if not low <= number <= high:
        raise ValidationError({name: _("%(name)s must be between %(low)s and %(high)s.") % {"name": name, "low": low, "high": high}})
    return number


def _decimal(name, raw, places, what=None):
    what = what or _("a number")
    """``raw`` as a Decimal with at most ``places`` decimals, or a ValidationError."""
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError({name: _("%(name)s must be %(what)s, got %(raw)s.") % {"name": name, "what": what, "raw": repr(raw)}})
    if abs(number) >= 10 ** 12:
        raise ValidationError({name: _("%(name)s is too large.") % {"name": name}})
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum, rounding=ROUND_DOWN):
        raise ValidationError({name: _("%(name)s allows at most %(places)s decimal places.") % {"name": name, "places": places}})
    return number


def _money_places():
    from .ledger.amounts import precision

    return precision(django_settings.DEFAULT_CURRENCY)


def _text(values, name):
    """The setting's text; blank means the default (the dashboard's empty field)."""
    raw = values.get(name)
    if raw is None or not str(raw).strip():
        return DEFAULTS[name]
    return str(raw).strip()


def _amount(values, name, allow_zero=False):
    number = _decimal(name, _text(values, name), _money_places(), _("an amount"))
    if number < 0 or (number == 0 and not allow_zero):
        low = "0 or more" if allow_zero else "greater than 0"
        raise ValidationError({name: _("%(name)s must be %(low)s.") % {"name": name, "low": low}})
    return number


def _percent(name, raw, allow_zero=True):
    number = _decimal(name, raw, 2, _("a percent"))
    if number < 0 or number > 100 or (number == 0 and not allow_zero):
        low = "0" if allow_zero else "above 0"
        raise ValidationError({name: _("%(name)s must be %(low)s to 100 (percent).") % {"name": name, "low": low}})
    return number


def parse_bonus_tiers(text: str) -> Tuple[BonusTier, ...]:
    """``"50:5,100:10"`` -> tiers sorted by threshold; empty text -> no tiers."""
    name, tiers = TOPUP_BONUS_TIERS, {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        if part.count(":") != 1:
            raise ValidationError(
                {name: _("%(name)s: %(part)s is not 'from amount:percent' (e.g. 50:5).") % {"name": name, "part": repr(part.strip())}}
            )
        raw_threshold, raw_percent = part.split(":")
        threshold = _amount({name: raw_threshold.strip() or "?"}, name)
        if threshold in tiers:
            raise ValidationError({name: _("%(name)s: the tier from %(threshold)s is listed twice.") % {"name": name, "threshold": threshold}})
        tiers[threshold] = _percent(name, raw_percent, allow_zero=False)
    return tuple(BonusTier(t, p) for t, p in sorted(tiers.items()))


def parse_b2b_bonus(text: str) -> B2BBonus:
    name, raw = B2B_BONUS, (text or "").strip()
    if raw.endswith("%"):
        return B2BBonus(percent=_percent(name, raw[:-1].strip()))
    return B2BBonus(amount=_amount({name: raw or "?"}, name, allow_zero=True))


def parse(configuration, active=True) -> Settings:
    values = _as_dict(configuration)
    minimum = _amount(values, TOPUP_MINIMUM)
    maximum = _amount(values, TOPUP_MAXIMUM)
    if maximum < minimum:
        raise ValidationError(
            {TOPUP_MAXIMUM: _("%(TOPUP_MAXIMUM)s must be at least the minimum (%(minimum)s).") % {"TOPUP_MAXIMUM": TOPUP_MAXIMUM, "minimum": minimum}}
        )
    threshold = _amount(values, B2B_BONUS_THRESHOLD, allow_zero=True)
    b2b_bonus = parse_b2b_bonus(_text(values, B2B_BONUS))
    return Settings(
        active=active,
        hold_minutes=_int_in_range(values, HOLD_MINUTES, 1, 10080),
        topup_minimum=minimum,
        topup_maximum=maximum,
        topup_bonus_tiers=parse_bonus_tiers(_text(values, TOPUP_BONUS_TIERS)),
        cashback_percent=_percent(CASHBACK_PERCENT, _text(values, CASHBACK_PERCENT)),
        b2b_bonus_threshold=threshold,
        b2b_bonus=b2b_bonus,
        topup_bonus_tiers_text=_text(values, TOPUP_BONUS_TIERS),
        b2b_bonus_text=_text(values, B2B_BONUS),
        pos_sync_max_items=_int_in_range(values, POS_SYNC_MAX_ITEMS, 1, 1000),
        pos_offline_max_hours=_int_in_range(values, POS_OFFLINE_MAX_HOURS, 1, 720),
    )


def validate(configuration):
    parse(configuration)


def get_config() -> Settings:
    from saleor.plugins.models import PluginConfiguration

    stored = PluginConfiguration.objects.filter(identifier=PLUGIN_ID).first()
    if stored is None:
        return parse([], active=True)
    return parse(stored.configuration, active=stored.active)
