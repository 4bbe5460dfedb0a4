"""The loyalty program's settings: reading them, validating a change, and the rates.

Rules change over time, history must not: every movement copies the rule values it was
computed with into its ledger metadata (``*_rules`` below), so an old booking can
always be explained with the rules of its day.

Rates are exact. ``X points = Y money`` converts only whole cents: a number of points
that is not worth a whole number of cents is refused (``Rate.check``), never rounded, so
no fraction of a point or a cent is silently created or lost.
"""
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from math import gcd
from typing import Optional

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..error_codes import CustomerValueErrorCode as Code
from ..ledger.amounts import precision
from ..ledger.errors import InvalidAmount
from ..models import LoyaltyProgram
from ..models.loyalty import (
    EarnBase,
    EarnMode,
    EarnMoment,
    EarnRounding,
    MaxDiscountType,
    ReviewPolicy,
)
from .errors import LoyaltyDisabled
from django.utils.translation import gettext as _

BUILTIN_ACTIONS = ("registration", "newsletter", "review")
ACTION_CODE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
MAX_POINTS = 10 ** 9


def get_program() -> LoyaltyProgram:
    program = LoyaltyProgram.objects.filter(pk=LoyaltyProgram.SINGLETON_ID).first()
    if program is not None:
        return program
    try:
        with transaction.atomic():
            return LoyaltyProgram.objects.create(pk=LoyaltyProgram.SINGLETON_ID)
    except IntegrityError:
        return LoyaltyProgram.objects.get(pk=LoyaltyProgram.SINGLETON_ID)


_REDEEM_LISTS = (
    "redeem_include_products",
    "redeem_include_categories",
    "redeem_exclude_products",
    "redeem_exclude_categories",
)


_PROGRAM_WITH_LISTS_SQL = None


def _program_with_lists_sql() -> str:
    """``SELECT program.*, ARRAY(SELECT <id> FROM <m2m> WHERE program = id), ...`` built
    once per process from the model (the ORM's subquery expressions cost more to
    compile than the query costs to run)."""
    global _PROGRAM_WITH_LISTS_SQL
    if _PROGRAM_WITH_LISTS_SQL is None:
        table = LoyaltyProgram._meta.db_table
        arrays = []
        for name in _REDEEM_LISTS:
            field = LoyaltyProgram._meta.get_field(name)
            arrays.append(
                f"ARRAY(SELECT {field.m2m_reverse_name()} FROM {field.m2m_db_table()} "
                f"WHERE {field.m2m_column_name()} = {table}.id) AS cv_{name}"
            )
        _PROGRAM_WITH_LISTS_SQL = f"SELECT {table}.*, {', '.join(arrays)} FROM {table} WHERE id = %s"
    return _PROGRAM_WITH_LISTS_SQL


def get_program_with_lists() -> LoyaltyProgram:
    """The program and the ids of its redemption include/exclude lists in one query
    (``redeem_ids``), for the checkout calculation."""
    found = list(LoyaltyProgram.objects.raw(_program_with_lists_sql(), [LoyaltyProgram.SINGLETON_ID]))
    if not found:
        return get_program()
    program = found[0]
    program.cv_redeem_ids = {name: set(getattr(program, f"cv_{name}")) for name in _REDEEM_LISTS}
    return program


def redeem_ids(program: LoyaltyProgram, relation: str) -> set:
    """The ids of one include/exclude list (loaded with the program when it was read by
    ``get_program_with_lists``)."""
    preloaded = getattr(program, "cv_redeem_ids", None)
    if preloaded is not None:
        return preloaded[relation]
    return set(getattr(program, relation).values_list("pk", flat=True))


def require_enabled(program: Optional[LoyaltyProgram] = None) -> LoyaltyProgram:
    program = program or get_program()
    if not program.enabled:
        raise LoyaltyDisabled(_("The shop's loyalty program is switched off."))
    return program


