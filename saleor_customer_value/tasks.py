"""Celery tasks: thin wrappers that call the services."""
from saleor.celeryconf import app

from .ledger import service


@app.task
def expire_holds_task():
    return service.expire_holds()
