"""Celery tasks of the cards package (registered through ``saleor_customer_value.tasks``)."""
from saleor.celeryconf import app

from . import batches


@app.task
def generate_batch_task(batch_id):
    batches.generate(batch_id)


@app.task
def expire_cards_task():
    from . import lookup

    return lookup.expire_due()


@app.task
def build_print_file_task(job_id, language=None):
    from . import print_jobs

    print_jobs.build(job_id, language)
