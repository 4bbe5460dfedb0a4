from decimal import Decimal

import pytest
from django.core.cache import cache
from django_prices_vatlayer.models import VAT
from saleor.plugins.models import PluginConfiguration

from saleor_customer_value.ledger import accounts, service
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.ledger.reasons import Reason, SystemAccountCode


@pytest.fixture
def german_vat(db):
    """Saleor's own vatlayer tax plugin with a stored 19% German rate: prices are
    gross, Saleor computes net and tax. No network: the rates are in the database."""
    VAT.objects.create(country_code="DE", data={"standard_rate": 19, "reduced_rates": {}})
    PluginConfiguration.objects.create(
        identifier="mirumee.taxes.vatlayer",
        name="Vatlayer",
        active=True,
        configuration=[{"name": "Access key", "value": "offline-test"}],
    )
    cache.clear()
    yield
    cache.clear()


def fund_wallet(user, amount, currency="EUR"):
    wallet = accounts.wallet_account(accounts.customer_for_user(user), currency)
    service.transfer(
        accounts.system_account(SystemAccountCode.FUNDING, currency),
        wallet,
        Decimal(amount),
        service.Posting(reason=Reason.TOPUP, actor=Actor.system("tests")),
    )
    wallet.refresh_from_db()
    return wallet


@pytest.fixture
def erika_wallet(customer_user):
    return fund_wallet(customer_user, "30.00")
