"""Two requests racing for one points balance: only what the balance covers is used,
and the lots stay in step with the ledger."""
import threading
from decimal import Decimal

import pytest
from django.db import connection

from ..conftest import ApiClient
from .conftest import assert_lots_agree, balance, configure, give_points
from .test_conversion import CONVERT

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(calls):
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
        t.join(30)
    return results


def test_two_conversions_racing_for_the_same_points(customer_user):
    # given 3000 points and two requests that each convert 2500
    configure(enabled=True, convert_points=2500, convert_amount=Decimal("25.00"))
    give_points(customer_user, 3000, expiry_days=30)

    def convert():
        return ApiClient(user=customer_user).execute(CONVERT, {"points": "2500"})[
            "pointsConvertToWallet"
        ]

    results = race([convert, convert])

    # then exactly one converts and the other is told there are not enough points
    codes = sorted(
        (r["customerValueErrors"][0]["code"] if r["customerValueErrors"] else "OK") for r in results
    )
    assert codes == ["INSUFFICIENT_FUNDS", "OK"]
    assert balance(customer_user) == (500, 0)
    assert_lots_agree(customer_user)
