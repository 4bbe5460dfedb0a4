"""Two purchases racing for one credit limit, in real concurrent DB transactions: only
what the limit covers is booked, the other is refused."""
import threading
from decimal import Decimal

import pytest
from django.db import connection

from saleor.order.models import Order

from saleor_customer_value.credit.payments import CREDIT_GATEWAY_ID
from saleor_customer_value.models import Account, AccountKind, LedgerTransaction

from ..checkout_flow import complete, create_checkout, pay, set_shipping
from ..conftest import ApiClient, grant
from .conftest import open_line, pos_pay, token_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i):
        try:
            barrier.wait()
            results[i] = calls[i]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_checkouts_racing_for_one_limit(customer_user, variant, shipping_method):
    # given a limit of 45.00 and two checkouts of 45.00 of the same customer
    open_line(customer_user, "45.00")
    api = ApiClient(user=customer_user)
    first = create_checkout(api, variant, quantity=2)
    second = create_checkout(ApiClient(), variant, quantity=2)
    attached = api.execute(
        """mutation($id: ID!) { checkoutCustomerAttach(checkoutId: $id) {
             checkout { token } checkoutErrors { code } } }""",
        {"id": second["id"]},
    )["checkoutCustomerAttach"]
    assert attached["checkoutErrors"] == []
    for checkout in (first, second):
        set_shipping(api, checkout, shipping_method)
        token = token_for(api, checkout)["token"]
        assert pay(api, checkout, 45.0, gateway=CREDIT_GATEWAY_ID, token=token)["paymentErrors"] == []

    # when both are completed at the same moment
    results = run_together(
        lambda: complete(ApiClient(user=customer_user), first),
        lambda: complete(ApiClient(user=customer_user), second),
    )

    # then exactly one order exists, the other checkout is refused by the limit
    outcomes = sorted("OK" if r["order"] else r["checkoutErrors"][0]["code"] for r in results)
    assert outcomes == ["OK", "PAYMENT_ERROR"]
    refused = next(r for r in results if not r["order"])
    assert "CREDIT_LIMIT_EXCEEDED" in refused["checkoutErrors"][0]["message"]
    assert Order.objects.count() == 1
    account = Account.objects.get(customer__user=customer_user, kind=AccountKind.CREDIT)
    assert (account.posted, account.held) == (Decimal("-45.000"), Decimal("0"))
    assert LedgerTransaction.objects.filter(reason="credit_purchase").count() == 1


def test_two_tills_racing_for_one_limit(customer_user, app):
    # given 45.00 of credit and two tills that each want to book 30.00 on it
    grant(app, "use_pos")
    open_line(customer_user, "45.00")
    token = app.tokens.first().auth_token

    # when both book at the same moment
    results = run_together(
        lambda: pos_pay(ApiClient(app_token=token), customer_user, "30.00", "till-a", "A-1"),
        lambda: pos_pay(ApiClient(app_token=token), customer_user, "30.00", "till-b", "B-1"),
    )

    # then one is booked and the other is refused with the limit's code
    codes = sorted(
        r["customerValueErrors"][0]["code"] if r["customerValueErrors"] else "OK" for r in results
    )
    assert codes == ["CREDIT_LIMIT_EXCEEDED", "OK"]
    account = Account.objects.get(customer__user=customer_user, kind=AccountKind.CREDIT)
    assert account.posted == Decimal("-30.000")


def test_one_key_sent_twice_at_once_books_once(customer_user, app):
    grant(app, "use_pos")
    open_line(customer_user, "45.00")
    token = app.tokens.first().auth_token

    results = run_together(
        lambda: pos_pay(ApiClient(app_token=token), customer_user, "30.00", "same-key"),
        lambda: pos_pay(ApiClient(app_token=token), customer_user, "30.00", "same-key"),
    )

    assert [r["customerValueErrors"] for r in results] == [[], []]
    assert sorted(bool(r["replayed"]) for r in results) == [False, True]
    account = Account.objects.get(customer__user=customer_user, kind=AccountKind.CREDIT)
    assert account.posted == Decimal("-30.000")
