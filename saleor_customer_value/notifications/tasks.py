"""Celery tasks of notifications (thin: the rules are in the services)."""
from saleor.celeryconf import app

from . import expiry, service


@app.task
def send_notifications_task():
    return service.send_due()


@app.task
def remind_expiring_points_task():
    created = expiry.remind()
    service.send_due()
    return created