def currency() -> str:
    return django_settings.DEFAULT_CURRENCY


def cents(currency_code: Optional[str] = None) -> Decimal:
    return Decimal(1).scaleb(-precision(currency_code or currency()))


# --- rates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """``points`` points are worth ``amount`` of ``currency``."""

    points: int
    amount: Decimal
    currency: str

    @property
    def step(self) -> int:
        """The fewest points worth a whole number of cents; valid amounts are
        multiples of it (100 points = 1.00 -> 1; 150 points = 1.00 -> 3)."""
        places = precision(self.currency)
        minor = int(self.amount.scaleb(places))
        return self.points // gcd(self.points, minor)

    def value(self, points: int) -> Decimal:
        """What ``points`` are worth; they must be a multiple of ``step``."""
        raw = Decimal(points) * self.amount / self.points
        return raw.quantize(cents(self.currency))

    def check(self, points: int, field="points") -> Decimal:
        if points % self.step:
            raise InvalidAmount(
                _("Points are converted in steps of %(step)s (%(step)s points = %(value)s %(currency)s); %(points)s is not a multiple of %(step)s.") % {"step": self.step, "value": self.value(self.step), "currency": self.currency, "points": points},
                field=field,
            )
        return self.value(points)

    def points_within(self, amount: Decimal) -> int:
        """The most points (a multiple of ``step``) worth at most ``amount``."""
        if amount <= 0:
            return 0
        raw = int((amount * self.points / self.amount).to_integral_value(ROUND_DOWN))
        return raw - raw % self.step

    def as_metadata(self) -> dict:
        amount = self.amount.quantize(cents(self.currency))
        return {"points": self.points, "amount": str(amount), "currency": self.currency}


def plain(amount) -> str:
    """A rule amount as text with the currency's decimals ("1.00"), for metadata."""
    return str(Decimal(amount).quantize(cents()))


def redeem_rate(program: LoyaltyProgram) -> Rate:
    return Rate(program.redeem_points, Decimal(program.redeem_amount).quantize(cents()), currency())


def convert_rate(program: LoyaltyProgram) -> Optional[Rate]:
    if not program.convert_points or not program.convert_amount:
        return None
    return Rate(program.convert_points, Decimal(program.convert_amount).quantize(cents()), currency())


# --- expiry --------------------------------------------------------------------------


def expires_at(program: LoyaltyProgram, start):
    """When points that become available at ``start`` expire (None: never)."""
    if not program.expiry_days:
        return None
    return start + timedelta(days=program.expiry_days)


# --- rule snapshots for ledger metadata ----------------------------------------------


def earn_rules(program: LoyaltyProgram) -> dict:
    return {
        "earn_points": program.earn_points,
        "earn_amount": plain(program.earn_amount),
        "earn_base": program.earn_base,
        "earn_rounding": program.earn_rounding,
        "earn_mode": program.earn_mode,
        "earn_moment": program.earn_moment,
        "pending_days": program.pending_days,
        "expiry_days": program.expiry_days,
    }


def redeem_rules(program: LoyaltyProgram) -> dict:
    return {
        "rate": redeem_rate(program).as_metadata(),
        "min_balance": program.redeem_min_balance,
        "min_cart": plain(program.redeem_min_cart),
        "max_type": program.redeem_max_type,
        "max_value": plain(program.redeem_max_value),
        "exclude_discounted": program.redeem_exclude_discounted,
    }


# --- actions -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRule:
    code: str
    points: int
    once_per_customer: bool


def action_rule(program: LoyaltyProgram, code: str) -> Optional[ActionRule]:
    code = (code or "").strip()
    if code == "registration":
        return ActionRule(code, program.registration_points, True)
    if code == "newsletter":
        return ActionRule(code, program.newsletter_points, True)
    if code == "review":
        once = program.review_policy == ReviewPolicy.ONCE_PER_CUSTOMER
        return ActionRule(code, program.review_points, once)
    for item in program.custom_actions or []:
        if item.get("code") == code:
            return ActionRule(code, int(item["points"]), bool(item.get("once_per_customer")))
    return None


