from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from saleor.plugins.models import PluginConfiguration

from saleor_customer_value import config
from saleor_customer_value.ledger import accounts
from saleor_customer_value.models import CardKind, CardState

from ..cards.conftest import clear_rate_limits, make_card  # noqa: F401
from ..conftest import ApiClient, grant
from ..loyalty.conftest import configure, give_points
from ..wallet.conftest import fund_wallet

__all__ = ["configure", "give_points", "fund_wallet", "make_card"]


@pytest.fixture
def program(db):
    """1 point per 1.00 EUR, rounded down; 100 points = 1.00 EUR."""
    return configure(
        enabled=True,
        earn_points=1,
        earn_amount=Decimal("1.00"),
        earn_rounding="down",
        redeem_points=100,
        redeem_amount=Decimal("1.00"),
        redeem_min_balance=0,
    )


@pytest.fixture
def till(app):
    grant(app, "use_pos")
    return ApiClient(app_token=app.tokens.first().auth_token)


@pytest.fixture
def cashier(staff_user):
    grant(staff_user, "use_pos")
    return ApiClient(user=staff_user)


@pytest.fixture
def erika_card(customer_user):
    customer = accounts.customer_for_user(customer_user)
    return make_card(customer, state=CardState.ACTIVE, kind=CardKind.CHIP, chip_uid="04A2B3C4")


@pytest.fixture
def bonus_tiers(db):
    PluginConfiguration.objects.create(
        identifier=config.PLUGIN_ID,
        name="Customer value",
        active=True,
        configuration=[{"name": config.TOPUP_BONUS_TIERS, "value": "50:5,100:10"}],
    )


def yesterday():
    return timezone.localdate() - timedelta(days=1)
