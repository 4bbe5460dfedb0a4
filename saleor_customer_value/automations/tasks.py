"""Celery tasks of the automations package (registered through ``saleor_customer_value.tasks``)."""
from saleor.celeryconf import app

from . import gifts, runs


@app.task
def run_automation_task(run_id):
    runs.execute(run_id)


@app.task
def periodic_gifts_task():
    runs.resume_stalled()
    return gifts.fire_due()