# --- validation of a change ----------------------------------------------------------


def _invalid(field, message):
    return ValidationError({field: ValidationError(message, code=Code.INVALID.value)})


def _whole(data, field, low=0, high=MAX_POINTS):
    value = data[field]
    if value is None or isinstance(value, bool):
        raise _invalid(field, _("%(field)s must be a whole number.") % {"field": field})
    try:
        number = Decimal(str(value))
    except Exception:  # noqa: BLE001
        raise _invalid(field, _("%(field)s must be a whole number.") % {"field": field})
    if number != number.to_integral_value():
        raise _invalid(field, _("%(field)s must be a whole number.") % {"field": field})
    if not low <= number <= high:
        raise _invalid(field, _("%(field)s must be between %(low)s and %(high)s.") % {"field": field, "low": low, "high": high})
    return int(number)


def _money(data, field, allow_zero=False, places=None):
    value = data[field]
    places = precision(currency()) if places is None else places
    try:
        number = Decimal(str(value))
    except Exception:  # noqa: BLE001
        number = None
    if number is None or not number.is_finite():
        raise _invalid(field, _("%(field)s must be a number.") % {"field": field})
    if number < 0 or (number == 0 and not allow_zero):
        raise _invalid(field, (_("%(field)s must be 0 or more.") if allow_zero else _("%(field)s must be greater than 0.")) % {"field": field})
    if number != number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN):
        raise _invalid(field, _("%(field)s allows at most %(places)s decimal places.") % {"field": field, "places": places})
    if number >= 10 ** 9:
        raise _invalid(field, _("%(field)s is too large.") % {"field": field})
    return number


def _choice(data, field, choices):
    value = data[field]
    allowed = [code for code, _ in choices]
    if value not in allowed:
        raise _invalid(field, _("%(field)s must be one of %(join)s.") % {"field": field, "join": ', '.join(allowed)})
    return value


def _custom_actions(items):
    clean, seen = [], set()
    for item in items or []:
        code = (item.get("code") or "").strip()
        if not ACTION_CODE.match(code):
            raise _invalid(
                "custom_actions",
                _("%(code)s is not an action code: 1 to 64 lowercase letters, digits, '_', '-' or '.'.") % {"code": repr(code)},
            )
        if code in BUILTIN_ACTIONS or code in seen:
            raise _invalid("custom_actions", _("The action code %(code)s is already used.") % {"code": repr(code)})
        seen.add(code)
        points = _whole({"custom_actions": item.get("points")}, "custom_actions", low=1)
        clean.append(
            {"code": code, "points": points, "once_per_customer": bool(item.get("once_per_customer"))}
        )
    return clean


SCALARS = {
    "enabled": lambda d, f: bool(d[f]),
    "earn_points": _whole,
    "earn_amount": _money,
    "earn_base": lambda d, f: _choice(d, f, EarnBase.CHOICES),
    "earn_rounding": lambda d, f: _choice(d, f, EarnRounding.CHOICES),
    "earn_moment": lambda d, f: _choice(d, f, EarnMoment.CHOICES),
    "earn_mode": lambda d, f: _choice(d, f, EarnMode.CHOICES),
    "pending_days": lambda d, f: _whole(d, f, 0, 365),
    "registration_points": _whole,
    "newsletter_points": _whole,
    "review_points": _whole,
    "review_policy": lambda d, f: _choice(d, f, ReviewPolicy.CHOICES),
    "redeem_points": lambda d, f: _whole(d, f, 1),
    "redeem_amount": _money,
    "redeem_min_balance": _whole,
    "redeem_min_cart": lambda d, f: _money(d, f, allow_zero=True),
    "redeem_max_type": lambda d, f: _choice(d, f, MaxDiscountType.CHOICES),
    "redeem_max_value": lambda d, f: _money(d, f, allow_zero=True),
    "redeem_exclude_discounted": lambda d, f: bool(d[f]),
    "convert_points": _whole,
    "convert_amount": lambda d, f: _money(d, f, allow_zero=True),
    "convert_min_points": _whole,
    "expiring_soon_days": lambda d, f: _whole(d, f, 1, 3650),
    "intro_text": lambda d, f: (d[f] or "").strip(),
}
RELATIONS = (
    "redeem_include_products",
    "redeem_include_categories",
    "redeem_exclude_products",
    "redeem_exclude_categories",
)


