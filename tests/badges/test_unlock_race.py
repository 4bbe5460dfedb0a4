"""Two postings racing across a threshold record exactly one unlock."""
import threading

import pytest
from django.db import connection

from saleor_customer_value.models import BadgeEvent, CustomerBadge

from .conftest import give_points

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_concurrent_postings_around_the_threshold_unlock_once(customer_user, ladder):
    # given 90 points, 10 short of Bronze
    give_points(customer_user, 90)

    # when four postings of 20 points run at the same moment
    errors = race([lambda: give_points(customer_user, 20) for _ in range(4)])

    # then all are booked and Bronze was unlocked exactly once
    assert errors == []
    assert CustomerBadge.objects.filter(customer__user=customer_user).count() == 1
    assert list(
        BadgeEvent.objects.filter(customer__user=customer_user).values_list("badge__title", "kind", "measured_value")
    ) == [("Bronze", "unlocked", 110)]
