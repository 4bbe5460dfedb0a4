"""Unlocking and losing tiers as the measured points change: by a purchase, a staff
booking, a reversal; grace periods; history; concurrent postings."""
from datetime import timedelta

from django.utils import timezone

from saleor_customer_value.badges import evaluate
from saleor_customer_value.models import LedgerTransaction

from ..loyalty.flow import buy
from ..loyalty.test_staff import REVERSE, book
from .conftest import MY_BADGES, MY_TIER, events, give_points, held, set_program


def test_a_purchase_that_crosses_the_threshold_unlocks_bronze(
    customer_api, customer_user, program, ladder, variant, shipping_method
):
    # given 90 points, 10 short of Bronze
    give_points(customer_user, 90)
    assert held(customer_user) == []

    # when a purchase of 2 x 20.00 earns 40 points (1 per 1.00 when paid)
    order = buy(customer_api, variant, shipping_method)

    # then the customer is Bronze, caused by the earning transaction
    assert held(customer_user) == [("Bronze", "active")]
    earned = LedgerTransaction.objects.get(order_id=order.pk, reason="points_earned")
    tier = customer_api.execute(MY_TIER)["myTier"]
    assert tier["current"]["badge"]["title"] == "Bronze"
    assert tier["measuredValue"] == 130
    assert tier["nextTier"] == {"title": "Silver", "minPoints": 500}
    assert tier["pointsToNextTier"] == 370
    history = customer_api.execute(MY_BADGES)["myBadges"]["history"]
    assert [(h["badge"]["title"], h["kind"], h["cause"], h["measuredValue"]) for h in history] == [
        ("Bronze", "UNLOCKED", "posting", 130)
    ]
    assert history[0]["transactionId"] == __import__("graphene").Node.to_global_id("LedgerTransaction", earned.pk)


def test_a_staff_booking_to_5000_makes_the_customer_gold_with_an_exclusive_voucher(
    badge_staff, customer_api, customer_user, program, ladder
):
    # given a Silver customer
    give_points(customer_user, 600)
    assert held(customer_user) == [("Silver", "active")]

    # when staff add 4,400 points
    data = book(badge_staff, "loyaltyPointsAdd", customer_user, 4400)

    # then Silver is replaced by Gold at once, and a personal single-use voucher is issued
    assert data["customerValueErrors"] == []
    assert held(customer_user) == [("Gold", "active"), ("Silver", "lost")]
    mine = customer_api.execute(MY_BADGES)["myBadges"]
    assert [(b["badge"]["title"], b["status"]) for b in mine["badges"]] == [("Gold", "ACTIVE")]
    code = mine["badges"][0]["voucherCode"]
    from saleor.discount.models import Voucher

    voucher = Voucher.objects.get(code=code)
    assert (voucher.usage_limit, voucher.discount_value_type, voucher.discount_value) == (1, "percentage", 15)
    assert voucher.end_date.date() == (timezone.now() + timedelta(days=90)).date()
    assert mine["tier"] == {"current": {"badge": {"title": "Gold"}}, "pointsToNextTier": None}
    assert events(customer_user) == [
        ("Silver", "unlocked", "posting"),
        ("Silver", "lost", "posting"),
        ("Gold", "unlocked", "posting"),
    ]


def test_a_reversal_that_drops_below_the_range_loses_the_tier(
    badge_staff, customer_api, customer_user, program, ladder
):
    # given Silver by a staff booking of 600 points
    data = book(badge_staff, "loyaltyPointsAdd", customer_user, 600)
    assert held(customer_user) == [("Silver", "active")]

    # when the booking is reversed through the generic ledger mutation
    reversed_ = badge_staff.execute(REVERSE, {"id": data["transaction"]["id"]})["ledgerTransactionReverse"]

    # then Silver is lost in the same transaction, and the history says so
    assert reversed_["customerValueErrors"] == []
    assert held(customer_user) == [("Silver", "lost")]
    assert events(customer_user) == [("Silver", "unlocked", "posting"), ("Silver", "lost", "posting")]
    tier = customer_api.execute(MY_TIER)["myTier"]
    assert tier["current"] is None
    assert tier["pointsToNextTier"] == 100


