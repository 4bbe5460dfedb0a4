"""Two checkouts racing for one balance: only what the balance covers can complete."""
import threading
from decimal import Decimal

import pytest
from django.db import connection

from saleor_customer_value.models import Hold

from ..checkout_flow import complete, create_checkout, pay, set_shipping
from ..conftest import ApiClient
from .conftest import fund_wallet
from .test_checkout_wallet import apply

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_checkouts_racing_for_the_same_balance(customer_user, variant, shipping_method):
    # given 30.00 and two checkouts of the same customer that each want 20.00 of it
    wallet = fund_wallet(customer_user, "30.00")
    api = ApiClient(user=customer_user)
    # Saleor's checkoutCreate returns a logged-in user's open checkout, so the second
    # one is created anonymously and attached to the customer, as a storefront does
    # when a guest logs in.
    first = create_checkout(api, variant, quantity=2)
    second = create_checkout(ApiClient(), variant, quantity=2)
    attached = api.execute(
        """mutation($id: ID!) { checkoutCustomerAttach(checkoutId: $id) {
             checkout { token } checkoutErrors { code } } }""",
        {"id": second["id"]},
    )["checkoutCustomerAttach"]
    assert attached["checkoutErrors"] == []
    checkouts = [first, second]
    assert first["token"] != second["token"]
    for checkout in checkouts:
        set_shipping(api, checkout, shipping_method)
    barrier = threading.Barrier(2)
    results = [None, None]

    def race(i):
        try:
            barrier.wait()
            results[i] = apply(ApiClient(user=customer_user), checkouts[i], 20)
        finally:
            connection.close()

    # when both apply at the same moment
    threads = [threading.Thread(target=race, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # then exactly one reservation exists and the other gets INSUFFICIENT_FUNDS
    codes = sorted(
        (r["customerValueErrors"][0]["code"] if r["customerValueErrors"] else "OK") for r in results
    )
    assert codes == ["INSUFFICIENT_FUNDS", "OK"]
    winner = checkouts[[r["customerValueErrors"] == [] for r in results].index(True)]
    pay(api, winner, 25.0)
    assert complete(api, winner)["checkoutErrors"] == []
    wallet.refresh_from_db()
    assert (wallet.posted, wallet.held) == (Decimal("10.000"), Decimal("0"))
    assert Hold.objects.filter(status="pending").count() == 0
