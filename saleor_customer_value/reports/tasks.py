"""Celery tasks of the reports package (registered through ``saleor_customer_value.tasks``)."""
from saleor.celeryconf import app

from . import values


@app.task
def compact_report_rollup_task():
    return values.compact()
