"""Batch exports for a print shop: CSV (code, QR payload, expiry), streamed row by row,
and the print-ready PDF (``print_sheet``, built by a task: ``print_jobs``)."""
import csv
import io
from typing import Iterator

from ..models import Card, CardBatch
from . import codes

CSV_HEADER = ["code", "formatted_code", "qr_payload", "expires_at"]


def batch_cards(batch: CardBatch) -> Iterator[Card]:
    return (
        Card.objects.filter(batch=batch)
        .order_by("pk")
        .only("code", "expires_at")
        .iterator(chunk_size=5000)
    )


def csv_chunks(batch: CardBatch, rows_per_chunk: int = 1000) -> Iterator[bytes]:
    """The CSV in chunks of rows: a 100,000-card batch is never held in memory."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for number, card in enumerate(batch_cards(batch), 1):
        writer.writerow(
            [
                card.code,
                codes.formatted(card.code),
                codes.qr_payload(card.code),
                card.expires_at.isoformat() if card.expires_at else "",
            ]
        )
        if number % rows_per_chunk == 0:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode("utf-8")


def to_csv(batch: CardBatch) -> bytes:
    return b"".join(csv_chunks(batch))


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def filename(batch: CardBatch, fmt: str) -> str:
    return f"card-batch-{batch.pk}.{fmt}"
