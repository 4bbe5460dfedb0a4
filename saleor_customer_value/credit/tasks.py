"""Celery tasks of the credit lines: close ended billing cycles, e-mail statements."""
from saleor.celeryconf import app

from . import statements


@app.task
def close_credit_cycles_task():
    """Periodic (hourly): closes every monthly cycle that ended, then e-mails the
    statements not sent yet (a failed send is retried on the next run)."""
    return len(statements.close_due_cycles())
