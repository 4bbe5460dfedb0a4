"""Celery adapter of ``settlement.settle_all`` (beat: ``schedule.py``, weekly)."""
from saleor.celeryconf import app

from . import settlement


@app.task
def settle_merchants_task():
    return [statement.pk for statement in settlement.settle_all()]
