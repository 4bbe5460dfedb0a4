"""Batch exports for a print shop: CSV (code, QR payload, expiry) and a print-ready PDF
(A4, ten cards of ID-1 size per page with cut lines, each with its QR code as vector
modules and the readable code).

The PDF is written directly (PDF 1.4, standard fonts, Flate-compressed page streams),
so the only dependency is ``segno`` for the QR matrix.
"""
import csv
import io
import zlib
from typing import Iterable, Iterator, List

import segno

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


def to_csv(batch: CardBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for card in batch_cards(batch):
        writer.writerow(
            [
                card.code,
                codes.formatted(card.code),
                codes.qr_payload(card.code),
                card.expires_at.isoformat() if card.expires_at else "",
            ]
        )
    return out.getvalue().encode("utf-8")


# --- PDF -----------------------------------------------------------------------------

MM = 72 / 25.4
PAGE_W, PAGE_H = 595.28, 841.89  # A4
CARD_W, CARD_H = 85.6 * MM, 53.98 * MM  # ID-1
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
MARGIN_X = (PAGE_W - COLUMNS * CARD_W) / 2
MARGIN_Y = (PAGE_H - ROWS * CARD_H) / 2
QR_SIZE = 34 * MM


def _text(value: str) -> str:
    raw = value.encode("cp1252", "replace").decode("latin-1")
    return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _qr_ops(payload: str, x: float, y: float, size: float) -> List[str]:
    qr = segno.make(payload, error="m", micro=False)
    matrix = [list(row) for row in qr.matrix]
    count = len(matrix)
    quiet = 2
    module = size / (count + 2 * quiet)
    ops = []
    for r, row in enumerate(matrix):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                ops.append(
                    f"{x + (quiet + start) * module:.2f} "
                    f"{y + size - (quiet + r + 1) * module:.2f} "
                    f"{(c - start) * module:.2f} {module:.2f} re"
                )
            else:
                c += 1
    ops.append("f")
    return ops


def _card_ops(card: Card, title: str, x: float, y: float) -> List[str]:
    ops = ["0.6 G 0.3 w", f"{x:.2f} {y:.2f} {CARD_W:.2f} {CARD_H:.2f} re S", "0 g"]
    pad = (CARD_H - QR_SIZE) / 2
    ops += _qr_ops(codes.qr_payload(card.code), x + pad, y + pad, QR_SIZE)
    tx = x + pad + QR_SIZE + 3 * MM
    expiry = card.expires_at.isoformat() if card.expires_at else "-"
    ops += [
        "BT",
        f"/F1 9 Tf {tx:.2f} {y + CARD_H - 12 * MM:.2f} Td ({_text(title[:28])}) Tj",
        "ET",
        "BT",
        f"/F2 10 Tf {tx:.2f} {y + CARD_H / 2:.2f} Td ({codes.formatted(card.code)[:9]}) Tj",
        "0 -12 Td",
        f"({codes.formatted(card.code)[10:]}) Tj",
        "ET",
        "BT",
        f"/F1 7 Tf {tx:.2f} {y + 8 * MM:.2f} Td (Valid until {expiry}) Tj",
        "ET",
    ]
    return ops


def _pages(cards: Iterable[Card], title: str) -> Iterator[bytes]:
    page: List[str] = []
    placed = 0
    for card in cards:
        slot = placed % PER_PAGE
        col, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN_X + col * CARD_W
        y = PAGE_H - MARGIN_Y - (row + 1) * CARD_H
        page += _card_ops(card, title, x, y)
        placed += 1
        if placed % PER_PAGE == 0:
            yield "\n".join(page).encode("latin-1")
            page = []
    if page or placed == 0:
        yield "\n".join(page).encode("latin-1")


def pdf_document(contents: Iterable[bytes], width: float = PAGE_W, height: float = PAGE_H) -> bytes:
    """A PDF with one page of ``width`` x ``height`` points per content stream, fonts
    F1 (Helvetica) and F2 (Courier-Bold)."""
    out = io.BytesIO()
    offsets = {}

    def obj(number: int, body: bytes):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    # 1 catalog, 2 pages, 3-4 fonts; pages from 5 on (page object, then its content).
    obj(3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    obj(4, b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>")
    kids = []
    number = 5
    for content in contents:
        data = zlib.compress(content, 6)
        page_no, content_no = number, number + 1
        number += 2
        obj(
            page_no,
            (
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width:.2f} {height:.2f}] "
                f"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> "
                f"/Contents {content_no} 0 R >>"
            ).encode(),
        )
        obj(
            content_no,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data)
            + data
            + b"\nendstream",
        )
        kids.append(page_no)
    obj(
        2,
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)),
    )
    obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
    xref = out.tell()
    size = number
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for n in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[n])
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def to_pdf(batch: CardBatch) -> bytes:
    return pdf_document(_pages(batch_cards(batch), batch.name))


CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}


def render(batch: CardBatch, fmt: str) -> bytes:
    return to_csv(batch) if fmt == "csv" else to_pdf(batch)


def filename(batch: CardBatch, fmt: str) -> str:
    return f"card-batch-{batch.pk}.{fmt}"
