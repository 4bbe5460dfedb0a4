"""Batch generation: a batch row first, then the cards in chunks of bulk inserts, each
chunk its own transaction that also advances ``generated`` (the polled progress)."""
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ..models import Card, CardBatch, CardBatchStatus, CardKind, CardState
from . import codes

logger = logging.getLogger(__name__)

MAX_QUANTITY = 100_000
CHUNK = 2_000
KINDS = {kind for kind, _ in CardKind.CHOICES}


def create(name, quantity, kind, expires_at=None, user=None, app=None) -> CardBatch:
    """The batch row only; ``schedule`` starts the generation once it is committed."""
    return CardBatch.objects.create(
        name=name.strip(),
        quantity=quantity,
        kind=kind,
        expires_at=expires_at,
        created_by=user if user is not None and user.is_authenticated else None,
        created_by_app=app,
    )


def schedule(batch: CardBatch):
    from .tasks import generate_batch_task

    # After commit: a worker must see the batch row. (Eager Celery in tests runs the
    # task at that moment too.)
    transaction.on_commit(lambda: generate_batch_task.delay(batch.pk))


def _insert_chunk(batch: CardBatch, count: int) -> int:
    """Insert ``count`` new cards; a (practically impossible, 2^-75) code collision
    redraws the chunk."""
    for _attempt in range(5):
        cards = [
            Card(
                code=codes.generate(),
                kind=batch.kind,
                state=CardState.GENERATED,
                expires_at=batch.expires_at,
                batch_id=batch.pk,
            )
            for _ in range(count)
        ]
        try:
            with transaction.atomic():
                Card.objects.bulk_create(cards, batch_size=count)
                CardBatch.objects.filter(pk=batch.pk).update(generated=F("generated") + count)
            return count
        except IntegrityError:
            logger.warning("code collision in batch %s; redrawing a chunk", batch.pk)
    raise RuntimeError("could not draw unique card codes")


def generate(batch_id: int) -> CardBatch:
    """Generate the batch's missing cards. Safe to run again: it continues where a
    crashed run stopped (``generated`` counts committed cards only)."""
    with transaction.atomic():
        batch = CardBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == CardBatchStatus.DONE:
            return batch
        batch.status = CardBatchStatus.RUNNING
        batch.save(update_fields=["status"])
    try:
        while True:
            batch.refresh_from_db(fields=["generated", "quantity"])
            missing = batch.quantity - batch.generated
            if missing <= 0:
                break
            _insert_chunk(batch, min(CHUNK, missing))
    except Exception as exc:  # recorded on the batch, then re-raised for Celery
        CardBatch.objects.filter(pk=batch_id).update(
            status=CardBatchStatus.FAILED, error=str(exc)[:1000], finished_at=timezone.now()
        )
        raise
    CardBatch.objects.filter(pk=batch_id).update(
        status=CardBatchStatus.DONE, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch
