"""Celery task of the badges: grace periods that ended and, for the rolling-window
measure, badges whose window moved on without a posting."""
from saleor.celeryconf import app

from . import evaluate


@app.task
def evaluate_badges_task():
    return evaluate.evaluate_due()