def update_program(data: dict) -> LoyaltyProgram:
    """Apply the fields present in ``data`` (snake_case; product and category lists as
    model instances), validate the result as a whole and save it; or raise a
    ``ValidationError`` naming the field and change nothing."""
    program = LoyaltyProgram.objects.select_for_update().get(pk=get_program().pk)
    for field, clean in SCALARS.items():
        if field in data:
            setattr(program, field, clean(data, field))
    if "expiry_days" in data:
        days = data["expiry_days"]
        program.expiry_days = (
            None if days in (None, 0) else _whole(data, "expiry_days", 1, 3650)
        )
    if "custom_actions" in data:
        program.custom_actions = _custom_actions(data["custom_actions"])
    _check_whole(program)
    program.save()
    for field in RELATIONS:
        if field in data:
            getattr(program, field).set(data[field] or [])
    return program


def _check_whole(program: LoyaltyProgram):
    if program.redeem_max_type == MaxDiscountType.PERCENT and not (
        0 < program.redeem_max_value <= 100
    ):
        raise _invalid("redeem_max_value", _("A maximum discount in percent is above 0 and at most 100."))
    if program.redeem_max_type == MaxDiscountType.AMOUNT and program.redeem_max_value <= 0:
        raise _invalid("redeem_max_value", _("A maximum discount amount must be greater than 0."))
    if program.redeem_max_type == MaxDiscountType.PERCENT:
        places = 2
    else:
        places = precision(currency())
    _money({"redeem_max_value": program.redeem_max_value}, "redeem_max_value", True, places)
    if program.convert_points and not program.convert_amount:
        raise _invalid("convert_amount", _("Set what the points convert into (greater than 0)."))
    if program.convert_amount and not program.convert_points:
        raise _invalid("convert_points", _("Set how many points convert into the amount."))


# --- the program in words ------------------------------------------------------------


def describe(program: LoyaltyProgram) -> str:
    """The rules as a shopper reads them (what the API's ``description`` returns)."""
    from django.utils.translation import gettext

    values = {
        "points": program.earn_points,
        "amount": plain(program.earn_amount),
        "currency": currency(),
    }
    if program.earn_mode == EarnMode.FULL_STEPS:
        text = gettext(
            "Earn %(points)s points for every full %(amount)s %(currency)s spent "
            "(a part of %(amount)s %(currency)s earns nothing)."
        )
    else:
        text = gettext(
            "Earn %(points)s points per %(amount)s %(currency)s spent, counted in "
            "proportion (parts of %(amount)s %(currency)s count too)."
        )
    parts = [text % values]
    parts.append(
        gettext("%(points)s points take %(amount)s %(currency)s off at checkout.")
        % {"points": program.redeem_points, "amount": plain(program.redeem_amount), "currency": currency()}
    )
    rate = convert_rate(program)
    if rate is not None:
        parts.append(
            gettext(
                "Points convert into wallet money in steps of %(points)s points = "
                "%(amount)s %(currency)s."
            )
            % {"points": rate.points, "amount": plain(rate.amount), "currency": rate.currency}
        )
    if program.expiry_days:
        parts.append(
            gettext("Points expire %(days)s days after they become available.")
            % {"days": program.expiry_days}
        )
    return " ".join(parts)
