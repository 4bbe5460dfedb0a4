"""Points expire a set number of days after they become available: the soonest first
when spent, booked as POINTS_EXPIRED at the exact instant, visible to the shopper."""
from datetime import timedelta

from django.utils import timezone
from freezegun import freeze_time

from saleor_customer_value.loyalty import lots
from saleor_customer_value.models import LedgerTransaction, PointsLot
from saleor_customer_value.models.loyalty import LotStatus

from .conftest import assert_lots_agree, balance, configure, give_points
from .flow import apply, codes, my_points, pay_and_complete, quote, ready_checkout


def test_points_expire_at_the_exact_instant(customer_api, customer_user, program):
    account = give_points(customer_user, 250, expiry_days=30)
    lot = PointsLot.objects.get()
    assert lot.expires_at == lot.created_at + timedelta(days=30)

    assert lots.expire_all(now=lot.expires_at - timedelta(microseconds=1)) == 0
    assert balance(customer_user) == (250, 0)

    assert lots.expire_all(now=lot.expires_at) == 1

    assert balance(customer_user) == (0, 0)
    lot.refresh_from_db()
    assert (lot.status, lot.remaining) == (LotStatus.EXPIRED, 0)
    txn = LedgerTransaction.objects.get(reason="points_expired")
    assert txn.metadata["lots"] == [lot.pk]
    assert txn.metadata["expires_at"] == lot.expires_at.isoformat()
    latest = my_points(customer_api)["movements"]["edges"][0]["node"]
    assert (latest["points"], latest["reason"], latest["customerNote"]) == (
        -250, "POINTS_EXPIRED", "250 points expired",
    )
    assert lots.expire_all(now=lot.expires_at + timedelta(days=1)) == 0  # once
    assert_lots_agree(customer_user)
    assert account.pk == txn.entries.get(account__kind="points").account_id


def test_the_shopper_sees_what_expires_when(customer_api, customer_user, program):
    configure(expiring_soon_days=30)
    give_points(customer_user, 100, expiry_days=10)
    give_points(customer_user, 200, expiry_days=20)
    give_points(customer_user, 300, expiry_days=60)
    give_points(customer_user, 400, expiry_days=None)
    ten, twenty, sixty, _never = PointsLot.objects.order_by("pk")

    shown = my_points(customer_api)

    assert shown["balance"] == {"posted": 1000, "held": 0, "available": 1000, "pending": 0}
    assert shown["expiringSoon"] == [
        {"points": 100, "expiresAt": ten.expires_at.isoformat()},
        {"points": 200, "expiresAt": twenty.expires_at.isoformat()},
    ]
    assert [(lot["points"], lot["expiresAt"]) for lot in shown["lots"]] == [
        (400, None),
        (300, sixty.expires_at.isoformat()),
        (200, twenty.expires_at.isoformat()),
        (100, ten.expires_at.isoformat()),
    ]


def test_points_cannot_be_redeemed_from_the_instant_they_expire(
    customer_api, customer_user, program, variant, shipping_method
):
    give_points(customer_user, 500, expiry_days=30)
    lot = PointsLot.objects.get()
    checkout = ready_checkout(customer_api, variant, shipping_method)

    with freeze_time(lot.expires_at):
        assert quote(customer_api, checkout)["available"] == 0
        data = apply(customer_api, checkout, 100)
    assert codes(data) == [("points", "INSUFFICIENT_FUNDS")]
    # the refused request changed nothing, not even the expiry booking
    assert LedgerTransaction.objects.filter(reason="points_expired").count() == 0

    with freeze_time(lot.expires_at - timedelta(microseconds=1)):
        assert apply(customer_api, checkout, 100)["customerValueErrors"] == []


def test_points_reserved_by_a_checkout_are_not_expired_under_it(
    customer_api, customer_user, program, variant, shipping_method
):
    give_points(customer_user, 300, expiry_days=30)
    lot = PointsLot.objects.get()
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 300)

    assert lots.expire_all(now=lot.expires_at) == 0

    pay_and_complete(customer_api, checkout)
    lot.refresh_from_db()
    assert (lot.status, lot.remaining) == (LotStatus.USED, 0)
    assert balance(customer_user) == (0, 0)


def test_only_the_unreserved_part_expires(customer_api, customer_user, program, variant, shipping_method):
    give_points(customer_user, 500, expiry_days=30)
    lot = PointsLot.objects.get()
    checkout = ready_checkout(customer_api, variant, shipping_method)
    apply(customer_api, checkout, 200)

    lots.expire_all(now=lot.expires_at)

    assert balance(customer_user) == (200, 200)
    assert int(LedgerTransaction.objects.get(reason="points_expired").entries.get(account__kind="points").amount) == 300
    assert_lots_agree(customer_user)


def test_the_expiry_task_expires_due_lots(customer_user, program):
    from saleor_customer_value.loyalty.tasks import expire_points_task

    give_points(customer_user, 50, expiry_days=1)
    PointsLot.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert expire_points_task() == 1
    assert balance(customer_user) == (0, 0)


def test_earned_points_follow_the_program_expiry(customer_api, customer_user, program, variant, shipping_method):
    from .flow import buy

    configure(expiry_days=365)
    buy(customer_api, variant, shipping_method)

    lot = PointsLot.objects.get()
    assert lot.expires_at == lot.created_at + timedelta(days=365)
    assert lot.credit_transaction.metadata["expiry_days"] == 365
