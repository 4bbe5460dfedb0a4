"""Two workers on one run (a redelivered Celery task next to the first): real threads,
real commits. Each customer is booked exactly once and the counters are exact."""
import threading

import pytest
from django.db import connection

from saleor_customer_value.automations import runs, segments
from saleor_customer_value.models import AutomationRunMember, LedgerTransaction
from saleor_customer_value.models.automations import RunStatus

from ..loyalty.conftest import program  # noqa: F401
from .test_automations import make_users, points


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_on_one_run_book_each_customer_once(program):  # noqa: F811
    users = make_users(12, "twin")
    run = runs.create(segments.parse({"email_contains": "twin"}), note="twins", action="add_points", points=7)
    errors = []

    def worker():
        try:
            runs.execute(run.pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    run.refresh_from_db()
    assert errors == []
    assert [points(u) for u in users] == [7] * 12
    assert (run.status, run.total, run.processed, run.booked) == (RunStatus.DONE, 12, 12, 12)
    assert AutomationRunMember.objects.filter(run=run, status="booked").count() == 12
    assert LedgerTransaction.objects.filter(metadata__automation_run=run.pk).count() == 12
