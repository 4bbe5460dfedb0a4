import pytest
from django.core.cache import cache

from saleor_customer_value.cards import codes
from saleor_customer_value.models import Card, CardKind, CardState, Customer


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def make_card(customer=None, state=CardState.GENERATED, kind=CardKind.QR, **extra):
    return Card.objects.create(
        code=codes.generate(), kind=kind, state=state, customer=customer, **extra
    )


@pytest.fixture
def card(db):
    return make_card()


@pytest.fixture
def anonymous_customer(db):
    return Customer.objects.create()
