"""Amounts as the ledger accepts them: ``Decimal`` with exactly the unit's precision.

Money uses the currency's minor unit (as ``prices``/Saleor do); points are whole numbers.
Over-precise amounts are rejected, never rounded: rounding is a business rule that the
caller states, not something the ledger does silently.
"""
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.conf import settings

from .errors import CurrencyMismatch, InvalidAmount
from .reasons import POINTS_UNIT

MAX_AMOUNT = Decimal("10") ** 15


def precision(unit: str) -> int:
    if unit == POINTS_UNIT:
        return 0
    return get_currency_precision(unit)


def validate_currency(currency: str) -> str:
    code = (currency or "").strip().upper()
    available = getattr(settings, "AVAILABLE_CURRENCIES", None) or []
    if len(code) != 3 or not code.isalpha() or code == POINTS_UNIT[:3]:
        raise CurrencyMismatch(f"{currency!r} is not a currency code.")
    if available and code not in available:
        raise CurrencyMismatch(
            f"The shop does not accept {code}; use one of {', '.join(available)}."
        )
    return code


def to_amount(value, unit: str, field: str = "amount") -> Decimal:
    """Return ``value`` as a positive Decimal of ``unit``'s precision, or raise."""
    if isinstance(value, float):
        raise InvalidAmount("Amounts must not be floats.", field=field)
    try:
        amount = Decimal(str(value).strip()) if value is not None else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidAmount(f"{value!r} is not a number.", field=field)
    if amount <= 0:
        raise InvalidAmount("The amount must be greater than zero.", field=field)
    if amount >= MAX_AMOUNT:  # before quantize: 1E+28 would overflow the context
        raise InvalidAmount("The amount is too large.", field=field)
    places = precision(unit)
    quantum = Decimal(1).scaleb(-places)
    if amount != amount.quantize(quantum):
        what = "whole points" if unit == POINTS_UNIT else f"{places} decimal places"
        raise InvalidAmount(
            f"{value} has more precision than {unit} allows ({what}).", field=field
        )
    if amount >= MAX_AMOUNT:
        raise InvalidAmount("The amount is too large.", field=field)
    return amount.quantize(quantum)
