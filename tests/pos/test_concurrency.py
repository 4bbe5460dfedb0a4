"""A till retrying the same payment from 8 threads at once books it once."""
from decimal import Decimal

import pytest

from saleor_customer_value.ledger.reasons import Reason
from saleor_customer_value.models import Account, LedgerTransaction

from ..conftest import ApiClient
from ..ledger.test_concurrency import run_concurrently
from .conftest import fund_wallet, grant
from .queries import PAY, amount_input

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_eight_concurrent_retries_of_one_payment_book_once():
    from saleor.account.models import User
    from saleor.app.models import App

    from saleor_customer_value.ledger import accounts
    from saleor_customer_value.models import CardKind, CardState

    from .conftest import make_card

    user = User.objects.create_user("race@example.com", "pw")
    app = App.objects.create(name="Till race", is_active=True)
    token = app.tokens.create(name="t").auth_token
    grant(app, "use_pos")
    card = make_card(accounts.customer_for_user(user), state=CardState.ACTIVE, kind=CardKind.QR)
    fund_wallet(user, "30.00")
    variables = amount_input({"code": card.code}, "25.00", receipt="R-race", key="retry-me")

    results = run_concurrently(8, lambda i: ApiClient(app_token=token).execute(PAY, variables)["posWalletPay"])

    assert all(not isinstance(r, Exception) for r in results), results
    assert all(r["customerValueErrors"] == [] for r in results), results
    assert sorted(r["replayed"] for r in results) == [False] + [True] * 7
    assert len({r["bookings"][0]["id"] for r in results}) == 1
    assert LedgerTransaction.objects.filter(reason=Reason.POS_PAYMENT).count() == 1
    assert Account.objects.get(kind="wallet", customer__user=user).posted == Decimal("5.00")
