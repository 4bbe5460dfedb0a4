"""The print shop's PDF of a card batch (reportlab): A4, ten cards of ID-1 size per
page with cut lines, each with its QR code as vector modules (sharp at any printer
resolution), the shop's title and the readable code.

Written page by page into a file-like object; ``progress(done)`` is called after each
page so a long batch shows how far it is.
"""
from typing import Callable, Iterable, Optional

import segno
from django.utils import formats
from django.utils.translation import gettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..models import Card
from . import codes

PAGE_W, PAGE_H = A4
CARD_W, CARD_H = 85.6 * mm, 53.98 * mm  # ID-1
COLUMNS, ROWS = 2, 5
PER_PAGE = COLUMNS * ROWS
MARGIN_X = (PAGE_W - COLUMNS * CARD_W) / 2
MARGIN_Y = (PAGE_H - ROWS * CARD_H) / 2
QR_SIZE = 34 * mm
QUIET = 2  # modules of white around the code (the card's edge adds more)


def _qr(c: canvas.Canvas, payload: str, x: float, y: float, size: float):
    """Dark runs of each row as one rectangle: a tenth of the path operations of one
    square per module."""
    matrix = segno.make(payload, error="m", micro=False).matrix
    count = len(matrix)
    module = size / (count + 2 * QUIET)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        c_ = 0
        top = y + size - (QUIET + r + 1) * module
        while c_ < count:
            if row[c_]:
                start = c_
                while c_ < count and row[c_]:
                    c_ += 1
                path.rect(x + (QUIET + start) * module, top, (c_ - start) * module, module)
            else:
                c_ += 1
    c.drawPath(path, stroke=0, fill=1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    while text and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text


def _title_lines(title: str, width: float, font="Helvetica-Bold", size=9):
    """Up to two lines, broken between words; what is left is cut with an ellipsis."""
    words, lines = title.split(), [""]
    for word in words:
        candidate = f"{lines[-1]} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not lines[-1]:
            lines[-1] = candidate
        elif len(lines) < 2:
            lines.append(word)
        else:
            lines[-1] = candidate
            break
    return [_fit(line, font, size, width) for line in lines]


def _card(c: canvas.Canvas, card: Card, title: str, valid_until: str, x: float, y: float):
    c.setStrokeGray(0.6)
    c.setLineWidth(0.3)
    c.rect(x, y, CARD_W, CARD_H, stroke=1, fill=0)
    c.setFillGray(0)
    pad = (CARD_H - QR_SIZE) / 2
    _qr(c, codes.qr_payload(card.code), x + pad, y + pad, QR_SIZE)
    tx = x + pad + QR_SIZE + 3 * mm
    width = x + CARD_W - tx - 3 * mm
    c.setFont("Helvetica-Bold", 9)
    for i, line in enumerate(_title_lines(title, width)):
        c.drawString(tx, y + CARD_H - 10 * mm - i * 11, line)
    number = codes.formatted(card.code)
    c.setFont("Courier-Bold", 10)
    c.drawString(tx, y + CARD_H / 2, number[:9])
    c.drawString(tx, y + CARD_H / 2 - 12, number[10:])
    c.setFont("Helvetica", 7)
    expiry = formats.date_format(card.expires_at, "SHORT_DATE_FORMAT") if card.expires_at else "–"
    c.drawString(tx, y + 8 * mm, _fit(f"{valid_until} {expiry}", "Helvetica", 7, width))


def write(
    out,
    cards: Iterable[Card],
    title: str,
    progress: Optional[Callable[[int], None]] = None,
):
    """Write the sheet for ``cards`` (in order) into ``out``; returns the card count."""
    c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("saleor-customer-value")
    valid_until = gettext("Valid until")
    placed = 0
    for card in cards:
        slot = placed % PER_PAGE
        col, row = slot % COLUMNS, slot // COLUMNS
        _card(
            c, card, title, valid_until,
            MARGIN_X + col * CARD_W, PAGE_H - MARGIN_Y - (row + 1) * CARD_H,
        )
        placed += 1
        if placed % PER_PAGE == 0:
            c.showPage()
            if progress is not None:
                progress(placed)
    if placed % PER_PAGE or placed == 0:
        c.showPage()
    c.save()
    if progress is not None:
        progress(placed)
    return placed
