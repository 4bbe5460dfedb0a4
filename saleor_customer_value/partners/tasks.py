"""Periodic settlement of every merchant with open bookings."""
from celery import shared_task

from . import settlement


@shared_task
def settle_merchants_task():
    return [statement.pk for statement in settlement.settle_all()]
