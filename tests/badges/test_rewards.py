"""The reward catalogue: points missing, redemption in one transaction, idempotency,
limits and their own error codes, vouchers and free products, the till."""
from decimal import Decimal

import pytest
from django.utils import timezone

from saleor_customer_value.models import Account, Reward, RewardRedemption
from saleor_customer_value.models.badges import RewardKind

from ..conftest import ApiClient, global_id, grant
from ..loyalty.flow import total
from .conftest import balance, errors, give_points, user_id

REWARDS = """
{ rewards { id name points kind reachable pointsMissing blockedBy remainingStock
    amount { amount currency } requiredBadge { title } } }
"""
REDEEM = """
mutation($reward: ID!, $key: String) {
  rewardRedeem(rewardId: $reward, idempotencyKey: $key) {
    redemption { points voucherCode walletCredit { amount } checkoutToken replayed reward { name } }
    customerValueErrors { field code message }
  }
}
"""


def make_reward(**fields):
    values = dict(name="5.00 in your wallet", points=500, kind=RewardKind.WALLET_CREDIT, amount=Decimal("5.00"))
    values.update(fields)
    return Reward.objects.create(**values)


def rid(reward):
    return global_id("Reward", reward.pk)


def redeem(api, reward, key=None):
    return api.execute(REDEEM, {"reward": reward if isinstance(reward, str) else rid(reward), "key": key})[
        "rewardRedeem"
    ]


def wallet(user):
    account = Account.objects.filter(customer__user=user, kind="wallet").first()
    return account.posted if account else Decimal(0)


def test_the_catalogue_shows_how_many_points_are_missing(customer_api, api_client, customer_user, ladder):
    # given a 500-point reward, one that needs Gold, and a customer with 320 points
    make_reward()
    make_reward(name="Gold lounge", points=100, kind=RewardKind.VOUCHER, amount=Decimal(10), voucher_kind="percent", required_badge=ladder["gold"])
    give_points(customer_user, 320)

    # then the customer sees 180 points missing, and the Gold reward blocked
    mine = {r["name"]: r for r in customer_api.execute(REWARDS)["rewards"]}
    assert (mine["5.00 in your wallet"]["pointsMissing"], mine["5.00 in your wallet"]["reachable"]) == (180, False)
    assert mine["5.00 in your wallet"]["blockedBy"] == "NOT_ENOUGH_POINTS"
    assert mine["Gold lounge"]["blockedBy"] == "BADGE_REQUIRED"
    assert mine["Gold lounge"]["pointsMissing"] == 0
    # and anonymous visitors see the catalogue with the whole price missing
    anonymous = {r["name"]: r for r in api_client.execute(REWARDS)["rewards"]}
    assert anonymous["5.00 in your wallet"]["pointsMissing"] == 500


def test_a_wallet_credit_reward_redeemed_twice_with_one_key_books_once(customer_api, customer_user):
    # given 1,200 points and a 500-point reward of 5.00 wallet credit
    reward = make_reward()
    give_points(customer_user, 1200)

    # when the same request is sent twice with one key
    first = redeem(customer_api, reward, key="r-1")
    second = redeem(customer_api, reward, key="r-1")

    # then the points are debited and the wallet credited once
    assert first["customerValueErrors"] == [] and second["customerValueErrors"] == []
    assert first["redemption"]["walletCredit"] == {"amount": 5.0}
    assert (first["redemption"]["replayed"], second["redemption"]["replayed"]) == (False, True)
    assert balance(customer_user) == (700, 0)
    assert wallet(customer_user) == Decimal("5.00")
    assert RewardRedemption.objects.count() == 1
    assert Reward.objects.get(pk=reward.pk).redeemed_count == 1


def test_the_same_key_for_another_reward_is_a_conflict(customer_api, customer_user):
    give_points(customer_user, 2000)
    redeem(customer_api, make_reward(), key="r-1")

    data = redeem(customer_api, make_reward(name="other"), key="r-1")

    assert errors(data) == [("idempotencyKey", "IDEMPOTENCY_CONFLICT")]
    assert balance(customer_user) == (1500, 0)


def test_a_voucher_reward_issues_a_personal_single_use_code(customer_api, customer_user):
    from saleor.discount.models import Voucher

    reward = make_reward(name="10 % off", kind=RewardKind.VOUCHER, amount=Decimal(10), voucher_kind="percent", voucher_valid_days=30)
    give_points(customer_user, 600)

    data = redeem(customer_api, reward, key="v-1")

    code = data["redemption"]["voucherCode"]
    voucher = Voucher.objects.get(code=code)
    assert (voucher.type, voucher.discount_value_type, voucher.discount_value, voucher.usage_limit) == (
        "entire_order", "percentage", 10, 1
    )
    assert balance(customer_user) == (100, 0)


def test_a_free_product_goes_into_the_next_checkout_at_zero_price(
    customer_api, customer_user, variant, shipping_method, warehouse
):
    from ..conftest import make_variant
    from ..loyalty.flow import ready_checkout

    # given a customer with a checkout of 2 x 20.00 (+ 5.00 shipping) and a free mug reward
    mug = make_variant(warehouse, name="Mug", price="8.00")
    checkout = ready_checkout(customer_api, variant, shipping_method)
    reward = make_reward(name="Free mug", kind=RewardKind.FREE_PRODUCT, amount=0, variant=mug)
    give_points(customer_user, 600)

    # when the customer redeems it
    data = redeem(customer_api, reward, key="m-1")

    # then the mug is in that checkout with a personal voucher that makes it free
    assert data["customerValueErrors"] == []
    assert data["redemption"]["checkoutToken"] == checkout["token"]
    from saleor.checkout.models import Checkout

    saved = Checkout.objects.get(token=checkout["token"])
    assert saved.voucher_code == data["redemption"]["voucherCode"]
    assert sorted((line.variant.sku, line.quantity) for line in saved.lines.all()) == [("mug", 1), ("t-shirt", 2)]
    assert total(customer_api, checkout)["gross"]["amount"] == 45.0


