"""Segments, automation runs and periodic gifts (issue 14), through the API and the
Celery job's service, on real PostgreSQL."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from saleor.account.models import Address, User

from saleor_customer_value.automations import gifts, runs, segments
from saleor_customer_value.badges import evaluate
from saleor_customer_value.ledger import accounts
from saleor_customer_value.ledger.actors import Actor
from saleor_customer_value.models import (
    Account,
    AutomationRun,
    AutomationRunMember,
    Customer,
    LedgerTransaction,
    PeriodicGift,
    PeriodicGiftOccurrence,
)
from saleor_customer_value.models.automations import MemberStatus, RunStatus

from ..badges.conftest import ladder  # noqa: F401
from ..conftest import ApiClient, global_id, grant
from ..loyalty.conftest import give_points, program  # noqa: F401

PREVIEW = """query($f: AutomationSegmentInput!) { automationSegmentPreview(filter: $f) { count sample { email } } }"""
CREATE = """
mutation($f: AutomationSegmentInput, $s: ID, $input: AutomationActionInput!) {
  automationRunCreate(filter: $f, segmentId: $s, input: $input) {
    run { id status total processed booked action points note }
    customerValueErrors { field code message }
  }
}
"""
RUN = """query($id: ID!) { automationRun(id: $id) {
  status total processed booked skipped failed progress cancelRequested
  problems { customerEmail status message } filter { badges pointsMin } } }"""
CANCEL = """mutation($id: ID!) { automationRunCancel(id: $id) { run { status cancelRequested } customerValueErrors { code } } }"""
GIFT_SAVE = """
mutation($input: PeriodicGiftInput!) {
  periodicGiftSave(input: $input) {
    gift { id name frequency day isActive points filter { badges } }
    customerValueErrors { field code message }
  }
}
"""
SEGMENT_SAVE = """mutation($name: String!, $f: AutomationSegmentInput!) {
  automationSegmentSave(name: $name, filter: $f) { segment { id name count } customerValueErrors { field code } } }"""
BIRTHDAY = """mutation($id: ID, $b: Date) { customerBirthdaySet(customerId: $id, birthday: $b) { birthday customerValueErrors { code } } }"""


def make_users(n, prefix="shopper", country="DE"):
    users = []
    for i in range(n):
        user = User.objects.create_user(f"{prefix}{i}@example.com", "pw-long-enough-123")
        if country:
            address = Address.objects.create(first_name="A", last_name="B", street_address_1="X 1",
                                              city="BERLIN", postal_code="10115", country=country)
            user.default_billing_address = address
            user.save()
        users.append(user)
    return users


def points(user):
    account = Account.objects.filter(customer__user=user, kind="points").first()
    return int(account.posted) if account else 0


def automation_postings(user):
    return LedgerTransaction.objects.filter(
        customer__user=user, metadata__has_key="automation_run"
    ).count()


@pytest.fixture
def loyalty_api(staff_user):
    grant(staff_user, "manage_loyalty")
    return ApiClient(user=staff_user)


@pytest.fixture
def gold_and_others(db, ladder, program):  # noqa: F811
    """Three Gold members (granted by hand) and two customers who are not."""
    gold = make_users(3, "gold")
    others = make_users(2, "other", country="AT")
    for user in gold:
        evaluate.grant(accounts.customer_for_user(user), ladder["gold"], Actor.system("test"), "seed")
    give_points(others[0], 300)
    return gold, others


def gold_input(ladder, **extra):
    return {"badges": [global_id("Badge", ladder["gold"].pk)], **extra}


FIFTY = {"action": "ADD_POINTS", "points": 50, "note": "Gold thank-you", "customerNote": "50 points for Gold"}


def test_gold_segment_gets_50_points_once_even_when_the_job_is_restarted(loyalty_api, gold_and_others, ladder):
    gold, others = gold_and_others
    before = {u.pk: points(u) for u in gold + others}

    # given a run for the Gold segment, created through the API (pending until the job runs)
    data = loyalty_api.execute(CREATE, {"f": gold_input(ladder), "input": FIFTY})["automationRunCreate"]
    assert data["customerValueErrors"] == []
    run = AutomationRun.objects.get()
    assert run.status == RunStatus.PENDING

    # when the worker books one customer and dies, and the job is started again twice
    runs.execute(run.pk, limit=1)
    midway = loyalty_api.execute(RUN, {"id": data["run"]["id"]})["automationRun"]
    runs.execute(run.pk)
    runs.execute(run.pk)

    # then progress was visible midway, and each Gold member got 50 points exactly once
    assert (midway["status"], midway["processed"], midway["total"]) == ("RUNNING", 1, 3)
    assert midway["progress"] == pytest.approx(1 / 3)
    assert {u.pk: points(u) - before[u.pk] for u in gold + others} == {
        **{u.pk: 50 for u in gold}, **{u.pk: 0 for u in others}
    }
    assert [automation_postings(u) for u in gold] == [1, 1, 1]
    final = loyalty_api.execute(RUN, {"id": data["run"]["id"]})["automationRun"]
    assert (final["status"], final["total"], final["processed"], final["booked"], final["failed"]) == ("DONE", 3, 3, 3, 0)


def test_a_member_forced_back_to_pending_replays_its_booking_through_the_key(gold_and_others, ladder):
    gold, _ = gold_and_others
    run = runs.create(segments.parse({"badge_ids": [ladder["gold"].pk]}), note="Gold", action="add_points", points=50)
    runs.execute(run.pk)
    first = set(AutomationRunMember.objects.values_list("transaction_id", flat=True))

    # when a crash left members pending after their booking (forced here with SQL) and
    # a second worker processes the run again
    with connection.cursor() as cursor:
        cursor.execute("UPDATE customer_value_automationrunmember SET status = 'pending', transaction_id = NULL")
    AutomationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, processed=0, booked=0)
    runs.execute(run.pk)

    # then the idempotency key returned the first bookings: no customer booked twice
    assert [points(u) for u in gold] == [50, 50, 50]
    assert set(AutomationRunMember.objects.values_list("transaction_id", flat=True)) == first


def test_cancel_stops_the_run(loyalty_api, db, program):  # noqa: F811
    users = make_users(5)
    run = runs.create(segments.parse({"email_contains": "shopper"}), note="promo", action="add_points", points=10)
    runs.execute(run.pk, limit=2)

    answer = loyalty_api.execute(CANCEL, {"id": global_id("AutomationRun", run.pk)})["automationRunCancel"]
    runs.execute(run.pk)

    assert answer["run"]["cancelRequested"] is True
    run.refresh_from_db()
    assert (run.status, run.total, run.processed, run.booked) == (RunStatus.CANCELLED, 5, 2, 2)
    assert sorted(points(u) for u in users) == [0, 0, 0, 10, 10]
    # a pending run is cancelled at once and never starts
    pending = runs.create(segments.parse({}), note="x", action="add_points", points=1)
    loyalty_api.execute(CANCEL, {"id": global_id("AutomationRun", pending.pk)})
    runs.execute(pending.pk)
    pending.refresh_from_db()
    assert (pending.status, pending.total) == (RunStatus.CANCELLED, 0)


def test_count_preview_matches_the_run_and_the_filters(loyalty_api, gold_and_others, ladder, customer_user):
    gold, others = gold_and_others
    give_points(gold[0], 700)
    cases = [
        (gold_input(ladder), {u.email for u in gold}),
        ({"pointsMin": 300}, {gold[0].email, others[0].email}),
        ({"pointsMax": 0}, {gold[1].email, gold[2].email, others[1].email, customer_user.email}),
        ({"country": "AT"}, {u.email for u in others}),
        ({"emailContains": "GOLD", "pointsMin": 100}, {gold[0].email}),
        ({"noOrders": True, "country": "de"}, {u.email for u in gold} | {customer_user.email}),
        ({"joinedFrom": str(timezone.localdate()), "isActive": True}, {u.email for u in gold + others} | {customer_user.email}),
        ({"joinedTo": str(timezone.localdate() - timedelta(days=1))}, set()),
    ]
    for flt, expected in cases:
        preview = loyalty_api.execute(PREVIEW, {"f": flt})["automationSegmentPreview"]
        assert (preview["count"], {s["email"] for s in preview["sample"]}) == (len(expected), expected), flt

    # the run of a previewed segment has exactly the previewed customers
    data = loyalty_api.execute(CREATE, {"f": {"pointsMin": 300}, "input": FIFTY})["automationRunCreate"]
    run = runs.execute(AutomationRun.objects.get().pk)
    assert run.total == 2
    assert data["run"]["status"] == "PENDING"


def test_segments_by_orders_and_total_spent(loyalty_api, db, customer_user, other_customer):
    from saleor.order.models import Order

    for user, total, days_ago in ((customer_user, "80.00", 40), (customer_user, "50.00", 3), (other_customer, "20.00", 10)):
        order = Order.objects.create(user=user, user_email=user.email, total_gross_amount=Decimal(total),
                                     total_net_amount=Decimal(total), currency="EUR", status="unfulfilled")
        Order.objects.filter(pk=order.pk).update(created=timezone.now() - timedelta(days=days_ago))
    cancelled = Order.objects.create(user=other_customer, user_email=other_customer.email, total_gross_amount=Decimal("500"),
                                     total_net_amount=Decimal("500"), currency="EUR", status="canceled")
    Order.objects.filter(pk=cancelled.pk).update(created=timezone.now() - timedelta(days=12))
    today = timezone.localdate()

    def emails(flt):
        preview = loyalty_api.execute(PREVIEW, {"f": flt})["automationSegmentPreview"]
        return {s["email"] for s in preview["sample"]}

    assert emails({"totalSpentMin": "100"}) == {customer_user.email}
    assert emails({"totalSpentMax": "100", "emailContains": "@example.com"}) == {other_customer.email}
    assert emails({"lastOrderTo": str(today - timedelta(days=7))}) == {other_customer.email}
    assert emails({"lastOrderFrom": str(today - timedelta(days=7))}) == {customer_user.email}


def test_set_subtract_and_grant_actions_with_a_summary(gold_and_others, ladder):
    gold, others = gold_and_others
    give_points(gold[0], 1500)
    give_points(gold[1], 300)

    set_run = runs.execute(runs.create(segments.parse({"badge_ids": [ladder["gold"].pk]}), note="reset",
                                       action="set_points", points=1000).pk)
    again = runs.execute(runs.create(segments.parse({"badge_ids": [ladder["gold"].pk]}), note="reset",
                                     action="set_points", points=1000).pk)
    subtract = runs.execute(runs.create(segments.parse({"email_contains": "other"}), note="fix",
                                        action="subtract_points", points=200).pk)
    grant_run = runs.execute(runs.create(segments.parse({"email_contains": "other"}), note="welcome",
                                         action="grant_badge", badge=ladder["silver"]).pk)

    assert [points(u) for u in gold] == [1000, 1000, 1000]
    assert (set_run.booked, again.skipped) == (3, 3)
    # others[0] had 300 points (now 100), others[1] none: refused for that customer only
    assert [points(u) for u in others] == [100, 0]
    assert (subtract.status, subtract.booked, subtract.failed) == (RunStatus.DONE, 1, 1)
    assert AutomationRunMember.objects.get(run=subtract, status=MemberStatus.FAILED).message
    assert grant_run.booked == 2
    assert all(Customer.objects.get(user=u).badges.filter(badge=ladder["silver"]).exists() for u in others)


def test_wallet_credit_needs_manage_wallets(loyalty_api, staff_user, gold_and_others, ladder):
    credit = {"action": "CREDIT_WALLET", "amount": "5.00", "note": "sorry"}
    refused = loyalty_api.execute(CREATE, {"f": gold_input(ladder), "input": credit})["automationRunCreate"]
    grant(staff_user, "manage_wallets")
    allowed = loyalty_api.execute(CREATE, {"f": gold_input(ladder), "input": credit})["automationRunCreate"]
    run = runs.execute(AutomationRun.objects.get().pk)

    assert [e["code"] for e in refused["customerValueErrors"]] == ["PERMISSION_DENIED"]
    assert allowed["customerValueErrors"] == []
    assert run.booked == 3
    gold, _ = gold_and_others
    assert [str(Account.objects.get(customer__user=u, kind="wallet").posted) for u in gold] == ["5.000"] * 3


def test_invalid_actions_are_typed_errors(loyalty_api, ladder):
    cases = [
        ({"action": "ADD_POINTS", "note": "x"}, "points", "REQUIRED"),
        ({"action": "ADD_POINTS", "points": 0, "note": "x"}, "points", "INVALID_AMOUNT"),
        ({"action": "ADD_POINTS", "points": 5, "note": " "}, "note", "REQUIRED"),
        ({"action": "ADD_POINTS", "points": 5, "note": "x", "reason": "TOPUP"}, "reason", "INVALID"),
        ({"action": "GRANT_BADGE", "note": "x"}, "badge", "REQUIRED"),
    ]
    for action, field, code in cases:
        errors = loyalty_api.execute(CREATE, {"f": {}, "input": action})["automationRunCreate"]["customerValueErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(field, code)], action
    errors = loyalty_api.execute(CREATE, {"f": {"pointsMin": 10, "pointsMax": 5}, "input": FIFTY})[
        "automationRunCreate"]["customerValueErrors"]
    assert [e["field"] for e in errors] == ["pointsMin"]
    assert AutomationRun.objects.count() == 0


def test_automations_need_manage_loyalty(staff_api, staff_user, customer_api):
    grant(staff_user, "view_ledger", "manage_wallets")
    errors = staff_api.execute(CREATE, {"f": {}, "input": FIFTY})["automationRunCreate"]["customerValueErrors"]
    assert [e["code"] for e in errors] == ["PERMISSION_DENIED"]
    for client in (staff_api, customer_api):
        assert client.post(PREVIEW, {"f": {}})["data"] is None


# --- periodic gifts ---------------------------------------------------------------------


def test_a_periodic_gift_fired_twice_in_one_period_books_once(loyalty_api, gold_and_others, ladder):
    gold, others = gold_and_others
    # given "50 points every month to Gold members", saved through the API
    data = loyalty_api.execute(GIFT_SAVE, {"input": {
        "name": "Gold monthly", "frequency": "MONTHLY", "day": 1,
        "filter": gold_input(ladder), "action": FIFTY,
    }})["periodicGiftSave"]
    assert data["customerValueErrors"] == []

    # when beat fires twice in November (the second time while the first run is done)
    november = date(2026, 11, 28)
    assert gifts.fire_due(november) == 1
    runs.execute(AutomationRun.objects.get().pk)
    assert gifts.fire_due(november) == 0
    from saleor_customer_value.automations.tasks import periodic_gifts_task

    periodic_gifts_task.apply(kwargs={}).get()  # the beat task itself (today is another period or the same)

    # then November has one occurrence and each Gold member got 50 points once
    assert PeriodicGiftOccurrence.objects.filter(period_key="2026-11").count() == 1
    for run in AutomationRun.objects.all():
        runs.execute(run.pk)
    november_runs = AutomationRun.objects.filter(occurrence__period_key="2026-11")
    assert november_runs.count() == 1
    booked_in_november = AutomationRunMember.objects.filter(run__in=november_runs, status="booked").count()
    assert booked_in_november == 3
    assert [points(u) - (50 if _fired_today_is_another_period() else 0) for u in gold] == [50, 50, 50]
    assert [points(u) for u in others] == [300, 0]

    # and December is a new occurrence
    assert gifts.fire_due(date(2026, 12, 1)) == (0 if _fired_today_is_december() else 1)


def _fired_today_is_another_period():
    return timezone.localdate().strftime("%Y-%m") != "2026-11"


def _fired_today_is_december():
    return timezone.localdate().strftime("%Y-%m") == "2026-12"


def test_a_monthly_gift_is_not_due_before_its_day_and_beat_racing_creates_one_run(gold_and_others, ladder):
    gift = PeriodicGift.objects.create(
        name="Mid-month", frequency="monthly", day=15, definition={"badge_ids": [ladder["gold"].pk]},
        action="add_points", points=50, reason="points_adjustment", note="monthly",
    )
    assert gifts.fire(gift, date(2026, 11, 14)) is None
    first = gifts.fire(gift, date(2026, 11, 15))
    second = gifts.fire(gift, date(2026, 11, 30))
    assert first is not None and second is None
    assert gifts.period_key(gift, date(2027, 2, 14)) is None
    assert gifts.period_key(gift, date(2027, 2, 28)) == "2027-02"
    assert gifts.period_key(PeriodicGift(frequency="monthly", day=31), date(2027, 2, 28)) == "2027-02"


def test_birthday_points_on_the_customers_birthday(loyalty_api, customer_api, customer_user, other_customer, staff_user, program):  # noqa: F811
    today = date(2026, 11, 28)
    # the shopper stores their own birthday; staff store another customer's
    mine = customer_api.execute(BIRTHDAY, {"b": "1990-11-28"})["customerBirthdaySet"]
    theirs = loyalty_api.execute(BIRTHDAY, {"id": global_id("User", other_customer.pk), "b": "1985-06-01"})["customerBirthdaySet"]
    assert (mine["customerValueErrors"], theirs["customerValueErrors"]) == ([], [])
    refused = customer_api.execute(BIRTHDAY, {"id": global_id("User", other_customer.pk), "b": "1985-06-02"})
    assert [e["code"] for e in refused["customerBirthdaySet"]["customerValueErrors"]] == ["PERMISSION_DENIED"]

    PeriodicGift.objects.create(name="Birthday", frequency="birthday", definition={},
                                action="add_points", points=100, reason="points_action", note="birthday")
    gifts.fire_due(today)
    gifts.fire_due(today)
    for run in AutomationRun.objects.all():
        runs.execute(run.pk)

    assert (points(customer_user), points(other_customer)) == (100, 0)
    assert PeriodicGiftOccurrence.objects.get().period_key == "2026-11-28"


def test_leap_day_birthdays_count_on_28_february_in_other_years(db, program):  # noqa: F811
    user = make_users(1, "leap")[0]
    customer = accounts.customer_for_user(user)
    customer.birthday = date(2000, 2, 29)
    customer.save()
    gift = PeriodicGift.objects.create(name="Birthday", frequency="birthday", definition={},
                                       action="add_points", points=10, reason="points_action", note="bd")
    run = gifts.fire(gift, date(2027, 2, 28))
    runs.execute(run.pk)
    assert points(user) == 10
