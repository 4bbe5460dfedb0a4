"""The demo data: the seed's ladder and three rewards; the demo shopper sees them."""
from django.core.management import call_command
from saleor.account.models import User

from saleor_customer_value.models import Badge, Reward

from ..conftest import ApiClient


def test_the_demo_shopper_sees_badges_and_rewards(db):
    # when the demo command runs (twice: it is idempotent)
    call_command("customer_value_demo", stdout=open("/dev/null", "w"))
    call_command("customer_value_demo", stdout=open("/dev/null", "w"))

    # then the ladder is Bronze 100-500, Silver 500-5,000, Gold from 5,000 (x1.5, 10 % top-up bonus)
    assert [(b.title, b.min_points, b.max_points, b.is_tier) for b in Badge.objects.order_by("min_points")] == [
        ("Bronze", 100, 500, True),
        ("Silver", 500, 5000, True),
        ("Gold", 5000, None, True),
    ]
    gold = Badge.objects.get(title="Gold")
    assert (str(gold.earn_multiplier), gold.topup_bonus_tiers) == ("1.50", "1:10")
    assert Reward.objects.count() == 3

    # and the shopper is Silver, the rest of 5,000 points from Gold
    shopper = ApiClient(user=User.objects.get(email="shopper@example.com"))
    tier = shopper.execute("{ myTier { measuredValue current { badge { title } } nextTier { title } pointsToNextTier } }")["myTier"]
    # (1,200 welcome points plus the console demo's four weeks of purchases in store)
    measured = tier.pop("measuredValue")
    assert 1200 <= measured < 5000
    assert tier == {"current": {"badge": {"title": "Silver"}}, "nextTier": {"title": "Gold"}, "pointsToNextTier": 5000 - measured}
    rewards = shopper.execute("{ rewards { name points reachable pointsMissing } }")["rewards"]
    assert [(r["points"], r["reachable"], r["pointsMissing"]) for r in rewards][:2] == [(500, True, 0), (800, True, 0)]
    assert len(rewards) == 3
