"""The batch's print PDF, built outside the request: ``request_pdf`` records (or
reuses) a job and starts the Celery task after commit; ``build`` writes the sheet into
the export storage with progress; the download view streams the stored file.

Codes are secrets until printed, so the file lives in a private storage
(``CUSTOMER_VALUE_EXPORT_STORAGE``, a storage class path, e.g. a private S3 bucket; or
the directory ``CUSTOMER_VALUE_EXPORT_ROOT``), under an unguessable name, never in the
public media storage, and is only reachable through the signed download link.
"""
import logging
import os
import secrets
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, get_storage_class
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from ..models import CardBatch, CardBatchFile, CardBatchStatus
from . import exports, print_sheet

logger = logging.getLogger(__name__)

PDF = "pdf"
PROGRESS_EVERY = 200  # cards between two progress writes (20 pages)


def storage():
    dotted = getattr(settings, "CUSTOMER_VALUE_EXPORT_STORAGE", None)
    if dotted:
        return get_storage_class(dotted)()
    root = getattr(settings, "CUSTOMER_VALUE_EXPORT_ROOT", None) or os.path.join(
        tempfile.gettempdir(), "customer-value-exports"
    )
    return FileSystemStorage(location=root, base_url=None)


def request_pdf(batch: CardBatch) -> CardBatchFile:
    """The batch's PDF job: a finished or running one is reused; a failed one (or one
    whose file has gone) is started again."""
    job, created = CardBatchFile.objects.select_for_update().get_or_create(
        batch=batch, format=PDF, defaults={"total": batch.quantity}
    )
    stale = job.status == CardBatchStatus.DONE and not storage().exists(job.path)
    if created or job.status == CardBatchStatus.FAILED or stale:
        job.status, job.processed, job.total, job.error = CardBatchStatus.PENDING, 0, batch.quantity, ""
        job.path, job.size, job.finished_at = "", 0, None
        job.save()
        _schedule(job)
    return job


def _schedule(job: CardBatchFile):
    from .tasks import build_print_file_task

    # The sheet is printed in the language of the staff member who asked for it.
    language = translation.get_language()
    transaction.on_commit(lambda: build_print_file_task.delay(job.pk, language))


def build(job_id: int, language: str = None) -> CardBatchFile:
    from .downloads import supported_language

    with translation.override(supported_language(language)):
        return _build(job_id)


def _build(job_id: int) -> CardBatchFile:
    """Write the PDF to a temporary file, then into the storage; progress is committed
    as it goes (the console polls it). A crashed build is started from the beginning
    by the next request (a PDF cannot be continued)."""
    claimed = CardBatchFile.objects.filter(
        Q(status=CardBatchStatus.PENDING) | Q(status=CardBatchStatus.RUNNING), pk=job_id
    ).update(status=CardBatchStatus.RUNNING, processed=0)
    job = CardBatchFile.objects.select_related("batch").get(pk=job_id)
    if not claimed:
        return job

    written = [0]

    def progress(done):
        if done - written[0] >= PROGRESS_EVERY:
            written[0] = done
            CardBatchFile.objects.filter(pk=job_id).update(processed=min(done, job.total))

    try:
        with tempfile.TemporaryFile() as tmp:
            count = print_sheet.write(tmp, exports.batch_cards(job.batch), job.batch.name, progress)
            tmp.seek(0)
            name = f"card-batches/{job.batch_id}-{secrets.token_urlsafe(24)}.pdf"
            path = storage().save(name, File(tmp))
            size = tmp.seek(0, os.SEEK_END)
    except Exception as exc:
        logger.exception("print file of card batch %s failed", job.batch_id)
        CardBatchFile.objects.filter(pk=job_id).update(
            status=CardBatchStatus.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        raise
    old = job.path
    CardBatchFile.objects.filter(pk=job_id).update(
        status=CardBatchStatus.DONE, path=path, size=size, processed=count, total=count,
        finished_at=timezone.now(),
    )
    if old and old != path:
        storage().delete(old)
    job.refresh_from_db()
    return job


def open_pdf(batch: CardBatch):
    """The stored file (a file object) of a finished job, or None."""
    job = CardBatchFile.objects.filter(batch=batch, format=PDF, status=CardBatchStatus.DONE).first()
    if job is None or not storage().exists(job.path):
        return None
    return storage().open(job.path, "rb")
