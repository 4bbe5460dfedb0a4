"""Celery adapters of ``dispatch`` (beat: ``schedule.py``)."""
from django.core.cache import cache
from saleor.celeryconf import app

from . import dispatch

_RUNNING = "customer_value:webhooks:dispatching"


@app.task
def deliver_webhooks_task():
    # Overlapping passes are safe (advisory lock, leases); skipping one saves work.
    if not cache.add(_RUNNING, 1, timeout=60):
        return {"skipped": True}
    try:
        return dispatch.run(budget_seconds=25)
    finally:
        cache.delete(_RUNNING)


@app.task
def prune_webhook_log_task():
    return dispatch.prune()
