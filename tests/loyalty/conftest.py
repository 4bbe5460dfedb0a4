from decimal import Decimal

import pytest
import saleor.product.utils  # noqa: F401  (Saleor's product tasks need its utils imported first)
from django.db import connection

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.loyalty import lots
from saleor_customer_value.loyalty.program import RELATIONS, get_program
from saleor_customer_value.models import Account, Customer

from ..conftest import ApiClient, grant
from ..wallet.conftest import german_vat  # noqa: F401  (the real 19% VAT fixture)


def configure(**fields):
    """Set program fields directly (the settings API has its own tests)."""
    program = get_program()
    relations = {}
    for name, value in fields.items():
        if name in RELATIONS:
            relations[name] = value
        else:
            setattr(program, name, value)
    program.save()
    for name, value in relations.items():
        getattr(program, name).set(value)
    return program


@pytest.fixture
def program(db):
    """An enabled program: 1 point per 1.00 EUR when paid, 100 points = 1.00 EUR."""
    return configure(
        enabled=True,
        earn_points=1,
        earn_amount=Decimal("1.00"),
        earn_moment="paid",
        redeem_points=100,
        redeem_amount=Decimal("1.00"),
    )


def give_points(user, points, expiry_days=None, note="test points"):
    """Credit points the way staff bookings do (with a lot)."""
    account = accounts.points_account(accounts.customer_for_user(user))
    lots.credit(
        account,
        points,
        service.Posting(
            reason=Reason.POINTS_ADJUSTMENT,
            actor=Actor.system("tests"),
            note=note,
            metadata={"expiry_days": expiry_days},
        ),
    )
    account.refresh_from_db()
    return account


def points_account(user):
    customer = Customer.objects.filter(user=user).first()
    return Account.objects.filter(customer=customer, kind="points").first() if customer else None


def balance(user):
    account = points_account(user)
    if account is None:
        return (0, 0)
    return (int(account.posted), int(account.held))


def assert_lots_agree(user):
    """The lots projection matches the ledger: posted == remaining - debt."""
    account = points_account(user)
    lots.sync(account)
    gap = lots.invariant_gap(account)
    assert gap["posted"] == gap["lots"] - gap["debt"], gap


@pytest.fixture
def loyalty_staff(staff_user):
    grant(staff_user, "manage_loyalty")
    return ApiClient(user=staff_user)


class on_commit_callbacks:
    """Run the ``transaction.on_commit`` callbacks registered inside the block (tests
    run in one rolled-back transaction, and Django 3.0 has no capture helper)."""

    def __enter__(self):
        self.start = len(connection.run_on_commit)
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            callbacks = connection.run_on_commit[self.start:]
            del connection.run_on_commit[self.start:]
            for _sids, callback in callbacks:
                callback()
