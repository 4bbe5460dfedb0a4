"""Celery tasks of the loyalty program: thin wrappers around ``lots``.

- release pending points whose returns window has passed (POINTS_EARNED);
- expire lots whose time has come (POINTS_EXPIRED), after bringing every account's
  lots up to date with postings made elsewhere (e.g. a staff reversal).
"""
from saleor.celeryconf import app

from . import lots


@app.task
def release_pending_points_task():
    return lots.release_due()


@app.task
def expire_points_task():
    lots.catch_up_all()
    return lots.expire_all()