@pytest.mark.parametrize(
    "setup, code",
    [
        (dict(points=5000), "NOT_ENOUGH_POINTS"),
        (dict(stock=0), "REWARD_OUT_OF_STOCK"),
        (dict(is_active=False), "REWARD_NOT_AVAILABLE"),
        (dict(ends_at=timezone.now() - timezone.timedelta(days=1)), "REWARD_NOT_AVAILABLE"),
    ],
)
def test_refusals_have_their_own_codes_and_change_nothing(customer_api, customer_user, setup, code):
    reward = make_reward(**setup)
    give_points(customer_user, 1000)

    data = redeem(customer_api, reward, key="x")

    assert errors(data) == [("rewardId", code)]
    assert balance(customer_user) == (1000, 0)
    assert RewardRedemption.objects.count() == 0


def test_the_per_customer_limit(customer_api, customer_user):
    reward = make_reward(per_customer_limit=1)
    give_points(customer_user, 2000)
    redeem(customer_api, reward, key="a")

    data = redeem(customer_api, reward, key="b")

    assert errors(data) == [("rewardId", "REWARD_LIMIT_REACHED")]
    assert balance(customer_user) == (1500, 0)


def test_a_reward_that_needs_a_badge(customer_api, customer_user, ladder):
    reward = make_reward(required_badge=ladder["gold"])
    give_points(customer_user, 1000)

    assert errors(redeem(customer_api, reward, key="a")) == [("rewardId", "BADGE_REQUIRED")]
    give_points(customer_user, 4500)
    assert redeem(customer_api, reward, key="b")["customerValueErrors"] == []


@pytest.mark.parametrize("bad_id", ["", "not-an-id", global_id("User", 1), "UmV3YXJkOjk5OTk5", "\x00"])
def test_bad_reward_ids_are_typed_errors(customer_api, customer_user, bad_id):
    give_points(customer_user, 1000)

    data = redeem(customer_api, bad_id, key="a")

    assert data["customerValueErrors"][0]["field"] == "rewardId"
    assert balance(customer_user) == (1000, 0)


def test_anonymous_callers_must_log_in(db, api_client):
    reward = make_reward()

    assert errors(redeem(api_client, reward)) == [(None, "PERMISSION_DENIED")]


POS_REDEEM = """
mutation($input: PosRewardRedeemInput!) {
  posRewardRedeem(input: $input) {
    redemption { points voucherCode walletCredit { amount } replayed }
    customerValueErrors { field code message }
  }
}
"""


def test_a_till_redeems_a_reward_with_use_pos(app, customer_user, staff_api):
    reward = make_reward()
    give_points(customer_user, 800)
    request = {
        "input": {
            "customer": {"customerId": user_id(customer_user)},
            "rewardId": rid(reward),
            "receipt": "R-9",
            "note": "till 1",
            "idempotencyKey": "pos-1",
        }
    }
    till = ApiClient(app_token=app.tokens.first().auth_token)

    # without USE_POS: refused, nothing booked
    assert errors(till.execute(POS_REDEEM, request)["posRewardRedeem"]) == [(None, "PERMISSION_DENIED")]
    assert errors(staff_api.execute(POS_REDEEM, request)["posRewardRedeem"]) == [(None, "PERMISSION_DENIED")]

    grant(app, "use_pos")
    first = till.execute(POS_REDEEM, request)["posRewardRedeem"]
    again = till.execute(POS_REDEEM, request)["posRewardRedeem"]

    assert first["customerValueErrors"] == []
    assert (first["redemption"]["replayed"], again["redemption"]["replayed"]) == (False, True)
    assert balance(customer_user) == (300, 0)
    assert wallet(customer_user) == Decimal("5.00")


def test_at_the_till_a_free_product_is_handed_over(app, customer_user, warehouse):
    from ..conftest import make_variant

    grant(app, "use_pos")
    mug = make_variant(warehouse, name="Mug", price="8.00")
    reward = make_reward(name="Free mug", kind=RewardKind.FREE_PRODUCT, amount=0, variant=mug)
    give_points(customer_user, 600)
    till = ApiClient(app_token=app.tokens.first().auth_token)

    data = till.execute(
        POS_REDEEM,
        {"input": {"customer": {"customerId": user_id(customer_user)}, "rewardId": rid(reward),
                   "receipt": "R-7", "note": "till 1", "idempotencyKey": "mug-1"}},
    )["posRewardRedeem"]

    assert data["customerValueErrors"] == []
    assert data["redemption"]["voucherCode"] is None
    redemption = RewardRedemption.objects.get()
    assert (redemption.channel, redemption.variant_id, redemption.checkout_token) == ("pos", mug.pk, None)
    assert redemption.transaction.external_reference == "R-7"
    assert balance(customer_user) == (100, 0)


@pytest.mark.parametrize("key", ["", "\x00", "k" * 256])
def test_hostile_idempotency_keys_are_typed_errors(customer_api, customer_user, key):
    reward = make_reward()
    give_points(customer_user, 1000)

    data = redeem(customer_api, reward, key=key)

    assert [e[0] for e in errors(data)] == ["idempotencyKey"]
    assert balance(customer_user) == (1000, 0)
