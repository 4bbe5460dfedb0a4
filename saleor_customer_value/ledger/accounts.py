"""Finding and creating accounts. Creation is race-safe (unique constraints +
``get_or_create``), so two first top-ups of a new customer make one wallet."""
from django.db import IntegrityError, transaction

from ..models import Account, AccountKind, Customer
from .amounts import validate_currency
from .reasons import POINTS_UNIT, SystemAccountCode

_SYSTEM_CODES = {code for code, _ in SystemAccountCode.CHOICES} - {
    SystemAccountCode.MERCHANT_CLEARING,
    SystemAccountCode.MERCHANT_COMMISSION,
}


def _get_or_create(**lookup):
    # Nearly always the account exists: one plain read, no savepoint round trips.
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.get_or_create(**lookup)[0]
    except IntegrityError:
        return Account.objects.get(**lookup)


def customer_for_user(user) -> Customer:
    customer = Customer.objects.filter(user=user).first()
    if customer:
        return customer
    try:
        with transaction.atomic():
            return Customer.objects.create(user=user, email=user.email)
    except IntegrityError:
        return Customer.objects.get(user=user)


def wallet_account(customer: Customer, currency: str) -> Account:
    return _get_or_create(
        customer=customer, kind=AccountKind.WALLET, unit=validate_currency(currency)
    )


def points_account(customer: Customer) -> Account:
    return _get_or_create(customer=customer, kind=AccountKind.POINTS, unit=POINTS_UNIT)


def system_account(code: str, unit: str) -> Account:
    if code not in _SYSTEM_CODES:
        raise ValueError(f"unknown system account {code!r}")
    if unit != POINTS_UNIT:
        unit = validate_currency(unit)
    return _get_or_create(kind=AccountKind.SYSTEM, system_code=code, unit=unit)


def find_wallet(customer: Customer, currency: str):
    return Account.objects.filter(
        customer=customer, kind=AccountKind.WALLET, unit=currency
    ).first()


def merchant_account(merchant, code: str, unit: str) -> Account:
    """A partner merchant's clearing or commission account (a system account that
    belongs to ``merchant``; see ``partners/clearing.py``)."""
    if code not in (SystemAccountCode.MERCHANT_CLEARING, SystemAccountCode.MERCHANT_COMMISSION):
        raise ValueError(f"unknown merchant account {code!r}")
    return _get_or_create(
        kind=AccountKind.SYSTEM, system_code=code, merchant=merchant, unit=validate_currency(unit)
    )