def test_with_a_grace_period_the_tier_is_kept_until_it_ends(customer_api, customer_user, program, ladder):
    from saleor_customer_value.badges import perks

    # given a grace period of 30 days and a Silver customer
    set_program(loss_rule="grace", grace_days=30)
    account = give_points(customer_user, 600)

    # when the points drop to 200 (a staff subtraction)
    from saleor_customer_value.ledger import service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.loyalty import lots

    lots.debit(account, 400, service.Posting(reason="points_adjustment", actor=Actor.system("tests"), note="fix"))

    # then Silver is in its grace period: still held, perks included
    assert held(customer_user) == [("Silver", "grace")]
    assert [b.title for b in perks.held_badges(account.customer_id)] == ["Silver"]
    tier = customer_api.execute(MY_TIER)["myTier"]
    assert tier["current"]["status"] == "GRACE"

    # when the periodic job runs after the grace period
    evaluate.evaluate_due(timezone.now() + timedelta(days=31))

    # then Silver is lost and Bronze (200 points) unlocked
    assert held(customer_user) == [("Bronze", "active"), ("Silver", "lost")]
    assert events(customer_user)[-2:] == [("Silver", "lost", "periodic"), ("Bronze", "unlocked", "periodic")]


def test_back_in_range_during_grace_keeps_the_tier(customer_user, program, ladder):
    set_program(loss_rule="grace", grace_days=30)
    account = give_points(customer_user, 600)
    from saleor_customer_value.ledger import service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.loyalty import lots

    lots.debit(account, 400, service.Posting(reason="points_adjustment", actor=Actor.system("tests"), note="fix"))
    give_points(customer_user, 300)

    assert held(customer_user) == [("Silver", "active")]
    assert [e[1] for e in events(customer_user)] == ["unlocked", "grace_started", "kept"]


def test_lifetime_measure_ignores_spending_but_counts_reversals(badge_staff, customer_user, program, ladder):
    from saleor_customer_value.badges import measure
    from saleor_customer_value.ledger import service
    from saleor_customer_value.ledger.actors import Actor
    from saleor_customer_value.loyalty import lots

    # given lifetime points as the measure and 600 points earned
    set_program(measure="lifetime")
    account = give_points(customer_user, 600)

    # when 550 are spent (redeemed)
    lots.debit(account, 550, service.Posting(reason="points_redeemed", actor=Actor.system("tests")))

    # then the customer stays Silver: spending does not lower lifetime points
    assert measure.value(account) == 600
    assert held(customer_user) == [("Silver", "active")]

    # when a 200-point booking is added and then reversed with a clawback
    data = book(badge_staff, "loyaltyPointsAdd", customer_user, 200)
    badge_staff.execute(REVERSE, {"id": data["transaction"]["id"]})
    assert measure.value(account) == 600


def test_tiers_cannot_overlap_in_the_database(ladder):
    import pytest
    from django.db import IntegrityError, transaction

    from saleor_customer_value.models import Badge

    with pytest.raises(IntegrityError), transaction.atomic():
        Badge.objects.create(title="Platinum", min_points=4000, is_tier=True)


def test_a_rolling_window_forgets_old_points(customer_user, ladder):
    from saleor_customer_value.models import LedgerTransaction

    # given points earned in the last 12 months as the measure, and 600 points
    set_program(measure="window", window_days=365)
    give_points(customer_user, 600)
    assert held(customer_user) == [("Silver", "active")]

    # when a year passes without earning (ledger rows are immutable, so the periodic
    # job is run as of a year ahead)
    evaluate.evaluate_due(timezone.now() + timedelta(days=366))

    # then the periodic job takes the tier away
    assert held(customer_user) == [("Silver", "lost")]
    assert events(customer_user)[-1] == ("Silver", "lost", "periodic")
    assert LedgerTransaction.objects.count() == 1


def test_the_periodic_badge_task_is_registered_and_runs(customer_user, ladder):
    from saleor.celeryconf import app

    import saleor_customer_value.tasks  # noqa: F401  (what Celery's autodiscovery imports)

    set_program(loss_rule="grace", grace_days=1)
    give_points(customer_user, 150)
    from saleor_customer_value.models import CustomerBadge

    CustomerBadge.objects.filter(customer__user=customer_user).update(
        status="grace", grace_until=timezone.now() - timedelta(seconds=1)
    )

    task = app.tasks["saleor_customer_value.badges.tasks.evaluate_badges_task"]
    assert task() == 1
    assert held(customer_user) == [("Bronze", "active")]
    assert events(customer_user)[-1] == ("Bronze", "kept", "periodic")
