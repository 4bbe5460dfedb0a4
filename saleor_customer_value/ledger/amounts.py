"""Amounts as the ledger accepts them: ``Decimal`` with exactly the unit's precision.

Money uses the currency's minor unit (as ``prices``/Saleor do); points are whole numbers.
Over-precise amounts are rejected, never rounded: rounding is a business rule that the
caller states, not something the ledger does silently.
"""
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.conf import settings
from django.utils.translation import gettext as _

from .errors import CurrencyMismatch, InvalidAmount
from .reasons import POINTS_UNIT

MAX_AMOUNT = Decimal("10") ** 15
# More digits or places than any amount, rate or percent needs; beyond them Decimal
# arithmetic at the default precision (28 digits) starts to raise or round.
MAX_DIGITS = 40
MAX_PLACES = 20


class NonCanonicalDecimal(Decimal):
    """A number that was written with other than ASCII digits (``١٢``): Python reads it,
    the API refuses it (see ``graphql.inputs``)."""


def check_number(value, field: str = "amount") -> Decimal:
    """``value`` as a Decimal if it is a plain, finite number of sane size, else raise
    ``InvalidAmount``. Runs before any arithmetic: ``quantize`` and comparisons raise
    ``InvalidOperation`` on ``sNaN``, and on ``1E+28`` at two places."""
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidAmount(_("Amounts must not be floats."), field=field)
    if isinstance(value, NonCanonicalDecimal):
        raise InvalidAmount(_("Write numbers with the digits 0-9."), field=field)
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip() if value is not None else ""
        if not text.isascii():
            raise InvalidAmount(_("Write numbers with the digits 0-9."), field=field)
        try:
            amount = Decimal(text)
        except (InvalidOperation, ValueError, TypeError):
            raise InvalidAmount(_("%(value)r is not a number.") % {"value": text[:40]}, field=field)
    if not amount.is_finite():
        raise InvalidAmount(
            _("%(value)r is not a number (not finite).") % {"value": str(amount)}, field=field
        )
    sign, digits, exponent = amount.as_tuple()
    if amount.is_zero():
        if sign:
            raise InvalidAmount(_("Negative zero is not a number the shop accepts."), field=field)
        return amount
    if len(digits) + exponent > 16 or abs(amount) >= MAX_AMOUNT:
        raise InvalidAmount(_("The amount is too large."), field=field)
    if len(digits) > MAX_DIGITS or exponent < -MAX_PLACES:
        raise InvalidAmount(_("The number has too many digits."), field=field)
    return amount


def precision(unit: str) -> int:
    if unit == POINTS_UNIT:
        return 0
    return get_currency_precision(unit)


def validate_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    available = getattr(settings, "AVAILABLE_CURRENCIES", None) or []
    if len(code) != 3 or not code.isalpha() or code == POINTS_UNIT[:3]:
        raise CurrencyMismatch(_("%(currency)s is not a currency code.") % {"currency": repr(currency)})
    if available and code not in available:
        raise CurrencyMismatch(
            _("The shop does not accept %(code)s; use one of %(join)s.") % {"code": code, "join": ', '.join(available)}
        )
    return code


def to_amount(value, unit: str, field: str = "amount") -> Decimal:
    """Return ``value`` as a positive Decimal of ``unit``'s precision, or raise."""
    if value is None:
        raise InvalidAmount(_("An amount is required."), field=field)
    # Form and magnitude first: quantize below raises on what check_number refuses.
    amount = check_number(value, field=field)
    if amount <= 0:
        raise InvalidAmount(_("The amount must be greater than zero."), field=field)
    if amount >= MAX_AMOUNT:  # before quantize: 1E+28 would overflow the context
        raise InvalidAmount(_("The amount is too large."), field=field)
    places = precision(unit)
    quantum = Decimal(1).scaleb(-places)
    if amount != amount.quantize(quantum):
        what = "whole points" if unit == POINTS_UNIT else f"{places} decimal places"
        raise InvalidAmount(
            _("%(value)s has more precision than %(unit)s allows (%(what)s).") % {"value": value, "unit": unit, "what": what}, field=field
        )
    if amount >= MAX_AMOUNT:
        raise InvalidAmount(_("The amount is too large."), field=field)
    return amount.quantize(quantum)


def in_unit(amount, unit: str) -> Decimal:
    """``amount`` at ``unit``'s precision (EUR: 2 places). Ledger columns are
    numeric(20,3), so a stored 5.00 EUR reads back as 5.000: every amount handed to
    Saleor or to a client goes through this (exact: the ledger never stores more
    precision than the unit allows)."""
    return Decimal(amount).quantize(Decimal(1).scaleb(-precision(unit)))
