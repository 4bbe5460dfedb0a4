"""The last item of a stock-limited reward, redeemed by two customers at once."""
import threading
from decimal import Decimal

import pytest
from django.db import connection

from saleor_customer_value.models import Reward, RewardRedemption
from saleor_customer_value.models.badges import RewardKind

from ..conftest import ApiClient, global_id
from .conftest import balance, give_points
from .test_rewards import REDEEM

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_last_item_goes_to_exactly_one_customer(customer_user, other_customer):
    # given one item left and two customers with enough points
    reward = Reward.objects.create(
        name="Signed poster", points=300, kind=RewardKind.VOUCHER, amount=Decimal("20.00"),
        voucher_kind="fixed", stock=1,
    )
    give_points(customer_user, 500)
    give_points(other_customer, 500)
    barrier = threading.Barrier(2)
    results = {}

    def run(user):
        try:
            barrier.wait()
            results[user.pk] = ApiClient(user=user).execute(
                REDEEM, {"reward": global_id("Reward", reward.pk), "key": "poster"}
            )["rewardRedeem"]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in (customer_user, other_customer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    # then one wins, the other is told it is out of stock and keeps the points
    codes = sorted(
        r["customerValueErrors"][0]["code"] if r["customerValueErrors"] else "OK" for r in results.values()
    )
    assert codes == ["OK", "REWARD_OUT_OF_STOCK"]
    assert RewardRedemption.objects.count() == 1
    assert Reward.objects.get(pk=reward.pk).redeemed_count == 1
    assert sorted([balance(customer_user)[0], balance(other_customer)[0]]) == [200, 500]
